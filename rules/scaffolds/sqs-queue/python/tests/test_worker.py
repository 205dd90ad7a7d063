import json

import boto3
import pytest
from moto import mock_aws

from conftest import load_function


@pytest.fixture
def worker():
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="tasks",
            AttributeDefinitions=[{"AttributeName": "taskId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "taskId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield load_function("worker")


{{#unless triggerEvent}}
def record(message_id, task_id, payload=None):
    return {"messageId": message_id, "body": json.dumps({"taskId": task_id, "payload": payload or {"n": 1}})}


def status_of(worker, task_id):
    return worker.table.get_item(Key={"taskId": task_id}).get("Item", {}).get("status")


def test_reports_only_the_failed_message(worker, context, monkeypatch):
    def process(task_id, payload):
        if task_id == "t2":
            raise RuntimeError("boom")
        return {"ok": task_id}

    monkeypatch.setattr(worker, "process_task", process)
    event = {"Records": [record("m1", "t1"), record("m2", "t2"), record("m3", "t3")]}

    result = worker.lambda_handler(event, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert status_of(worker, "t1") == "DONE"
    assert status_of(worker, "t3") == "DONE"
    # The failed task's claim is released, so the redelivered message can run it again.
    assert status_of(worker, "t2") is None


def test_a_throttled_write_fails_only_its_message(worker, context, monkeypatch):
    from botocore.exceptions import ClientError

    real_put = worker.table.put_item

    def put_item(**kwargs):
        if kwargs["Item"]["taskId"] == "t2":
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem")
        return real_put(**kwargs)

    monkeypatch.setattr(worker.table, "put_item", put_item)
    event = {"Records": [record("m1", "t1"), record("m2", "t2"), record("m3", "t3")]}

    result = worker.lambda_handler(event, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert status_of(worker, "t1") == "DONE"
    assert status_of(worker, "t3") == "DONE"


def test_duplicate_delivery_is_skipped(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: calls.append(task_id) or {})

    first = worker.lambda_handler({"Records": [record("m1", "t1")]}, context)
    again = worker.lambda_handler({"Records": [record("m1-redelivered", "t1")]}, context)

    assert first == {"batchItemFailures": []}
    assert again == {"batchItemFailures": []}
    assert calls == ["t1"]


def test_task_held_by_another_worker_goes_back_to_the_queue(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: calls.append(task_id) or {})
    assert worker.claim_task("t1", "other-message") == "claimed"

    result = worker.lambda_handler({"Records": [record("m1", "t1")]}, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert calls == []


def test_expired_claim_is_taken_over(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "LEASE_SECONDS", -1)  # the first claim is already stale
    assert worker.claim_task("t1", "crashed-worker-message") == "claimed"

    result = worker.lambda_handler({"Records": [record("m1", "t1")]}, context)

    assert result == {"batchItemFailures": []}
    assert status_of(worker, "t1") == "DONE"


def test_unreadable_message_is_reported_failed(worker, context):
    event = {"Records": [{"messageId": "bad", "body": "not json"}, record("m2", "t2")]}

    result = worker.lambda_handler(event, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert status_of(worker, "t2") == "DONE"


def test_result_is_stored_with_a_ttl(worker, context):
    worker.lambda_handler({"Records": [record("m1", "t1", {"b": 2, "a": 1})]}, context)

    item = worker.table.get_item(Key={"taskId": "t1"})["Item"]
    assert json.loads(item["result"]) == {"taskId": "t1", "fields": ["a", "b"]}
    assert item["expiresAt"] > item["doneAt"]
{{#if webhook}}


def test_a_slash_commands_task_posts_its_late_answer_to_the_response_url(worker, context, monkeypatch):
    posted = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(worker, "opener", lambda request, timeout: posted.append((request.full_url, json.loads(request.data))) or Answer())
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: {"report": payload["text"]})
    body = {"taskId": "trig-1", "payload": {"text": "weekly"}, "responseUrl": "https://hooks.slack.com/commands/T1/1/abc"}

    result = worker.lambda_handler({"Records": [{"messageId": "m1", "body": json.dumps(body)}]}, context)

    assert result == {"batchItemFailures": []}
    assert posted == [("https://hooks.slack.com/commands/T1/1/abc", {"response_type": "in_channel", "text": '{"report": "weekly"}'})]
    assert status_of(worker, "trig-1") == "DONE"
{{/if}}
{{/unless}}
{{#if triggerEvent}}
def s3_message(message_id, key="exports/orders+7.csv", sequencer="0A1B2C3D4E5F678901", event_name="ObjectCreated:Put"):
    """An SQS message carrying the S3 event notification of one object (the key URL-encoded: "+" is a space)."""
    notification = {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": event_name,
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "ObjectCreated",
               "bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
               "object": {"key": key, "size": 42, "eTag": "abc", "sequencer": sequencer}},
    }]}
    return {"messageId": message_id, "body": json.dumps(notification), "eventSource": "aws:sqs"}


TASK = "uploads/exports/orders 7.csv#0A1B2C3D4E5F678901"


def status_of(worker, task_id):
    return worker.table.get_item(Key={"taskId": task_id}).get("Item", {}).get("status")


def test_an_s3_record_in_a_message_is_a_task_with_the_object(worker, context, monkeypatch):
    seen = []
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: seen.append((task_id, payload)) or {"rows": 3})

    assert worker.lambda_handler({"Records": [s3_message("m1")]}, context) == {"batchItemFailures": []}

    assert seen == [(TASK, {"bucket": "uploads", "key": "exports/orders 7.csv", "size": 42})]
    item = worker.table.get_item(Key={"taskId": TASK})["Item"]
    assert item["status"] == "DONE" and json.loads(item["result"]) == {"rows": 3}
    assert item["expiresAt"] > item["doneAt"]


def test_s3s_test_event_is_acknowledged_and_runs_nothing(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: pytest.fail("must not run"))
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2024-06-01T12:00:00.000Z",
                  "Bucket": "uploads", "RequestId": "5582815E1AEA5ADF", "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}

    result = worker.lambda_handler({"Records": [{"messageId": "t", "body": json.dumps(test_event)}]}, context)

    assert result == {"batchItemFailures": []}
    assert worker.table.scan()["Items"] == []


def test_a_redelivered_s3_event_runs_once_and_a_new_upload_again(worker, context, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: calls.append(task_id) or {})

    worker.lambda_handler({"Records": [s3_message("m1")]}, context)
    again = worker.lambda_handler({"Records": [s3_message("m1-redelivered")]}, context)
    worker.lambda_handler({"Records": [s3_message("m2", sequencer="0A1B2C3D4E5F678999")]}, context)

    assert again == {"batchItemFailures": []}
    assert calls == [TASK, "uploads/exports/orders 7.csv#0A1B2C3D4E5F678999"]


def test_a_failed_task_fails_only_its_message_and_releases_its_claim(worker, context, monkeypatch):
    def process(task_id, payload):
        if payload["key"] == "b.csv":
            raise RuntimeError("boom")
        return {"ok": True}

    monkeypatch.setattr(worker, "process_task", process)
    event = {"Records": [s3_message("m1", "a.csv"), s3_message("m2", "b.csv"), {"messageId": "bad", "body": "not json"}]}

    result = worker.lambda_handler(event, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "bad"}]}
    assert status_of(worker, "uploads/a.csv#0A1B2C3D4E5F678901") == "DONE"
    assert status_of(worker, "uploads/b.csv#0A1B2C3D4E5F678901") is None  # the redelivery can run it again


def test_an_object_held_by_another_worker_goes_back_to_the_queue(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: pytest.fail("must not run"))
    assert worker.claim_task(TASK, "other-message") == "claimed"

    assert worker.lambda_handler({"Records": [s3_message("m1")]}, context) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_other_s3_event_types_run_nothing(worker, context, monkeypatch):
    monkeypatch.setattr(worker, "process_task", lambda task_id, payload: pytest.fail("must not run"))

    result = worker.lambda_handler({"Records": [s3_message("m1", event_name="ObjectRemoved:Delete")]}, context)

    assert result == {"batchItemFailures": []}
{{/if}}
