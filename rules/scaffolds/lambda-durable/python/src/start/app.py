{{#if triggerEvent}}
"""Starter: S3 invokes this asynchronously for every object created in the uploads bucket; each object starts
one durable execution asynchronously through the workflow's alias.

S3 record -> Invoke(FunctionName=<the workflow's live alias>, InvocationType="Event", DurableExecutionName=<name>)

InvocationType Event is what lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout). The
execution name is the object's identity (bucket, key and S3's sequencer, hashed to the 64 characters Lambda
allows): a redelivered S3 event names the same execution, and Lambda answers the same name and payload with the
existing execution instead of a second one. A start that fails raises: Lambda retries the S3 event, then sends it
to the on-failure destination.
"""
{{/if}}
{{#if triggerSchedule}}
"""Starter: EventBridge Scheduler invokes this on the schedule; each scheduled time starts one durable execution
asynchronously through the workflow's alias.

Scheduler -> Invoke(FunctionName=<the workflow's live alias>, InvocationType="Event", DurableExecutionName=run-<time>)

InvocationType Event is what lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout). The
execution name is the scheduled time (the same on every retry of one run): a Scheduler retry, or a duplicate
delivery, names the same execution and starts nothing new. A start that fails raises: Lambda retries, then sends
the event to the on-failure destination.
"""
{{/if}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
"""The webhook's front door: checks the sender's signature, starts one durable execution per delivery
asynchronously through the workflow's alias, answers 200 at once.

POST /webhook -> Invoke(FunctionName=<the workflow's live alias>, InvocationType="Event", DurableExecutionName=<delivery>)

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The sender's delivery id names the execution (hashed when it does not fit
the 64 characters of A-Z a-z 0-9 _ - Lambda allows): a redelivery (senders retry when the answer is slow or lost)
names the same execution, which Lambda does not start twice. A start that fails is 503, so the sender retries.
"""
{{else}}
"""API: accepts an order and starts its durable execution asynchronously; answers 202 Accepted.

POST /orders -> Invoke(FunctionName=<the workflow's live alias>, InvocationType="Event", DurableExecutionName=<id>)

InvocationType Event is what lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout); a
synchronous invoke would wait for the whole execution and be capped at 15 minutes. The alias is required: an
unqualified function ARN cannot start a durable execution. The execution name is the Idempotency-Key (or a new
id): Lambda answers a retry with the same name and payload with the existing execution instead of a second one.
"""
{{/if}}
{{/unless}}
{{/unless}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
import base64
{{/unless}}
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
import hashlib
{{/unless}}
{{/unless}}
{{#if webhook}}
import hashlib
{{/if}}
import json
import logging
import os
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
import re
{{#unless webhook}}
import uuid
{{/unless}}
{{/unless}}
{{/unless}}
{{#if triggerEvent}}
import urllib.parse
{{/if}}

import boto3
from botocore.exceptions import ClientError
{{#if webhook}}

import webhook_auth
{{/if}}

WORKFLOW_FUNCTION = os.environ["WORKFLOW_FUNCTION"]
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
{{#if webhook}}
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
{{/if}}
{{/unless}}
{{/unless}}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
lambda_client = boto3.client("lambda")


{{#if triggerEvent}}
def lambda_handler(event, context):
    """One execution per object created; S3's s3:TestEvent and other event types start none."""
    started = []
    for name, order in orders_of(event):
        started.append(start(name, validate_order(order)))
    return {"started": started}


def orders_of(event):
    """(execution name, order) of each object the event names: S3 notification records, or an EventBridge
    "Object Created" event (the bucket's EventBridge switch, README)."""
    if event.get("source") == "aws.s3":
        detail = event.get("detail") or {}
        objects = [(detail.get("bucket", {}).get("name", ""), detail.get("object") or {}, False)]
    else:
        objects = [
            (record["s3"]["bucket"]["name"], record["s3"]["object"], True)
            for record in event.get("Records", [])
            if record.get("eventSource") == "aws:s3" and record.get("eventName", "").startswith("ObjectCreated:")
        ]
    orders = []
    for bucket, obj, encoded in objects:
        # A notification's key is URL-encoded (a space arrives as "+"); EventBridge's is not.
        key = urllib.parse.unquote_plus(obj["key"]) if encoded else obj["key"]
        # The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
        identity = f"{bucket}/{key}#{obj.get('sequencer', '')}"
        name = "s3-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]
        orders.append((name, {"orderId": name, "bucket": bucket, "key": key, "size": obj.get("size", 0)}))
    return orders


{{/if}}
{{#if triggerSchedule}}
def lambda_handler(event, context):
    """One execution per scheduled time (Scheduler's <aws.scheduler.scheduled-time>, the same on every retry)."""
    scheduled = str(event.get("scheduledTime") or "")
    if not scheduled:
        raise ValueError("no scheduledTime: the schedule's Input must carry <aws.scheduler.scheduled-time>")
    # 2024-06-01T12:00:00Z -> run-20240601T120000Z (a name is 1-64 of A-Z a-z 0-9 _ -)
    name = "run-" + "".join(c for c in scheduled if c.isalnum())
    if len(name) > 64:
        name = "run-" + hashlib.sha256(scheduled.encode("utf-8")).hexdigest()[:40]
    return start(name, validate_order({"orderId": name, "scheduledTime": scheduled}))


{{/if}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
def start(name, order):
    """Starts the execution named `name`; one already started under that name is not started again."""
    try:
        result = lambda_client.invoke(
            FunctionName=WORKFLOW_FUNCTION,
            InvocationType="Event",
            DurableExecutionName=name,
            Payload=json.dumps(order).encode("utf-8"),
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "DurableExecutionAlreadyStartedException":
            raise  # Lambda retries this event, then sends it to the on-failure destination
        logger.info("execution already started", extra={"executionName": name})
        return {"executionName": name, "duplicate": True}
    logger.info("execution started", extra={"executionName": name})
    return {"executionName": name, "executionArn": result.get("DurableExecutionArn", "")}


def validate_order(order):
    """Checks an order before its execution starts; raise to fail this start (Lambda retries, then parks it)."""
    # BUSINESS LOGIC: cheap checks before starting (shape, size); the workflow's validate step does the rest.
    return order
{{/unless}}
{{/unless}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
def lambda_handler(event, context):
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return response(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return response(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no execution
    name = execution_name_of(delivery.id)
    try:
        order = validate_order({"orderId": name, "sender": SENDER, "delivery": delivery.payload})
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    if delivery.response_url:
        order["responseUrl"] = delivery.response_url  # a slash command: the workflow posts the late answer there
    try:
        lambda_client.invoke(
            FunctionName=WORKFLOW_FUNCTION,
            InvocationType="Event",
            DurableExecutionName=name,
            Payload=json.dumps(order).encode("utf-8"),
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "DurableExecutionAlreadyStartedException":
            logger.exception("could not start the execution", extra={"executionName": name})
            return response(503, {"error": "could not start the workflow; retry later"})  # the sender retries
        logger.info("redelivery: the execution was started already", extra={"executionName": name})
    else:
        logger.info("execution started", extra={"executionName": name})
    return response(200, {**webhook_auth.acknowledgement(delivery), "executionName": name})


def execution_name_of(delivery_id):
    """The delivery id as an execution name: 1-64 of A-Z a-z 0-9 _ -, else its SHA-256 (a Slack trigger_id has dots)."""
    if IDEMPOTENCY_KEY.match(delivery_id):
        return delivery_id
    return "wh-" + hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:40]


def validate_order(order):
    """Checks a delivery before its execution starts; raise ValueError to answer 400 Bad Request."""
    # BUSINESS LOGIC: cheap checks of the delivery (its event type, size); the workflow's validate step does the rest.
    return order
{{else}}
def lambda_handler(event, context):
    try:
        order = validate_order(parse_body(event))
        name = execution_name(event)
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    order.setdefault("orderId", name)
    try:
        result = lambda_client.invoke(
            FunctionName=WORKFLOW_FUNCTION,
            InvocationType="Event",
            DurableExecutionName=name,
            Payload=json.dumps(order).encode("utf-8"),
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "DurableExecutionAlreadyStartedException":
            # Same name, different payload. (Same name and payload returns the existing execution: a plain 202.)
            return response(409, {"error": f"Idempotency-Key {name!r} already started a different order"})
        logger.exception("could not start the execution", extra={"executionName": name})
        return response(503, {"error": "could not start the workflow; retry later"})
    logger.info("execution started", extra={"executionName": name})
    body = {"executionName": name, "status": "RUNNING"}
    if result.get("DurableExecutionArn"):
        body["executionArn"] = result["DurableExecutionArn"]
    return response(202, body)


def validate_order(order):
    """Checks an order before its execution starts; raise ValueError to answer 400 Bad Request."""
    # BUSINESS LOGIC: cheap checks before starting (shape, size); the workflow's validate step does the rest.
    return order


def parse_body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ValueError("body must be a JSON object")
    return payload


def execution_name(event):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return str(uuid.uuid4())
    if not IDEMPOTENCY_KEY.match(key):
        raise ValueError("Idempotency-Key must be 1-64 characters of A-Z a-z 0-9 _ -")
    return key

{{/if}}


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
{{/unless}}
{{/unless}}
