"""The work, run once a person has approved the request ({{patternName}}).

The Standard workflow invokes this function after the approval (and after waiting until the approver's
notBefore time, when one was given). Step Functions retries transient Lambda errors and TransientError with
backoff; anything else goes to HandleFailure. A retry invokes the function again, so keep side effects
idempotent on the execution id (for example a conditional write keyed by it).
"""
import logging
import os

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


class TransientError(Exception):
    """A failure worth retrying; the workflow retries it up to 5 times with backoff."""


def lambda_handler(event, context):
    execution_id = event["executionId"]
    request = event.get("request") or {}
    approval = event.get("approval") or {}
    logger.info("executing approved request", extra={"executionId": execution_id, "approver": approval.get("approver")})
    result = execute_request(execution_id, request, approval)
    logger.info("request executed", extra={"executionId": execution_id})
    return result


def execute_request(execution_id, request, approval):
    """Does the approved work (at most 15 min) and returns a JSON-serialisable result (the workflow keeps it)."""
    # BUSINESS LOGIC: do the approved work here; raise TransientError for a failure worth retrying.
    return {"executionId": execution_id, "approvedBy": approval.get("approver"), "requestFields": sorted(request)}
