import json

import pytest
from botocore.stub import Stubber
from moto import mock_aws

from conftest import create_approvals_table, load_function


@pytest.fixture
def callback():
    with mock_aws():
        create_approvals_table()
        module = load_function("approval_callback")
        module.table.put_item(Item={
            "approvalId": "ap-1", "taskToken": "token-abc", "executionId": "exec-1",
            "status": "PENDING", "request": json.dumps({"amount": 1200, "requester": "ana"}),
        })
        with Stubber(module.sfn) as stubber:
            module.stubber = stubber
            yield module
            stubber.assert_no_pending_responses()


def decide(callback, context, body, approval_id="ap-1", approver="lead@example.com"):
    event = {
        "pathParameters": {"approvalId": approval_id},
        "body": json.dumps(body),
        "requestContext": {"authorizer": {"claims": {"email": approver}}},
    }
    result = callback.lambda_handler(event, context)
    return result["statusCode"], json.loads(result["body"])


def status_of(callback, approval_id="ap-1"):
    return callback.table.get_item(Key={"approvalId": approval_id})["Item"]["status"]


def test_approve_sends_task_success_with_the_stored_token(callback, context):
    callback.stubber.add_response(
        "send_task_success",
        {},
        {
            "taskToken": "token-abc",
            "output": json.dumps({"approved": True, "approver": "lead@example.com", "comment": "ok"}),
        },
    )

    assert decide(callback, context, {"decision": "approve", "comment": "ok"}) == (200, {"approvalId": "ap-1", "status": "APPROVED"})
    assert status_of(callback) == "APPROVED"


def test_approve_with_a_start_time_passes_it_to_the_wait_state(callback, context):
    callback.stubber.add_response(
        "send_task_success",
        {},
        {
            "taskToken": "token-abc",
            "output": json.dumps({"approved": True, "approver": "lead@example.com", "comment": "", "notBefore": "2030-01-31T08:00:00Z"}),
        },
    )

    status, _ = decide(callback, context, {"decision": "approve", "notBefore": "2030-01-31T09:00:00+01:00"})

    assert status == 200


def test_reject_sends_task_failure_with_the_error_the_workflow_catches(callback, context):
    callback.stubber.add_response(
        "send_task_failure",
        {},
        {"taskToken": "token-abc", "error": "ApprovalRejected", "cause": "budget exhausted"},
    )

    assert decide(callback, context, {"decision": "reject", "comment": "budget exhausted"})[0] == 200
    assert status_of(callback) == "REJECTED"


def test_a_second_decision_is_refused_without_calling_step_functions(callback, context):
    callback.stubber.add_response("send_task_success", {})

    decide(callback, context, {"decision": "approve"})
    status, body = decide(callback, context, {"decision": "reject"})  # no second Stubber response: a call would fail

    assert status == 409
    assert body == {"error": "already decided: APPROVED"}


def test_a_timed_out_token_answers_410_and_marks_the_approval_expired(callback, context):
    callback.stubber.add_client_error("send_task_success", service_error_code="TaskTimedOut", http_status_code=400)

    assert decide(callback, context, {"decision": "approve"})[0] == 410
    assert status_of(callback) == "EXPIRED"


def test_a_throttled_call_can_be_retried(callback, context):
    callback.stubber.add_client_error("send_task_success", service_error_code="ThrottlingException", http_status_code=400)
    callback.stubber.add_response("send_task_success", {})

    assert decide(callback, context, {"decision": "approve"})[0] == 503
    assert status_of(callback) == "PENDING"
    assert decide(callback, context, {"decision": "approve"})[0] == 200


def test_requesters_may_not_approve_their_own_request(callback, context):
    assert decide(callback, context, {"decision": "approve"}, approver="ana")[0] == 403
    assert status_of(callback) == "PENDING"


APPROVER_ARN = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approvers_0123456789abcdef/lead@example.com"


def test_with_iam_auth_the_approver_is_the_signed_callers_arn(callback, context):
    callback.stubber.add_response(
        "send_task_success",
        {},
        {"taskToken": "token-abc", "output": json.dumps({"approved": True, "approver": APPROVER_ARN, "comment": ""})},
    )
    event = {
        "pathParameters": {"approvalId": "ap-1"},
        "body": json.dumps({"decision": "approve"}),
        # ApprovalApi's AWS_IAM auth: no authorizer block, the caller's identity instead (events/approval-callback.json)
        "requestContext": {"identity": {"accountId": "123456789012", "caller": "AROAEXAMPLEROLEID1234:lead@example.com", "userArn": APPROVER_ARN}},
    }

    assert callback.lambda_handler(event, context)["statusCode"] == 200
    assert callback.table.get_item(Key={"approvalId": "ap-1"})["Item"]["approver"] == APPROVER_ARN


def test_without_any_identity_the_approver_is_anonymous(callback):
    assert callback.approver_of({"requestContext": {"identity": {"userArn": None}}}) == "anonymous"


def test_unknown_approval_is_404(callback, context):
    assert decide(callback, context, {"decision": "approve"}, approval_id="nope")[0] == 404


@pytest.mark.parametrize("body", [{"decision": "maybe"}, {"decision": "approve", "notBefore": "tomorrow"}, {"decision": "approve", "notBefore": "2030-01-31T09:00:00"}])
def test_bad_decisions_are_400(callback, context, body):
    assert decide(callback, context, body)[0] == 400
