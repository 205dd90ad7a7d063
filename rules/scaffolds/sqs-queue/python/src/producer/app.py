"""Producer: the API front door. Validates a task, queues it, answers 202 Accepted with its id.

The caller keeps the task id; the worker uses it as the idempotency key, so a client that retries with
the same `Idempotency-Key` header gets the same task id and the task still runs once.
"""
import base64
import json
import logging
import os
import re
import time
import uuid

import boto3

QUEUE_URL = os.environ["QUEUE_URL"]
MAX_MESSAGE_BYTES = 1024 * 1024  # SQS maximum message size (1 MiB); bigger payloads belong in S3
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
sqs = boto3.client("sqs")


def lambda_handler(event, context):
    try:
        payload = validate_task(parse_body(event))
        task_id = task_id_for(event)
    except ValueError as exc:
        return response(400, {"error": str(exc)})

    body = json.dumps({"taskId": task_id, "submittedAt": int(time.time()), "payload": payload})
    if len(body.encode("utf-8")) > MAX_MESSAGE_BYTES:
        return response(413, {"error": "task is larger than 1 MiB; upload it to S3 and queue its key"})

    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=body)
    logger.info("task queued", extra={"taskId": task_id})
    return response(202, {"taskId": task_id, "status": "queued"})


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
