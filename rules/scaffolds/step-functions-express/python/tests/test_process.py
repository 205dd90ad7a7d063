import pytest
{{#if triggerEvent}}
import boto3
from moto import mock_aws
{{/if}}

from conftest import load_function


{{#if triggerEvent}}
@pytest.fixture
def process():
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="uploads")
        s3.put_object(Bucket="uploads", Key="incoming/orders.csv", Body=b"id,sku\n1,A\n2,B\n")
        yield load_function("process")


def test_reads_the_uploaded_object_and_returns_the_result_with_the_request_id(process, context):
    event = {"requestId": "uploads/incoming/orders.csv@abc", "work": {"bucket": "uploads", "key": "incoming/orders.csv", "size": 16, "etag": "abc"}}

    assert process.lambda_handler(event, context) == {
        "requestId": "uploads/incoming/orders.csv@abc",
        "result": {"key": "incoming/orders.csv", "bytes": 16, "lines": 3},
    }
{{/if}}
{{#if triggerSchedule}}
@pytest.fixture
def process():
    return load_function("process")


def test_returns_the_runs_result_with_the_request_id(process, context):
    event = {"requestId": "schedule:2024-06-01T02:00:00Z", "work": {"scheduledTime": "2024-06-01T02:00:00Z", "attempt": 1}}

    assert process.lambda_handler(event, context) == {
        "requestId": "schedule:2024-06-01T02:00:00Z",
        "result": {"scheduledTime": "2024-06-01T02:00:00Z", "attempt": 1, "done": True},
    }
{{/if}}
{{#if webhook}}
@pytest.fixture
def process():
    return load_function("process")


def test_returns_the_deliverys_result_with_the_request_id(process, context):
    event = {"requestId": "d-1", "work": {"id": "d-1", "action": "opened"}}

    assert process.lambda_handler(event, context) == {"requestId": "d-1", "result": {"deliveryId": "d-1", "fields": ["action", "id"]}}
{{#if senderSlackCommand}}


def test_the_late_answer_is_posted_to_the_response_url_when_the_work_is_done(process, context, monkeypatch):
    posted = []
    monkeypatch.setattr(process.webhook_auth, "post_late_answer", lambda url, message: posted.append((url, message)))
    event = {"requestId": "trig-1", "work": {"text": "weekly"}, "responseUrl": "https://hooks.slack.com/commands/T1/1/abc"}

    result = process.lambda_handler(event, context)

    assert posted == [("https://hooks.slack.com/commands/T1/1/abc", process.late_answer(result["result"]))]
{{/if}}
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
@pytest.fixture
def process():
    return load_function("process")


def test_returns_the_result_with_the_request_id(process, context):
    event = {"requestId": "r-1", "work": {"customerId": "7", "items": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 3}]}}

    assert process.lambda_handler(event, context) == {
        "requestId": "r-1",
        "result": {"customerId": "7", "lines": 2, "units": 5},
    }
{{/unless}}
{{/if}}


def test_a_transient_failure_keeps_the_name_the_workflow_retries(process, context, monkeypatch):
    def flaky(request_id, work):
        raise process.TransientError("dependency busy")

{{#if triggerEvent}}
    monkeypatch.setattr(process, "process_upload", flaky)
{{/if}}
{{#if triggerSchedule}}
    monkeypatch.setattr(process, "process_run", flaky)
{{/if}}
{{#if webhook}}
    monkeypatch.setattr(process, "process_delivery", flaky)
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
    monkeypatch.setattr(process, "process_order", flaky)
{{/unless}}
{{/if}}

    with pytest.raises(process.TransientError) as raised:
        process.lambda_handler({"requestId": "r-1", "work": {}}, context)
    assert type(raised.value).__name__ == "TransientError"
