"""WebhookFunction: the {{sender}} webhook's front door ({{patternName}}). Checks the sender's signature, starts the
batch the delivery names, answers 200 at once.

The sender ({{sender}}, WEBHOOK_SENDER) signs every request; webhook_auth.py checks it on the raw body and answers
401 when it is missing, wrong or stale. The delivery names the CSV object to run over (object_key) and its
delivery id names the batch: it is the batch id the item handler claims items under, and the execution's name.
Standard workflows dedupe StartExecution by name for 90 days, so a redelivery (senders retry when the answer is
slow or lost) starts no second batch: while the first runs the same name and input return it, and once it has
ended StartExecution fails with ExecutionAlreadyExists, answered 200 as a duplicate.
"""
import hashlib
import json
import logging
import os
import re

import boto3

import webhook_auth

STATE_MACHINE_ARN = os.environ["STATE_MACHINE_ARN"]
INPUT_BUCKET = os.environ["INPUT_BUCKET"]
SIGNING_SECRET = os.environ["SIGNING_SECRET"]
SENDER = os.environ.get("WEBHOOK_SENDER", "generic")
SIGNATURE_HEADER = os.environ.get("SIGNATURE_HEADER", webhook_auth.DEFAULT_GENERIC_HEADER)
PREFIX = "incoming/"  # the batch state machine may read objects under this prefix only
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
        return respond(200, webhook_auth.acknowledgement(delivery))  # Slack's url_verification: no batch

    key = object_key(delivery.payload)
    if not key or not key.startswith(PREFIX) or ".." in key:
        return respond(400, {"error": f"the delivery names no CSV object under {PREFIX}"})
    name = execution_name(delivery.id)
    batch = {"bucket": INPUT_BUCKET, "key": key, "batchId": delivery.id}
    try:
        execution = sfn.start_execution(stateMachineArn=STATE_MACHINE_ARN, name=name, input=json.dumps(batch))
    except sfn.exceptions.ExecutionAlreadyExists:
        logger.info("batch already started", extra={"batchId": delivery.id, "execution": name})
        return respond(200, {**webhook_auth.acknowledgement(delivery), "batchId": delivery.id, "duplicate": True})
    logger.info("batch started", extra={"batchId": delivery.id, "key": key, "executionArn": execution["executionArn"]})
    return respond(200, {**webhook_auth.acknowledgement(delivery), "batchId": delivery.id})


def object_key(payload):
    """The key of the CSV object (under incoming/) the delivery asks to run over."""
    # BUSINESS LOGIC: find the object in the sender's payload here (a slash command's text, an event's field).
    return str(payload.get("key") or payload.get("text") or "").strip()


def execution_name(delivery_id):
    """The delivery id as an execution name (1-80 of A-Z a-z 0-9 _ . -), else a digest of it: the same id, the same name."""
    if EXECUTION_NAME.match(delivery_id):
        return delivery_id
    return "d-" + hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:64]


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
