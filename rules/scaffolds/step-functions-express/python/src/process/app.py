"""Workflow step 2: does the work for a validated request ({{patternName}}).

Step Functions invokes this function synchronously and retries transient Lambda errors, and TransientError
(raise it for a dependency that may recover within seconds), with backoff; anything else fails the
execution, which records it as FAILED. The workflow stores what this returns in the results table with a
conditional write, so a duplicate execution (asynchronous Express is at-least-once) cannot overwrite the
first result: keep side effects here idempotent on the request id too.
"""
import logging
import os

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


class TransientError(Exception):
    """A failure worth retrying; the state machine retries it twice with backoff."""


def lambda_handler(event, context):
    request_id = event["requestId"]
    result = process_order(request_id, event["order"])
    logger.info("request processed", extra={"requestId": request_id})
    return {"requestId": request_id, "result": result}


def process_order(request_id, order):
    """Returns a JSON-serialisable result (kept in DynamoDB: stay under 350 KB, else store it in S3)."""
    # BUSINESS LOGIC: do the work here; raise TransientError for a failure worth retrying.
    units = sum(item["quantity"] for item in order["items"])
    return {"customerId": order["customerId"], "lines": len(order["items"]), "units": units}
