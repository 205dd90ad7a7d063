"""WebhookFunction: the {{sender}} webhook's front door ({{patternName}}). Checks the sender's signature, starts the
Standard workflow once per delivery, answers 200 at once.

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The sender's delivery id names the execution: Standard workflows dedupe
StartExecution by name for 90 days, so a redelivery (senders retry when the answer is slow or lost) starts
nothing new: the same name and input while that execution runs returns it, and once it has ended (or with
another input) StartExecution fails with ExecutionAlreadyExists, answered 200 as a duplicate.
"""
import hashlib
import json
import logging
import os
import re

import boto3

import webhook_auth

STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
EXECUTION_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
sfn = boto3.client("stepfunctions")


def lambda_handler(event, context):
    try:
        delivery = webhook_auth.verify(event, SENDER, SIGNING_SECRET, header=SIGNATURE_HEADER)
    except webhook_auth.Rejected as err:
        logger.warning("webhook rejected", extra={"sender": SENDER, "status": err.status, "reason": str(err)})
        return respond(err.status, {"error": str(err)})
    if delivery.challenge is not None:
        return respond(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no work

    name = execution_name(delivery.id)
    request = {"sender": SENDER, "deliveryId": delivery.id, "payload": delivery.payload}
    if delivery.response_url:
        request["responseUrl"] = delivery.response_url  # a slash command: ExecuteFunction answers there
    # BUSINESS LOGIC: map the delivery to the workflow's request here if the approver needs more than the payload.
    try:
        execution = sfn.start_execution(stateMachineArn=STATE_MACHINE_ARN, name=name, input=json.dumps(request))
    except sfn.exceptions.ExecutionAlreadyExists:
        logger.info("delivery already started", extra={"deliveryId": delivery.id, "execution": name})
        return respond(200, {**webhook_auth.acknowledgement(delivery), "execution": name, "duplicate": True})
    logger.info("workflow started", extra={"deliveryId": delivery.id, "executionArn": execution["executionArn"]})
    return respond(200, {**webhook_auth.acknowledgement(delivery), "execution": name})


def execution_name(delivery_id):
    """The delivery id as an execution name (1-80 of A-Z a-z 0-9 _ . -), else a digest of it: the same id, the same name."""
    if EXECUTION_NAME.match(delivery_id):
        return delivery_id
    return "d-" + hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:64]


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
