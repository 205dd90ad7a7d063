import json

import boto3
import pytest
from moto import mock_aws

from conftest import FakeContext, load_function


@pytest.fixture
def env():
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="items",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module = load_function("item")
        module.runs = []
        real = module.process_item

        def counting(item):
            module.runs.append(item)
            return real(item)

        module.process_item = counting
        yield module


def event(item, batch="incoming-bucket/incoming/orders.csv@etag1", index=0):
{{#if triggerSchedule}}
    # the scheduled batch lists objects: an item is a listing entry {"Key", "Size", ...}, named by its key
    if "id" in item:
        item = {"Key": item["id"], "Size": 12, **{k: v for k, v in item.items() if k != "id"}}
{{/if}}
    return {"batchId": batch, "index": index, "item": item}


def stored(module, pk):
    return module.table.get_item(Key={"pk": pk}, ConsistentRead=True).get("Item")


def test_processes_an_item_and_records_the_result(env, context):
    result = env.lambda_handler(event({"id": "o-1", "total": "12.50"}), context)

{{#if triggerSchedule}}
    expected = {"key": "o-1", "size": 12}
{{else}}
    expected = {"id": "o-1", "fields": 2}
{{/if}}
    assert result == {"itemId": "o-1", "status": "DONE", "duplicate": False, "result": expected}
    row = stored(env, "incoming-bucket/incoming/orders.csv@etag1#o-1")
    assert row["status"] == "DONE" and json.loads(row["result"]) == expected
    assert "leaseUntil" not in row and row["expiresAt"] > 0


def test_a_second_delivery_returns_the_stored_result_without_running_the_work(env, context):
    first = env.lambda_handler(event({"id": "o-1"}), context)
    again = env.lambda_handler(event({"id": "o-1"}), FakeContext("another-request"))

    assert len(env.runs) == 1, "the work ran once"
    assert again["duplicate"] is True and again["result"] == first["result"]


def test_the_same_item_in_another_batch_is_processed_again(env, context):
    env.lambda_handler(event({"id": "o-1"}), context)
    env.lambda_handler(event({"id": "o-1"}, batch="incoming-bucket/incoming/orders.csv@etag2"), context)

    assert len(env.runs) == 2


def test_an_item_claimed_by_a_live_delivery_is_retried_later_not_run_twice(env, context):
    now = int(env.clock())
    env.table.put_item(Item={"pk": "b#o-1", "status": "IN_PROGRESS", "owner": "other", "leaseUntil": now + 200, "expiresAt": now + 999})

    with pytest.raises(env.ItemInProgress):
        env.lambda_handler(event({"id": "o-1"}, batch="b"), context)

    assert env.runs == []
    assert stored(env, "b#o-1")["owner"] == "other"


def test_an_expired_claim_is_taken_over(env, context):
    now = int(env.clock())
    env.table.put_item(Item={"pk": "b#o-1", "status": "IN_PROGRESS", "owner": "crashed", "leaseUntil": now - 1, "expiresAt": now + 999})

    result = env.lambda_handler(event({"id": "o-1"}, batch="b"), context)

    assert result["status"] == "DONE" and len(env.runs) == 1
    assert stored(env, "b#o-1")["owner"] == context.aws_request_id


def test_a_failed_item_gives_its_claim_back_and_fails_the_child(env, context):
    with pytest.raises(env.BadItem):
        env.lambda_handler(event({"total": "3"}, batch="b", index=7), context)

    assert stored(env, "b#row-7") is None, "the claim is released so a retry can take it"


def test_a_late_owner_cannot_overwrite_the_result_of_the_one_that_took_over(env, context):
    key = {"pk": "b#o-1"}
    owner = env.claim(key, FakeContext("slow"))
    env.table.update_item(Key=key, UpdateExpression="SET #o = :o", ExpressionAttributeNames={"#o": "owner"},
                          ExpressionAttributeValues={":o": "took-over"})

    with pytest.raises(env.ClientError):
        env.complete(key, owner, {"late": True})

    assert stored(env, "b#o-1")["status"] == "IN_PROGRESS"


def test_an_event_without_batch_or_item_is_refused(env, context):
    with pytest.raises(env.BadItem):
        env.lambda_handler({"item": {"id": "x"}}, context)
    with pytest.raises(env.BadItem):
        env.lambda_handler({"batchId": "b", "item": "not an object"}, context)
