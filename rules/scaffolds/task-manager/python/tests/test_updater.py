import json

import pytest

from updater import app


def task_updated(task_id, status, **fields):
    return {"source": "task-processor", "detail-type": "TaskUpdated",
            "detail": {"taskId": task_id, "status": status, **fields}}


def seed(table, task_id, status):
    table.put_item(Item={"taskId": task_id, "taskType": "report-export", "status": status})


def status(table, task_id):
    return table.get_item(Key={"taskId": task_id})["Item"]


def test_forward_transitions_are_applied(task_table):
    seed(task_table, "t1", "CREATED")
    assert app.handler(task_updated("t1", "RUNNING"), None) == {"applied": True}
    assert app.handler(task_updated("t1", "SUCCESSFUL", result={"rows": 3}), None) == {"applied": True}
    item = status(task_table, "t1")
    assert item["status"] == "SUCCESSFUL" and json.loads(item["result"]) == {"rows": 3}
    assert "startedAt" in item and "completedAt" in item


@pytest.mark.parametrize("current,update", [("RUNNING", "RUNNING"), ("SUCCESSFUL", "RUNNING"),
                                            ("SUCCESSFUL", "FAILED"), ("FAILED", "SUCCESSFUL")])
def test_repeated_or_backward_updates_are_dropped(task_table, current, update):
    seed(task_table, "t2", current)
    assert app.handler(task_updated("t2", update, error="late"), None) == {"applied": False}
    assert status(task_table, "t2")["status"] == current


def test_update_for_an_unknown_task_creates_nothing(task_table):
    assert app.handler(task_updated("ghost", "RUNNING"), None) == {"applied": False}
    assert "Item" not in task_table.get_item(Key={"taskId": "ghost"})


def test_unknown_status_is_ignored(task_table):
    seed(task_table, "t3", "CREATED")
    assert app.handler(task_updated("t3", "PAUSED"), None) == {"applied": False}


@pytest.mark.parametrize("source", ["task-manager", "someone-else", None])
def test_a_task_updated_from_anyone_but_a_processor_is_ignored(task_table, source):
    seed(task_table, "t1", "RUNNING")
    forged = {**task_updated("t1", "SUCCESSFUL", result={"x": 1}), "source": source}

    assert app.handler(forged, None) == {"applied": False}
    assert status(task_table, "t1")["status"] == "RUNNING"


def test_a_result_in_s3_is_recorded_as_its_location(task_table):
    seed(task_table, "t6", "RUNNING")
    location = {"bucket": "results", "key": "results/t6.json", "bytes": 300000}
    event = {"source": "task-processor", "detail-type": "TaskUpdated",
             "detail": {"taskId": "t6", "status": "SUCCESSFUL", "resultLocation": location}}

    assert app.handler(event, None) == {"applied": True}
    item = status(task_table, "t6")
    assert item["status"] == "SUCCESSFUL" and json.loads(item["resultLocation"]) == location and "result" not in item


def test_processor_invocation_failure_marks_the_task_failed(task_table):
    seed(task_table, "t4", "RUNNING")
    failure = {"source": "lambda", "detail-type": "Lambda Function Invocation Result - Failure",
               "detail": {"requestContext": {"condition": "RetriesExhausted", "approximateInvokeCount": 3},
                          "requestPayload": {"detail-type": "TaskCreated", "detail": {"taskId": "t4"}},
                          "responsePayload": {"errorType": "ConnectionError", "errorMessage": "database unreachable"}}}
    assert app.handler(failure, None) == {"applied": True}
    item = status(task_table, "t4")
    assert item["status"] == "FAILED" and "database unreachable" in item["error"]
