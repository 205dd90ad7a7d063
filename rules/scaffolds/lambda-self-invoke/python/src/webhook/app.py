"""{{name}}: webhook that acks at once and invokes itself for the slow work (async-advisor {{advisorVersion}}).

Webhook leg (function URL): verify the Slack-style HMAC signature, drop repeats of an event id, answer 200
within the sender's deadline, and invoke THIS function with InvocationType "Event" and {"asyncLeg": true}.
Async leg (that self-invocation): claim the event id, run process_event(), record done. Lambda retries a
failed async leg (MaximumRetryAttempts), then sends it to the on-failure destination.
"""
import base64
import hashlib
import hmac
import json
import os
import time

import boto3
from botocore.exceptions import ClientError

SIGNING_SECRET = os.environ["SIGNING_SECRET"]
TABLE_NAME = os.environ["IDEMPOTENCY_TABLE"]
MAX_CLOCK_SKEW_SECONDS = int(os.environ.get("MAX_CLOCK_SKEW_SECONDS", "300"))
MAX_ATTEMPTS = int(os.environ.get("MAX_ATTEMPTS", "3"))


def process_event(payload):
    """The slow work for one webhook event (up to the function's 15 minutes). `payload` is the sender's JSON."""
    # BUSINESS LOGIC: replace this demo with the slow work (call a model, build a report) and deliver the
    # answer back to the sender's system (Slack chat.postMessage or the response_url). It may run again
    # after a failure, so make external effects idempotent (e.g. keyed by the event id).
    event = payload.get("event", {})
    reply = f"Processed {event.get('type', 'event')}: {event.get('text', '')[:100]}"
    log("INFO", "reply ready", channel=event.get("channel"), reply=reply)
    return {"reply": reply}


# ---- plumbing below: signature, idempotency, self-invocation, async leg ---------------------------------

ASYNC_MARKER = "asyncLeg"
QUEUED, PROCESSING, DONE, FAILED = "queued", "processing", "done", "failed"
_clients = {}


def _lambda():
    if "lambda" not in _clients:
        _clients["lambda"] = boto3.client("lambda")
    return _clients["lambda"]


def _table():
    if "table" not in _clients:
        _clients["table"] = boto3.resource("dynamodb").Table(TABLE_NAME)
    return _clients["table"]


def log(level, message, **fields):
    print(json.dumps({"level": level, "message": message, **fields}, default=str))


def _conditional_failed(err):
    return err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}


def verify_signature(headers, raw_body, now=None):
    """Slack's scheme: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"), timestamp within MAX_CLOCK_SKEW_SECONDS."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not timestamp.isdigit() or not signature:
        return False
    if abs((now or time.time()) - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return False  # a replayed request
    base = f"v0:{timestamp}:{raw_body}".encode()
    expected = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def webhook_leg(event, context):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    if not verify_signature(headers, raw):
        log("WARN", "rejected: bad or missing signature")
        return response(401, {"error": "invalid signature"})
    try:
        payload = json.loads(raw)
    except ValueError:
        return response(400, {"error": "body must be JSON"})
    if payload.get("type") == "url_verification":
        return response(200, {"challenge": payload.get("challenge")})

    event_id = payload.get("event_id") or "sha256:" + hashlib.sha256(raw.encode()).hexdigest()
    try:
        _table().put_item(
            Item={"eventId": event_id, "status": QUEUED, "receivedAt": int(time.time()),
                  "expiresAt": int(time.time()) + 7 * 86400},
            ConditionExpression="attribute_not_exists(eventId)",
        )
    except ClientError as err:
        if not _conditional_failed(err):
            raise
        log("INFO", "repeated delivery; already accepted", eventId=event_id,
            retryNum=headers.get("x-slack-retry-num"))
        return response(200, {"ok": True, "duplicate": True})

    try:
        _lambda().invoke(
            FunctionName=context.function_name,  # this very function
            InvocationType="Event",  # queue it and return 202 at once; never RequestResponse here
            Payload=json.dumps({ASYNC_MARKER: True, "eventId": event_id, "payload": payload}),
        )
    except Exception as err:
        # not handed off: forget the event id so the sender's retry is accepted
        _table().delete_item(Key={"eventId": event_id})
        log("ERROR", "self-invoke failed", eventId=event_id, error=repr(err))
        return response(500, {"error": "try again"})
    log("INFO", "accepted; async leg invoked", eventId=event_id)
    return response(200, {"ok": True})


def claim(event_id, attempt_id, lease_until_ms):
    """queued -> processing (or take over an expired claim). Returns the attempt number, or None."""
    now_ms = int(time.time() * 1000)
    try:
        res = _table().update_item(
            Key={"eventId": event_id},
            UpdateExpression=("SET #status = :processing, attemptId = :attempt, leaseUntil = :lease, "
                              "attempts = if_not_exists(attempts, :zero) + :one"),
            ConditionExpression="#status = :queued OR (#status = :processing AND leaseUntil < :now)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":processing": PROCESSING, ":queued": QUEUED, ":attempt": attempt_id,
                                       ":lease": lease_until_ms, ":now": now_ms, ":zero": 0, ":one": 1},
            ReturnValues="ALL_NEW",
        )
        return int(res["Attributes"]["attempts"])
    except ClientError as err:
        if _conditional_failed(err):
            return None
        raise


def settle(event_id, attempt_id, status, error=None):
    """processing -> done | failed | queued (release for a retry), only by the attempt holding the claim."""
    values = {":status": status, ":processing": PROCESSING, ":attempt": attempt_id,
              ":now": int(time.time())}
    update = "SET #status = :status, settledAt = :now"
    if error is not None:
        update += ", lastError = :error"
        values[":error"] = str(error)[:1000]
    try:
        _table().update_item(
            Key={"eventId": event_id},
            UpdateExpression=update + " REMOVE leaseUntil",
            ConditionExpression="#status = :processing AND attemptId = :attempt",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )
    except ClientError as err:
        if not _conditional_failed(err):
            raise


def async_leg(event, context):
    event_id = event["eventId"]
    attempt_id = context.aws_request_id
    lease_until = int(time.time() * 1000) + context.get_remaining_time_in_millis() + 5000
    attempt = claim(event_id, attempt_id, lease_until)
    if attempt is None:
        log("INFO", "event already processed or in progress; skipping duplicate", eventId=event_id)
        return {"status": "duplicate"}
    try:
        result = process_event(event["payload"])
    except Exception as err:
        last = attempt >= MAX_ATTEMPTS
        settle(event_id, attempt_id, FAILED if last else QUEUED, error=repr(err))
        log("ERROR", "async leg failed", eventId=event_id, attempt=attempt, final=last, error=repr(err))
        raise  # Lambda retries the async invocation, then sends it to the on-failure destination
    settle(event_id, attempt_id, DONE)
    log("INFO", "event processed", eventId=event_id, attempt=attempt)
    return {"status": "done", "result": result}


def handler(event, context):
    # Only a direct Invoke can put a top-level key into the event: requests through the function URL
    # arrive wrapped (headers, body, requestContext), so a caller cannot forge the marker.
    if isinstance(event, dict) and event.get(ASYNC_MARKER) is True:
        return async_leg(event, context)
    return webhook_leg(event, context)
