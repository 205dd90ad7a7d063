import json
{{#if webhook}}
import time
{{/if}}

import boto3
import pytest
from moto import mock_aws

from conftest import load_function
{{#if webhook}}
from webhook_signing import sample_payload, signed_event, uses_timestamp
{{/if}}


@pytest.fixture
def producer(monkeypatch):
    with mock_aws():
        queue_url = boto3.client("sqs").create_queue(QueueName="tasks")["QueueUrl"]
        monkeypatch.setenv("QUEUE_URL", queue_url)
        module = load_function("producer")
        module.test_queue_url = queue_url
        yield module


def received(producer):
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=producer.test_queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


{{#if webhook}}
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


def signed(payload, **options):
    return signed_event(SENDER, payload, SECRET, **options)


def test_a_signed_delivery_is_queued_with_the_senders_delivery_id_as_task_id(producer, context):
    result = producer.lambda_handler(signed(sample_payload(SENDER, "d-1"), delivery_id="d-1"), context)

    assert result["statusCode"] == 200
    [message] = received(producer)
    assert message["taskId"] == json.loads(result["body"])["taskId"] == "d-1"
    assert message["payload"] == sample_payload(SENDER, "d-1")


def test_a_redelivery_is_the_same_task_so_the_worker_runs_it_once(producer, context):
    for _ in range(2):
        assert producer.lambda_handler(signed(sample_payload(SENDER, "d-2"), delivery_id="d-2"), context)["statusCode"] == 200

    assert {m["taskId"] for m in received(producer)} == {"d-2"}


@pytest.mark.parametrize("change", ["wrong secret", "missing", "tampered", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_queues_nothing(producer, context, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the delivery-id dedupe stops replays")
    event = {
        "wrong secret": lambda: signed_event(SENDER, sample_payload(SENDER), "another-secret"),
        "missing": lambda: signed(sample_payload(SENDER), unsigned=True),
        "tampered": lambda: {**signed(sample_payload(SENDER)), "body": "{}"},
        "stale": lambda: signed(sample_payload(SENDER), now=time.time() - 600),
    }[change]()

    assert producer.lambda_handler(event, context)["statusCode"] == 401
    assert received(producer) == []


def test_a_signed_slash_command_gets_200_and_its_response_url_rides_with_the_task(producer, context, monkeypatch):
    monkeypatch.setattr(producer, "SENDER", "slack-command")
    command = sample_payload("slack-command", "trig-1")

    result = producer.lambda_handler(signed_event("slack-command", command, SECRET), context)

    assert result["statusCode"] == 200 and json.loads(result["body"])["response_type"] == "ephemeral"
    [message] = received(producer)
    assert message["taskId"] == "trig-1" and message["responseUrl"] == command["response_url"]
{{else}}
def test_queues_the_task_and_answers_202(producer, context):
    result = producer.lambda_handler({"body": json.dumps({"report": "monthly"})}, context)

    assert result["statusCode"] == 202
    task_id = json.loads(result["body"])["taskId"]
    [message] = received(producer)
    assert message["taskId"] == task_id
    assert message["payload"] == {"report": "monthly"}


def test_idempotency_key_becomes_the_task_id(producer, context):
    event = {"headers": {"Idempotency-Key": "order-42"}, "body": "{}"}

    first = json.loads(producer.lambda_handler(event, context)["body"])
    second = json.loads(producer.lambda_handler(event, context)["body"])

    # Both messages carry the same task id, so the worker runs the task once.
    assert first["taskId"] == second["taskId"] == "order-42"
    assert {m["taskId"] for m in received(producer)} == {"order-42"}


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_rejects_a_body_that_is_not_a_json_object(producer, context, body):
    result = producer.lambda_handler({"body": body}, context)

    assert result["statusCode"] == 400
    assert received(producer) == []


def test_rejects_a_task_larger_than_an_sqs_message(producer, context):
    result = producer.lambda_handler({"body": json.dumps({"blob": "x" * (1024 * 1024)})}, context)

    assert result["statusCode"] == 413
{{/if}}
