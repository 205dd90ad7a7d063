"""Worker: runs one job, invoked asynchronously (InvocationType "Event") by the API.

Lambda retries a failed attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later) and,
when every attempt has failed or the event is older than MaximumEventAgeInSeconds, sends the event with the
error to the on-failure destination (FailedJobsQueue). The async queue may also deliver an event twice, so
the job is claimed by id with a conditional write first: a finished job, or one another attempt is running
right now, is skipped.
"""
import json
import logging
import os
import time

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
MAX_ATTEMPTS = int(os.environ.get("MAX_ATTEMPTS", "3"))
LEASE_SECONDS = int(os.environ.get("LEASE_SECONDS", "900"))

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def lambda_handler(event, context):
    job_id = str(event.get("jobId", ""))
    job = claim_job(job_id)
    if job is None:
        return {"jobId": job_id, "skipped": True}

    logger.info("job started", extra={"jobId": job_id, "attempt": int(job["attempts"])})
    try:
        result = run_job(job_id, json.loads(job.get("input", "{}")))
    except Exception as exc:
        record_failure(job_id, int(job["attempts"]), exc)
        raise  # Lambda retries, then sends the event to the on-failure destination
    record_success(job_id, result)
    logger.info("job succeeded", extra={"jobId": job_id})
    return {"jobId": job_id, "status": "SUCCEEDED"}


def run_job(job_id, job_input):
    """Does the work; raise to fail this attempt. Must finish within the function timeout (15 min max)."""
    # BUSINESS LOGIC: the long-running work goes here; return a JSON-serialisable result (<= 350 KB, else S3).
    return {"jobId": job_id, "inputKeys": sorted(job_input)}


def claim_job(job_id):
    """Marks the job RUNNING if it is QUEUED (or RUNNING under a dead attempt's lease); None means skip."""
    now = int(time.time())
    try:
        return table.update_item(
            Key={"jobId": job_id},
            UpdateExpression="SET #status = :running, leaseUntil = :lease, startedAt = :now "
            "ADD attempts :one",
            ConditionExpression="#status = :queued OR (#status = :running AND leaseUntil < :now)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":running": "RUNNING",
                ":queued": "QUEUED",
                ":lease": now + LEASE_SECONDS,
                ":now": now,
                ":one": 1,
            },
            ReturnValues="ALL_NEW",
        )["Attributes"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    existing = table.get_item(Key={"jobId": job_id}, ConsistentRead=True).get("Item")
    if existing is None:
        logger.error("unknown job; nothing to run", extra={"jobId": job_id})
    else:
        logger.info("duplicate delivery skipped", extra={"jobId": job_id, "status": existing["status"]})
    return None


def record_success(job_id, result):
    table.update_item(
        Key={"jobId": job_id},
        UpdateExpression="SET #status = :succeeded, #result = :result, finishedAt = :now REMOVE leaseUntil, #error",
        ExpressionAttributeNames={"#status": "status", "#result": "result", "#error": "error"},
        ExpressionAttributeValues={
            ":succeeded": "SUCCEEDED",
            ":result": json.dumps(result, default=str),
            ":now": int(time.time()),
        },
    )


def record_failure(job_id, attempts, error):
    """Back to QUEUED so Lambda's retry can claim it, or FAILED after the last attempt."""
    final = attempts >= MAX_ATTEMPTS
    logger.error("job attempt failed", extra={"jobId": job_id, "attempt": attempts, "final": final, "error": str(error)})
    table.update_item(
        Key={"jobId": job_id},
        UpdateExpression="SET #status = :status, #error = :error, finishedAt = :now REMOVE leaseUntil",
        ExpressionAttributeNames={"#status": "status", "#error": "error"},
        ExpressionAttributeValues={
            ":status": "FAILED" if final else "QUEUED",
            ":error": f"{type(error).__name__}: {error}"[:1000],
            ":now": int(time.time()),
        },
    )
