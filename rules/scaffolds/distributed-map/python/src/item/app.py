"""ItemFunction: processes one item of a Distributed Map batch ({{patternName}}).

{{#if triggerSchedule}}
Each Express child workflow invokes this function with {"batchId", "index", "item"}: the item is one object
the Map state lists under the bucket's prefix (its Key, Size, ETag, LastModified), the batch id names the
scheduled run, so a repeated delivery of one run gives the same id.
{{else}}
Each Express child workflow invokes this function with {"batchId", "index", "item"}: the item is one row of
the CSV object the Map state reads from S3 (header names as keys), the batch id names {{#if webhook}}the webhook delivery that
asked for the batch, so a redelivery gives the same id{{else}}that object and its
ETag, so the same upload always gives the same id{{/if}}.
{{/if}} Express children run at least once, Step Functions retries
the task, and a redriven Map Run re-runs unfinished children - so each item is claimed once per batch:

  1. a conditional put of {batchId}#{itemId} with status IN_PROGRESS and a lease; it succeeds only when no
     claim exists or the last claimer's lease ran out (it crashed or timed out);
  2. a claim already DONE means a duplicate: the stored result is returned and the work is not run again;
  3. a claim IN_PROGRESS under a live lease raises ItemInProgress, which the state machine retries later;
  4. after the work the claim becomes DONE with the result (conditional on still holding it); when the work
     fails the claim is released so a retry can take it, and the error fails this child - it counts against
     the Map state's ToleratedFailurePercentage and is listed in the FAILED results in S3.
"""
import json
import logging
import os
import time
import uuid

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
LEASE_SECONDS = int(os.environ.get("LEASE_SECONDS", "300"))
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(30 * 24 * 3600)))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
clock = time.time


def process_item(item):
    """Processes one item and returns its (JSON-serialisable) result. Raise BadItem for an item that can never succeed."""
{{#if triggerSchedule}}
    # BUSINESS LOGIC: process one object here (the item is its listing entry: Key, Size, ETag, LastModified; read it
    # with s3.get_object after granting ItemFunction s3:GetObject); it runs once per object, up to MaxConcurrency (100) at a time.
    if not item.get("Key"):
        raise BadItem("the item names no object")
    return {"key": item["Key"], "size": int(item.get("Size") or 0)}
{{else}}
    # BUSINESS LOGIC: process one row here; it runs once per item, up to MaxConcurrency (100) items at a time.
    if not item.get("id"):
        raise BadItem("the row has no id")
    return {"id": item["id"], "fields": len(item)}
{{/if}}


class BadItem(Exception):
    """The item itself is wrong: retrying will not help; the child fails and the item is listed as FAILED."""


class ItemInProgress(Exception):
    """Another delivery of this item holds a live claim; the state machine's Retry tries again later."""


def lambda_handler(event, context):
    batch_id, index, item = event.get("batchId"), event.get("index"), event.get("item")
    if not batch_id or not isinstance(item, dict):
        raise BadItem("the event needs batchId and item (an object)")
    item_id = str(item.get("id") or item.get("Key") or f"row-{index}")  # a row's id, or a listed object's key
    key = {"pk": f"{batch_id}#{item_id}"}
    log = {"batchId": batch_id, "itemId": item_id, "index": index}

    owner = claim(key, context)
    if owner is None:
        stored = table.get_item(Key=key, ConsistentRead=True).get("Item", {})
        if stored.get("status") == "DONE":
            logger.info("item already processed; returning the stored result", extra=log)
            return {"itemId": item_id, "status": "DONE", "duplicate": True, "result": json.loads(stored["result"])}
        logger.info("item claimed by another delivery", extra=log)
        raise ItemInProgress(item_id)

    started = clock()
    try:
        result = process_item(item)
    except Exception:
        release(key, owner)
        logger.exception("item failed", extra=log)
        raise
    complete(key, owner, result)
    logger.info("item processed", extra={**log, "seconds": round(clock() - started, 3)})
    return {"itemId": item_id, "status": "DONE", "duplicate": False, "result": result}


def claim(key, context):
    """Takes the item's claim and returns its owner token, or None when another delivery holds it or finished it."""
    now = int(clock())
    owner = getattr(context, "aws_request_id", None) or str(uuid.uuid4())
    try:
        table.put_item(
            Item={**key, "status": "IN_PROGRESS", "owner": owner, "leaseUntil": now + LEASE_SECONDS, "expiresAt": now + KEEP_SECONDS},
            ConditionExpression="attribute_not_exists(pk) OR (#s = :in_progress AND leaseUntil < :now)",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":in_progress": "IN_PROGRESS", ":now": now},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return None
    return owner


def complete(key, owner, result):
    """Records the result; only the claim's owner may (a takeover after an expired lease makes this one fail)."""
    table.update_item(
        Key=key,
        UpdateExpression="SET #s = :done, #r = :result, completedAt = :now REMOVE leaseUntil",
        ConditionExpression="#s = :in_progress AND #o = :owner",
        ExpressionAttributeNames={"#s": "status", "#r": "result", "#o": "owner"},
        ExpressionAttributeValues={":done": "DONE", ":in_progress": "IN_PROGRESS", ":owner": owner,
                                   ":result": json.dumps(result), ":now": int(clock())},
    )


def release(key, owner):
    """Gives the claim back after a failure, so the next attempt need not wait for the lease."""
    try:
        table.delete_item(
            Key=key,
            ConditionExpression="#s = :in_progress AND #o = :owner",
            ExpressionAttributeNames={"#s": "status", "#o": "owner"},
            ExpressionAttributeValues={":in_progress": "IN_PROGRESS", ":owner": owner},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
