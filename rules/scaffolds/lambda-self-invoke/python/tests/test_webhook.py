import json
import time

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from webhook import app
from webhook_signing import sample_payload, signed_event, uses_timestamp

SECRET = "test-signing-secret"
SENDER = "{{sender}}"
ASYNC = "asyncLeg"
FUNCTION_NAME = "{{name}}-webhook"


class FakeContext:
    function_name = FUNCTION_NAME
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self):
        return 900_000


@pytest.fixture
def table():
    with mock_aws():
        tbl = boto3.resource("dynamodb").create_table(
            TableName="test-webhook-events",
            KeySchema=[{"AttributeName": "eventId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "eventId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        app._clients.clear()
        yield tbl
        app._clients.clear()


@pytest.fixture
def lambda_stub(table):
    """A Stubber on the Lambda client: each expected self-invocation must be added with expect_invoke()."""
    client = boto3.client("lambda")
    stubber = Stubber(client)
    app._clients["lambda"] = client
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def expect_invoke(stubber, event_id, payload):
    expected = {"asyncLeg": True, "eventId": event_id, "payload": payload}
    if payload.get("response_url"):
        expected["responseUrl"] = payload["response_url"]
    stubber.add_response(
        "invoke", {"StatusCode": 202},
        {"FunctionName": FUNCTION_NAME, "InvocationType": "Event", "Payload": json.dumps(expected)},
    )


def signed_request(payload, secret=SECRET, timestamp=None, sender=None, **options):
    """A function URL event carrying `payload` as the configured sender signs it."""
    return signed_event(sender or app.SENDER, payload, secret, now=timestamp, **options)


SLACK_EVENT = sample_payload(SENDER, "Ev01")
SIGNATURE_HEADERS = ("X-Slack-Signature", "X-Hub-Signature-256", "Stripe-Signature", "X-Signature-256")


def test_webhook_leg_acks_and_invokes_itself_with_event_invocation(table, lambda_stub):
    expect_invoke(lambda_stub, "Ev01", SLACK_EVENT)
    res = app.handler(signed_request(SLACK_EVENT, delivery_id="Ev01"), FakeContext())
    assert res["statusCode"] == 200 and "error" not in json.loads(res["body"])
    assert table.get_item(Key={"eventId": "Ev01"})["Item"]["status"] == "queued"


def test_a_base64_encoded_body_is_verified_and_accepted(table, lambda_stub):
    expect_invoke(lambda_stub, "Ev01", SLACK_EVENT)
    res = app.handler(signed_request(SLACK_EVENT, delivery_id="Ev01", base64_body=True), FakeContext())
    assert res["statusCode"] == 200


def test_bad_signature_is_rejected_without_invoking(table, lambda_stub):
    res = app.handler(signed_request(SLACK_EVENT, secret="wrong-secret", delivery_id="Ev01"), FakeContext())
    assert res["statusCode"] == 401
    assert "Item" not in table.get_item(Key={"eventId": "Ev01"})


def test_missing_signature_is_rejected(table, lambda_stub):
    req = signed_request(SLACK_EVENT, unsigned=True)
    assert app.handler(req, FakeContext())["statusCode"] == 401


@pytest.mark.skipif(not uses_timestamp(SENDER), reason="this sender signs no timestamp; dedupe stops replays")
def test_stale_timestamp_is_rejected_as_a_replay(table, lambda_stub):
    req = signed_request(SLACK_EVENT, timestamp=time.time() - 600)
    assert app.handler(req, FakeContext())["statusCode"] == 401


def test_tampered_body_is_rejected(table, lambda_stub):
    req = signed_request(SLACK_EVENT)
    req["body"] = req["body"].replace("1", "2", 1)
    assert app.handler(req, FakeContext())["statusCode"] == 401


@pytest.mark.skipif(SENDER != "slack-events", reason="only the Slack Events API sends url_verification")
def test_url_verification_answers_the_challenge(table, lambda_stub):
    res = app.handler(signed_request({"type": "url_verification", "challenge": "abc123"}), FakeContext())
    assert res["statusCode"] == 200 and json.loads(res["body"]) == {"challenge": "abc123"}


def test_repeated_delivery_is_acked_once_and_processed_once(table, lambda_stub):
    expect_invoke(lambda_stub, "Ev01", SLACK_EVENT)  # exactly one invoke expected
    first = app.handler(signed_request(SLACK_EVENT, delivery_id="Ev01"), FakeContext())
    retry = app.handler(signed_request(SLACK_EVENT, delivery_id="Ev01"), FakeContext())
    assert first["statusCode"] == retry["statusCode"] == 200
    assert json.loads(retry["body"])["duplicate"] is True


def test_failed_self_invoke_returns_500_and_forgets_the_event(table, lambda_stub):
    lambda_stub.add_client_error("invoke", service_error_code="TooManyRequestsException", http_status_code=429)
    res = app.handler(signed_request(SLACK_EVENT, delivery_id="Ev01"), FakeContext())
    assert res["statusCode"] == 500
    assert "Item" not in table.get_item(Key={"eventId": "Ev01"})  # the sender's retry will be accepted


def test_a_signed_slash_command_gets_200_and_its_response_url_gets_the_late_answer(table, lambda_stub, monkeypatch):
    monkeypatch.setattr(app, "SENDER", "slack-command")
    command = sample_payload("slack-command", "trig-7")
    stubbed = {ASYNC: True, "eventId": "trig-7", "payload": command, "responseUrl": command["response_url"]}
    lambda_stub.add_response("invoke", {"StatusCode": 202},
                             {"FunctionName": FUNCTION_NAME, "InvocationType": "Event", "Payload": json.dumps(stubbed)})

    ack = app.handler(signed_request(command, sender="slack-command"), FakeContext())

    assert ack["statusCode"] == 200  # form-encoded, answered within Slack's 3 s
    assert json.loads(ack["body"])["response_type"] == "ephemeral"
    posted = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    app._clients["opener"] = lambda request, timeout: posted.append((request.full_url, json.loads(request.data))) or Answer()
    monkeypatch.setattr(app, "process_event", lambda payload: {"reply": f"report for {payload['text']}"})
    assert app.handler(stubbed, FakeContext())["status"] == "done"
    assert posted == [(command["response_url"], {"response_type": "in_channel", "text": "report for weekly"})]


def test_marker_routes_to_the_async_leg_which_does_the_work(table, monkeypatch):
    table.put_item(Item={"eventId": "Ev02", "status": "queued"})
    seen = []
    monkeypatch.setattr(app, "process_event", lambda payload: seen.append(payload) or {"reply": "ok"})
    res = app.handler({"asyncLeg": True, "eventId": "Ev02", "payload": SLACK_EVENT}, FakeContext())
    assert res["status"] == "done" and seen == [SLACK_EVENT]
    item = table.get_item(Key={"eventId": "Ev02"})["Item"]
    assert item["status"] == "done" and item["attempts"] == 1


def test_request_without_the_marker_never_reaches_the_async_leg(table, monkeypatch):
    monkeypatch.setattr(app, "process_event", lambda payload: pytest.fail("must not run on the webhook leg"))
    forged = signed_request({"asyncLeg": True, "eventId": "x", "payload": {}, **sample_payload(SENDER)}, secret="attacker")
    assert app.handler(forged, FakeContext())["statusCode"] == 401


def test_duplicate_async_invocation_is_skipped(table, monkeypatch):
    table.put_item(Item={"eventId": "Ev03", "status": "done"})
    monkeypatch.setattr(app, "process_event", lambda payload: pytest.fail("must not run twice"))
    res = app.handler({"asyncLeg": True, "eventId": "Ev03", "payload": SLACK_EVENT}, FakeContext())
    assert res == {"status": "duplicate"}


def test_async_failure_releases_for_retry_then_fails_on_the_last_attempt(table, monkeypatch):
    table.put_item(Item={"eventId": "Ev04", "status": "queued"})

    def boom(payload):
        raise RuntimeError("model unavailable")

    monkeypatch.setattr(app, "process_event", boom)
    event = {"asyncLeg": True, "eventId": "Ev04", "payload": SLACK_EVENT}
    for expected in ("queued", "queued", "failed"):
        with pytest.raises(RuntimeError):  # raising lets Lambda retry, then use the on-failure destination
            app.handler(event, FakeContext())
        assert table.get_item(Key={"eventId": "Ev04"})["Item"]["status"] == expected
