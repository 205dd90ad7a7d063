import pytest

from conftest import load_function


@pytest.fixture
def execute():
    return load_function("execute")


{{#if triggerEvent}}
def test_runs_the_approved_upload_named_by_its_object_created_event(execute, context):
    request = {"version": "0", "detail-type": "Object Created", "source": "aws.s3",
               "detail": {"bucket": {"name": "uploads"}, "object": {"key": "incoming/orders.csv", "size": 42, "etag": "abc"}}}
    event = {"executionId": "exec-1", "request": request, "approval": {"approved": True, "approver": "lead"}}

    assert execute.lambda_handler(event, context) == {"executionId": "exec-1", "approvedBy": "lead", "object": "s3://uploads/incoming/orders.csv"}
    assert execute.upload_of(request) == {"bucket": "uploads", "key": "incoming/orders.csv", "size": 42, "etag": "abc"}
{{/if}}
{{#if triggerSchedule}}
def test_runs_the_approved_run_of_its_scheduled_time(execute, context):
    request = {"scheduledTime": "2024-06-01T02:00:00Z", "scheduleArn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s",
               "executionId": "x-1", "attempt": "1"}
    event = {"executionId": "exec-1", "request": request, "approval": {"approved": True, "approver": "lead"}}

    assert execute.lambda_handler(event, context) == {"executionId": "exec-1", "approvedBy": "lead", "scheduledTime": "2024-06-01T02:00:00Z"}
{{/if}}
{{#if webhook}}
def test_runs_the_approved_delivery(execute, context):
    request = {"sender": "{{sender}}", "deliveryId": "d-1", "payload": {"action": "opened", "id": "d-1"}}
    event = {"executionId": "d-1", "request": request, "approval": {"approved": True, "approver": "lead"}}

    assert execute.lambda_handler(event, context) == {"executionId": "d-1", "approvedBy": "lead", "deliveryId": "d-1", "payloadFields": ["action", "id"]}
{{#if senderSlackCommand}}


def test_the_late_answer_goes_to_the_response_url_and_an_expired_one_does_not_fail_the_work(execute, context, monkeypatch):
    posted = []
    monkeypatch.setattr(execute.webhook_auth, "post_late_answer", lambda url, message: posted.append(url))
    event = {"executionId": "t-1", "request": {"deliveryId": "t-1", "payload": {}, "responseUrl": "https://hooks.slack.com/commands/T1/1/abc"}}

    execute.lambda_handler(event, context)
    assert posted == ["https://hooks.slack.com/commands/T1/1/abc"]

    def expired(url, message):
        raise RuntimeError("response_url answered 404")

    monkeypatch.setattr(execute.webhook_auth, "post_late_answer", expired)
    assert execute.lambda_handler(event, context)["deliveryId"] == "t-1"
{{/if}}
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
def test_runs_the_approved_request(execute, context):
    event = {"executionId": "exec-1", "request": {"amount": 1200, "requester": "ana"}, "approval": {"approved": True, "approver": "lead"}}

    assert execute.lambda_handler(event, context) == {"executionId": "exec-1", "approvedBy": "lead", "requestFields": ["amount", "requester"]}
{{/unless}}
{{/if}}


def test_the_work_sees_the_request_and_the_approval(execute, context, monkeypatch):
    seen = []
    monkeypatch.setattr(execute, "execute_request", lambda execution_id, request, approval: seen.append((execution_id, request, approval)) or {})

    execute.lambda_handler({"executionId": "exec-1", "request": {"a": 1}, "approval": {"comment": "go"}}, context)

    assert seen == [("exec-1", {"a": 1}, {"comment": "go"})]


def test_a_transient_failure_keeps_the_name_the_workflow_retries(execute, context, monkeypatch):
    def flaky(execution_id, request, approval):
        raise execute.TransientError("ledger busy")

    monkeypatch.setattr(execute, "execute_request", flaky)

    with pytest.raises(execute.TransientError) as raised:
        execute.lambda_handler({"executionId": "exec-1"}, context)
    assert type(raised.value).__name__ == "TransientError"
