{{#if triggerEvent}}
"""Worker: runs one job per object created in the uploads bucket; S3 invokes it asynchronously (InvocationType
"Event").

Each S3 record (or, behind an EventBridge rule, each "Object Created" event) is a job: its id is the object's
bucket/key#sequencer, recorded QUEUED once (a conditional put), then claimed like any job. Lambda retries a failed
attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later) and, when every attempt has failed
or the event is older than MaximumEventAgeInSeconds, sends the event with the error to the on-failure destination
(FailedJobsQueue). S3 and the async queue may deliver an event twice: a finished job, or one another attempt is
running right now, is skipped.
"""
{{else}}
"""Worker: runs one job, invoked asynchronously (InvocationType "Event") by the API.

Lambda retries a failed attempt (MaximumRetryAttempts in template.yaml; about 1 min, then 2 min later) and,
when every attempt has failed or the event is older than MaximumEventAgeInSeconds, sends the event with the
error to the on-failure destination (FailedJobsQueue). The async queue may also deliver an event twice, so
the job is claimed by id with a conditional write first: a finished job, or one another attempt is running
right now, is skipped.
"""

{{/if}}
import json
import logging
import os
import time
{{#if triggerEvent}}
import urllib.parse
{{/if}}

import boto3
from botocore.exceptions import ClientError

TABLE_NAME = os.environ["TABLE_NAME"]
MAX_ATTEMPTS = int(os.environ.get("MAX_ATTEMPTS", "3"))
LEASE_SECONDS = int(os.environ.get("LEASE_SECONDS", "900"))
{{#if triggerEvent}}
# A job record is kept this long (the table's TTL, expiresAt), then DynamoDB deletes it.
KEEP_JOB_SECONDS = int(os.environ.get("KEEP_JOB_SECONDS", str(30 * 24 * 3600)))
{{/if}}

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
table = boto3.resource("dynamodb").Table(TABLE_NAME)


{{#if triggerEvent}}
def lambda_handler(event, context):
    results = []
    for job_id, job_input in jobs_of(event):
        record_job(job_id, job_input)
        results.append(run_once(job_id))
    return {"jobs": results}


def jobs_of(event):
    """(job id, input) of each object the event names: S3 notification records, or an EventBridge "Object
    Created" event (the bucket's EventBridge switch, README). Other events (S3's s3:TestEvent) name none."""
    if event.get("source") == "aws.s3":
        detail = event.get("detail") or {}
        objects = [(detail.get("bucket", {}).get("name", ""), detail.get("object") or {}, False)]
    else:
        objects = [
            (record["s3"]["bucket"]["name"], record["s3"]["object"], True)
            for record in event.get("Records", [])
            if record.get("eventSource") == "aws:s3" and record.get("eventName", "").startswith("ObjectCreated:")
        ]
    jobs = []
    for bucket, obj, encoded in objects:
        # A notification's key is URL-encoded (a space arrives as "+"); EventBridge's is not.
        key = urllib.parse.unquote_plus(obj["key"]) if encoded else obj["key"]
        # The sequencer orders the events of one key: a redelivery has the same, a new upload a greater one.
        job_id = f"{bucket}/{key}#{obj.get('sequencer', '')}"
        jobs.append((job_id, {"bucket": bucket, "key": key, "size": obj.get("size", 0)}))
    return jobs


def record_job(job_id, job_input):
    """Writes the job QUEUED once; a redelivered event finds it there and goes on to the claim."""
    now = int(time.time())
    try:
        table.put_item(
            Item={"jobId": job_id, "status": "QUEUED", "attempts": 0, "input": json.dumps(job_input),
                  "createdAt": now, "expiresAt": now + KEEP_JOB_SECONDS},
            ConditionExpression="attribute_not_exists(jobId)",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


{{else}}
def lambda_handler(event, context):
    return run_once(str(event.get("jobId", "")))


{{/if}}
def run_once(job_id):
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
{{#if triggerEvent}}
    # job_input is {"bucket", "key", "size"}: read the object with boto3.client("s3").get_object(Bucket=..., Key=...)
    # (the function may read the uploads bucket).
{{/if}}
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
