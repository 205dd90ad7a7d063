import json

import pytest
from boto3.dynamodb.types import TypeSerializer

from processor import app

_ser = TypeSerializer()


class FakeContext:
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self):
        return 900_000


def stream_record(item, event_name="INSERT", seq="100"):
    image = {k: _ser.serialize(v) for k, v in item.items()}
    rec = {"eventID": f"ev-{seq}", "eventName": event_name, "eventSource": "aws:dynamodb",
           "dynamodb": {"Keys": {"jobId": {"S": item["jobId"]}}, "SequenceNumber": seq,
                        "StreamViewType": "NEW_IMAGE"}}
    if event_name != "REMOVE":
        rec["dynamodb"]["NewImage"] = image
    return rec


def pending_job(table, job_id, text="hello async world"):
    item = {"jobId": job_id, "status": "pending", "input": json.dumps({"text": text}),
            "createdAt": "2026-01-01T00:00:00Z"}
    table.put_item(Item=item)
    return item


def status_of(table, job_id):
    return table.get_item(Key={"jobId": job_id})["Item"]


def test_insert_with_status_pending_runs_the_job_and_records_the_result(jobs_table):
    item = pending_job(jobs_table, "j1")
    result = app.handler({"Records": [stream_record(item)]}, FakeContext())

    assert result == {"batchItemFailures": []}
    job = status_of(jobs_table, "j1")
    assert job["status"] == "complete"
    assert json.loads(job["result"]) == {"characters": 17, "words": 3}
    assert job["attempts"] == 1 and "leaseUntil" not in job


@pytest.mark.parametrize("event_name,status", [("MODIFY", "pending"), ("MODIFY", "complete"),
                                               ("INSERT", "processing"), ("INSERT", "complete"),
                                               ("REMOVE", "pending")])
def test_only_inserts_with_status_pending_are_processed(jobs_table, monkeypatch, event_name, status):
    monkeypatch.setattr(app, "run_job", lambda job: pytest.fail("must not run"))
    item = {"jobId": "j2", "status": status, "input": "{}"}
    assert app.process_record(stream_record(item, event_name), FakeContext()) == "skipped"


def test_a_record_delivered_twice_runs_the_job_once(jobs_table, monkeypatch):
    item = pending_job(jobs_table, "j3")
    runs = []
    monkeypatch.setattr(app, "run_job", lambda job: runs.append(job["jobId"]) or {"ok": True})
    first = app.process_record(stream_record(item), FakeContext())
    second = app.process_record(stream_record(item), FakeContext())
    assert (first, second, runs) == ("complete", "duplicate", ["j3"])


def test_a_job_claimed_by_a_live_attempt_is_not_run_again(jobs_table, monkeypatch):
    item = pending_job(jobs_table, "j4")
    jobs_table.update_item(Key={"jobId": "j4"}, UpdateExpression="SET #s = :p, leaseUntil = :l",
                           ExpressionAttributeNames={"#s": "status"},
                           ExpressionAttributeValues={":p": "processing", ":l": app._now_ms() + 600_000})
    monkeypatch.setattr(app, "run_job", lambda job: pytest.fail("must not run"))
    assert app.process_record(stream_record(item), FakeContext()) == "duplicate"


def test_job_failed_marks_the_job_error_without_a_retry(jobs_table):
    item = pending_job(jobs_table, "j5", text="")
    result = app.handler({"Records": [stream_record(item)]}, FakeContext())
    assert result == {"batchItemFailures": []}
    job = status_of(jobs_table, "j5")
    assert job["status"] == "error" and "non-empty" in job["error"]


def test_transient_failure_releases_the_job_and_reports_the_record(jobs_table, monkeypatch):
    def flaky(job):
        raise TimeoutError("model endpoint timed out")

    monkeypatch.setattr(app, "run_job", flaky)
    first, second = pending_job(jobs_table, "j6"), pending_job(jobs_table, "j7")
    event = {"Records": [stream_record(first, seq="101"), stream_record(second, seq="102")]}
    result = app.handler(event, FakeContext())

    # the first failure is reported; the records after it are left for the retry (stream order)
    assert result == {"batchItemFailures": [{"itemIdentifier": "101"}]}
    assert status_of(jobs_table, "j6")["status"] == "pending"  # released: the retry can claim it
    assert status_of(jobs_table, "j7")["status"] == "pending"  # untouched


def test_retry_after_a_transient_failure_completes_the_job(jobs_table, monkeypatch):
    item = pending_job(jobs_table, "j8")
    calls = []

    def flaky_once(job):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("reset")
        return {"ok": True}

    monkeypatch.setattr(app, "run_job", flaky_once)
    assert app.handler({"Records": [stream_record(item)]}, FakeContext())["batchItemFailures"]
    assert app.handler({"Records": [stream_record(item)]}, FakeContext()) == {"batchItemFailures": []}
    job = status_of(jobs_table, "j8")
    assert job["status"] == "complete" and job["attempts"] == 2


def test_last_attempt_marks_the_job_error_instead_of_retrying_forever(jobs_table, monkeypatch):
    item = pending_job(jobs_table, "j9")
    monkeypatch.setattr(app, "run_job", lambda job: (_ for _ in ()).throw(RuntimeError("still down")))
    results = [app.handler({"Records": [stream_record(item)]}, FakeContext()) for _ in range(3)]
    assert [bool(r["batchItemFailures"]) for r in results] == [True, True, False]
    job = status_of(jobs_table, "j9")
    assert job["status"] == "error" and "gave up after 3 attempts" in job["error"]
