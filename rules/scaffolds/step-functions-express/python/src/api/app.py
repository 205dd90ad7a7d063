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
