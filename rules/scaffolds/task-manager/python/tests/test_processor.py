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
