import json

import pytest

from processor import app


def task_created(payload, task_id="t1"):
    return {"version": "0", "id": "e-1", "source": "task-manager", "detail-type": "TaskCreated",
            "detail": {"eventId": "ev-1", "taskId": task_id, "taskType": "report-export",
                       "status": "CREATED", "payload": payload}}


def updates(bus):
    return [(e["detail-type"], e["source"], e["detail"]) for e in bus.published()]


def test_reports_running_then_successful_with_the_result(bus):
    assert app.handler(task_created({"rows": 3}), None) == {"taskId": "t1", "status": "SUCCESSFUL"}
    (t1, s1, d1), (t2, s2, d2) = updates(bus)
    assert (t1, s1, d1) == ("TaskUpdated", "task-processor", {"taskId": "t1", "status": "RUNNING"})
    assert (t2, d2["status"]) == ("TaskUpdated", "SUCCESSFUL")
    assert d2["result"]["rowsExported"] == 3


def test_task_failed_is_reported_as_failed_without_raising(bus):
    assert app.handler(task_created({"rows": "many"}), None)["status"] == "FAILED"
    running, failed = updates(bus)
    assert running[2]["status"] == "RUNNING"
    assert failed[2]["status"] == "FAILED" and "non-negative" in failed[2]["error"]


def test_unexpected_errors_propagate_so_lambda_retries(bus, monkeypatch):
    def crash(task_id, payload):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(app, "process_task", crash)
    with pytest.raises(ConnectionError):
        app.handler(task_created({"rows": 1}), None)
    assert [d["status"] for _, _, d in updates(bus)] == ["RUNNING"]  # no FAILED: a retry may still succeed


def test_a_result_too_big_for_an_event_goes_to_s3_and_the_event_points_at_it(bus, monkeypatch):
    import boto3

    boto3.client("s3").create_bucket(Bucket="test-results")
    big = {"rows": ["x" * 1000] * 300}  # about 300 KB: over an EventBridge event's 256 KB
    monkeypatch.setattr(app, "process_task", lambda task_id, payload: big)

    assert app.handler(task_created({"rows": 1}), None)["status"] == "SUCCESSFUL"

    successful = updates(bus)[-1][2]
    assert "result" not in successful
    location = successful["resultLocation"]
    assert (location["bucket"], location["key"]) == ("test-results", "results/t1.json")
    stored = boto3.client("s3").get_object(Bucket="test-results", Key="results/t1.json")["Body"].read()
    assert json.loads(stored) == big


def test_a_small_result_stays_in_the_event(bus):
    app.handler(task_created({"rows": 2}), None)
    successful = updates(bus)[-1][2]
    assert successful["result"]["rowsExported"] == 2 and "resultLocation" not in successful
