"""Worker: consumes the task queue with partial batch responses ({{patternName}}).

Lambda polls TasksQueue and hands this function up to 10 messages at a time. Every message id returned
in `batchItemFailures` becomes visible on the queue again after the visibility timeout and, after
maxReceiveCount receives, moves to the dead-letter queue; the rest of the batch is deleted. Raising from
the handler would fail the whole batch, so each message is handled on its own.

SQS delivers at least once, so a task is claimed in DynamoDB before it runs: a task already done is
skipped, a task another worker holds right now is handed back to the queue for later.
{{#if triggerEvent}}

The messages are S3 event notifications of the uploads bucket: each ObjectCreated record is a task whose id is
bucket/key#sequencer (a redelivered event has the same); S3's s3:TestEvent, sent once when the notification is
set up, is acknowledged and starts nothing.
{{/if}}
"""
import json
import logging
import os
import time
{{#if triggerEvent}}
import urllib.parse
{{/if}}

import boto3
from botocore.exceptions import ClientError
{{#if webhook}}

import webhook_auth
{{/if}}

TABLE_NAME = os.environ["TABLE_NAME"]
LEASE_SECONDS = int(os.environ.get("LEASE_SECONDS", "120"))
KEEP_DONE_SECONDS = int(os.environ.get("KEEP_DONE_SECONDS", str(7 * 24 * 3600)))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
{{#if webhook}}
opener = webhook_auth.urllib.request.urlopen  # the tests put a recorder here (no network in tests)
{{/if}}


def lambda_handler(event, context):
    failures = []
    for record in event.get("Records", []):
        message_id = record["messageId"]
        try:
            done = handle_record(record)
        except Exception:  # noqa: BLE001 - a throttled or failed write fails this message, not the batch
            logger.exception("message failed", extra={"messageId": message_id})
            done = False
        if not done:
            failures.append({"itemIdentifier": message_id})
    logger.info("batch done", extra={"received": len(event.get("Records", [])), "failed": len(failures)})
    return {"batchItemFailures": failures}


def process_task(task_id, payload):
    """Runs one task. Raise to have the message retried (and dead-lettered after maxReceiveCount)."""
{{#if triggerEvent}}
    # payload is {"bucket", "key", "size"}: read the object with boto3.client("s3").get_object(Bucket=..., Key=...).
{{/if}}
    # BUSINESS LOGIC: do the work for one task here; it must finish well within the function timeout.
    return {"taskId": task_id, "fields": sorted(payload)}


def handle_record(record):
    """Returns True when the message may be deleted from the queue (done now or done before)."""
    message_id = record["messageId"]
{{#if triggerEvent}}
    try:
        message = json.loads(record["body"])
        if message.get("Event") == "s3:TestEvent":
            logger.info("s3:TestEvent: the bucket notification reaches the queue; nothing to run", extra={"messageId": message_id})
            return True
        tasks = tasks_of(message)
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        # A message that can never be parsed goes to the dead-letter queue after maxReceiveCount.
        logger.error("unreadable message", extra={"messageId": message_id, "error": str(exc)})
        return False
    # Every task of the message runs (a list, not a short-circuit); one that failed keeps the message for a retry,
    # whose claims skip the tasks already done.
    return all([run_task(task_id, payload, message_id) for task_id, payload in tasks])


def tasks_of(message):
    """(task id, payload) of each object created that an S3 event notification names."""
    tasks = []
    for s3_record in message["Records"]:
        if s3_record.get("eventSource") != "aws:s3" or not s3_record.get("eventName", "").startswith("ObjectCreated:"):
            continue
        bucket = s3_record["s3"]["bucket"]["name"]
        obj = s3_record["s3"]["object"]
        key = urllib.parse.unquote_plus(obj["key"])  # URL-encoded in the notification: a space arrives as "+"
        # The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
        tasks.append((f"{bucket}/{key}#{obj.get('sequencer', '')}", {"bucket": bucket, "key": key, "size": obj.get("size", 0)}))
    return tasks


def run_task(task_id, payload, message_id):
    """Claims, runs and records one task; True when it is done (now or before)."""
{{else}}
    try:
        message = json.loads(record["body"])
        task_id = str(message.get("taskId") or message_id)
        payload = message.get("payload", {})
    except (ValueError, AttributeError) as exc:
        # A message that can never be parsed goes to the dead-letter queue after maxReceiveCount.
        logger.error("unreadable message", extra={"messageId": message_id, "error": str(exc)})
        return False
{{/if}}

    claim = claim_task(task_id, message_id)
    if claim == "done":
        logger.info("duplicate delivery skipped", extra={"taskId": task_id, "messageId": message_id})
        return True
    if claim == "busy":
        logger.warning("task held by another worker; retry later", extra={"taskId": task_id})
        return False

    try:
        result = process_task(task_id, payload)
    except Exception as exc:  # noqa: BLE001 - one bad task must not fail the batch
        logger.exception("task failed", extra={"taskId": task_id, "messageId": message_id})
        release_task(task_id, message_id, exc)
        return False

    mark_done(task_id, result)
    logger.info("task done", extra={"taskId": task_id, "messageId": message_id})
{{#if webhook}}
    if message.get("responseUrl"):
        answer_late(message["responseUrl"], result)
{{/if}}
    return True
{{#if webhook}}


def answer_late(response_url, result):
    """A slash command's late answer, posted to its response_url (best effort: the task is done either way)."""
    try:
        webhook_auth.post_late_answer(response_url, {"response_type": "in_channel", "text": json.dumps(result, default=str)},
                                      opener=opener)
    except Exception:  # noqa: BLE001 - the work is recorded; a lost answer is logged, not retried
        logger.exception("late answer not delivered", extra={"responseUrl": response_url})
{{/if}}


def claim_task(task_id, message_id):
    """Conditionally writes an IN_PROGRESS claim. Returns "claimed", "done" or "busy"."""
    now = int(time.time())
    try:
        table.put_item(
            Item={
                "taskId": task_id,
                "status": "IN_PROGRESS",
                "messageId": message_id,
                "leaseUntil": now + LEASE_SECONDS,
                "expiresAt": now + KEEP_DONE_SECONDS,
            },
            # New task, or a claim whose worker died (lease expired).
            ConditionExpression="attribute_not_exists(taskId) OR (#status = :in_progress AND leaseUntil < :now)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":in_progress": "IN_PROGRESS", ":now": now},
        )
        return "claimed"
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    existing = table.get_item(Key={"taskId": task_id}, ConsistentRead=True).get("Item", {})
    return "done" if existing.get("status") == "DONE" else "busy"


def mark_done(task_id, result):
    table.update_item(
        Key={"taskId": task_id},
        UpdateExpression="SET #status = :done, doneAt = :now, #result = :result REMOVE leaseUntil",
        ExpressionAttributeNames={"#status": "status", "#result": "result"},
        ExpressionAttributeValues={":done": "DONE", ":now": int(time.time()), ":result": json.dumps(result, default=str)},
    )


def release_task(task_id, message_id, error):
    """Drops our claim so the next delivery of the message can run the task again."""
    try:
        table.delete_item(
            Key={"taskId": task_id},
            ConditionExpression="messageId = :message_id AND #status = :in_progress",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":message_id": message_id, ":in_progress": "IN_PROGRESS"},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        logger.warning("claim already gone", extra={"taskId": task_id, "error": str(error)})
