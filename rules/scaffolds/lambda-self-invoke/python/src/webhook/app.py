"""{{name}}: webhook that acks at once and invokes itself for the slow work (async-advisor {{advisorVersion}}).

Webhook leg (function URL): verify the sender's signature (webhook_auth.py, WEBHOOK_SENDER: {{sender}}), drop
repeats of the sender's delivery id, answer 200 within the sender's deadline, and invoke THIS function with
InvocationType "Event" and {"asyncLeg": true}. Async leg (that self-invocation): claim the delivery id, run
process_event(), record done; a slash command's answer goes to its response_url. Lambda retries a failed async
leg (MaximumRetryAttempts), then sends it to the on-failure destination.
"""
import json
import os
import time

import boto3
from botocore.exceptions import ClientError

import webhook_auth

SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
TABLE_NAME = os.environ["IDEMPOTENCY_TABLE"]
MAX_CLOCK_SKEW_SECONDS = int(os.environ.get("MAX_CLOCK_SKEW_SECONDS", "300"))
MAX_ATTEMPTS = int(os.environ.get("MAX_ATTEMPTS", "3"))


def process_event(payload):
    """The slow work for one webhook delivery (up to the function's 15 minutes). `payload` is the sender's
    body: its JSON object, or a slash command's form fields. A returned "reply" is posted to a slash command's
    response_url."""
    # BUSINESS LOGIC: replace this demo with the slow work (call a model, build a report) and deliver the
    # answer back to the sender's system (Slack chat.postMessage, a GitHub check). It may run again
    # after a failure, so make external effects idempotent (e.g. keyed by the delivery id).
    event = payload.get("event", {}) if isinstance(payload.get("event"), dict) else {}
    text = payload.get("text") if isinstance(payload.get("text"), str) else event.get("text", "")
    reply = f"Processed {payload.get('command') or event.get('type') or payload.get('type') or 'event'}: {text[:100]}"
    log("INFO", "reply ready", channel=event.get("channel") or payload.get("channel_id"), reply=reply)
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


def webhook_leg(event, context):
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, tolerance=MAX_CLOCK_SKEW_SECONDS,
                                       header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        log("WARN", "rejected", sender=SENDER, status=err.status, reason=str(err))
        return response(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return response(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no work
    headers = webhook_auth.headers_of(event)
    event_id, payload = delivery.id, delivery.payload
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
        return response(200, {**webhook_auth.acknowledgement(delivery), "duplicate": True})

    try:
        _lambda().invoke(
            FunctionName=context.function_name,  # this very function
            InvocationType="Event",  # queue it and return 202 at once; never RequestResponse here
            Payload=json.dumps(async_event(event_id, payload, delivery.response_url)),
        )
    except Exception as err:
        # not handed off: forget the event id so the sender's retry is accepted
        _table().delete_item(Key={"eventId": event_id})
        log("ERROR", "self-invoke failed", eventId=event_id, error=repr(err))
        return response(500, {"error": "try again"})
    log("INFO", "accepted; async leg invoked", eventId=event_id)
    return response(200, webhook_auth.acknowledgement(delivery))


def async_event(event_id, payload, response_url=None):
    """The self-invocation's payload; a slash command's response_url rides along for the late answer."""
    event = {ASYNC_MARKER: True, "eventId": event_id, "payload": payload}
    if response_url:
        event["responseUrl"] = response_url
    return event


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
    if event.get("responseUrl"):
        # A slash command's late answer (the 200 already went back within Slack's 3 s).
        reply = result.get("reply", result) if isinstance(result, dict) else result
        webhook_auth.post_late_answer(event["responseUrl"], {"response_type": "in_channel", "text": str(reply)},
                                      opener=_opener())
    settle(event_id, attempt_id, DONE)
    log("INFO", "event processed", eventId=event_id, attempt=attempt)
    return {"status": "done", "result": result}


def _opener():
    """urllib's opener; the tests put a recorder here (no network in tests)."""
    return _clients.get("opener") or webhook_auth.urllib.request.urlopen


def handler(event, context):
    # Only a direct Invoke can put a top-level key into the event: requests through the function URL
    # arrive wrapped (headers, body, requestContext), so a caller cannot forge the marker.
    if isinstance(event, dict) and event.get(ASYNC_MARKER) is True:
        return async_leg(event, context)
    return webhook_leg(event, context)
