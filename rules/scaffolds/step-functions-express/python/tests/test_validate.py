import json
import pathlib

import pytest

from conftest import load_function

EVENTS = pathlib.Path(__file__).resolve().parents[1] / "events"


@pytest.fixture
def validate():
    return load_function("validate")


def rejects(validate, context, work_input):
    with pytest.raises(validate.ValidationError) as raised:
        validate.lambda_handler({"requestId": "r-1", "input": work_input}, context)
    # Step Functions matches Catch.ErrorEquals against the exception's class name.
    assert type(raised.value).__name__ == "ValidationError"


{{#if triggerEvent}}
def object_created(key="incoming/orders.csv"):
    return {
        "version": "0", "id": "e-1", "detail-type": "Object Created", "source": "aws.s3", "account": "123456789012",
        "time": "2024-06-01T00:00:00Z", "region": "us-east-1", "resources": ["arn:aws:s3:::uploads"],
        "detail": {"version": "0", "bucket": {"name": "uploads"},
                   "object": {"key": key, "size": 42, "etag": "abc123", "sequencer": "0062"},
                   "request-id": "R1", "requester": "123456789012", "reason": "PutObject"},
    }


def test_an_object_created_event_becomes_the_object_to_process(validate, context):
    result = validate.lambda_handler({"requestId": "uploads/incoming/orders.csv@abc123", "input": object_created()}, context)

    assert result == {"requestId": "uploads/incoming/orders.csv@abc123",
                      "work": {"bucket": "uploads", "key": "incoming/orders.csv", "size": 42, "etag": "abc123"}}


def test_the_sample_event_is_what_the_rule_sends(validate, context):
    event = json.loads((EVENTS / "validate.json").read_text())

    assert validate.lambda_handler(event, context)["work"]["key"].startswith("incoming/")


@pytest.mark.parametrize("work_input", [{}, {"source": "aws.s3", "detail-type": "Object Deleted"}, "outside"])
def test_anything_but_an_upload_under_incoming_is_rejected(validate, context, work_input):
    rejects(validate, context, object_created("elsewhere/x.csv") if work_input == "outside" else work_input)
{{/if}}
{{#if triggerSchedule}}
def test_a_scheduler_invocation_becomes_the_run_of_its_scheduled_time(validate, context):
    run = {"scheduledTime": "2024-06-01T02:00:00Z", "scheduleArn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s",
           "executionId": "x-1", "attempt": "2"}

    result = validate.lambda_handler({"requestId": "schedule:2024-06-01T02:00:00Z", "input": run}, context)

    assert result == {"requestId": "schedule:2024-06-01T02:00:00Z", "work": {"scheduledTime": "2024-06-01T02:00:00Z", "attempt": 2}}


def test_the_sample_event_is_what_the_schedule_sends(validate, context):
    event = json.loads((EVENTS / "validate.json").read_text())

    assert validate.lambda_handler(event, context)["work"]["scheduledTime"] == "2024-06-01T02:00:00Z"


@pytest.mark.parametrize("work_input", [{}, {"scheduledTime": "yesterday"}])
def test_a_run_without_a_scheduled_time_is_rejected(validate, context, work_input):
    rejects(validate, context, work_input)
{{/if}}
{{#if webhook}}
def test_a_verified_delivery_is_passed_on_with_its_request_id(validate, context):
    event = {"requestId": "d-1", "input": {"action": "opened", "id": "d-1"}}
{{#if senderSlackCommand}}
    event["responseUrl"] = "https://hooks.slack.com/commands/T1/1/abc"
{{/if}}

    result = validate.lambda_handler(event, context)

    assert result["requestId"] == "d-1" and result["work"] == {"action": "opened", "id": "d-1"}
{{#if senderSlackCommand}}
    assert result["responseUrl"] == "https://hooks.slack.com/commands/T1/1/abc"
{{/if}}


def test_an_empty_delivery_is_rejected(validate, context):
    rejects(validate, context, {})
{{/if}}
{{#if triggerRequest}}
{{#unless webhook}}
def test_normalises_a_valid_request(validate, context):
    event = {"requestId": "r-1", "input": {"customerId": 7, "items": [{"sku": "A-1", "quantity": "2"}]}}

    assert validate.lambda_handler(event, context) == {
        "requestId": "r-1",
        "work": {"customerId": "7", "items": [{"sku": "A-1", "quantity": 2}]},
    }


@pytest.mark.parametrize("order", [{}, {"items": []}, {"items": [{"sku": "A-1", "quantity": 0}]}, {"items": [{"quantity": 1}]}])
def test_an_invalid_request_raises_the_error_the_workflow_catches(validate, context, order):
    rejects(validate, context, order)
{{/unless}}
{{/if}}
