import json
import time

import pytest
from botocore.stub import Stubber

from conftest import load_function
from webhook_signing import sample_payload, signed_event, uses_timestamp

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:batch"
SECRET = "test-signing-secret"
SENDER = "{{sender}}"
KEY = "incoming/orders.csv"


@pytest.fixture
def webhook(monkeypatch):
    monkeypatch.setenv("STATE_MACHINE_ARN", ARN)
    monkeypatch.setenv("INPUT_BUCKET", "input-bucket")
    module = load_function("webhook")
    with Stubber(module.sfn) as stubber:
        module.stubber = stubber
        yield module
        stubber.assert_no_pending_responses()


def naming(delivery_id, sender=SENDER, key=KEY):
    """The sender's sample delivery, asking for the batch over `key`."""
    payload = sample_payload(sender, delivery_id)
    if sender == "slack-command":
        payload["text"] = key  # /batch incoming/orders.csv
    else:
        payload["key"] = key
    return payload


def signed(payload, **options):
    return signed_event(SENDER, payload, SECRET, **options)


def batch(delivery_id, key=KEY):
    return {"bucket": "input-bucket", "key": key, "batchId": delivery_id}


def expect_start(webhook, name, delivery_id):
    webhook.stubber.add_response(
        "start_execution",
        {"executionArn": f"arn:aws:states:us-east-1:123456789012:execution:batch:{name}", "startDate": "2024-06-01T00:00:00Z"},
        {"stateMachineArn": ARN, "name": name, "input": json.dumps(batch(delivery_id))},
    )


def test_a_signed_delivery_starts_the_batch_it_names_under_its_delivery_id(webhook, context):
    expect_start(webhook, "d-1", "d-1")

    result = webhook.lambda_handler(signed(naming("d-1"), delivery_id="d-1"), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"])["batchId"] == "d-1"


def test_a_redelivery_after_the_batch_ended_starts_no_second_batch(webhook, context):
    webhook.stubber.add_client_error("start_execution", "ExecutionAlreadyExists", http_status_code=400,
                                     expected_params={"stateMachineArn": ARN, "name": "d-2", "input": json.dumps(batch("d-2"))})

    result = webhook.lambda_handler(signed(naming("d-2"), delivery_id="d-2"), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["duplicate"] is True


@pytest.mark.parametrize("key", ["", "results/x.csv", "incoming/../results/x.csv"])
def test_a_delivery_that_names_no_object_under_incoming_is_400(webhook, context, key):
    result = webhook.lambda_handler(signed(naming("d-3", key=key), delivery_id="d-3"), context)

    assert result["statusCode"] == 400  # no stubbed start: one would fail


def test_a_delivery_id_an_execution_name_cannot_hold_is_named_by_its_digest(webhook):
    assert webhook.execution_name("8f2c-11ef.1") == "8f2c-11ef.1"
    name = webhook.execution_name("sha256:" + "a" * 64)
    assert name.startswith("d-") and len(name) <= 80
    assert webhook.execution_name("a:b") != webhook.execution_name("a/b")


@pytest.mark.parametrize("change", ["wrong secret", "missing", "tampered", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_starts_nothing(webhook, context, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the execution name stops replays")
    event = {
        "wrong secret": lambda: signed_event(SENDER, naming("d-4"), "another-secret"),
        "missing": lambda: signed(naming("d-4"), unsigned=True),
        "tampered": lambda: {**signed(naming("d-4")), "body": "{}"},
        "stale": lambda: signed(naming("d-4"), now=time.time() - 600),
    }[change]()

    assert webhook.lambda_handler(event, context)["statusCode"] == 401


def test_slacks_url_verification_is_answered_with_its_challenge(webhook, context, monkeypatch):
    monkeypatch.setattr(webhook, "SENDER", "slack-events")
    event = signed_event("slack-events", {"type": "url_verification", "challenge": "c-1"}, SECRET)

    assert json.loads(webhook.lambda_handler(event, context)["body"]) == {"challenge": "c-1"}


def test_a_slash_command_names_its_batch_in_its_text_and_is_answered_at_once(webhook, context, monkeypatch):
    monkeypatch.setattr(webhook, "SENDER", "slack-command")
    expect_start(webhook, "trig-1", "trig-1")

    result = webhook.lambda_handler(signed_event("slack-command", naming("trig-1", "slack-command"), SECRET), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["response_type"] == "ephemeral"
