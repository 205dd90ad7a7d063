"""Parent: splits a batch into chunks and fans them out through SQS ({{patternName}}).

{{#if triggerEvent}}
The EventBridge rule invokes it for each object created in the uploads bucket ("Object Created"). The object
is the batch ({"items": [...]} or a JSON array); the object's identity (bucket, key, sequencer) names the
batch, so a redelivered event finds it and fans out nothing new. Failures are retried by Lambda, then land
in FailedStartsQueue.
{{/if}}
{{#if triggerSchedule}}
The schedule invokes it once per run with {"scheduledTime", "executionId"}. list_run_items() gives the run's
items; the scheduled time names the batch, so Scheduler's retry of a run finds it and fans out nothing new.
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
POST /webhook                   -> the sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py
                                   checks it on the raw body (401 when missing, wrong or stale). The delivery's
                                   items (items_of) are fanned out; the delivery id names the batch, so a
                                   redelivery fans out nothing new. Answers 200 at once (Slack's challenge, a
                                   slash command's receipt: the aggregator posts the result to response_url).
{{else}}
POST /batches {"items": [...]}  -> records the batch, sends one message per chunk of CHUNK_SIZE items and
                                   answers 202 with the batch id. Children process the chunks in parallel.
{{/if}}
GET  /batches/{batchId}         -> status (SUBMITTING, RUNNING, AGGREGATING, COMPLETE), progress, result.

A batch is SUBMITTING until every chunk is on the queue: {{#if webhook}}a redelivery after an error{{else}}a client that retries after an error (same
`Idempotency-Key`){{/if}} re-sends all chunks, which is safe because children record each chunk once.
{{/unless}}
{{/unless}}
"""
import base64
import json
import logging
import os
import re
import time
import uuid

