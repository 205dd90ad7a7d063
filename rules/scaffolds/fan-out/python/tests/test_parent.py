import json

import boto3
import pytest
from moto import mock_aws

from conftest import create_batches_table, load_function


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


def submit(parent, context, items, key="batch-1"):
    event = {"httpMethod": "POST", "headers": {"Idempotency-Key": key}, "body": json.dumps({"items": items})}
    result = parent.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])


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
