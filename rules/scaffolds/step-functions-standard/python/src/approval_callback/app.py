"""The approver's decision: resumes the waiting workflow ({{patternName}}).

POST /approvals/{approvalId}  {"decision": "approve" | "reject", "comment": "...", "notBefore": "2025-01-31T09:00:00Z"}

The decision is recorded once (a conditional update from PENDING), then the stored task token is handed back
to Step Functions: SendTaskSuccess for an approval (its output becomes $.approval; with notBefore the
workflow waits until then), SendTaskFailure with the error "ApprovalRejected" for a rejection. A second
decision answers 409; a token that timed out (the step's TimeoutSeconds passed) answers 410.
"""
import base64
import json
import logging
import os
import time
from datetime import datetime, timezone

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
TOKEN_GONE = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
sfn = boto3.client("stepfunctions")


class BadRequest(Exception):
    """Answered with 400."""


class Forbidden(Exception):
    """Answered with 403."""


def lambda_handler(event, context):
    approval_id = (event.get("pathParameters") or {}).get("approvalId", "")
    try:
        decision = parse_decision(event)
    except BadRequest as exc:
        return respond(400, {"error": str(exc)})
    approver = approver_of(event)

    approval = table.get_item(Key={"approvalId": approval_id}, ConsistentRead=True).get("Item") if approval_id else None
    if approval is None:
        return respond(404, {"error": "no such approval"})
    try:
        authorize(approver, json.loads(approval.get("request", "{}")), decision)
    except Forbidden as exc:
        return respond(403, {"error": str(exc)})

    status = "APPROVED" if decision["decision"] == "approve" else "REJECTED"
    if not record_decision(approval_id, status, approver, decision["comment"]):
        current = table.get_item(Key={"approvalId": approval_id}, ConsistentRead=True)["Item"]["status"]
        return respond(409, {"error": f"already decided: {current}"})

    try:
        if status == "APPROVED":
            output = {"approved": True, "approver": approver, "comment": decision["comment"]}
            if decision.get("notBefore"):
                output["notBefore"] = decision["notBefore"]
            sfn.send_task_success(taskToken=approval["taskToken"], output=json.dumps(output))
        else:
            sfn.send_task_failure(
                taskToken=approval["taskToken"],
                error="ApprovalRejected",
                cause=decision["comment"] or f"rejected by {approver}",
            )
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        if code in TOKEN_GONE:
            set_status(approval_id, "EXPIRED")
            return respond(410, {"error": "the workflow no longer waits for this decision"})
        set_status(approval_id, "PENDING")  # let the approver try again
        logger.exception("could not resume the workflow", extra={"approvalId": approval_id})
        return respond(503, {"error": "could not resume the workflow; try again"})

    logger.info("decision recorded", extra={"approvalId": approval_id, "status": status, "approver": approver})
    return respond(200, {"approvalId": approval_id, "status": status})


def authorize(approver, request, decision):
    """Raise Forbidden when `approver` may not decide on `request`."""
    # BUSINESS LOGIC: check who may approve what here (an authorizer's claims, an approvers list, amount limits).
    if decision["decision"] == "approve" and approver == request.get("requester"):
        raise Forbidden("requesters may not approve their own requests")


def record_decision(approval_id, status, approver, comment):
    try:
        table.update_item(
            Key={"approvalId": approval_id},
            UpdateExpression="SET #status = :status, decidedAt = :now, approver = :approver, #comment = :comment",
            ConditionExpression="#status = :pending",
            ExpressionAttributeNames={"#status": "status", "#comment": "comment"},
            ExpressionAttributeValues={
                ":status": status,
                ":pending": "PENDING",
                ":now": int(time.time()),
                ":approver": approver,
                ":comment": comment,
            },
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return False


def set_status(approval_id, status):
    table.update_item(
        Key={"approvalId": approval_id},
        UpdateExpression="SET #status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status},
    )


def parse_decision(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("body is not valid JSON") from None
    if not isinstance(body, dict) or body.get("decision") not in ("approve", "reject"):
        raise BadRequest('decision must be "approve" or "reject"')
    comment = body.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 1000:
        raise BadRequest("comment must be a string of at most 1000 characters")
    decision = {"decision": body["decision"], "comment": comment}
    if body.get("notBefore") is not None:
        decision["notBefore"] = timestamp(body["notBefore"])
    return decision


def timestamp(value):
    """An ISO 8601 time with a zone, as the RFC 3339 UTC form a Wait state's TimestampPath accepts."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest("notBefore must be an ISO 8601 time such as 2025-01-31T09:00:00Z") from None
    if moment.tzinfo is None:
        raise BadRequest("notBefore needs a time zone, for example a trailing Z")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def approver_of(event):
    """Who decided: the signed-in caller the API authorized.

    ApprovalApi uses IAM auth (SigV4), so API Gateway puts the caller's ARN in requestContext.identity.userArn
    (an assumed role's session, e.g. arn:aws:sts::123456789012:assumed-role/Approvers/lead@example.com). With a
    Cognito or Lambda authorizer instead, its claims' email or its principalId is used.
    """
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    identity = context.get("identity") or {}
    return str(claims.get("email") or authorizer.get("principalId") or identity.get("userArn") or "anonymous")


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
