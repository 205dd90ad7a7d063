import json

import boto3
from boto3.dynamodb.types import TypeSerializer
from botocore.stub import ANY, Stubber

from publisher import app

_ser = TypeSerializer()


def record(event_name, new=None, old=None, seq="100"):
    dyn = {"Keys": {"taskId": {"S": (new or old)["taskId"]}}, "SequenceNumber": seq,
           "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new is not None:
        dyn["NewImage"] = {k: _ser.serialize(v) for k, v in new.items()}
    if old is not None:
        dyn["OldImage"] = {k: _ser.serialize(v) for k, v in old.items()}
    return {"eventID": f"ev-{seq}", "eventName": event_name, "eventSource": "aws:dynamodb", "dynamodb": dyn}


TASK = {"taskId": "t1", "taskType": "report-export", "payload": json.dumps({"rows": 5}),
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}


def with_status(status, **extra):
    return {**TASK, "status": status, **extra}


def test_insert_publishes_task_created_with_the_task_type(bus):
    res = app.handler({"Records": [record("INSERT", with_status("CREATED"))]}, None)
    assert res == {"batchItemFailures": []}
    [event] = bus.published()
    assert event["source"] == "task-manager" and event["detail-type"] == "TaskCreated"
    assert event["detail"]["taskType"] == "report-export"
    assert event["detail"]["taskId"] == "t1" and event["detail"]["payload"] == {"rows": 5}
    assert event["detail"]["eventId"] == "ev-100"


def test_status_changes_publish_running_successful_and_failed(bus):
    records = [
        record("MODIFY", with_status("RUNNING"), with_status("CREATED"), seq="101"),
        record("MODIFY", with_status("SUCCESSFUL", result=json.dumps({"ok": 1})), with_status("RUNNING"), seq="102"),
        record("MODIFY", {**with_status("FAILED", error="boom"), "taskId": "t2"},
               {**with_status("RUNNING"), "taskId": "t2"}, seq="103"),
    ]
    app.handler({"Records": records}, None)
    events = bus.published()
    assert [e["detail-type"] for e in events] == ["TaskRunning", "TaskSuccessful", "TaskFailed"]
    assert events[1]["detail"]["result"] == {"ok": 1}
    assert events[2]["detail"]["error"] == "boom"
    assert all(e["detail"]["taskType"] == "report-export" for e in events)


def test_changes_that_are_not_status_changes_publish_nothing(bus):
    records = [
        record("MODIFY", with_status("RUNNING", note="progress 50%"), with_status("RUNNING")),
        record("REMOVE", old=with_status("SUCCESSFUL")),
        record("INSERT", with_status("RUNNING")),
    ]
    assert app.handler({"Records": records}, None) == {"batchItemFailures": []}
    assert bus.published() == []


def test_more_than_ten_records_are_sent_in_chunks(bus):
    records = [record("INSERT", {**with_status("CREATED"), "taskId": f"t{i}"}, seq=str(100 + i)) for i in range(12)]
    assert app.handler({"Records": records}, None) == {"batchItemFailures": []}
    assert sorted(e["detail"]["taskId"] for e in bus.published()) == sorted(f"t{i}" for i in range(12))


def test_a_rejected_entry_reports_its_record_for_retry(aws):
    client = boto3.client("events")
    app._clients["events"] = client
    with Stubber(client) as stub:
        stub.add_response("put_events", {"FailedEntryCount": 1, "Entries": [
            {"EventId": "e1"}, {"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}, {"EventId": "e3"}]},
            {"Entries": ANY})
        records = [record("INSERT", {**with_status("CREATED"), "taskId": f"t{i}"}, seq=str(200 + i)) for i in range(3)]
        assert app.handler({"Records": records}, None) == {"batchItemFailures": [{"itemIdentifier": "201"}]}
        stub.assert_no_pending_responses()
