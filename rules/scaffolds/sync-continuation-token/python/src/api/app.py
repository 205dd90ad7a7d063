"""API: long work in short calls, resumed with a continuation token ({{patternName}}).

A call does the work in steps while the time budget allows: the smaller of the function's remaining time
(context.get_remaining_time_in_millis()) and API Gateway's 29 s window, minus SAFETY_SECONDS. A step starts
only while at least MAX_STEP_SECONDS are left. If the work is not finished the progress is saved in
DynamoDB (with a TTL) and the caller gets {"status": "in_progress", "continuationToken": ...}; it calls again
with {"continuationToken": ...} and the next call resumes where the last one stopped. The final call answers
{"status": "complete", "result": ...} and deletes the saved state.

A token is leased while a call works on it, so two calls with the same token never run the same step twice.
"""
import base64
import json
import logging
import os
import secrets
import time

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
API_WINDOW_SECONDS = float(os.environ.get("API_WINDOW_SECONDS", "29"))
SAFETY_SECONDS = float(os.environ.get("SAFETY_SECONDS", "2"))
MAX_STEP_SECONDS = float(os.environ.get("MAX_STEP_SECONDS", "5"))
TOKEN_TTL_SECONDS = int(os.environ.get("TOKEN_TTL_SECONDS", "3600"))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
clock = time.monotonic


def lambda_handler(event, context):
    started = clock()

    def time_left():
        window_left = API_WINDOW_SECONDS - (clock() - started)
        return min(context.get_remaining_time_in_millis() / 1000, window_left) - SAFETY_SECONDS

    try:
        body = parse_body(event)
        token = body.get("continuationToken")
        if token is None:
            job = {"input": body, "cursor": None, "partial": None, "steps": 0}
        elif isinstance(token, str) and token:
            job = claim(token)
        else:
            raise BadRequest("continuationToken must be a non-empty string")
    except BadRequest as exc:
        return respond(400, {"error": str(exc)})
    except TokenGone:
        return respond(410, {"error": "continuation token unknown or expired; start the job again"})
    except TokenBusy:
        return respond(409, {"error": "another call is working on this token; retry in a few seconds"})

    done = False
    try:
        while time_left() >= MAX_STEP_SECONDS:
            job["cursor"], job["partial"], done = run_step(job["input"], job["cursor"], job["partial"])
            job["steps"] += 1
            if done:
                break
    except BadRequest as exc:
        if token:
            table.delete_item(Key={"token": token})
        return respond(400, {"error": str(exc)})
    except Exception:  # noqa: BLE001 - keep the saved progress; the client may retry the same token
        logger.exception("step failed", extra={"steps": job["steps"]})
        if token:
            release(token)
        return respond(500, {"error": "internal error", "requestId": context.aws_request_id})

    if done:
        if token:
            table.delete_item(Key={"token": token})
        logger.info("job complete", extra={"steps": job["steps"]})
        return respond(200, {"status": "complete", "result": job["partial"], "steps": job["steps"]})

    token = save(token, job)
    logger.info("job continues", extra={"steps": job["steps"], "cursor": json.dumps(job["cursor"])})
    return respond(200, {"status": "in_progress", "continuationToken": token, "steps": job["steps"]})


def run_step(job_input, cursor, partial):
    """One bounded step (at most MAX_STEP_SECONDS). Returns (next cursor, partial result, done).

    `cursor` and `partial` are None on the first step and whatever you returned (JSON-serialisable) afterwards.
    Steps must be safe to repeat: a call that dies after a step but before saving repeats that step.
    """
    # BUSINESS LOGIC: do one step of the work here and report where to continue (raise BadRequest to reject the input).
    items = job_input.get("items")
    if not isinstance(items, list):
        raise BadRequest("items must be a list")
    index = cursor or 0
    partial = partial or {"processed": 0, "characters": 0}
    if index < len(items):
        partial = {"processed": partial["processed"] + 1, "characters": partial["characters"] + len(str(items[index]))}
        index += 1
    return index, partial, index >= len(items)


class BadRequest(Exception):
    """Answered with 400."""


class TokenGone(Exception):
    """Unknown or expired token: answered with 410."""


class TokenBusy(Exception):
    """Another call holds the token's lease: answered with 409."""


def claim(token):
    """Leases the saved job for this call and returns it."""
    now = int(time.time())
    try:
        item = table.update_item(
            Key={"token": token},
            UpdateExpression="SET leaseUntil = :lease",
            ConditionExpression="attribute_exists(#token) AND expiresAt > :now "
            "AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
            ExpressionAttributeNames={"#token": "token"},
            ExpressionAttributeValues={":lease": now + int(API_WINDOW_SECONDS) + 1, ":now": now},
            ReturnValues="ALL_NEW",
        )["Attributes"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        existing = table.get_item(Key={"token": token}, ConsistentRead=True).get("Item")
        if existing is None or existing["expiresAt"] <= now:
            raise TokenGone() from None
        raise TokenBusy() from None
    return {
        "input": json.loads(item["input"]),
        "cursor": json.loads(item["cursor"]),
        "partial": json.loads(item["partial"]),
        "steps": int(item["steps"]),
    }


def save(token, job):
    """Stores the progress (a new token on the first call) and releases the lease."""
    now = int(time.time())
    state = {
        ":cursor": json.dumps(job["cursor"]),
        ":partial": json.dumps(job["partial"]),
        ":steps": job["steps"],
        ":now": now,
        ":expires": now + TOKEN_TTL_SECONDS,
    }
    if token is None:
        token = secrets.token_urlsafe(24)  # unguessable: the token is the only key to the job
        table.put_item(
            Item={
                "token": token,
                "input": json.dumps(job["input"]),
                "cursor": state[":cursor"],
                "partial": state[":partial"],
                "steps": job["steps"],
                "createdAt": now,
                "updatedAt": now,
                "expiresAt": state[":expires"],
            },
            ConditionExpression="attribute_not_exists(#token)",
            ExpressionAttributeNames={"#token": "token"},
        )
        return token
    table.update_item(
        Key={"token": token},
        UpdateExpression="SET #cursor = :cursor, #partial = :partial, steps = :steps, updatedAt = :now, "
        "expiresAt = :expires REMOVE leaseUntil",
        ExpressionAttributeNames={"#cursor": "cursor", "#partial": "partial"},
        ExpressionAttributeValues=state,
    )
    return token


def release(token):
    table.update_item(Key={"token": token}, UpdateExpression="REMOVE leaseUntil")


def parse_body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
