"""Child: processes one chunk of a batch ({{patternName}}).

Each SQS message is one chunk: {"batchId", "chunkIndex", "items"}. SQS delivers at least once, so:
  1. a chunk whose result is already stored is not processed again;
  2. the result is written with a conditional put (attribute_not_exists), so a racing duplicate cannot
     overwrite it;
  3. the chunk is counted with one atomic update that adds its index to the batch's `doneChunks` set and
     increments `completedChunks` only if the index was not there yet - a duplicate never counts twice.
The child whose update brings completedChunks to totalChunks invokes the aggregator (InvocationType Event).
A failed chunk is reported in batchItemFailures; after maxReceiveCount it moves to the dead-letter queue.
"""
import json
import logging
import os
import time

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
AGGREGATOR_FUNCTION_NAME = os.environ["AGGREGATOR_FUNCTION_NAME"]
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(7 * 24 * 3600)))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
lambda_client = boto3.client("lambda")


def lambda_handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            handle_chunk(json.loads(record["body"]))
        except Exception:  # noqa: BLE001 - report this message, keep the others
            logger.exception("chunk failed", extra={"messageId": record["messageId"]})
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def process_item(batch_id, item):
    """Processes one item of the batch and returns its (JSON-serialisable) result. Raise to retry the chunk."""
    # BUSINESS LOGIC: process one item here; it runs once per item, up to 50 chunks in parallel.
    return {"item": item, "length": len(json.dumps(item))}


def handle_chunk(message):
    batch_id, index, items = message["batchId"], int(message["chunkIndex"]), message["items"]
    key = {"batchId": batch_id, "sk": f"CHUNK#{index:05d}"}
    if "Item" in table.get_item(Key=key, ConsistentRead=True):
        logger.info("chunk already processed", extra={"batchId": batch_id, "chunkIndex": index})
    else:
        results = [process_item(batch_id, item) for item in items]
        store_result(key, results)
    count_chunk(batch_id, index)


def store_result(key, results):
    try:
        table.put_item(
            Item={**key, "results": json.dumps(results), "storedAt": int(time.time()), "expiresAt": int(time.time()) + KEEP_SECONDS},
            ConditionExpression="attribute_not_exists(sk)",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        logger.info("a duplicate stored this chunk first", extra={"batchId": key["batchId"], "chunk": key["sk"]})


def count_chunk(batch_id, index):
    """Counts the chunk once; the child that completes the batch starts the aggregator."""
    try:
        batch = table.update_item(
            Key={"batchId": batch_id, "sk": "BATCH"},
            UpdateExpression="ADD completedChunks :one, doneChunks :index",
            ConditionExpression="attribute_exists(batchId) AND NOT contains(doneChunks, :i)",
            ExpressionAttributeValues={":one": 1, ":index": {index}, ":i": index},
            ReturnValues="ALL_NEW",
        )["Attributes"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        logger.info("chunk already counted", extra={"batchId": batch_id, "chunkIndex": index})
        return
    if batch["completedChunks"] >= batch["totalChunks"]:
        logger.info("last chunk done; starting the aggregator", extra={"batchId": batch_id})
        lambda_client.invoke(
            FunctionName=AGGREGATOR_FUNCTION_NAME,
            InvocationType="Event",
            Payload=json.dumps({"batchId": batch_id}).encode("utf-8"),
        )
