"""Checks the state machine definition: the retries, catches and idempotent write the pattern relies on."""
import json
import pathlib

import pytest

DEFINITION = json.loads((pathlib.Path(__file__).resolve().parents[1] / "statemachine" / "workflow.asl.json").read_text())
STATES = DEFINITION["States"]
LAMBDA_TRANSIENT = {"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"}


def lambda_tasks():
    return {name: s for name, s in STATES.items() if s.get("Resource") == "arn:aws:states:::lambda:invoke"}


def test_every_transition_points_at_a_state():
    targets = {DEFINITION["StartAt"]}
    for state in STATES.values():
        targets.update(t for t in [state.get("Next"), state.get("Default")] if t)
        targets.update(c["Next"] for c in state.get("Catch", []))
        targets.update(c["Next"] for c in state.get("Choices", []))
    assert targets <= set(STATES)


def test_the_workflow_has_two_or_three_lambda_steps():
    assert 2 <= len(lambda_tasks()) <= 3


@pytest.mark.parametrize("name", sorted(lambda_tasks()))
def test_every_lambda_step_retries_transient_errors_and_catches_the_rest(name):
    state = STATES[name]
    retried = set().union(*(set(r["ErrorEquals"]) for r in state["Retry"]))
    assert LAMBDA_TRANSIENT <= retried
    assert any("States.ALL" in c["ErrorEquals"] for c in state["Catch"])
    # ... into RecordFailure, so a failed request is recorded FAILED, never reported as a success.
    [catch_all] = [c for c in state["Catch"] if "States.ALL" in c["ErrorEquals"]]
    assert catch_all["Next"] == "RecordFailure"


def test_a_validation_error_is_recorded_as_a_rejection_without_retry():
    validate = STATES["Validate"]
    assert not any("ValidationError" in r["ErrorEquals"] for r in validate["Retry"])
    [catch] = [c for c in validate["Catch"] if "ValidationError" in c["ErrorEquals"]]
    assert catch["Next"] == "RecordRejection"


def test_the_result_is_written_once_and_a_duplicate_execution_succeeds():
    save = STATES["SaveResult"]
    assert save["Parameters"]["ConditionExpression"] == "attribute_not_exists(requestId)"
    [catch] = [c for c in save["Catch"] if "DynamoDB.ConditionalCheckFailedException" in c["ErrorEquals"]]
    assert STATES[catch["Next"]]["Type"] == "Succeed"


@pytest.mark.parametrize("state, status", [("SaveResult", "SUCCEEDED"), ("RecordRejection", "REJECTED"), ("RecordFailure", "FAILED")])
def test_each_outcome_records_its_status_once(state, status):
    write = STATES[state]["Parameters"]
    assert write["Item"]["status"] == {"S": status}
    assert write["ConditionExpression"] == "attribute_not_exists(requestId)"


def test_nothing_express_cannot_run():
    # Express workflows support neither .sync nor .waitForTaskToken integrations, and run at most 5 minutes.
    for state in STATES.values():
        assert not str(state.get("Resource", "")).endswith((".sync", ".waitForTaskToken"))
    assert DEFINITION["TimeoutSeconds"] <= 300
