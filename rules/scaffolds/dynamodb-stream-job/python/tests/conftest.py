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

os.environ["JOBS_TABLE"] = "test-jobs"
os.environ["MAX_ATTEMPTS"] = "3"

import boto3  # noqa: E402
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402


@pytest.fixture
def jobs_table():
    """A moto jobs table (partition key jobId); the handlers' cached clients are reset around each test."""
    from api import app as api_app
    from processor import app as processor_app

    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="test-jobs",
            KeySchema=[{"AttributeName": "jobId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "jobId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        api_app._clients.clear()
        processor_app._clients.clear()
        yield table
        api_app._clients.clear()
        processor_app._clients.clear()
