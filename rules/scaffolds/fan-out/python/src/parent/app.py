"""Parent: splits a batch into chunks and fans them out through SQS ({{patternName}}).

POST /batches {"items": [...]}  -> records the batch, sends one message per chunk of CHUNK_SIZE items and
                                   answers 202 with the batch id. Children process the chunks in parallel.
GET  /batches/{batchId}         -> status (SUBMITTING, RUNNING, AGGREGATING, COMPLETE), progress, result.

A batch is SUBMITTING until every chunk is on the queue: a client that retries after an error (same
`Idempotency-Key`) re-sends all chunks, which is safe because children record each chunk once.
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

TABLE_NAME = os.environ["TABLE_NAME"]
QUEUE_URL = os.environ["QUEUE_URL"]
CHUNK_SIZE = int(os.environ.get("CHUNK_SIZE", "100"))
MAX_ITEMS = int(os.environ.get("MAX_ITEMS", "10000"))
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(7 * 24 * 3600)))
MAX_MESSAGE_BYTES = 1024 * 1024  # SQS's limit per message (and per SendMessageBatch call)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
sqs = boto3.client("sqs")


class BadRequest(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def lambda_handler(event, context):
    if event.get("httpMethod") == "GET":
        return get_batch((event.get("pathParameters") or {}).get("batchId", ""))
    try:
        items = prepare_items(parse_items(event))
        batch_id = batch_id_for(event)
        chunks = chunk(items, CHUNK_SIZE)
        bodies = [json.dumps({"batchId": batch_id, "chunkIndex": i, "items": c}) for i, c in enumerate(chunks)]
        if any(len(b.encode("utf-8")) > MAX_MESSAGE_BYTES for b in bodies):
            raise BadRequest("a chunk is larger than an SQS message (1 MiB): lower CHUNK_SIZE or pass S3 keys", 413)
    except BadRequest as exc:
        return respond(exc.status, {"error": str(exc)})

    existing = start_batch(batch_id, len(items), len(chunks))
    if existing is not None:
        logger.info("batch already submitted", extra={"batchId": batch_id, "status": existing["status"]})
        return respond(202, summary(existing))

    send_chunks(bodies)
    mark_running(batch_id)
    logger.info("batch fanned out", extra={"batchId": batch_id, "items": len(items), "chunks": len(chunks)})
    return respond(202, {"batchId": batch_id, "status": "RUNNING", "totalItems": len(items), "totalChunks": len(chunks)})


def prepare_items(items):
    """Checks or transforms the items before they are split; raise BadRequest to answer 400."""
    # BUSINESS LOGIC: validate the batch's items here (each child receives a slice of what this returns).
    return items


def chunk(items, size):
    """Consecutive slices of at most `size` items; the last one may be shorter."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    return [items[start:start + size] for start in range(0, len(items), size)]


def start_batch(batch_id, total_items, total_chunks):
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


def get_batch(batch_id):
    item = table.get_item(Key={"batchId": batch_id, "sk": "BATCH"}).get("Item") if batch_id else None
    if not item:
        return respond(404, {"error": f"no batch {batch_id!r}"})
    return respond(200, summary(item))


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


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