import boto3
from botocore.exceptions import ClientError
{{#if webhook}}

import webhook_auth
{{/if}}

TABLE_NAME = os.environ["TABLE_NAME"]
QUEUE_URL = os.environ["QUEUE_URL"]
CHUNK_SIZE = int(os.environ.get("CHUNK_SIZE", "100"))
MAX_ITEMS = int(os.environ.get("MAX_ITEMS", "10000"))
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(7 * 24 * 3600)))
MAX_MESSAGE_BYTES = 1024 * 1024  # SQS's limit per message (and per SendMessageBatch call)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
{{#if webhook}}
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
{{/if}}
{{#if triggerSchedule}}
ITEMS_PER_RUN = int(os.environ.get("ITEMS_PER_RUN", "250"))
{{/if}}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
sqs = boto3.client("sqs")
{{#if triggerEvent}}
s3 = boto3.client("s3")
{{/if}}


class BadRequest(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


{{#if triggerEvent}}
def lambda_handler(event, context):
    """An EventBridge "Object Created" event: the object is the batch, its identity the batch id."""
    detail = event["detail"]
    bucket, key = detail["bucket"]["name"], detail["object"]["key"]
    batch_id = f"s3://{bucket}/{key}#{detail['object'].get('sequencer', event['id'])}"
    raw = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    items = prepare_items(parse_document(raw))  # BadRequest fails the invocation: retried, then FailedStartsQueue
    return fan_out(batch_id, items, {"source": f"s3://{bucket}/{key}"})


{{/if}}
{{#if triggerSchedule}}
def lambda_handler(event, context):
    """A scheduled run: {"scheduledTime", "executionId"}; the scheduled time names the run's batch."""
    scheduled_time = event["scheduledTime"]
    items = prepare_items(list_run_items(scheduled_time))
    return fan_out(f"run-{scheduled_time}", items, {"scheduledTime": scheduled_time})


def list_run_items(scheduled_time):
    """The items of the run scheduled at `scheduled_time` (ISO 8601)."""
    # Demo: ITEMS_PER_RUN numbered items. Replace with the run's real work list: the rows changed since the
    # last run, the files of yesterday's prefix, the accounts to report on.
    return [{"run": scheduled_time, "n": i} for i in range(ITEMS_PER_RUN)]


{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
def lambda_handler(event, context):
    if event.get("httpMethod") == "GET":
        return get_batch((event.get("pathParameters") or {}).get("batchId", ""))
{{#if webhook}}
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return respond(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return respond(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no batch
    try:
        items = prepare_items(items_of(delivery.payload))
    except BadRequest as exc:
        return respond(exc.status, {"error": str(exc)})
    extra = {"deliveryId": delivery.id}
    if delivery.response_url:
        extra["responseUrl"] = delivery.response_url  # a slash command: the aggregator posts the result there
    try:
        # the sender's delivery id names the batch: a redelivery is the same batch
        outcome = fan_out(delivery.id, items, extra)
    except BadRequest as exc:
        return respond(exc.status, {"error": str(exc)})
    return respond(200, {**webhook_auth.acknowledgement(delivery), "batchId": outcome["batchId"]})
{{else}}
    try:
        items = prepare_items(parse_items(event))
        batch_id = batch_id_for(event)
        outcome = fan_out(batch_id, items)
    except BadRequest as exc:
        return respond(exc.status, {"error": str(exc)})
    return respond(202, outcome)
{{/if}}
{{/unless}}
{{/unless}}


def fan_out(batch_id, items, extra=None):
    """Records the batch and sends its chunks, once: a batch already past submission is returned as it is."""
    if len(items) > MAX_ITEMS:
        raise BadRequest(f"at most {MAX_ITEMS} items per batch; split it or raise MAX_ITEMS", 413)
    chunks = chunk(items, CHUNK_SIZE)
    bodies = [json.dumps({"batchId": batch_id, "chunkIndex": i, "items": c}) for i, c in enumerate(chunks)]
    if any(len(b.encode("utf-8")) > MAX_MESSAGE_BYTES for b in bodies):
        raise BadRequest("a chunk is larger than an SQS message (1 MiB): lower CHUNK_SIZE or pass S3 keys", 413)

    existing = start_batch(batch_id, len(items), len(chunks), extra or {})
    if existing is not None:
        logger.info("batch already submitted", extra={"batchId": batch_id, "status": existing["status"]})
        return summary(existing)

    send_chunks(bodies)
    mark_running(batch_id)
    logger.info("batch fanned out", extra={"batchId": batch_id, "items": len(items), "chunks": len(chunks)})
    return {"batchId": batch_id, "status": "RUNNING", "totalItems": len(items), "totalChunks": len(chunks)}


def prepare_items(items):
    """Checks or transforms the items before they are split; raise BadRequest to answer 400."""
    # BUSINESS LOGIC: validate the batch's items here (each child receives a slice of what this returns).
    return items


def chunk(items, size):
    """Consecutive slices of at most `size` items; the last one may be shorter."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    return [items[start:start + size] for start in range(0, len(items), size)]


def start_batch(batch_id, total_items, total_chunks, extra=None):
    """Records a new batch (SUBMITTING). Returns the existing batch when it is past submission, else None."""
    now = int(time.time())
    try:
        table.put_item(
            Item={
                "batchId": batch_id,
                "sk": "BATCH",
                "status": "SUBMITTING",
                "totalItems": total_items,
                "totalChunks": total_chunks,
                "completedChunks": 0,
                "createdAt": now,
                "expiresAt": now + KEEP_SECONDS,
                **(extra or {}),
            },
            # A new batch, or one whose submission failed half-way (re-send every chunk).
            ConditionExpression="attribute_not_exists(batchId) OR #status = :submitting",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":submitting": "SUBMITTING"},
        )
        return None
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    return table.get_item(Key={"batchId": batch_id, "sk": "BATCH"}, ConsistentRead=True)["Item"]


def send_chunks(bodies):
    """SendMessageBatch, 10 messages per call; entries SQS refused are retried once, then it is an error."""
    for start in range(0, len(bodies), 10):
        entries = [{"Id": str(start + i), "MessageBody": body} for i, body in enumerate(bodies[start:start + 10])]
        for attempt in (1, 2):
            failed = sqs.send_message_batch(QueueUrl=QUEUE_URL, Entries=entries).get("Failed", [])
            if not failed:
                break
            refused = {f["Id"] for f in failed}
            entries = [e for e in entries if e["Id"] in refused]
        else:
            raise RuntimeError(f"SQS refused {len(entries)} chunk messages: {failed[0].get('Message', '')}")


def mark_running(batch_id):
    try:
        table.update_item(
            Key={"batchId": batch_id, "sk": "BATCH"},
            UpdateExpression="SET #status = :running",
            ConditionExpression="#status = :submitting",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":running": "RUNNING", ":submitting": "SUBMITTING"},
        )
    except ClientError as exc:
        # Small batches can finish before this update: the aggregator has moved the status on already.
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


{{#unless triggerEvent}}
{{#unless triggerSchedule}}
def get_batch(batch_id):
    item = table.get_item(Key={"batchId": batch_id, "sk": "BATCH"}).get("Item") if batch_id else None
    if not item:
        return respond(404, {"error": f"no batch {batch_id!r}"})
    return respond(200, summary(item))
{{/unless}}
{{/unless}}


def summary(item):
    body = {
        "batchId": item["batchId"],
        "status": item["status"],
        "totalItems": int(item["totalItems"]),
        "totalChunks": int(item["totalChunks"]),
        "completedChunks": int(item.get("completedChunks", 0)),
    }
    if "result" in item:
        body["result"] = json.loads(item["result"])
    return body


{{#if triggerEvent}}
def parse_document(raw):
    """A batch file: {"items": [...]} or a JSON array of items."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("the object is not valid JSON") from None
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list) or not items:
        raise BadRequest('the object must be {"items": [...]} or a JSON array, with at least one item')
    return items


{{/if}}
{{#if webhook}}
def items_of(payload):
    """The items one delivery fans out: its "items" list, else the delivery itself as one item."""
    # Map a sender's payload to items here (a GitHub push's commits, a Stripe invoice's lines).
    items = payload.get("items")
    return items if isinstance(items, list) and items else [payload]


{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
def parse_items(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("body is not valid JSON") from None
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise BadRequest('body must be {"items": [...]} with at least one item')
    if len(items) > MAX_ITEMS:
        raise BadRequest(f"at most {MAX_ITEMS} items per batch; split it or raise MAX_ITEMS", 413)
    return items


def batch_id_for(event):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return str(uuid.uuid4())
    if not IDEMPOTENCY_KEY.match(key):
        raise BadRequest("Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -")
    return key
{{/unless}}
{{/unless}}
{{/unless}}


{{#unless triggerEvent}}
{{#unless triggerSchedule}}
def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
{{/unless}}
{{/unless}}
