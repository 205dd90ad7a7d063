"""Runs the durable workflow locally with AWS's testing SDK (aws-durable-execution-sdk-python-testing).

The runner is a local durable-execution service: it checkpoints each step, suspends at the wait (its clock skips
the hour) and at the callback, and replays the handler when it resumes, as Lambda does. Only the approver's
notification (SNS) is replaced; the steps, the wait and the callback are the real SDK operations.
"""
import json

import pytest
from aws_durable_execution_sdk_python.execution import InvocationStatus
from aws_durable_execution_sdk_python_testing.runner import DurableFunctionTestRunner

from conftest import load_function

ORDER = {"orderId": "order-42", "amount": 120, "items": ["book"]}


@pytest.fixture
def workflow(monkeypatch):
    app = load_function("workflow")
    sent = []
    monkeypatch.setattr(app, "notify_approver", lambda callback_id, order: sent.append((callback_id, order)))
    app.sent = sent
    return app


def run_until_callback(runner, order=ORDER):
    arn = runner.run_async(input=json.dumps(order), execution_timeout=60)
    callback_id = runner.wait_for_callback(arn, timeout=30)
    return arn, callback_id


def test_approved_order_is_fulfilled_after_the_wait_and_the_callback(workflow):
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner)
        # The approver was told the callback id by the submitter step, once.
        assert [c for c, _ in workflow.sent] == [callback_id]
        runner.send_callback_success(callback_id, json.dumps({"approved": True, "approver": "ana"}).encode())
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.SUCCEEDED
    assert json.loads(result.result) == {"orderId": "order-42", "status": "FULFILLED", "approvedBy": "ana"}
    assert result.get_step("validate").status.value == "SUCCEEDED"
    wait = result.get_wait("cooling-off")
    assert wait.status.value == "SUCCEEDED"
    # The runner's clock skipped the hour of COOLING_OFF_SECONDS: the execution was suspended, not sleeping.
    assert (wait.scheduled_end_timestamp - wait.start_timestamp).total_seconds() == 3600
    assert result.get_step("fulfil").status.value == "SUCCEEDED"
    # Replays after the wait and the callback did not run the submitter again.
    assert len(workflow.sent) == 1


def test_rejected_order_records_the_rejection_and_skips_the_work(workflow):
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner)
        runner.send_callback_success(callback_id, json.dumps({"approved": False, "reason": "over budget"}).encode())
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.SUCCEEDED
    assert json.loads(result.result) == {"orderId": "order-42", "status": "REJECTED", "reason": "over budget"}
    names = [op.name for op in result.get_all_operations()]
    assert "reject" in names and "fulfil" not in names


def test_callback_failure_fails_the_execution(workflow):
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner)
        runner.send_callback_failure(callback_id)
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.FAILED


def test_no_decision_within_the_timeout_runs_the_compensation(workflow, monkeypatch):
    monkeypatch.setattr(workflow, "APPROVAL_TIMEOUT_SECONDS", 2)  # the runner times callbacks out in real time
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn = runner.run_async(input=json.dumps(ORDER), execution_timeout=60)
        result = runner.wait_for_result(arn, timeout=30)  # nobody answers

    assert result.status is InvocationStatus.SUCCEEDED
    assert json.loads(result.result) == {"orderId": "order-42", "status": "REJECTED", "reason": "no decision within 2 s"}
    names = [op.name for op in result.get_all_operations()]
    assert "reject" in names and "fulfil" not in names


def test_zero_cooling_off_skips_the_wait(workflow):
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner, {**ORDER, "coolingOffSeconds": 0})
        runner.send_callback_success(callback_id, json.dumps({"approved": True, "approver": "bo"}).encode())
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.SUCCEEDED
    assert all(op.name != "cooling-off" for op in result.get_all_operations())


def test_parse_decision_accepts_bytes_text_and_objects(workflow):
    assert workflow.parse_decision(b'{"approved": true}') == {"approved": True}
    assert workflow.parse_decision('{"approved": false}') == {"approved": False}
    assert workflow.parse_decision(None) == {}
    assert workflow.parse_decision("[1]") == {}
{{#if webhook}}
{{#if senderSlackCommand}}


def test_a_slash_commands_late_answer_is_posted_to_its_response_url_when_the_work_is_done(workflow, monkeypatch):
    posted = []
    monkeypatch.setattr(workflow.webhook_auth, "post_late_answer", lambda url, message: posted.append((url, message)) or 200)
    order = {**ORDER, "responseUrl": "https://hooks.slack.com/commands/T1/1/abc"}
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner, order)
        assert posted == []  # nothing before the work is done
        runner.send_callback_success(callback_id, json.dumps({"approved": True, "approver": "ana"}).encode())
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.SUCCEEDED
    assert [url for url, _ in posted] == ["https://hooks.slack.com/commands/T1/1/abc"]
    assert json.loads(posted[0][1]["text"]) == json.loads(result.result)
    assert result.get_step("answer").status.value == "SUCCEEDED"


def test_an_expired_response_url_does_not_fail_the_execution(workflow, monkeypatch):
    def expired(url, message):
        raise RuntimeError("response_url answered 404")

    monkeypatch.setattr(workflow.webhook_auth, "post_late_answer", expired)
    with DurableFunctionTestRunner(handler=workflow.lambda_handler) as runner:
        arn, callback_id = run_until_callback(runner, {**ORDER, "responseUrl": "https://hooks.slack.com/commands/T1/1/abc"})
        runner.send_callback_success(callback_id, json.dumps({"approved": False, "reason": "no"}).encode())
        result = runner.wait_for_result(arn, timeout=30)

    assert result.status is InvocationStatus.SUCCEEDED
    assert json.loads(result.result)["status"] == "REJECTED"
{{/if}}
{{/if}}
