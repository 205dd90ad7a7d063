{{#if webhook}}
"""ApiFunction: the webhook's front door ({{patternName}}). Checks the sender's signature, starts the Express workflow once
per delivery, answers 200 at once.

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The sender's delivery id is the request id (the execution's idempotency
key). An Express workflow started with StartExecution does not dedupe by execution name, so this function
claims the delivery id first with a conditional write to the deliveries table: a redelivery (senders retry
when the answer is slow or lost) finds the claim and starts nothing. If the start fails the claim is removed,
so the sender's retry starts it. The workflow's own conditional result write keeps the first outcome if an
execution still runs twice (asynchronous Express is at-least-once).
"""
import json
import logging
import os
import time

import boto3
from botocore.exceptions import ClientError

import webhook_auth

STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
DELIVERIES_TABLE = os.environ["DELIVERIES_TABLE"]
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(7 * 24 * 3600)))  # senders redeliver for days at most

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
sfn = boto3.client("stepfunctions")
deliveries = boto3.resource("dynamodb").Table(DELIVERIES_TABLE)


def lambda_handler(event, context):
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return respond(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return respond(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no work

    request_id = delivery.id
    if not claim(request_id):
        logger.info("delivery already started", extra={"requestId": request_id})
        return respond(200, {**webhook_auth.acknowledgement(delivery), "requestId": request_id, "duplicate": True})

    # BUSINESS LOGIC: map the delivery to the workflow input here if it needs more than the payload.
    workflow_input = {"requestId": request_id, "input": delivery.payload}
    if delivery.response_url:
        workflow_input["responseUrl"] = delivery.response_url  # a slash command: the late answer goes there
    try:
        execution = sfn.start_execution(stateMachineArn=STATE_MACHINE_ARN, input=json.dumps(workflow_input))
    except Exception:
        deliveries.delete_item(Key={"deliveryId": request_id})  # not started: let the sender's retry start it
        raise
    logger.info("workflow started", extra={"requestId": request_id, "executionArn": execution["executionArn"]})
    return respond(200, {**webhook_auth.acknowledgement(delivery), "requestId": request_id})


def claim(delivery_id):
    """Records the delivery id once; False when it was claimed before (a redelivery)."""
    now = int(time.time())
    try:
        deliveries.put_item(
            Item={"deliveryId": delivery_id, "sender": SENDER, "startedAt": now, "expiresAt": now + KEEP_SECONDS},
            ConditionExpression="attribute_not_exists(deliveryId)",
        )
        return True
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
{{else}}
"""API: starts the Express workflow and serves its stored result ({{patternName}}).

POST /orders               START_MODE=async: StartExecution and answer 202 with the request id; the client
                           polls GET /orders/{requestId}. START_MODE=sync: StartSyncExecution and answer with
                           the result (only when the workflow reliably finishes well inside the 29 s window).
GET  /orders/{requestId}   the outcome the workflow stored: SUCCEEDED with the result, REJECTED or FAILED.

Express executions keep no history you can query (DescribeExecution does not apply), which is why the
workflow writes its outcome to the results table. A request id that already has an outcome is not started
again, so a client may safely retry with the same `Idempotency-Key`.
"""
import base64
import json
import logging
import os
import re
import uuid

import boto3

STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
TABLE_NAME = os.environ["TABLE_NAME"]
START_MODE = os.environ.get("START_MODE", "async")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
sfn = boto3.client("stepfunctions")
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def lambda_handler(event, context):
    if event.get("httpMethod") == "GET":
        return get_outcome((event.get("pathParameters") or {}).get("requestId", ""))
    try:
        order = parse_body(event)
        request_id = request_id_for(event)
    except ValueError as exc:
        return respond(400, {"error": str(exc)})

    existing = table.get_item(Key={"requestId": request_id}, ConsistentRead=True).get("Item")
    if existing:
        logger.info("request already has an outcome", extra={"requestId": request_id})
        return outcome_response(request_id, existing)

    # BUSINESS LOGIC: map the HTTP request to the workflow input here if it needs more than the body.
    workflow_input = json.dumps({"requestId": request_id, "input": order})
    if START_MODE == "sync":
        return start_sync(request_id, workflow_input)
    execution = sfn.start_execution(stateMachineArn=STATE_MACHINE_ARN, input=workflow_input)
    logger.info("workflow started", extra={"requestId": request_id, "executionArn": execution["executionArn"]})
    return respond(202, {"requestId": request_id, "status": "RUNNING"}, {"Location": f"/orders/{request_id}"})


def start_sync(request_id, workflow_input):
    execution = sfn.start_sync_execution(stateMachineArn=STATE_MACHINE_ARN, input=workflow_input)
    status = execution["status"]
    logger.info("workflow finished", extra={"requestId": request_id, "status": status})
    if status == "SUCCEEDED":
        item = table.get_item(Key={"requestId": request_id}, ConsistentRead=True).get("Item")
        if item:
            return outcome_response(request_id, item)
        return respond(200, {"requestId": request_id, "status": "SUCCEEDED"})
    if execution.get("error") == "ValidationError":
        return respond(400, {"requestId": request_id, "status": "REJECTED", "error": execution.get("cause", "")})
    return respond(502, {"requestId": request_id, "status": status, "error": execution.get("error", "")})


def get_outcome(request_id):
    item = table.get_item(Key={"requestId": request_id}).get("Item") if request_id else None
    if not item:
        return respond(404, {"requestId": request_id, "status": "UNKNOWN_OR_RUNNING"})
    return outcome_response(request_id, item)


def outcome_response(request_id, item):
    body = {"requestId": request_id, "status": item["status"]}
    if "result" in item:
        body["result"] = json.loads(item["result"])
    if "error" in item:
        body["error"] = item["error"]
    return respond(200, body)


def parse_body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def request_id_for(event):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return str(uuid.uuid4())
    if not IDEMPOTENCY_KEY.match(key):
        raise ValueError("Idempotency-Key must be 1-80 characters of A-Z a-z 0-9 _ . : -")
    return key


def respond(status, body, headers=None):
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}, "body": json.dumps(body)}
{{/if}}
