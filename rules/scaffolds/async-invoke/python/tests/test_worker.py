import json
import time

import pytest
from moto import mock_aws

from conftest import create_jobs_table, load_function


@pytest.fixture
def worker():
    with mock_aws():
        create_jobs_table()
        yield load_function("worker")


def queue_job(worker, job_id="job-1", **extra):
    item = {"jobId": job_id, "status": "QUEUED", "attempts": 0, "input": json.dumps({"b": 1, "a": 2}), **extra}
    worker.table.put_item(Item=item)


def job(worker, job_id="job-1"):
    return worker.table.get_item(Key={"jobId": job_id})["Item"]


{{#unless triggerEvent}}
def test_runs_a_queued_job_and_records_the_result(worker, context):
    queue_job(worker)

    assert worker.lambda_handler({"jobId": "job-1"}, context) == {"jobId": "job-1", "status": "SUCCEEDED"}

    item = job(worker)
    assert item["status"] == "SUCCEEDED"
    assert item["attempts"] == 1
    assert json.loads(item["result"]) == {"jobId": "job-1", "inputKeys": ["a", "b"]}
    assert "leaseUntil" not in item


def test_a_duplicate_delivery_of_a_finished_job_is_skipped(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: calls.append(job_id) or {})
    queue_job(worker)

    worker.lambda_handler({"jobId": "job-1"}, context)
    again = worker.lambda_handler({"jobId": "job-1"}, context)

    assert again == {"jobId": "job-1", "skipped": True}
    assert calls == ["job-1"]
    assert job(worker)["attempts"] == 1


def test_a_job_running_under_a_live_lease_is_not_run_twice(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: pytest.fail("must not run"))
    queue_job(worker, status="RUNNING", attempts=1, leaseUntil=int(time.time()) + 600)

    assert worker.lambda_handler({"jobId": "job-1"}, context)["skipped"] is True


def test_a_failed_attempt_is_re_raised_and_the_job_requeued_for_the_retry(worker, context, monkeypatch):
    def boom(job_id, job_input):
        raise RuntimeError("upstream timeout")

    monkeypatch.setattr(worker, "run_job", boom)
    queue_job(worker)

    with pytest.raises(RuntimeError):
        worker.lambda_handler({"jobId": "job-1"}, context)

    item = job(worker)
    assert item["status"] == "QUEUED"
    assert item["attempts"] == 1
    assert item["error"] == "RuntimeError: upstream timeout"


def test_the_last_attempt_marks_the_job_failed(worker, context, monkeypatch):
    def boom(job_id, job_input):
        raise RuntimeError("still broken")

    monkeypatch.setattr(worker, "run_job", boom)
    queue_job(worker)

    for _ in range(worker.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            worker.lambda_handler({"jobId": "job-1"}, context)

    item = job(worker)
    assert item["status"] == "FAILED"
    assert item["attempts"] == worker.MAX_ATTEMPTS


def test_an_unknown_job_is_skipped(worker, context):
    assert worker.lambda_handler({"jobId": "ghost"}, context) == {"jobId": "ghost", "skipped": True}
{{/unless}}
{{#if triggerEvent}}


def s3_event(key="exports/orders+2024-06.csv", sequencer="0A1B2C3D4E5F678901", name="ObjectCreated:Put"):
    """What S3 sends for one object created (the key URL-encoded: "+" is a space)."""
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": name,
        "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
               "object": {"key": key, "size": 42, "eTag": "abc", "sequencer": sequencer}},
    }]}


def eventbridge_event(key="exports/orders 2024-06.csv", sequencer="0A1B2C3D4E5F678901"):
    """The same object as an EventBridge "Object Created" event (the bucket's EventBridge switch)."""
    return {"version": "0", "id": "c9888434", "detail-type": "Object Created", "source": "aws.s3",
            "detail": {"version": "0", "bucket": {"name": "uploads"},
                       "object": {"key": key, "size": 42, "etag": "abc", "sequencer": sequencer}}}


JOB_ID = "uploads/exports/orders 2024-06.csv#0A1B2C3D4E5F678901"


def test_an_s3_record_is_recorded_as_a_job_and_run_with_the_object(worker, context, monkeypatch):
    seen = []
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: seen.append((job_id, job_input)) or {"rows": 3})

    assert worker.lambda_handler(s3_event(), context) == {"jobs": [{"jobId": JOB_ID, "status": "SUCCEEDED"}]}

    assert seen == [(JOB_ID, {"bucket": "uploads", "key": "exports/orders 2024-06.csv", "size": 42})]
    item = job(worker, JOB_ID)
    assert item["status"] == "SUCCEEDED"
    assert item["attempts"] == 1
    assert json.loads(item["result"]) == {"rows": 3}
    assert item["expiresAt"] > time.time()


def test_an_eventbridge_object_created_event_is_the_same_job(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: calls.append(job_input["key"]) or {})

    worker.lambda_handler(eventbridge_event(), context)
    again = worker.lambda_handler(s3_event(), context)

    assert calls == ["exports/orders 2024-06.csv"]
    assert again == {"jobs": [{"jobId": JOB_ID, "skipped": True}]}


def test_a_redelivered_s3_event_starts_nothing_new(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: calls.append(job_id) or {})

    worker.lambda_handler(s3_event(), context)
    worker.lambda_handler(s3_event(), context)
    worker.lambda_handler(s3_event(sequencer="0A1B2C3D4E5F678999"), context)  # the object uploaded again

    assert calls == [JOB_ID, "uploads/exports/orders 2024-06.csv#0A1B2C3D4E5F678999"]
    assert job(worker, JOB_ID)["attempts"] == 1


def test_a_failed_s3_job_is_re_raised_for_the_retry_which_runs_it_again(worker, context, monkeypatch):
    attempts = []

    def flaky(job_id, job_input):
        attempts.append(job_id)
        if len(attempts) == 1:
            raise RuntimeError("upstream timeout")
        return {"ok": True}

    monkeypatch.setattr(worker, "run_job", flaky)

    with pytest.raises(RuntimeError):
        worker.lambda_handler(s3_event(), context)
    assert job(worker, JOB_ID)["status"] == "QUEUED"

    assert worker.lambda_handler(s3_event(), context) == {"jobs": [{"jobId": JOB_ID, "status": "SUCCEEDED"}]}
    assert job(worker, JOB_ID)["attempts"] == 2


def test_the_last_attempt_of_an_s3_job_marks_it_failed(worker, context, monkeypatch):
    def boom(job_id, job_input):
        raise RuntimeError("still broken")

    monkeypatch.setattr(worker, "run_job", boom)
    for _ in range(worker.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            worker.lambda_handler(s3_event(), context)

    assert job(worker, JOB_ID)["status"] == "FAILED"


def test_an_s3_test_event_or_another_event_type_starts_no_job(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "run_job", lambda job_id, job_input: pytest.fail("must not run"))
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2024-06-01T12:00:00.000Z",
                  "Bucket": "uploads", "RequestId": "5582815E1AEA5ADF", "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}

    assert worker.lambda_handler(test_event, context) == {"jobs": []}
    assert worker.lambda_handler(s3_event(name="ObjectRemoved:Delete"), context) == {"jobs": []}
    assert worker.table.scan()["Items"] == []
{{/if}}
