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
