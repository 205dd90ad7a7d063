{{#if webhook}}
import json
import time

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from conftest import load_function
from webhook_signing import sample_payload, signed_event, uses_timestamp

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:workflow"
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


@pytest.fixture
def api():
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="deliveries",
            AttributeDefinitions=[{"AttributeName": "deliveryId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "deliveryId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module = load_function("api")
        with Stubber(module.sfn) as stubber:
            module.stubber = stubber
            yield module
            stubber.assert_no_pending_responses()


def signed(payload, **options):
    return signed_event(SENDER, payload, SECRET, **options)


def expect_start(api, workflow_input):
    api.stubber.add_response(
        "start_execution",
        {"executionArn": f"{ARN}:exec-1", "startDate": "2024-06-01T00:00:00Z"},
        {"stateMachineArn": ARN, "input": json.dumps(workflow_input)},
    )


def claimed(api, delivery_id):
    return api.deliveries.get_item(Key={"deliveryId": delivery_id}).get("Item")


def test_a_signed_delivery_starts_the_workflow_with_the_delivery_id_as_request_id(api, context):
    payload = sample_payload(SENDER, "d-1")
    expected = {"requestId": "d-1", "input": payload}
    if SENDER == "slack-command":
        expected["responseUrl"] = payload["response_url"]
    expect_start(api, expected)

    result = api.lambda_handler(signed(payload, delivery_id="d-1"), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"])["requestId"] == "d-1"
    assert claimed(api, "d-1")["sender"] == SENDER


def test_a_redelivery_starts_nothing(api, context):
    payload = sample_payload(SENDER, "d-2")
    expected = {"requestId": "d-2", "input": payload}
    if SENDER == "slack-command":
        expected["responseUrl"] = payload["response_url"]
    expect_start(api, expected)  # one start only: a second call would find no stubbed response and fail

    first = api.lambda_handler(signed(payload, delivery_id="d-2"), context)
    second = api.lambda_handler(signed(payload, delivery_id="d-2"), context)

    assert first["statusCode"] == second["statusCode"] == 200
    assert json.loads(second["body"])["duplicate"] is True


def test_a_failed_start_releases_the_claim_so_the_senders_retry_starts_it(api, context):
    api.stubber.add_client_error("start_execution", "ServiceUnavailable", http_status_code=503)

    with pytest.raises(Exception):
        api.lambda_handler(signed(sample_payload(SENDER, "d-3"), delivery_id="d-3"), context)

    assert claimed(api, "d-3") is None


@pytest.mark.parametrize("change", ["wrong secret", "missing", "tampered", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_starts_nothing(api, context, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the delivery-id claim stops replays")
    event = {
        "wrong secret": lambda: signed_event(SENDER, sample_payload(SENDER), "another-secret"),
        "missing": lambda: signed(sample_payload(SENDER), unsigned=True),
        "tampered": lambda: {**signed(sample_payload(SENDER)), "body": "{}"},
        "stale": lambda: signed(sample_payload(SENDER), now=time.time() - 600),
    }[change]()

    assert api.lambda_handler(event, context)["statusCode"] == 401
    assert claimed(api, "delivery-1") is None


def test_slacks_url_verification_is_answered_with_its_challenge(api, context, monkeypatch):
    monkeypatch.setattr(api, "SENDER", "slack-events")
    event = signed_event("slack-events", {"type": "url_verification", "challenge": "c-1"}, SECRET)

    result = api.lambda_handler(event, context)

    assert result["statusCode"] == 200 and json.loads(result["body"]) == {"challenge": "c-1"}


def test_a_slash_command_is_answered_at_once_and_its_response_url_rides_with_the_execution(api, context, monkeypatch):
    monkeypatch.setattr(api, "SENDER", "slack-command")
    command = sample_payload("slack-command", "trig-1")
    expect_start(api, {"requestId": "trig-1", "input": command, "responseUrl": command["response_url"]})

    result = api.lambda_handler(signed_event("slack-command", command, SECRET), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["response_type"] == "ephemeral"
    assert claimed(api, "trig-1")
{{else}}
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
{{/if}}
