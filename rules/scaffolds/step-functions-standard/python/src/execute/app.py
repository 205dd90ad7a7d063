"""The work, run once a person has approved the request ({{patternName}}).

The Standard workflow invokes this function after the approval (and after waiting until the approver's
notBefore time, when one was given). Step Functions retries transient Lambda errors and TransientError with
backoff; anything else goes to HandleFailure. A retry invokes the function again, so keep side effects
idempotent on the execution id (for example a conditional write keyed by it).
{{#if triggerEvent}}

The request is the EventBridge "Object Created" event S3 sent for an upload under incoming/ (upload_of names
the object).
{{/if}}
{{#if triggerSchedule}}

The request is what EventBridge Scheduler sent for one run: its scheduled time, the schedule's ARN, the
execution id and the attempt.
{{/if}}
{{#if webhook}}

The request is the verified delivery of the sender ({{sender}}): {"sender", "deliveryId", "payload"{{#if senderSlackCommand}}, "responseUrl"{{/if}}}.
{{/if}}
{{#if senderSlackCommand}}
A slash command gets its late answer when the work is done, posted to its response_url; Slack takes answers
there for 30 minutes only, so after a long approval the post fails and is logged, and the work still counts.
{{/if}}
"""
import logging
import os
{{#if senderSlackCommand}}

import webhook_auth
{{/if}}

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
{{#if senderSlackCommand}}
    if request.get("responseUrl"):
        try:
            webhook_auth.post_late_answer(request["responseUrl"], {"response_type": "ephemeral", "text": f"Done: {result}"})
        except Exception as err:  # an expired response_url must not fail work that is done
            logger.warning("late answer not posted", extra={"executionId": execution_id, "reason": str(err)})
{{/if}}
    return result


def execute_request(execution_id, request, approval):
    """Does the approved work (at most 15 min) and returns a JSON-serialisable result (the workflow keeps it)."""
{{#if triggerEvent}}
    upload = upload_of(request)
    # BUSINESS LOGIC: do the approved work on the object here (grant ExecuteFunction s3:GetObject to read it);
    # raise TransientError for a failure worth retrying.
    return {"executionId": execution_id, "approvedBy": approval.get("approver"), "object": f"s3://{upload['bucket']}/{upload['key']}"}


def upload_of(event):
    """The object an S3 "Object Created" event (through EventBridge) names."""
    detail = event.get("detail") or {}
    obj = detail.get("object") or {}
    return {"bucket": (detail.get("bucket") or {}).get("name"), "key": obj.get("key"), "size": obj.get("size"), "etag": obj.get("etag")}
{{/if}}
{{#if triggerSchedule}}
    # BUSINESS LOGIC: do the approved periodic work here (the run of request["scheduledTime"]); raise
    # TransientError for a failure worth retrying.
    return {"executionId": execution_id, "approvedBy": approval.get("approver"), "scheduledTime": request.get("scheduledTime")}
{{/if}}
{{#if webhook}}
    # BUSINESS LOGIC: do the approved work the delivery asks for here; raise TransientError for a failure worth retrying.
    return {"executionId": execution_id, "approvedBy": approval.get("approver"), "deliveryId": request.get("deliveryId"),
            "payloadFields": sorted(request.get("payload") or {})}
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
    # BUSINESS LOGIC: do the approved work here; raise TransientError for a failure worth retrying.
    return {"executionId": execution_id, "approvedBy": approval.get("approver"), "requestFields": sorted(request)}
{{/unless}}
{{/if}}
