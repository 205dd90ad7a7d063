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
