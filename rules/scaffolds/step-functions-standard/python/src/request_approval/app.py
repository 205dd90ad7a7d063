"""The approval step: stores the task token and asks a person to decide ({{patternName}}).

The state machine invokes this function through `arn:aws:states:::lambda:invoke.waitForTaskToken` and then
pauses, with no compute running, until someone calls SendTaskSuccess or SendTaskFailure with the token, or
the step's TimeoutSeconds (7 days) passes. The token is stored under a new random approval id; the approver
gets a link with that id, never the token itself.
"""
import json
import logging
import os
import secrets
import time

import boto3

TABLE_NAME = os.environ["TABLE_NAME"]
APPROVAL_URL = os.environ["APPROVAL_URL"]
KEEP_SECONDS = int(os.environ.get("KEEP_SECONDS", str(8 * 24 * 3600)))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def lambda_handler(event, context):
    approval_id = secrets.token_urlsafe(16)
    now = int(time.time())
    request = event.get("request") or {}
    table.put_item(
        Item={
            "approvalId": approval_id,
            "taskToken": event["taskToken"],
            "executionId": event["executionId"],
            "status": "PENDING",
            "request": json.dumps(request),
            "createdAt": now,
            "expiresAt": now + KEEP_SECONDS,
        },
        ConditionExpression="attribute_not_exists(approvalId)",
    )
    url = f"{APPROVAL_URL}/{approval_id}"
    notify_approver(approval_id, url, request)
    logger.info("approval requested", extra={"approvalId": approval_id, "executionId": event["executionId"]})
    return {"approvalId": approval_id}


def notify_approver(approval_id, url, request):
    """Tells the approver what to decide and where: POST {"decision": "approve" | "reject"} to `url`."""
    # BUSINESS LOGIC: send the approval request here (SES e-mail, Slack, a ticket); the sample only logs it.
    logger.info("approval needed", extra={"approvalId": approval_id, "decideAt": url, "request": json.dumps(request)})
