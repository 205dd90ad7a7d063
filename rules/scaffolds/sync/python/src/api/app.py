{{#if webhook}}
"""Webhook front door: checks the sender's signature, does the work and answers in the same request
({{patternName}}).

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The work gets a deadline inside the sender's own (SENDER_DEADLINE_SECONDS:
Slack waits 3 s, GitHub 10 s) and the door's window; the answer is the response body{{#if senderSlackCommand}} (for a slash
command, the message Slack shows){{/if}}. The sender's delivery id is the idempotency key: the first delivery claims it in
DeliveriesTable and stores its answer, and a redelivery (a sender retries a slow or lost answer) gets that answer
without the work running again. A delivery whose work fails or runs out of time releases its claim, so the
sender's retry can run it.
"""
{{else}}
"""API: does the work and answers in the same request ({{patternName}}).

API Gateway (REST) waits at most 29 s for the function; after that the caller gets a 504 while the function
may still be running. So the handler gives the work a deadline a little inside that window (and inside the
function's own remaining time): the work checks it between steps and, when time is up, the caller gets a
clear 504 that says to move this workload to an asynchronous pattern. A request that takes 80 % of the window
or more is logged as a warning: that is the moment to plan the move, before callers see timeouts.
"""
{{/if}}
{{#unless webhook}}
import base64
{{/unless}}
import json
import logging
import os
import time
{{#if webhook}}

import boto3
from botocore.exceptions import ClientError

import webhook_auth
{{/if}}

{{#if webhook}}
# The answer must reach the sender within its own deadline as well as within the door's window.
API_WINDOW_SECONDS = min(float(os.environ.get("API_WINDOW_SECONDS", "29")), float(os.environ.get("SENDER_DEADLINE_SECONDS", "29")))
{{else}}
API_WINDOW_SECONDS = float(os.environ.get("API_WINDOW_SECONDS", "29"))
{{/if}}
SAFETY_SECONDS = float(os.environ.get("SAFETY_SECONDS", "1.5"))
NEAR_LIMIT_RATIO = 0.8

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
clock = time.monotonic
{{#if webhook}}
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
KEEP_ANSWER_SECONDS = int(os.environ.get("KEEP_ANSWER_SECONDS", str(24 * 3600)))
deliveries = boto3.resource("dynamodb").Table(os.environ["DELIVERIES_TABLE"])
{{/if}}


def lambda_handler(event, context):
    started = clock()
    budget = min(context.get_remaining_time_in_millis() / 1000, API_WINDOW_SECONDS) - SAFETY_SECONDS
    deadline = Deadline(budget)
{{#if webhook}}
    claimed = None  # the delivery this invocation claimed; released when its work does not finish
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
        if delivery.challenge is not None:
            return respond(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no work
        earlier = claim_delivery(delivery)
        if earlier is not None:
            logger.info("redelivery answered without running the work again", extra={"deliveryId": delivery.id})
            return respond(200, earlier)
        claimed = delivery.id
        result = answer_for(handle_request(delivery.payload, deadline))
        record_answer(delivery.id, result)
        claimed = None
        return respond(200, result)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return respond(err.status, {"error": str(err)})
{{else}}
    try:
        request = parse_request(event)
        result = handle_request(request, deadline)
        return respond(200, result)
{{/if}}
    except BadRequest as exc:
        return respond(400, {"error": str(exc)})
    except DeadlineExceeded as exc:
        logger.error("deadline exceeded", extra={"step": str(exc), "budgetSeconds": round(budget, 3)})
        return respond(504, {
            "error": "the work did not finish within the synchronous window",
            "hint": "return a job id and finish asynchronously (async-invoke or sqs-queue), or a continuation token",
        })
    except Exception:  # noqa: BLE001 - never leak a stack trace to the caller
        logger.exception("request failed")
        return respond(500, {"error": "internal error", "requestId": context.aws_request_id})
    finally:
{{#if webhook}}
        if claimed is not None:
            release_delivery(claimed)  # the sender's retry may run the work again
{{/if}}
        elapsed = clock() - started
        if elapsed >= NEAR_LIMIT_RATIO * API_WINDOW_SECONDS:
            logger.warning("near the synchronous limit", extra={"elapsedSeconds": round(elapsed, 3), "windowSeconds": API_WINDOW_SECONDS})


def handle_request(request, deadline):
    """Does the work and returns the response body. Call deadline.check("step") between steps."""
{{#if webhook}}
    # BUSINESS LOGIC: answer the delivery (request = its parsed body); it must finish well inside the sender's deadline (raise BadRequest for a 400).
{{else}}
    # BUSINESS LOGIC: do the work here; it must finish well inside the 29 s window (raise BadRequest for a 400).
{{/if}}
    deadline.check("handle_request")
    return {"received": sorted(request)}


{{#if webhook}}
def answer_for(result):
    """The response body the sender gets{{#if senderSlackCommand}}: a slash command shows it as a message{{/if}}."""
{{#if senderSlackCommand}}
    if isinstance(result, dict) and ("text" in result or "blocks" in result):
        return result
    return {"response_type": "ephemeral", "text": json.dumps(result, default=str)}
{{else}}
    return result
{{/if}}


def claim_delivery(delivery):
    """Claims the delivery id; None when this invocation is the first, else what to answer the redelivery."""
    now = int(time.time())
    try:
        deliveries.put_item(
            Item={"deliveryId": delivery.id, "status": "ANSWERING", "expiresAt": now + KEEP_ANSWER_SECONDS},
            ConditionExpression="attribute_not_exists(deliveryId)",
        )
        return None
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    item = deliveries.get_item(Key={"deliveryId": delivery.id}, ConsistentRead=True).get("Item") or {}
    if item.get("status") == "ANSWERED":
        return json.loads(item["answer"])
    # The first delivery is still being answered: acknowledge; that answer reaches the sender.
    return {**webhook_auth.acknowledgement(delivery), "duplicate": True}


def record_answer(delivery_id, result):
    deliveries.update_item(
        Key={"deliveryId": delivery_id},
        UpdateExpression="SET #status = :answered, answer = :answer",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":answered": "ANSWERED", ":answer": json.dumps(result, default=str)},
    )


def release_delivery(delivery_id):
    try:
        deliveries.delete_item(
            Key={"deliveryId": delivery_id},
            ConditionExpression="#status = :answering",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":answering": "ANSWERING"},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


{{/if}}
class BadRequest(Exception):
    """The request is invalid: answered with 400."""


class DeadlineExceeded(Exception):
    """The work ran out of time: answered with 504."""


class Deadline:
    """Time left for the work, measured with the module's clock."""

    def __init__(self, seconds):
        self.ends_at = clock() + seconds

    def remaining(self):
        return self.ends_at - clock()

    def check(self, step=""):
        if self.remaining() <= 0:
            raise DeadlineExceeded(step)


{{#unless webhook}}
def parse_request(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        request = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise BadRequest("body must be a JSON object")
    return request
{{/unless}}


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
