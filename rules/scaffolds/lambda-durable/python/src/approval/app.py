"""API for the approver: POST /approvals/{callbackId} with {"approved": true|false, "reason": "..."}.

The approver is who the API's IAM authorization says signed the request (requestContext.identity.userArn),
never a name in the body: a body cannot claim to be someone else.

Completes the workflow's approval callback with SendDurableExecutionCallbackSuccess; the durable execution resumes
in a new invocation and replays up to the callback, which now returns this decision. A callback that has already
been answered or timed out gives 409.
"""
import base64
import json
import logging
import os
import re

import boto3
from botocore.exceptions import ClientError

CALLBACK_ID = re.compile(r"^[A-Za-z0-9+/]{1,1024}={0,2}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
lambda_client = boto3.client("lambda")


def lambda_handler(event, context):
    callback_id = (event.get("pathParameters") or {}).get("callbackId", "")
    if not CALLBACK_ID.match(callback_id):
        return response(400, {"error": "callbackId is not a durable execution callback id"})
    approver = caller_of(event)
    if not approver:
        return response(401, {"error": "no caller identity: the approvals route must use IAM authorization"})
    try:
        decision = parse_decision(event, approver)
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    try:
        lambda_client.send_durable_execution_callback_success(
            CallbackId=callback_id, Result=json.dumps(decision).encode("utf-8")
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "CallbackTimeoutException":
            return response(409, {"error": "this approval was already answered or has timed out"})
        raise
    logger.info("approval recorded", extra={"approved": decision["approved"]})
    return response(200, {"recorded": decision})


def caller_of(event):
    """The signed caller's ARN: REST API IAM auth (identity.userArn), HTTP API IAM auth (authorizer.iam.userArn)."""
    context = event.get("requestContext") or {}
    identity = context.get("identity") or {}
    iam = (context.get("authorizer") or {}).get("iam") or {}
    return identity.get("userArn") or iam.get("userArn") or ""


def parse_decision(event, approver):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("approved"), bool):
        raise ValueError('body must be {"approved": true|false, "reason": "..."}')
    # BUSINESS LOGIC: check that `approver` (the caller's IAM ARN) may approve this order; raise ValueError if not.
    return {"approved": body["approved"], "approver": approver, "reason": str(body.get("reason", ""))}


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
