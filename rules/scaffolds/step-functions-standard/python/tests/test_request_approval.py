import json
import time

import pytest
from moto import mock_aws

from conftest import create_approvals_table, load_function


@pytest.fixture
def request_approval():
    with mock_aws():
        create_approvals_table()
        yield load_function("request_approval")


def test_stores_the_task_token_under_a_new_approval_id_and_notifies(request_approval, context, monkeypatch):
    notified = []
    monkeypatch.setattr(request_approval, "notify_approver", lambda approval_id, url, request: notified.append((approval_id, url, request)))
    event = {"taskToken": "token-abc", "executionId": "exec-1", "request": {"amount": 1200, "requester": "ana"}}

    result = request_approval.lambda_handler(event, context)

    approval_id = result["approvalId"]
    item = request_approval.table.get_item(Key={"approvalId": approval_id})["Item"]
    assert item["taskToken"] == "token-abc"
    assert item["executionId"] == "exec-1"
    assert item["status"] == "PENDING"
    assert item["expiresAt"] > time.time() + 7 * 24 * 3600  # outlives the step's 7-day timeout
    assert json.loads(item["request"]) == {"amount": 1200, "requester": "ana"}
    assert notified == [(approval_id, f"https://example.execute-api.us-east-1.amazonaws.com/prod/approvals/{approval_id}", event["request"])]


def test_each_request_gets_its_own_unguessable_id(request_approval, context):
    event = {"taskToken": "t", "executionId": "exec-1", "request": {}}

    first = request_approval.lambda_handler(event, context)["approvalId"]
    second = request_approval.lambda_handler(event, context)["approvalId"]

    assert first != second
    assert len(first) >= 20
