import json

import pytest
from botocore.stub import Stubber
from moto import mock_aws

from conftest import create_batches_table, load_function


@pytest.fixture
def child():
    with mock_aws():
        create_batches_table()
        module = load_function("child")
        module.table.put_item(Item={"batchId": "b-1", "sk": "BATCH", "status": "RUNNING", "totalItems": 3, "totalChunks": 2, "completedChunks": 0})
        with Stubber(module.lambda_client) as stubber:
            module.stubber = stubber
            yield module
            stubber.assert_no_pending_responses()


def message(message_id, index, items):
    return {"messageId": message_id, "body": json.dumps({"batchId": "b-1", "chunkIndex": index, "items": items})}


def batch(child):
    return child.table.get_item(Key={"batchId": "b-1", "sk": "BATCH"})["Item"]


def expect_aggregator(child):
    child.stubber.add_response(
        "invoke",
        {"StatusCode": 202},
        {"FunctionName": "aggregator-function", "InvocationType": "Event", "Payload": json.dumps({"batchId": "b-1"}).encode("utf-8")},
    )


def test_stores_the_chunk_result_and_counts_it(child, context):
    assert child.lambda_handler({"Records": [message("m1", 0, ["a", "bb"])]}, context) == {"batchItemFailures": []}

    stored = child.table.get_item(Key={"batchId": "b-1", "sk": "CHUNK#00000"})["Item"]
    assert json.loads(stored["results"]) == [{"item": "a", "length": 3}, {"item": "bb", "length": 4}]
    assert batch(child)["completedChunks"] == 1  # not the last chunk: no aggregator (the Stubber has no invoke)


def test_a_duplicate_chunk_is_neither_processed_nor_counted_again(child, context, monkeypatch):
    calls = []
    monkeypatch.setattr(child, "process_item", lambda batch_id, item: calls.append(item) or {"length": 1})

    child.lambda_handler({"Records": [message("m1", 0, ["a"])]}, context)
    child.lambda_handler({"Records": [message("m1-again", 0, ["a"])]}, context)

    assert calls == ["a"]
    assert batch(child)["completedChunks"] == 1
    assert batch(child)["doneChunks"] == {0}


def test_a_concurrent_duplicate_keeps_the_first_stored_result(child, context, monkeypatch):
    # Two deliveries of one chunk both find it unstored; the one that stores second must not overwrite it.
    def process(batch_id, item):
        child.table.put_item(Item={"batchId": "b-1", "sk": "CHUNK#00000", "results": json.dumps(["first"])})
        return {"item": item, "second": True}

    monkeypatch.setattr(child, "process_item", process)

    assert child.lambda_handler({"Records": [message("m2", 0, ["a"])]}, context) == {"batchItemFailures": []}

    stored = child.table.get_item(Key={"batchId": "b-1", "sk": "CHUNK#00000"})["Item"]
    assert json.loads(stored["results"]) == ["first"]
    assert batch(child)["completedChunks"] == 1


def test_the_last_chunk_starts_the_aggregator_asynchronously(child, context):
    expect_aggregator(child)

    child.lambda_handler({"Records": [message("m1", 0, ["a", "b"])]}, context)
    child.lambda_handler({"Records": [message("m2", 1, ["c"])]}, context)

    assert batch(child)["completedChunks"] == 2


def test_a_duplicate_of_the_last_chunk_does_not_start_the_aggregator_twice(child, context):
    expect_aggregator(child)  # exactly one invoke

    for record in [message("m1", 0, ["a"]), message("m2", 1, ["c"]), message("m2-again", 1, ["c"])]:
        child.lambda_handler({"Records": [record]}, context)

    assert batch(child)["completedChunks"] == 2


def test_a_stored_but_uncounted_chunk_is_counted_on_redelivery(child, context, monkeypatch):
    child.table.put_item(Item={"batchId": "b-1", "sk": "CHUNK#00000", "results": "[]"})  # the child died before counting
    monkeypatch.setattr(child, "process_item", lambda batch_id, item: pytest.fail("must not reprocess"))

    child.lambda_handler({"Records": [message("m1", 0, ["a"])]}, context)

    assert batch(child)["completedChunks"] == 1


def test_a_failed_chunk_is_reported_and_not_counted(child, context, monkeypatch):
    def boom(batch_id, item):
        raise RuntimeError("downstream unavailable")

    monkeypatch.setattr(child, "process_item", boom)

    result = child.lambda_handler({"Records": [message("m1", 0, ["a"])]}, context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert batch(child)["completedChunks"] == 0
    assert "Item" not in child.table.get_item(Key={"batchId": "b-1", "sk": "CHUNK#00000"})
