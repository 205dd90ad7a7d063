"""API: accepts an order and starts its durable execution asynchronously; answers 202 Accepted.

POST /orders -> Invoke(FunctionName=<the workflow's live alias>, InvocationType="Event", DurableExecutionName=<id>)

InvocationType Event is what lets the execution run past 15 minutes (up to DurableConfig.ExecutionTimeout); a
synchronous invoke would wait for the whole execution and be capped at 15 minutes. The alias is required: an
unqualified function ARN cannot start a durable execution. The execution name is the Idempotency-Key (or a new
id): Lambda answers a retry with the same name and payload with the existing execution instead of a second one.
"""
import base64
import json
import logging
import os
import re
import uuid

import boto3
from botocore.exceptions import ClientError

WORKFLOW_FUNCTION = os.environ["WORKFLOW_FUNCTION"]
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
lambda_client = boto3.client("lambda")


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


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
