import pytest

from conftest import load_function


@pytest.fixture
def execute():
    return load_function("execute")


def test_runs_the_approved_request(execute, context):
    event = {"executionId": "exec-1", "request": {"amount": 1200, "requester": "ana"}, "approval": {"approved": True, "approver": "lead"}}

    assert execute.lambda_handler(event, context) == {"executionId": "exec-1", "approvedBy": "lead", "requestFields": ["amount", "requester"]}


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
