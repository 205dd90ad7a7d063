import json
import logging

import pytest
{{#if webhook}}
import boto3
from moto import mock_aws
{{/if}}

from conftest import load_function
{{#if webhook}}
from webhook_signing import sample_payload, signed_event
{{/if}}


class FakeClock:
    """Stands in for time.monotonic; tests move it forward."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


{{#if webhook}}
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


@pytest.fixture
def api(monkeypatch):
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="deliveries",
            AttributeDefinitions=[{"AttributeName": "deliveryId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "deliveryId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module = load_function("api")
        module.fake_clock = FakeClock()
        monkeypatch.setattr(module, "clock", module.fake_clock)
        yield module


def hook(payload=None, delivery_id="delivery-1", secret=SECRET, **options):
    """A delivery as the sender signs it (its sample payload, with `payload`'s fields)."""
    return signed_event(SENDER, {**sample_payload(SENDER, delivery_id), **(payload or {})}, secret, delivery_id=delivery_id, **options)


def answered(result):
    assert result["statusCode"] == 200, result
    return json.loads(result["body"])


def test_a_signed_delivery_is_answered_with_the_result_in_the_same_request(api, context):
    body = answered(api.lambda_handler(hook({"b": 1, "a": 2}), context))
{{#if senderSlackCommand}}
    # The slash command's reply: the message Slack shows in the channel.
    assert body["response_type"] == "ephemeral"
    assert "a" in json.loads(body["text"])["received"]
{{else}}
    assert {"a", "b"} <= set(body["received"])
{{/if}}
    assert api.deliveries.get_item(Key={"deliveryId": "delivery-1"})["Item"]["status"] == "ANSWERED"


def test_a_redelivery_gets_the_same_answer_without_running_the_work_again(api, context, monkeypatch):
    runs = []
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: runs.append(1) or {"n": len(runs)})

    first = answered(api.lambda_handler(hook(), context))
    again = answered(api.lambda_handler(hook(), context))
    other = answered(api.lambda_handler(hook(delivery_id="delivery-2"), context))

    assert again == first and runs == [1, 1]
    assert other != first


def test_a_redelivery_while_the_first_is_still_answered_is_acknowledged(api, context, monkeypatch):
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: pytest.fail("must not run twice"))
    api.deliveries.put_item(Item={"deliveryId": "delivery-1", "status": "ANSWERING", "expiresAt": 1})

    assert answered(api.lambda_handler(hook(), context))["duplicate"] is True


def test_a_wrong_or_missing_signature_is_401_and_runs_nothing(api, context, monkeypatch):
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: pytest.fail("must not run"))

    assert api.lambda_handler(hook(secret="wrong-secret"), context)["statusCode"] == 401
    assert api.lambda_handler(hook(unsigned=True), context)["statusCode"] == 401


def test_the_deadline_is_the_senders_when_that_is_shorter_than_the_window(api, context, monkeypatch):
    budgets = []
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: budgets.append(deadline.remaining()) or {})
    context.remaining_ms = 900_000

    api.lambda_handler(hook(), context)

    assert budgets == [min(29, float("{{#if senderSlackEvents}}3{{/if}}{{#if senderSlackCommand}}3{{/if}}{{#if senderGithub}}10{{/if}}{{#if senderStripe}}29{{/if}}{{#if senderGeneric}}29{{/if}}")) - 1.5]


def test_work_past_the_deadline_is_504_and_releases_the_claim_for_the_retry(api, context, monkeypatch):
    def slow(request, deadline):
        api.fake_clock.now += 30
        deadline.check("second step")

    monkeypatch.setattr(api, "handle_request", slow)

    result = api.lambda_handler(hook(), context)

    assert result["statusCode"] == 504
    assert "asynchronously" in json.loads(result["body"])["hint"]
    assert "Item" not in api.deliveries.get_item(Key={"deliveryId": "delivery-1"})


def test_a_bad_delivery_is_400_and_a_crash_500_and_both_release_the_claim(api, context, monkeypatch):
    def bad(request, deadline):
        raise api.BadRequest("not an event this app handles")

    monkeypatch.setattr(api, "handle_request", bad)
    assert api.lambda_handler(hook(), context)["statusCode"] == 400
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: 1 / 0)
    crashed = api.lambda_handler(hook(), context)
    assert crashed["statusCode"] == 500 and "ZeroDivision" not in crashed["body"]
    assert "Item" not in api.deliveries.get_item(Key={"deliveryId": "delivery-1"})
{{#if senderSlackEvents}}


def test_slacks_url_verification_is_answered_with_its_challenge(api, context, monkeypatch):
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: pytest.fail("must not run"))
    challenge = {"type": "url_verification", "challenge": "c-123", "token": "t"}

    result = api.lambda_handler(signed_event(SENDER, challenge, SECRET), context)

    assert answered(result) == {"challenge": "c-123"}
{{/if}}
{{else}}
@pytest.fixture
def api(monkeypatch):
    module = load_function("api")
    module.fake_clock = FakeClock()
    monkeypatch.setattr(module, "clock", module.fake_clock)
    return module


def post(body):
    return {"httpMethod": "POST", "body": body, "isBase64Encoded": False}
{{/if}}


{{#unless webhook}}
def test_answers_with_the_result_in_the_same_request(api, context):
    result = api.lambda_handler(post('{"b": 1, "a": 2}'), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"received": ["a", "b"]}


@pytest.mark.parametrize("body", ["not json", "[1]"])
def test_rejects_a_body_that_is_not_a_json_object(api, context, body):
    assert api.lambda_handler(post(body), context)["statusCode"] == 400


def test_the_deadline_stays_inside_the_api_window(api, context, monkeypatch):
    budgets = []

    def work(request, deadline):
        budgets.append(deadline.remaining())
        return {}

    monkeypatch.setattr(api, "handle_request", work)
    context.remaining_ms = 900_000  # a 15-minute function timeout does not widen the 29 s window

    api.lambda_handler(post("{}"), context)

    assert budgets == [29 - 1.5]


def test_the_deadline_follows_the_function_time_left_when_that_is_shorter(api, context, monkeypatch):
    budgets = []
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: budgets.append(deadline.remaining()) or {})
    context.remaining_ms = 10_000

    api.lambda_handler(post("{}"), context)

    assert budgets == [10 - 1.5]


def test_work_that_runs_out_of_time_gets_a_504_with_the_way_out(api, context, monkeypatch):
    def slow(request, deadline):
        api.fake_clock.now += 30  # the first step took 30 s
        deadline.check("second step")
        return {"never": "reached"}

    monkeypatch.setattr(api, "handle_request", slow)

    result = api.lambda_handler(post("{}"), context)

    assert result["statusCode"] == 504
    assert "asynchronously" in json.loads(result["body"])["hint"]


def test_a_request_near_the_window_is_logged_as_a_warning(api, context, monkeypatch, caplog):
    def took_24_seconds(request, deadline):
        api.fake_clock.now += 24  # 24 s >= 80 % of 29 s
        return {}

    monkeypatch.setattr(api, "handle_request", took_24_seconds)

    with caplog.at_level(logging.WARNING):
        assert api.lambda_handler(post("{}"), context)["statusCode"] == 200

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == ["near the synchronous limit"]


def test_a_fast_request_logs_no_warning(api, context, caplog):
    with caplog.at_level(logging.WARNING):
        api.lambda_handler(post("{}"), context)

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_unexpected_error_answers_500_without_internals(api, context, monkeypatch):
    def broken(request, deadline):
        raise KeyError("secret-internal-detail")

    monkeypatch.setattr(api, "handle_request", broken)

    result = api.lambda_handler(post("{}"), context)

    assert result["statusCode"] == 500
    assert "secret-internal-detail" not in result["body"]
    assert json.loads(result["body"])["requestId"] == context.aws_request_id
{{/unless}}
