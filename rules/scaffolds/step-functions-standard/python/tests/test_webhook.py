import json
import time

import pytest
from botocore.stub import Stubber

from conftest import load_function
from webhook_signing import sample_payload, signed_event, uses_timestamp

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:workflow"
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


@pytest.fixture
def webhook():
    module = load_function("webhook")
    with Stubber(module.sfn) as stubber:
        module.stubber = stubber
        yield module
        stubber.assert_no_pending_responses()


def signed(payload, **options):
    return signed_event(SENDER, payload, SECRET, **options)


def request_for(delivery_id, payload, sender=SENDER):
    request = {"sender": sender, "deliveryId": delivery_id, "payload": payload}
    if sender == "slack-command":
        request["responseUrl"] = payload["response_url"]
    return request


def expect_start(webhook, name, request):
    webhook.stubber.add_response(
        "start_execution",
        {"executionArn": f"{ARN.replace(':stateMachine:', ':execution:')}:{name}", "startDate": "2024-06-01T00:00:00Z"},
        {"stateMachineArn": ARN, "name": name, "input": json.dumps(request)},
    )


def test_a_signed_delivery_starts_the_execution_named_by_its_delivery_id(webhook, context):
    payload = sample_payload(SENDER, "d-1")
    expect_start(webhook, "d-1", request_for("d-1", payload))

    result = webhook.lambda_handler(signed(payload, delivery_id="d-1"), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"])["execution"] == "d-1"


def test_a_redelivery_after_the_execution_ended_is_a_duplicate_that_starts_nothing(webhook, context):
    payload = sample_payload(SENDER, "d-2")
    webhook.stubber.add_client_error("start_execution", "ExecutionAlreadyExists", http_status_code=400,
                                     expected_params={"stateMachineArn": ARN, "name": "d-2", "input": json.dumps(request_for("d-2", payload))})

    result = webhook.lambda_handler(signed(payload, delivery_id="d-2"), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["duplicate"] is True


def test_a_delivery_id_an_execution_name_cannot_hold_is_named_by_its_digest(webhook):
    assert webhook.execution_name("8f2c-11ef.1") == "8f2c-11ef.1"
    name = webhook.execution_name("sha256:" + "a" * 64)
    assert name.startswith("d-") and len(name) <= 80 and name == webhook.execution_name("sha256:" + "a" * 64)
    assert webhook.execution_name("a:b") != webhook.execution_name("a/b")


@pytest.mark.parametrize("change", ["wrong secret", "missing", "tampered", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_starts_nothing(webhook, context, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the execution name stops replays")
    event = {
        "wrong secret": lambda: signed_event(SENDER, sample_payload(SENDER), "another-secret"),
        "missing": lambda: signed(sample_payload(SENDER), unsigned=True),
        "tampered": lambda: {**signed(sample_payload(SENDER)), "body": "{}"},
        "stale": lambda: signed(sample_payload(SENDER), now=time.time() - 600),
    }[change]()

    assert webhook.lambda_handler(event, context)["statusCode"] == 401  # no stubbed start: one would fail


def test_slacks_url_verification_is_answered_with_its_challenge(webhook, context, monkeypatch):
    monkeypatch.setattr(webhook, "SENDER", "slack-events")
    event = signed_event("slack-events", {"type": "url_verification", "challenge": "c-1"}, SECRET)

    result = webhook.lambda_handler(event, context)

    assert result["statusCode"] == 200 and json.loads(result["body"]) == {"challenge": "c-1"}


def test_a_slash_command_is_answered_at_once_and_its_response_url_rides_with_the_request(webhook, context, monkeypatch):
    monkeypatch.setattr(webhook, "SENDER", "slack-command")
    command = sample_payload("slack-command", "trig-1")
    expect_start(webhook, "trig-1", request_for("trig-1", command, "slack-command"))

    result = webhook.lambda_handler(signed_event("slack-command", command, SECRET), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["response_type"] == "ephemeral"
