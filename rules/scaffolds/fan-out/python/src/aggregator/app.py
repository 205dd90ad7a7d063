"""Aggregator: combines the chunk results of a finished batch ({{patternName}}).

Invoked asynchronously by the child that completed the batch (Lambda retries it twice, then sends the event
to FailedAggregationsQueue). Two children can race to that moment and the async queue can deliver twice,
so the batch is claimed with a conditional update that also checks completedChunks = totalChunks: only one
invocation combines, and never before every chunk is counted.
"""
import json
import logging
import os
import time

import boto3
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
{{#if senderSlackCommand}}

import webhook_auth
{{/if}}

TABLE_NAME = os.environ["TABLE_NAME"]

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def lambda_handler(event, context):
    batch_id = event["batchId"]
    if not claim(batch_id):
        return {"batchId": batch_id, "skipped": True}
    try:
        chunk_results = load_chunk_results(batch_id)
        result = combine(batch_id, chunk_results)
    except Exception:
        release(batch_id)  # Lambda's retry can claim it again
        raise
    table.update_item(
        Key={"batchId": batch_id, "sk": "BATCH"},
        UpdateExpression="SET #status = :complete, #result = :result, finishedAt = :now",
        ExpressionAttributeNames={"#status": "status", "#result": "result"},
        ExpressionAttributeValues={":complete": "COMPLETE", ":result": json.dumps(result, default=str), ":now": int(time.time())},
    )
    logger.info("batch complete", extra={"batchId": batch_id, "chunks": len(chunk_results)})
{{#if senderSlackCommand}}
    announce(batch_id, result)
{{/if}}
    return {"batchId": batch_id, "status": "COMPLETE"}


{{#if senderSlackCommand}}
def announce(batch_id, result, post=None):
    """A slash command's late answer: the batch result, posted to the command's response_url."""
    batch = table.get_item(Key={"batchId": batch_id, "sk": "BATCH"}).get("Item", {})
    url = batch.get("responseUrl")
    if not url:
        return False
    text = f"Batch {batch_id} complete: {json.dumps(result, default=str)[:2900]}"
    try:
        (post or webhook_auth.post_late_answer)(url, {"response_type": "ephemeral", "text": text})
        return True
    except Exception as err:  # the result is stored; a late answer that fails (response_url expires) is logged
        logger.warning("late answer not posted", extra={"batchId": batch_id, "error": repr(err)})
        return False


{{/if}}
def combine(batch_id, chunk_results):
    """Combines the per-chunk result lists (in chunk order) into the batch result (<= 350 KB, else S3)."""
    # BUSINESS LOGIC: combine the results here (sum, merge, write a report to S3 and return its key).
    items = [result for chunk in chunk_results for result in chunk]
    return {"items": len(items), "totalLength": sum(r["length"] for r in items)}


def claim(batch_id):
    try:
        table.update_item(
            Key={"batchId": batch_id, "sk": "BATCH"},
            UpdateExpression="SET #status = :aggregating",
            ConditionExpression="#status IN (:submitting, :running) AND completedChunks = totalChunks",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":aggregating": "AGGREGATING", ":submitting": "SUBMITTING", ":running": "RUNNING"},
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    batch = table.get_item(Key={"batchId": batch_id, "sk": "BATCH"}, ConsistentRead=True).get("Item", {})
    logger.info("aggregation skipped", extra={"batchId": batch_id, "status": batch.get("status", "MISSING")})
    return False


def release(batch_id):
    table.update_item(
        Key={"batchId": batch_id, "sk": "BATCH"},
        UpdateExpression="SET #status = :running",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":running": "RUNNING"},
    )


def load_chunk_results(batch_id):
    """Every chunk's results, in chunk order (the sort key CHUNK#00000, CHUNK#00001, ...)."""
    results, start = [], None
    while True:
        page = table.query(
            KeyConditionExpression=Key("batchId").eq(batch_id) & Key("sk").begins_with("CHUNK#"),
            ConsistentRead=True,
            **({"ExclusiveStartKey": start} if start else {}),
        )
        results.extend(json.loads(item["results"]) for item in page["Items"])
        start = page.get("LastEvaluatedKey")
        if not start:
            return results
