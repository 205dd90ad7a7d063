import json

import boto3
import pytest
from moto import mock_aws

from job import app


class FakeContext:
    """Lambda context whose remaining time drops by `step_ms` on every call."""

    def __init__(self, remaining_ms=900_000, step_ms=0, request_id="req-1"):
        self.remaining_ms, self.step_ms, self.aws_request_id = remaining_ms, step_ms, request_id

    def get_remaining_time_in_millis(self):
        value = self.remaining_ms
        self.remaining_ms -= self.step_ms
        return value


@pytest.fixture
def runs():
    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="test-job-runs",
            KeySchema=[{"AttributeName": "runId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "runId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        app._clients.clear()
        yield table
        app._clients.clear()


def scheduler_event(scheduled_time="2026-11-23T02:00:00Z", attempt="1"):
    return {"jobName": "nightly", "scheduledTime": scheduled_time, "attempt": attempt,
            "executionId": "e-1", "scheduleArn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s"}


def run(table, scheduled_time="2026-11-23T02:00:00Z"):
    return table.get_item(Key={"runId": f"nightly#{scheduled_time}"}).get("Item")


def test_a_run_is_claimed_done_and_summarised(runs):
    res = app.handler(scheduler_event(), FakeContext())
    assert res == {"runId": "nightly#2026-11-23T02:00:00Z", "status": "DONE",
                   "summary": {"processed": 500, "complete": True}}
    item = run(runs)
    assert item["status"] == "DONE" and item["attempts"] == 1
    assert json.loads(item["summary"]) == {"processed": 500, "complete": True}


def test_the_same_scheduled_time_runs_once(runs, monkeypatch):
    calls = []
    monkeypatch.setattr(app, "run_job", lambda t, left: calls.append(t) or {"n": 1})
    first = app.handler(scheduler_event(attempt="1"), FakeContext())
    again = app.handler(scheduler_event(attempt="2"), FakeContext(request_id="req-2"))
    assert (first["status"], again["status"], calls) == ("DONE", "SKIPPED", ["2026-11-23T02:00:00Z"])


def test_a_different_scheduled_time_is_a_new_run(runs, monkeypatch):
    calls = []
    monkeypatch.setattr(app, "run_job", lambda t, left: calls.append(t) or {})
    app.handler(scheduler_event("2026-11-23T02:00:00Z"), FakeContext())
    app.handler(scheduler_event("2026-11-23T03:00:00Z"), FakeContext())
    assert calls == ["2026-11-23T02:00:00Z", "2026-11-23T03:00:00Z"]


def test_a_run_in_progress_elsewhere_is_not_started_again(runs, monkeypatch):
    runs.put_item(Item={"runId": "nightly#2026-11-23T02:00:00Z", "status": "RUNNING", "owner": "other",
                        "leaseUntil": app._now_ms() + 600_000})
    monkeypatch.setattr(app, "run_job", lambda *a: pytest.fail("must not run twice"))
    assert app.handler(scheduler_event(), FakeContext())["status"] == "SKIPPED"


def test_a_failed_run_raises_for_a_retry_and_the_retry_completes(runs, monkeypatch):
    outcomes = iter([RuntimeError("database busy"), {"processed": 7}])

    def flaky(t, left):
        result = next(outcomes)
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr(app, "run_job", flaky)
    with pytest.raises(RuntimeError):  # raising lets Lambda retry, then use the on-failure destination
        app.handler(scheduler_event(), FakeContext())
    assert run(runs)["status"] == "FAILED"
    assert app.handler(scheduler_event(attempt="2"), FakeContext(request_id="req-2"))["status"] == "DONE"
    assert run(runs)["attempts"] == 2


def test_the_work_stops_before_the_time_budget_runs_out(runs):
    # 100 s left, 25 s used per page, 30 s margin: the clock reads 100 (lease), 75, 50, 25 -> 2 pages
    res = app.handler(scheduler_event(), FakeContext(remaining_ms=100_000, step_ms=25_000))
    assert res["summary"] == {"processed": 200, "complete": False}


def test_an_eventbridge_rule_time_is_accepted_and_a_missing_time_is_an_error(runs):
    res = app.handler({"detail-type": "Scheduled Event", "time": "2026-11-23T04:00:00Z"}, FakeContext())
    assert res["runId"] == "nightly#2026-11-23T04:00:00Z"
    with pytest.raises(ValueError):
        app.handler({"scheduledTime": "<aws.scheduler.scheduled-time>"}, FakeContext())
