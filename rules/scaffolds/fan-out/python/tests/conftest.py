"""Test setup: no network, fake credentials, and one loader per function (every function has its own app.py)."""
import importlib.util
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ.pop("AWS_PROFILE", None)
os.environ["TABLE_NAME"] = "batches"
os.environ["QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/chunks"
os.environ["AGGREGATOR_FUNCTION_NAME"] = "aggregator-function"
os.environ["CHUNK_SIZE"] = "10"
os.environ["MAX_ITEMS"] = "100"
{{#if webhook}}
os.environ["SIGNING_SECRET"] = "test-signing-secret"
os.environ["WEBHOOK_SENDER"] = "{{sender}}"
{{/if}}


def load_function(name):
    """Imports src/<name>/app.py as a fresh module; call it inside mock_aws so its clients are mocked."""
    folder = str(ROOT / "src" / name)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the function's own modules (webhook_auth), as in Lambda
    spec = importlib.util.spec_from_file_location(f"{name}_app", ROOT / "src" / name / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeContext:
    """The parts of the Lambda context object the handlers use."""

    function_name = "test-function"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def __init__(self, remaining_ms=60_000):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self):
        return self.remaining_ms


@pytest.fixture
def context():
    return FakeContext()


def create_batches_table():
    import boto3

    boto3.client("dynamodb").create_table(
        TableName=os.environ["TABLE_NAME"],
        AttributeDefinitions=[{"AttributeName": "batchId", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "batchId", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
