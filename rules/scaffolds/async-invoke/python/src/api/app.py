"""API: accepts a job, starts the worker asynchronously, answers 202 Accepted; serves the job's status.

POST /jobs       -> records the job (QUEUED) and invokes the worker with InvocationType "Event": Lambda
                    queues the event and answers at once, so the client gets its job id in milliseconds.
GET  /jobs/{id}  -> the job's status (QUEUED, RUNNING, SUCCEEDED, FAILED), result or last error.

The same `Idempotency-Key` header always maps to the same job, which is started once.
"""
import base64
import json
import logging
import os
import re
import time
import uuid

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
WORKER_FUNCTION_NAME = os.environ["WORKER_FUNCTION_NAME"]
KEEP_JOB_SECONDS = int(os.environ.get("KEEP_JOB_SECONDS", str(30 * 24 * 3600)))
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)
lambda_client = boto3.client("lambda")


def lambda_handler(event, context):
    if event.get("httpMethod") == "GET":
        return get_job((event.get("pathParameters") or {}).get("jobId", ""))
    try:
        job_input = validate_job(parse_body(event))
        job_id = job_id_for(event)
    except ValueError as exc:
        return response(400, {"error": str(exc)})
    return submit_job(job_id, job_input)


def validate_job(job_input):
    """Checks a job before it is accepted; raise ValueError to answer 400 Bad Request."""
    # BUSINESS LOGIC: validate the job input here (the worker receives what this returns).
    return job_input


def submit_job(job_id, job_input):
    now = int(time.time())
    try:
        table.put_item(
            Item={
                "jobId": job_id,
                "status": "QUEUED",
                "input": json.dumps(job_input),
                "attempts": 0,
                "createdAt": now,
                "expiresAt": now + KEEP_JOB_SECONDS,
            },
            ConditionExpression="attribute_not_exists(jobId)",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        existing = table.get_item(Key={"jobId": job_id}, ConsistentRead=True).get("Item", {})
        logger.info("job already submitted", extra={"jobId": job_id, "status": existing.get("status")})
        return accepted(job_id, existing.get("status", "QUEUED"))

    try:
        # InvocationType "Event": Lambda puts the event on its internal queue and returns 202 at once.
        lambda_client.invoke(
            FunctionName=WORKER_FUNCTION_NAME,
            InvocationType="Event",
            Payload=json.dumps({"jobId": job_id}).encode("utf-8"),
        )
    except ClientError:
        logger.exception("could not start the worker", extra={"jobId": job_id})
        # Forget the job so that the client's retry (same Idempotency-Key) starts it afresh.
        table.delete_item(Key={"jobId": job_id})
        return response(503, {"error": "could not start the job; retry later"})

    logger.info("job accepted", extra={"jobId": job_id})
    return accepted(job_id, "QUEUED")


def get_job(job_id):
    item = table.get_item(Key={"jobId": job_id}).get("Item") if job_id else None
    if not item:
        return response(404, {"error": f"no job {job_id!r}"})
    body = {"jobId": job_id, "status": item["status"], "attempts": int(item.get("attempts", 0))}
    if "result" in item:
        body["result"] = json.loads(item["result"])
    if "error" in item:
        body["error"] = item["error"]
    return response(200, body)


def parse_body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ValueError("body must be a JSON object")
    return payload


def job_id_for(event):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return str(uuid.uuid4())
    if not IDEMPOTENCY_KEY.match(key):
        raise ValueError("Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -")
    return key


def accepted(job_id, status):
    return response(202, {"jobId": job_id, "status": status}, {"Location": f"/jobs/{job_id}"})


def response(status, body, headers=None):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }
