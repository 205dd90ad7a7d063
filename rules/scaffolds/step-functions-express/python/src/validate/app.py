"""Workflow step 1: validates and normalises the {{#if triggerEvent}}uploaded object{{else}}{{#if triggerSchedule}}scheduled run{{else}}{{#if webhook}}webhook delivery{{else}}request{{/if}}{{/if}}{{/if}} ({{patternName}}).

Raising ValidationError ends the execution as REJECTED: the state machine catches the error by its name
(the exception's class name), records it and stops without retrying. Any other exception is retried only if
it is a transient Lambda service error, then recorded as FAILED.
{{#if triggerEvent}}

The input is the EventBridge "Object Created" event S3 sent for an upload under incoming/ (the rule passes it
whole as `input`, and names the request bucket/key@ETag, so a repeated event for one upload is one request).
{{/if}}
{{#if triggerSchedule}}

The input is what EventBridge Scheduler sends on every run: the scheduled time, the schedule's ARN, the
execution id and the attempt. The request id is the scheduled time, so a retried delivery is the same run.
{{/if}}
{{#if webhook}}

The input is the payload the sender ({{sender}}) signed, already verified by ApiFunction; the request id is the
sender's delivery id.
{{/if}}
"""
import logging
import os
{{#if triggerSchedule}}
from datetime import datetime
{{/if}}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
{{#if triggerEvent}}
PREFIX = os.environ.get("INPUT_PREFIX", "incoming/")
{{/if}}


class ValidationError(Exception):
    """The {{#if triggerEvent}}object{{else}}{{#if triggerSchedule}}run{{else}}request{{/if}}{{/if}} cannot be processed; Step Functions sees the error name "ValidationError"."""


def lambda_handler(event, context):
    request_id = event["requestId"]
{{#if triggerEvent}}
    work = validate_upload(event.get("input") or {})
{{/if}}
{{#if triggerSchedule}}
    work = validate_run(event.get("input") or {})
{{/if}}
{{#if webhook}}
    work = validate_delivery(event.get("input") or {})
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
    work = validate_order(event.get("input") or {})
{{/unless}}
{{/if}}
    logger.info("request valid", extra={"requestId": request_id})
{{#if senderSlackCommand}}
    # the slash command's response_url rides along: ProcessFunction posts the late answer there
    return {"requestId": request_id, "work": work, "responseUrl": event.get("responseUrl")}
{{else}}
    return {"requestId": request_id, "work": work}
{{/if}}
{{#if triggerEvent}}


def validate_upload(event):
    """Returns the object to process from an S3 "Object Created" event; raise ValidationError to reject it."""
    if event.get("source") != "aws.s3" or event.get("detail-type") != "Object Created":
        raise ValidationError("not an S3 Object Created event")
    detail = event.get("detail") or {}
    bucket = (detail.get("bucket") or {}).get("name")
    obj = detail.get("object") or {}
    key = obj.get("key")
    if not bucket or not key:
        raise ValidationError("the event names no bucket or key")
    if not key.startswith(PREFIX) or key.endswith("/"):
        raise ValidationError(f"{key} is not an object under {PREFIX}")
    # BUSINESS LOGIC: check the upload here (its key, size, type) before the work starts.
    return {"bucket": bucket, "key": key, "size": int(obj.get("size", 0)), "etag": str(obj.get("etag", ""))}
{{/if}}
{{#if triggerSchedule}}


def validate_run(run):
    """Returns the run to do from the Scheduler input; raise ValidationError to reject it."""
    scheduled = run.get("scheduledTime")
    try:
        at = datetime.fromisoformat(str(scheduled).replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"scheduledTime {scheduled!r} is not an ISO 8601 time") from None
    # BUSINESS LOGIC: decide what this run covers here (e.g. the period that ended at the scheduled time).
    return {"scheduledTime": at.isoformat().replace("+00:00", "Z"), "attempt": int(run.get("attempt") or 1)}
{{/if}}
{{#if webhook}}


def validate_delivery(payload):
    """Returns what the work needs from the sender's payload; raise ValidationError for a delivery you ignore."""
    if not isinstance(payload, dict) or not payload:
        raise ValidationError("the delivery has no payload")
    # BUSINESS LOGIC: pick the fields the work needs here (raise ValidationError for events you do not handle).
    return payload
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}


def validate_order(order):
    """Returns the normalised order; raise ValidationError with a message the client may see."""
    # BUSINESS LOGIC: check and normalise the request here.
    items = order.get("items")
    if not isinstance(items, list) or not items:
        raise ValidationError("items must be a non-empty list")
    for item in items:
        if not isinstance(item, dict) or not item.get("sku") or int(item.get("quantity", 0)) < 1:
            raise ValidationError("every item needs a sku and a quantity >= 1")
    return {"customerId": str(order.get("customerId", "")), "items": [{"sku": str(i["sku"]), "quantity": int(i["quantity"])} for i in items]}
{{/unless}}
{{/if}}
