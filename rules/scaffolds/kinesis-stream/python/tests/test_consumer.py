import base64
import json

import boto3
import pytest
from moto import mock_aws

from consumer import app


class FakeContext:
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self):
        return 60_000


@pytest.fixture
def aws():
    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="test-processed-events",
            KeySchema=[{"AttributeName": "eventId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "eventId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sqs = boto3.client("sqs")
        sqs.create_queue(QueueName="test-failed-records")
        app._clients.clear()
        yield table, sqs
        app._clients.clear()


def kinesis_record(payload, seq, raw=None):
    data = raw if raw is not None else base64.b64encode(json.dumps(payload).encode()).decode()
    return {"eventID": f"shardId-000000000000:{seq}", "eventName": "aws:kinesis:record",
            "eventSource": "aws:kinesis", "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "kinesis": {"partitionKey": "user-1", "sequenceNumber": seq, "data": data,
                        "approximateArrivalTimestamp": 1795435200.0, "kinesisSchemaVersion": "1.0"}}


def parked(sqs):
    msgs = sqs.receive_message(QueueUrl=app.FAILED_QUEUE_URL, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in msgs]


def test_processes_every_record_in_order(aws, monkeypatch):
    seen = []
    monkeypatch.setattr(app, "process_event", lambda event_id, event: seen.append(event_id))
    records = [kinesis_record({"eventId": f"e{i}", "type": "click"}, str(100 + i)) for i in range(3)]
    assert app.handler({"Records": records}, FakeContext()) == {"batchItemFailures": []}
    assert seen == ["e0", "e1", "e2"]
    table, _ = aws
    assert table.get_item(Key={"eventId": "e1"})["Item"]["status"] == "DONE"


def test_failure_returns_the_first_failed_sequence_number_and_stops(aws, monkeypatch):
    seen = []

    def flaky(event_id, event):
        if event_id == "e1":
            raise TimeoutError("downstream timed out")
        seen.append(event_id)

    monkeypatch.setattr(app, "process_event", flaky)
    records = [kinesis_record({"eventId": f"e{i}", "type": "click"}, str(100 + i)) for i in range(3)]
    assert app.handler({"Records": records}, FakeContext()) == {"batchItemFailures": [{"itemIdentifier": "101"}]}
    assert seen == ["e0"]  # e2 is left for the retry, which starts at 101
    table, _ = aws
    assert "Item" not in table.get_item(Key={"eventId": "e1"})  # released for the retry


def test_retry_of_the_batch_skips_events_already_processed(aws, monkeypatch):
    calls = []
    fail = {"e1": 1}

    def flaky_once(event_id, event):
        calls.append(event_id)
        if fail.pop(event_id, 0):
            raise ConnectionError("reset")

    monkeypatch.setattr(app, "process_event", flaky_once)
    records = [kinesis_record({"eventId": f"e{i}", "type": "click"}, str(100 + i)) for i in range(3)]
    assert app.handler({"Records": records}, FakeContext())["batchItemFailures"] == [{"itemIdentifier": "101"}]
    # Lambda retries from 101; a producer retry also re-sent e0 under a new sequence number
    retry = [kinesis_record({"eventId": "e0", "type": "click"}, "099")] + records[1:]
    assert app.handler({"Records": retry}, FakeContext()) == {"batchItemFailures": []}
    assert calls == ["e0", "e1", "e1", "e2"]


def test_event_id_falls_back_to_the_kinesis_event_id(aws, monkeypatch):
    seen = []
    monkeypatch.setattr(app, "process_event", lambda event_id, event: seen.append(event_id))
    app.handler({"Records": [kinesis_record({"type": "click"}, "200")]}, FakeContext())
    assert seen == ["shardId-000000000000:200"]


def test_poison_records_are_parked_with_their_data_and_the_batch_goes_on(aws):
    _, sqs = aws
    records = [kinesis_record(None, "300", raw="bm90IGpzb24="),  # "not json"
               kinesis_record({"eventId": "e9"}, "301"),  # no type: the demo's PoisonRecord
               kinesis_record({"eventId": "e10", "type": "click"}, "302")]
    assert app.handler({"Records": records}, FakeContext()) == {"batchItemFailures": []}
    bodies = parked(sqs)
    assert sorted(b["sequenceNumber"] for b in bodies) == ["300", "301"]
    assert all(b["data"] for b in bodies)
    table, _ = aws
    assert table.get_item(Key={"eventId": "e9"})["Item"]["status"] == "PARKED"
    assert table.get_item(Key={"eventId": "e10"})["Item"]["status"] == "DONE"


def test_event_in_progress_elsewhere_is_not_processed_twice(aws, monkeypatch):
    table, _ = aws
    table.put_item(Item={"eventId": "e5", "status": "IN_PROGRESS", "owner": "other",
                         "leaseUntil": 99_999_999_999_999})
    monkeypatch.setattr(app, "process_event", lambda *a: pytest.fail("must not run twice"))
    assert app.handler({"Records": [kinesis_record({"eventId": "e5", "type": "x"}, "400")]},
                       FakeContext()) == {"batchItemFailures": []}


def test_a_poison_record_that_cannot_be_parked_is_retried_not_lost(aws, monkeypatch):
    def queue_down(record, reason):
        raise ConnectionError("sqs unreachable")

    monkeypatch.setattr(app, "park", queue_down)
    records = [kinesis_record({"eventId": "e11"}, "500")]  # no type: PoisonRecord
    assert app.handler({"Records": records}, FakeContext()) == {"batchItemFailures": [{"itemIdentifier": "500"}]}
    table, _ = aws
    assert "Item" not in table.get_item(Key={"eventId": "e11"})  # the retry will park it
