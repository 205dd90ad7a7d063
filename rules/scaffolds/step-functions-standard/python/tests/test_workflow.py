"""Checks the state machine definition: the callback step, the wait, and where failures go."""
import json
import pathlib

DEFINITION = json.loads((pathlib.Path(__file__).resolve().parents[1] / "statemachine" / "workflow.asl.json").read_text())
STATES = DEFINITION["States"]


def test_every_transition_points_at_a_state():
    targets = {DEFINITION["StartAt"]}
    for state in STATES.values():
        targets.update(t for t in [state.get("Next"), state.get("Default")] if t)
        targets.update(c["Next"] for c in state.get("Catch", []) + state.get("Choices", []))
    assert targets <= set(STATES)


def test_the_approval_step_waits_for_a_task_token_with_a_timeout():
    step = STATES["RequestApproval"]
    assert step["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert step["Parameters"]["Payload"]["taskToken.$"] == "$$.Task.Token"
    assert 0 < step["TimeoutSeconds"] <= 365 * 24 * 3600
    assert {c["Next"] for c in step["Catch"] if "ApprovalRejected" in c["ErrorEquals"]} == {"Rejected"}


def test_an_approval_with_a_start_time_waits_for_it():
    choice = STATES[STATES["RequestApproval"]["Next"]]
    assert choice["Type"] == "Choice"
    [rule] = choice["Choices"]
    assert rule["Variable"] == "$.approval.notBefore"
    wait = STATES[rule["Next"]]
    assert wait["Type"] == "Wait"
    assert wait["TimestampPath"] == "$.approval.notBefore"
    assert wait["Next"] == choice["Default"] == "Execute"


def test_every_task_but_the_failure_handler_catches_everything_into_it():
    for name, state in STATES.items():
        if state["Type"] != "Task" or name == "HandleFailure":
            continue
        assert any("States.ALL" in c["ErrorEquals"] and c["Next"] == "HandleFailure" for c in state["Catch"]), name
    assert STATES[STATES["HandleFailure"]["Next"]]["Type"] == "Fail"


def test_the_work_retries_transient_errors():
    retried = {e for r in STATES["Execute"]["Retry"] for e in r["ErrorEquals"]}
    assert {"Lambda.ServiceException", "Lambda.TooManyRequestsException", "TransientError"} <= retried
{{#unless front}}


def test_a_duplicate_start_is_claimed_once_and_asks_nobody():
    assert STATES["Start"]["Next"] == "ClaimStart"
    claim = STATES["ClaimStart"]
    assert claim["Resource"] == "arn:aws:states:::dynamodb:putItem"
    assert claim["Parameters"]["ConditionExpression"] == "attribute_not_exists(startKey)"
    assert claim["Parameters"]["Item"]["startKey"] == {"S.$": "$.startKey"}
    [duplicate] = [c for c in claim["Catch"] if "DynamoDB.ConditionalCheckFailedException" in c["ErrorEquals"]]
    assert STATES[duplicate["Next"]]["Type"] == "Succeed"
    assert claim["Next"] == "RequestApproval"
{{/unless}}
