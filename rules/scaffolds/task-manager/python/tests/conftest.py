import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# Never talk to a real account from the unit tests.
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SECURITY_TOKEN"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ.pop("AWS_PROFILE", None)

os.environ["TASK_TABLE"] = "test-task-status"
os.environ["EVENT_BUS_NAME"] = "test-tasks"
os.environ["EVENT_SOURCE"] = "task-manager"
os.environ["PROCESSOR_SOURCE"] = "task-processor"
os.environ["RESULTS_BUCKET"] = "test-results"

import boto3  # noqa: E402
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

HANDLERS = ("api", "publisher", "processor", "updater")


def _reset_clients():
    import importlib
    for name in HANDLERS:
        importlib.import_module(f"{name}.app")._clients.clear()


@pytest.fixture
def aws():
    with mock_aws():
        _reset_clients()
        yield
        _reset_clients()


@pytest.fixture
def task_table(aws):
    return boto3.resource("dynamodb").create_table(
        TableName="test-task-status",
        KeySchema=[{"AttributeName": "taskId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "taskId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


class BusCapture:
    """The test bus with a catch-all rule whose target is an SQS queue, so tests can read what was published."""

    def __init__(self):
        events, sqs = boto3.client("events"), boto3.client("sqs")
        events.create_event_bus(Name="test-tasks")
        self.queue_url = sqs.create_queue(QueueName="bus-capture")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="capture-all", EventBusName="test-tasks",
                        EventPattern=json.dumps({"source": ["task-manager", "task-processor"]}))
        events.put_targets(Rule="capture-all", EventBusName="test-tasks", Targets=[{"Id": "q", "Arn": arn}])
        self.sqs = sqs

    def published(self):
        out = []
        while True:
            msgs = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not msgs:
                return out
            for m in msgs:
                out.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])


@pytest.fixture
def bus(aws):
    return BusCapture()
