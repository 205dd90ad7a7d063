import json
{{#if triggerEvent}}
import pathlib
{{/if}}

import boto3
import pytest
from moto import mock_aws

from conftest import create_batches_table, load_function
{{#if webhook}}
from webhook_signing import sample_payload, signed_event, uses_timestamp
{{/if}}


@pytest.fixture
def parent(monkeypatch):
    with mock_aws():
        create_batches_table()
        queue_url = boto3.client("sqs").create_queue(QueueName="chunks")["QueueUrl"]
        monkeypatch.setenv("QUEUE_URL", queue_url)
        module = load_function("parent")
        module.test_queue_url = queue_url
        yield module


def queued(parent):
    """Receives (and so hides) every message on the chunk queue, in chunk order."""
    sqs, messages = boto3.client("sqs"), []
    while True:
        received = sqs.receive_message(QueueUrl=parent.test_queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not received:
            return sorted((json.loads(m["Body"]) for m in messages), key=lambda m: m["chunkIndex"])
        messages.extend(received)


{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
def submit(parent, context, items, key="batch-1"):
    event = {"httpMethod": "POST", "headers": {"Idempotency-Key": key}, "body": json.dumps({"items": items})}
    result = parent.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])
{{/unless}}
{{/unless}}
{{/unless}}


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [(25, 10, [10, 10, 5]), (20, 10, [10, 10]), (1, 10, [1]), (0, 10, []), (7, 1, [1] * 7)],
)
def test_chunking_math(parent, count, size, sizes):
    chunks = parent.chunk(list(range(count)), size)

    assert [len(c) for c in chunks] == sizes
    assert [x for c in chunks for x in c] == list(range(count))  # order kept, nothing lost or repeated


def test_chunk_size_must_be_positive(parent):
    with pytest.raises(ValueError):
        parent.chunk([1], 0)


{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#unless webhook}}
def test_fans_out_one_message_per_chunk_and_answers_202(parent, context):
    items = [f"item-{n}" for n in range(25)]  # CHUNK_SIZE is 10 in the tests

    status, body = submit(parent, context, items)

    assert status == 202
    assert body == {"batchId": "batch-1", "status": "RUNNING", "totalItems": 25, "totalChunks": 3}
    messages = queued(parent)
    assert [m["chunkIndex"] for m in messages] == [0, 1, 2]
    assert [m["items"] for m in messages] == [items[0:10], items[10:20], items[20:25]]
    batch = parent.table.get_item(Key={"batchId": "batch-1", "sk": "BATCH"})["Item"]
    assert (batch["status"], batch["totalChunks"], batch["completedChunks"]) == ("RUNNING", 3, 0)


def test_a_retried_submission_does_not_fan_out_twice(parent, context):
    submit(parent, context, list(range(25)))
    queued(parent)  # drain

    status, body = submit(parent, context, list(range(25)))

    assert status == 202
    assert body["status"] == "RUNNING"
    assert queued(parent) == []


def test_a_submission_that_failed_half_way_is_sent_again(parent, context):
    parent.table.put_item(Item={"batchId": "batch-1", "sk": "BATCH", "status": "SUBMITTING", "totalItems": 25, "totalChunks": 3, "completedChunks": 0})

    submit(parent, context, list(range(25)))

    assert [m["chunkIndex"] for m in queued(parent)] == [0, 1, 2]


def test_empty_and_oversized_batches_are_refused(parent, context):
    assert submit(parent, context, [])[0] == 400
    assert submit(parent, context, list(range(101)))[0] == 413  # MAX_ITEMS is 100 in the tests
    assert queued(parent) == []


{{/unless}}
{{/unless}}
{{/unless}}
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
def test_progress_of_a_batch(parent, context):
    parent.table.put_item(Item={
        "batchId": "b-9", "sk": "BATCH", "status": "COMPLETE", "totalItems": 25, "totalChunks": 3,
        "completedChunks": 3, "result": '{"items": 25}',
    })

    result = parent.lambda_handler({"httpMethod": "GET", "pathParameters": {"batchId": "b-9"}}, None)

    assert json.loads(result["body"]) == {
        "batchId": "b-9", "status": "COMPLETE", "totalItems": 25, "totalChunks": 3, "completedChunks": 3, "result": {"items": 25},
    }
    assert parent.lambda_handler({"httpMethod": "GET", "pathParameters": {"batchId": "nope"}}, None)["statusCode"] == 404
{{/unless}}
{{/unless}}
{{#if webhook}}


SECRET = "test-signing-secret"
SENDER = "{{sender}}"


def delivery(delivery_id, payload=None, secret=SECRET, **options):
    """A delivery signed as the sender signs it, through the REST API's POST /webhook route."""
    body = payload if payload is not None else sample_payload(SENDER, delivery_id)
    return {**signed_event(SENDER, body, secret, delivery_id=delivery_id, **options), "httpMethod": "POST"}


def test_a_signed_delivery_fans_out_its_items_as_the_batch_named_by_its_delivery_id(parent, context):
    result = parent.lambda_handler(delivery("d-1"), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"])["batchId"] == "d-1"
    [message] = queued(parent)  # the delivery itself is the one item (items_of)
    assert message["batchId"] == "d-1" and message["items"] == [sample_payload(SENDER, "d-1")]
    batch = parent.table.get_item(Key={"batchId": "d-1", "sk": "BATCH"})["Item"]
    assert batch["deliveryId"] == "d-1" and batch["totalChunks"] == 1
{{#if senderSlackCommand}}
    assert json.loads(result["body"])["response_type"] == "ephemeral"  # the command's receipt, at once
    assert batch["responseUrl"] == sample_payload(SENDER, "d-1")["response_url"]  # the aggregator answers there
{{/if}}


def test_a_redelivery_fans_out_nothing_new(parent, context):
    for _ in range(2):
        assert parent.lambda_handler(delivery("d-2"), context)["statusCode"] == 200
    assert len(queued(parent)) == 1


@pytest.mark.parametrize("change", ["wrong secret", "missing", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_fans_out_nothing(parent, context, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the delivery-id dedupe stops replays")
    options = {"wrong secret": {"secret": "another-secret"}, "missing": {"unsigned": True}, "stale": {"now": 1_000_000_000}}[change]
    assert parent.lambda_handler(delivery("d-3", **options), context)["statusCode"] == 401
    assert queued(parent) == []
{{#if senderSlackEvents}}


def test_slacks_url_verification_is_answered_with_its_challenge(parent, context):
    result = parent.lambda_handler(delivery(None, {"type": "url_verification", "challenge": "c-42"}), context)
    assert result["statusCode"] == 200 and json.loads(result["body"]) == {"challenge": "c-42"}
    assert queued(parent) == []
{{/if}}
{{/if}}
{{#if triggerEvent}}


def object_created(bucket, key, sequencer="00617F08299329D189"):
    event = json.loads((pathlib.Path(__file__).parents[1] / "events" / "object-created.json").read_text())
    event["detail"]["bucket"]["name"], event["detail"]["object"]["key"] = bucket, key
    event["detail"]["object"]["sequencer"] = sequencer
    return event


def test_an_object_created_event_fans_out_the_batch_file_once(parent, context):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    items = [f"item-{n}" for n in range(25)]
    s3.put_object(Bucket="uploads", Key="in/batch.json", Body=json.dumps({"items": items}))

    outcome = parent.lambda_handler(object_created("uploads", "in/batch.json"), context)
    again = parent.lambda_handler(object_created("uploads", "in/batch.json"), context)  # EventBridge redelivers

    batch_id = "s3://uploads/in/batch.json#00617F08299329D189"
    assert outcome == {"batchId": batch_id, "status": "RUNNING", "totalItems": 25, "totalChunks": 3}
    assert again["batchId"] == batch_id and again["status"] == "RUNNING"
    messages = queued(parent)
    assert [m["items"] for m in messages] == [items[0:10], items[10:20], items[20:25]]  # sent once
    assert parent.table.get_item(Key={"batchId": batch_id, "sk": "BATCH"})["Item"]["source"] == "s3://uploads/in/batch.json"


def test_a_json_array_is_a_batch_and_a_bad_file_fails_the_invocation(parent, context):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    s3.put_object(Bucket="uploads", Key="a.json", Body=json.dumps([1, 2, 3]))
    s3.put_object(Bucket="uploads", Key="bad.json", Body=b"not json")

    assert parent.lambda_handler(object_created("uploads", "a.json"), context)["totalItems"] == 3
    with pytest.raises(parent.BadRequest):  # Lambda retries it, then FailedStartsQueue holds the event
        parent.lambda_handler(object_created("uploads", "bad.json", "0062"), context)
{{/if}}
{{#if triggerSchedule}}


def scheduled(time):
    return {"scheduledTime": time, "executionId": "e-1"}


def test_a_scheduled_run_fans_out_its_items_once_per_scheduled_time(parent, context, monkeypatch):
    monkeypatch.setattr(parent, "ITEMS_PER_RUN", 25)
    outcome = parent.lambda_handler(scheduled("2026-11-23T06:00:00Z"), context)
    retried = parent.lambda_handler(scheduled("2026-11-23T06:00:00Z"), context)  # Scheduler's retry of that run

    assert outcome == {"batchId": "run-2026-11-23T06:00:00Z", "status": "RUNNING", "totalItems": 25, "totalChunks": 3}
    assert retried["batchId"] == outcome["batchId"]
    assert len(queued(parent)) == 3
    assert parent.lambda_handler(scheduled("2026-11-23T12:00:00Z"), context)["batchId"] == "run-2026-11-23T12:00:00Z"
    assert len(queued(parent)) == 3  # the next run is a batch of its own
{{/if}}
