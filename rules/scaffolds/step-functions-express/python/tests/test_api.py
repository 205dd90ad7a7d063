import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from conftest import load_function

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:workflow"


@pytest.fixture
def api():
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="results",
            AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module = load_function("api")
        with Stubber(module.sfn) as stubber:
            module.stubber = stubber
            yield module
            stubber.assert_no_pending_responses()


def post(api, context, order, key="order-1"):
    event = {"httpMethod": "POST", "headers": {"Idempotency-Key": key}, "body": json.dumps(order)}
    result = api.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])


def workflow_input(request_id, order):
    return json.dumps({"requestId": request_id, "input": order})


def test_async_mode_starts_the_execution_and_answers_202(api, context):
    order = {"items": [{"sku": "A", "quantity": 1}]}
    api.stubber.add_response(
        "start_execution",
        {"executionArn": f"{ARN}:exec-1", "startDate": "2024-06-01T00:00:00Z"},
        {"stateMachineArn": ARN, "input": workflow_input("order-1", order)},
    )

    status, body = post(api, context, order)

    assert status == 202
    assert body == {"requestId": "order-1", "status": "RUNNING"}


def test_a_request_with_an_outcome_is_not_started_again(api, context):
    api.table.put_item(Item={"requestId": "order-1", "status": "SUCCEEDED", "result": '{"units": 1}'})

    status, body = post(api, context, {"items": []})  # no Stubber response queued: a start would fail

    assert status == 200
    assert body == {"requestId": "order-1", "status": "SUCCEEDED", "result": {"units": 1}}


def test_sync_mode_answers_with_the_stored_result(api, context, monkeypatch):
    monkeypatch.setattr(api, "START_MODE", "sync")
    order = {"items": [{"sku": "A", "quantity": 1}]}
    api.stubber.add_response(
        "start_sync_execution",
        {"executionArn": f"{ARN}:exec-1", "startDate": "2024-06-01T00:00:00Z", "stopDate": "2024-06-01T00:00:01Z", "status": "SUCCEEDED"},
        {"stateMachineArn": ARN, "input": workflow_input("order-1", order)},
    )
    stubbed = api.sfn

    class WorkflowThatStoresItsResult:
        """The real workflow writes its outcome to the table before StartSyncExecution returns."""

        def start_sync_execution(self, **kwargs):
            api.table.put_item(Item={"requestId": "order-1", "status": "SUCCEEDED", "result": '{"units": 1}'})
            return stubbed.start_sync_execution(**kwargs)

    monkeypatch.setattr(api, "sfn", WorkflowThatStoresItsResult())

    status, body = post(api, context, order)

    assert status == 200
    assert body == {"requestId": "order-1", "status": "SUCCEEDED", "result": {"units": 1}}


def test_sync_mode_maps_a_rejection_to_400_and_a_failure_to_502(api, context, monkeypatch):
    monkeypatch.setattr(api, "START_MODE", "sync")
    stopped = {"executionArn": f"{ARN}:x", "startDate": "2024-06-01T00:00:00Z", "stopDate": "2024-06-01T00:00:01Z", "status": "FAILED"}
    api.stubber.add_response("start_sync_execution", {**stopped, "error": "ValidationError", "cause": "items must be a non-empty list"})
    api.stubber.add_response("start_sync_execution", {**stopped, "error": "WorkflowFailed", "cause": "..."})

    rejected = post(api, context, {"items": []}, key="order-1")
    failed = post(api, context, {"items": [{"sku": "A", "quantity": 1}]}, key="order-2")

    assert rejected == (400, {"requestId": "order-1", "status": "REJECTED", "error": "items must be a non-empty list"})
    assert failed[0] == 502


def test_get_answers_the_stored_outcome_or_404(api, context):
    api.table.put_item(Item={"requestId": "order-9", "status": "REJECTED", "error": "items must be a non-empty list"})

    found = api.lambda_handler({"httpMethod": "GET", "pathParameters": {"requestId": "order-9"}}, context)
    missing = api.lambda_handler({"httpMethod": "GET", "pathParameters": {"requestId": "nope"}}, context)

    assert json.loads(found["body"]) == {"requestId": "order-9", "status": "REJECTED", "error": "items must be a non-empty list"}
    assert missing["statusCode"] == 404


def test_rejects_a_body_that_is_not_a_json_object(api, context):
    result = api.lambda_handler({"httpMethod": "POST", "headers": {}, "body": "[]"}, context)

    assert result["statusCode"] == 400
