{{#if webhook}}
"""Producer: the webhook's front door. Checks the sender's signature, queues the delivery as a task, answers 200.

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The sender's delivery id becomes the task id: the worker uses it as the
idempotency key, so a redelivery (senders retry when the answer is slow or lost) is queued again but runs once.
"""
{{else}}
"""Producer: the API front door. Validates a task, queues it, answers 202 Accepted with its id.

The caller keeps the task id; the worker uses it as the idempotency key, so a client that retries with
the same `Idempotency-Key` header gets the same task id and the task still runs once.
"""
{{/if}}
import base64
import json
import logging
import os
import re
import time
import uuid

import boto3
{{#if webhook}}

import webhook_auth
{{/if}}

QUEUE_URL = os.environ["QUEUE_URL"]
{{#if webhook}}
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
{{/if}}
MAX_MESSAGE_BYTES = 1024 * 1024  # SQS maximum message size (1 MiB); bigger payloads belong in S3
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
sqs = boto3.client("sqs")


def lambda_handler(event, context):
{{#if webhook}}
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return response(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return response(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no task
    try:
        payload = validate_task(delivery.payload)
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    task_id = delivery.id  # the sender's delivery id: a redelivery is the same task
    task = {"taskId": task_id, "submittedAt": int(time.time()), "payload": payload}
    if delivery.response_url:
        task["responseUrl"] = delivery.response_url  # a slash command: the worker posts the late answer there
{{else}}
    try:
        payload = validate_task(parse_body(event))
        task_id = task_id_for(event)
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    task = {"taskId": task_id, "submittedAt": int(time.time()), "payload": payload}
{{/if}}

    body = json.dumps(task)
    if len(body.encode("utf-8")) > MAX_MESSAGE_BYTES:
        return response(413, {"error": "task is larger than 1 MiB; upload it to S3 and queue its key"})

    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=body)
    logger.info("task queued", extra={"taskId": task_id})
{{#if webhook}}
    return response(200, {**webhook_auth.acknowledgement(delivery), "taskId": task_id})
{{else}}
    return response(202, {"taskId": task_id, "status": "queued"})
{{/if}}


def validate_task(payload):
    """Checks a task before it is queued; raise ValueError to answer 400 Bad Request."""
    # BUSINESS LOGIC: validate or enrich the task payload here (the worker receives what this returns).
    return payload


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


def task_id_for(event):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return str(uuid.uuid4())
    if not IDEMPOTENCY_KEY.match(key):
        raise ValueError("Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -")
    return key


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
