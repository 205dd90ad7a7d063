import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # for `from container import main`
{{#if webhook}}
sys.path.insert(0, str(ROOT / "src" / "starter"))  # the starter's own modules (webhook_auth), as in Lambda
{{/if}}
{{#if senderSlackCommand}}
sys.path.insert(0, str(ROOT / "container"))  # the container's own modules (webhook_auth), as in its image
{{/if}}

# Never talk to a real account from the unit tests.
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SECURITY_TOKEN"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ.pop("AWS_PROFILE", None)

os.environ["JOBS_TABLE"] = "test-jobs"
os.environ["CLUSTER_ARN"] = "arn:aws:ecs:us-east-1:123456789012:cluster/test"
os.environ["TASK_DEFINITION_ARN"] = "arn:aws:ecs:us-east-1:123456789012:task-definition/test-worker:3"
os.environ["CONTAINER_NAME"] = "worker"
os.environ["SUBNET_IDS"] = "subnet-0aaa,subnet-0bbb"
os.environ["SECURITY_GROUP_ID"] = "sg-0123"
os.environ["ASSIGN_PUBLIC_IP"] = "ENABLED"
{{#if webhook}}
os.environ["SIGNING_SECRET"] = "test-signing-secret"
os.environ["WEBHOOK_SENDER"] = "{{sender}}"
{{/if}}

import boto3  # noqa: E402
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402


@pytest.fixture
def jobs_table():
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
    from starter import app as starter_app
{{/unless}}
{{/unless}}
    from watcher import app as watcher_app

    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="test-jobs",
            KeySchema=[{"AttributeName": "jobId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "jobId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        clients = [watcher_app._clients]
{{#unless triggerEvent}}
{{#unless triggerSchedule}}
        clients.append(starter_app._clients)
{{/unless}}
{{/unless}}
        for c in clients:
            c.clear()
        yield table
        for c in clients:
            c.clear()
