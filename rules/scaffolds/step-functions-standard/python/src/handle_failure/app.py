"""The workflow's Catch target: records and reports why an execution failed ({{patternName}}).

Step Functions passes {"executionId": ..., "error": {"Error": ..., "Cause": ...}}. For a Lambda error the
Cause is itself JSON ({"errorMessage", "errorType", "stackTrace"}); for States.Timeout and service errors it
is plain text. After this function the execution ends in the Fail state "Failed".
"""
import json
import logging
import os

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def lambda_handler(event, context):
    failure = describe(event.get("executionId", ""), event.get("error") or {})
    logger.error("workflow failed", extra=failure)
    report_failure(failure)
    return failure


def report_failure(failure):
    """Tells someone: `failure` has executionId, error, errorType and errorMessage."""
    # BUSINESS LOGIC: notify the team or the requester here (SNS, e-mail, a ticket); the sample only logs.
    return None


def describe(execution_id, error):
    cause = error.get("Cause", "")
    try:
        detail = json.loads(cause)
    except (TypeError, ValueError):
        detail = None
    if isinstance(detail, dict):
        message = str(detail.get("errorMessage", cause))
        error_type = str(detail.get("errorType", error.get("Error", "")))
    else:
        message, error_type = str(cause), str(error.get("Error", ""))
    return {"executionId": execution_id, "error": error.get("Error", "Unknown"), "errorType": error_type, "errorMessage": message}
