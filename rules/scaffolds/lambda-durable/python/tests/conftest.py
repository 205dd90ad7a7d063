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
os.environ["WORKFLOW_FUNCTION"] = "arn:aws:lambda:us-east-1:123456789012:function:workflow:live"
os.environ["APPROVAL_TOPIC_ARN"] = "arn:aws:sns:us-east-1:123456789012:approvals"
os.environ["COOLING_OFF_SECONDS"] = "3600"
{{#if webhook}}
os.environ["SIGNING_SECRET"] = "test-signing-secret"
os.environ["WEBHOOK_SENDER"] = "{{sender}}"
{{/if}}


def load_function(name):
    """Imports src/<name>/app.py as a fresh module."""
{{#if webhook}}
    folder = str(ROOT / "src" / name)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the function's own modules (webhook_auth), as in Lambda
{{/if}}
    spec = importlib.util.spec_from_file_location(f"{name}_app", ROOT / "src" / name / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeContext:
    """The parts of the Lambda context object the API handlers use."""

    function_name = "test-function"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10_000


@pytest.fixture
def context():
    return FakeContext()
