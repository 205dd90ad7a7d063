import json

import boto3
import pytest
from moto import mock_aws

from conftest import load_function


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
