"""Workflow step 2: does the work for a validated {{#if triggerEvent}}upload{{else}}{{#if triggerSchedule}}scheduled run{{else}}{{#if webhook}}webhook delivery{{else}}request{{/if}}{{/if}}{{/if}} ({{patternName}}).

Step Functions invokes this function synchronously and retries transient Lambda errors, and TransientError
(raise it for a dependency that may recover within seconds), with backoff; anything else fails the
execution, which records it as FAILED. The workflow stores what this returns in the results table with a
conditional write, so a duplicate execution (asynchronous Express is at-least-once) cannot overwrite the
first result: keep side effects here idempotent on the request id too.
{{#if senderSlackCommand}}

A slash command gets its late answer here: when the work is done, the result is posted to the command's
response_url (valid 30 minutes, up to 5 answers), which is why this folder has webhook_auth.py.
{{/if}}
"""
import logging
import os
{{#if triggerEvent}}

import boto3
{{/if}}
{{#if senderSlackCommand}}

import webhook_auth
{{/if}}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
{{#if triggerEvent}}
s3 = boto3.client("s3")
{{/if}}


class TransientError(Exception):
    """A failure worth retrying; the state machine retries it twice with backoff."""


def lambda_handler(event, context):
    request_id = event["requestId"]
{{#if triggerEvent}}
    result = process_upload(request_id, event["work"])
{{/if}}
{{#if triggerSchedule}}
    result = process_run(request_id, event["work"])
{{/if}}
{{#if webhook}}
    result = process_delivery(request_id, event["work"])
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
    result = process_order(request_id, event["work"])
{{/unless}}
{{/if}}
    logger.info("request processed", extra={"requestId": request_id})
{{#if senderSlackCommand}}
    if event.get("responseUrl"):
        webhook_auth.post_late_answer(event["responseUrl"], late_answer(result))
        logger.info("late answer posted", extra={"requestId": request_id})
{{/if}}
    return {"requestId": request_id, "result": result}
{{#if triggerEvent}}


def process_upload(request_id, upload):
    """Returns a JSON-serialisable result for one uploaded object (kept in DynamoDB: stay under 350 KB)."""
    body = s3.get_object(Bucket=upload["bucket"], Key=upload["key"])["Body"]
    # BUSINESS LOGIC: do the work on the object here; raise TransientError for a failure worth retrying.
    lines = sum(1 for _ in body.iter_lines())
    return {"key": upload["key"], "bytes": upload["size"], "lines": lines}
{{/if}}
{{#if triggerSchedule}}


def process_run(request_id, run):
    """Returns a JSON-serialisable result for one scheduled run (kept in DynamoDB: stay under 350 KB)."""
    # BUSINESS LOGIC: do the periodic work here; raise TransientError for a failure worth retrying.
    return {"scheduledTime": run["scheduledTime"], "attempt": run["attempt"], "done": True}
{{/if}}
{{#if webhook}}


def process_delivery(request_id, delivery):
    """Returns a JSON-serialisable result for one delivery (kept in DynamoDB: stay under 350 KB)."""
    # BUSINESS LOGIC: do the work the delivery asks for here; raise TransientError for a failure worth retrying.
    return {"deliveryId": request_id, "fields": sorted(delivery)}
{{/if}}
{{#if senderSlackCommand}}


def late_answer(result):
    """The slash command's late answer: what the user sees in Slack when the work is done."""
    return {"response_type": "ephemeral", "text": f"Done: {result}"}
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}


def process_order(request_id, order):
    """Returns a JSON-serialisable result (kept in DynamoDB: stay under 350 KB, else store it in S3)."""
    # BUSINESS LOGIC: do the work here; raise TransientError for a failure worth retrying.
    units = sum(item["quantity"] for item in order["items"])
    return {"customerId": order["customerId"], "lines": len(order["items"]), "units": units}
{{/unless}}
{{/if}}
