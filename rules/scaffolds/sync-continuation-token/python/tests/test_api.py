import json
import time

import boto3
import pytest
from moto import mock_aws

from conftest import load_function


class Clock:
    """A fake monotonic clock shared by the handler and the Lambda context."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class TimedContext:
    """A Lambda context whose remaining time runs down with the fake clock."""

    aws_request_id = "req-1"

    def __init__(self, clock, timeout_seconds=28):
        self.clock = clock
        self.ends_at = clock.now + timeout_seconds

    def get_remaining_time_in_millis(self):
        return int((self.ends_at - self.clock.now) * 1000)


@pytest.fixture
def api(monkeypatch):
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="continuations",
            AttributeDefinitions=[{"AttributeName": "token", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "token", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module = load_function("api")
        module.fake_clock = Clock()
        monkeypatch.setattr(module, "clock", module.fake_clock)
        yield module


def slow_steps(api, monkeypatch, seconds_per_step):
    """Wraps the sample step so each one takes `seconds_per_step` on the fake clock; returns the items seen."""
    seen = []
    real_step = api.run_step

    def step(job_input, cursor, partial):
        api.fake_clock.now += seconds_per_step
        seen.append(job_input["items"][cursor or 0])
        return real_step(job_input, cursor, partial)

    monkeypatch.setattr(api, "run_step", step)
    return seen


def call(api, body):
    result = api.lambda_handler({"body": json.dumps(body)}, TimedContext(api.fake_clock))
    return result["statusCode"], json.loads(result["body"])


ITEMS = [f"item-{n}" for n in range(10)]


def test_short_work_completes_in_one_call_without_a_token(api, monkeypatch):
    slow_steps(api, monkeypatch, seconds_per_step=1)

    status, body = call(api, {"items": ITEMS[:3]})

    assert status == 200
    assert body == {"status": "complete", "result": {"processed": 3, "characters": 18}, "steps": 3}
    assert api.table.scan()["Items"] == []


def test_stops_within_the_budget_and_returns_a_token(api, monkeypatch):
    slow_steps(api, monkeypatch, seconds_per_step=4)

    status, body = call(api, {"items": ITEMS})

    # Budget: min(28 s left, 29 s window) - 2 s safety = 26 s; a step starts only with >= 5 s left -> 6 steps.
    assert status == 200
    assert body["status"] == "in_progress"
    assert body["steps"] == 6
    saved = api.table.get_item(Key={"token": body["continuationToken"]})["Item"]
    assert json.loads(saved["cursor"]) == 6
    assert saved["expiresAt"] > time.time()
    assert "leaseUntil" not in saved


def test_resumes_from_the_token_and_processes_every_item_once(api, monkeypatch):
    seen = slow_steps(api, monkeypatch, seconds_per_step=4)

    status, body = call(api, {"items": ITEMS})
    calls = 1
    while body["status"] == "in_progress":
        status, body = call(api, {"continuationToken": body["continuationToken"]})
        calls += 1

    assert status == 200
    assert calls == 2
    assert seen == ITEMS
    assert body["result"] == {"processed": 10, "characters": 60}
    assert api.table.scan()["Items"] == []  # the finished job's state is deleted


def test_an_unknown_token_is_gone(api):
    assert call(api, {"continuationToken": "no-such-token"})[0] == 410


def test_an_expired_token_is_gone_even_before_ttl_deletes_it(api, monkeypatch):
    slow_steps(api, monkeypatch, seconds_per_step=10)
    _, body = call(api, {"items": ITEMS})
    api.table.update_item(
        Key={"token": body["continuationToken"]},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": int(time.time()) - 1},
    )

    assert call(api, {"continuationToken": body["continuationToken"]})[0] == 410


def test_a_token_in_use_by_another_call_answers_409(api, monkeypatch):
    slow_steps(api, monkeypatch, seconds_per_step=10)
    _, body = call(api, {"items": ITEMS})
    api.claim(body["continuationToken"])  # another call holds the lease

    assert call(api, {"continuationToken": body["continuationToken"]})[0] == 409


def test_a_failed_step_keeps_the_progress_for_a_retry(api, monkeypatch):
    slow_steps(api, monkeypatch, seconds_per_step=10)
    _, body = call(api, {"items": ITEMS})
    token = body["continuationToken"]

    def flaky(job_input, cursor, partial):
        raise RuntimeError("flaky dependency")

    monkeypatch.setattr(api, "run_step", flaky)

    assert call(api, {"continuationToken": token})[0] == 500

    saved = api.table.get_item(Key={"token": token})["Item"]
    assert json.loads(saved["cursor"]) == 3  # the three steps of the first call (10 s each in a 26 s budget)
    assert "leaseUntil" not in saved  # released: the client can retry right away


@pytest.mark.parametrize("body", [{"items": "not a list"}, {"continuationToken": 42}])
def test_bad_input_is_a_400(api, body):
    assert call(api, body)[0] == 400
