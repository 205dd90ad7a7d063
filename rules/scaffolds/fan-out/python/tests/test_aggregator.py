import json

import pytest
from moto import mock_aws

from conftest import create_batches_table, load_function


@pytest.fixture
def aggregator():
    with mock_aws():
        create_batches_table()
        module = load_function("aggregator")
        yield module


def put_batch(aggregator, completed, total=3, status="RUNNING"):
    aggregator.table.put_item(Item={"batchId": "b-1", "sk": "BATCH", "status": status, "totalItems": 5, "totalChunks": total, "completedChunks": completed})
    for index, results in enumerate([[{"item": "a", "length": 3}, {"item": "b", "length": 3}], [{"item": "cc", "length": 4}], [{"item": "d", "length": 3}]][:completed]):
        aggregator.table.put_item(Item={"batchId": "b-1", "sk": f"CHUNK#{index:05d}", "results": json.dumps(results)})


def batch(aggregator):
    return aggregator.table.get_item(Key={"batchId": "b-1", "sk": "BATCH"})["Item"]


def test_combines_every_chunk_in_order_and_completes_the_batch(aggregator, context, monkeypatch):
    seen = []
    real_combine = aggregator.combine
    monkeypatch.setattr(aggregator, "combine", lambda batch_id, chunks: seen.append(chunks) or real_combine(batch_id, chunks))
    put_batch(aggregator, completed=3)

    assert aggregator.lambda_handler({"batchId": "b-1"}, context) == {"batchId": "b-1", "status": "COMPLETE"}

    assert [[r["item"] for r in chunk] for chunk in seen[0]] == [["a", "b"], ["cc"], ["d"]]
    assert batch(aggregator)["status"] == "COMPLETE"
    assert json.loads(batch(aggregator)["result"]) == {"items": 4, "totalLength": 13}


def test_a_second_invocation_is_skipped(aggregator, context, monkeypatch):
    put_batch(aggregator, completed=3)
    aggregator.lambda_handler({"batchId": "b-1"}, context)
    monkeypatch.setattr(aggregator, "combine", lambda batch_id, chunks: pytest.fail("must not combine twice"))

    assert aggregator.lambda_handler({"batchId": "b-1"}, context) == {"batchId": "b-1", "skipped": True}


def test_an_unfinished_batch_is_not_combined(aggregator, context):
    put_batch(aggregator, completed=2)

    assert aggregator.lambda_handler({"batchId": "b-1"}, context)["skipped"] is True
    assert batch(aggregator)["status"] == "RUNNING"


def test_a_failed_combination_is_released_for_the_retry(aggregator, context, monkeypatch):
    put_batch(aggregator, completed=3)

    def broken(batch_id, chunks):
        raise RuntimeError("report bucket unavailable")

    monkeypatch.setattr(aggregator, "combine", broken)

    with pytest.raises(RuntimeError):
        aggregator.lambda_handler({"batchId": "b-1"}, context)
    assert batch(aggregator)["status"] == "RUNNING"
{{#if senderSlackCommand}}


def test_a_slash_commands_batch_result_is_posted_to_its_response_url(aggregator, context, monkeypatch):
    put_batch(aggregator, completed=3)
    url = "https://hooks.slack.com/commands/T1/1/abc"
    aggregator.table.update_item(Key={"batchId": "b-1", "sk": "BATCH"}, UpdateExpression="SET responseUrl = :u",
                                 ExpressionAttributeValues={":u": url})
    posted = []
    monkeypatch.setattr(aggregator.webhook_auth, "post_late_answer", lambda to, message: posted.append((to, message)))

    assert aggregator.lambda_handler({"batchId": "b-1"}, context)["status"] == "COMPLETE"

    assert posted == [(url, {"response_type": "ephemeral", "text": 'Batch b-1 complete: {"items": 4, "totalLength": 13}'})]


def test_a_late_answer_that_fails_leaves_the_batch_complete(aggregator, context):
    put_batch(aggregator, completed=3)

    def expired(to, message):
        raise RuntimeError("response_url answered 404")

    aggregator.table.update_item(Key={"batchId": "b-1", "sk": "BATCH"}, UpdateExpression="SET responseUrl = :u",
                                 ExpressionAttributeValues={":u": "https://hooks.slack.com/commands/T1/2/def"})
    assert aggregator.lambda_handler({"batchId": "b-1"}, context)["status"] == "COMPLETE"
    assert aggregator.announce("b-1", {}, post=expired) is False
    assert batch(aggregator)["status"] == "COMPLETE"
{{/if}}
