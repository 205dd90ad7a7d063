import json
import logging

import pytest

from conftest import load_function


class FakeClock:
    """Stands in for time.monotonic; tests move it forward."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def api(monkeypatch):
    module = load_function("api")
    module.fake_clock = FakeClock()
    monkeypatch.setattr(module, "clock", module.fake_clock)
    return module


def post(body):
    return {"httpMethod": "POST", "body": body, "isBase64Encoded": False}


def test_answers_with_the_result_in_the_same_request(api, context):
    result = api.lambda_handler(post('{"b": 1, "a": 2}'), context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"received": ["a", "b"]}


@pytest.mark.parametrize("body", ["not json", "[1]"])
def test_rejects_a_body_that_is_not_a_json_object(api, context, body):
    assert api.lambda_handler(post(body), context)["statusCode"] == 400


def test_the_deadline_stays_inside_the_api_window(api, context, monkeypatch):
    budgets = []

    def work(request, deadline):
        budgets.append(deadline.remaining())
        return {}

    monkeypatch.setattr(api, "handle_request", work)
    context.remaining_ms = 900_000  # a 15-minute function timeout does not widen the 29 s window

    api.lambda_handler(post("{}"), context)

    assert budgets == [29 - 1.5]


def test_the_deadline_follows_the_function_time_left_when_that_is_shorter(api, context, monkeypatch):
    budgets = []
    monkeypatch.setattr(api, "handle_request", lambda request, deadline: budgets.append(deadline.remaining()) or {})
    context.remaining_ms = 10_000

    api.lambda_handler(post("{}"), context)

    assert budgets == [10 - 1.5]


def test_work_that_runs_out_of_time_gets_a_504_with_the_way_out(api, context, monkeypatch):
    def slow(request, deadline):
        api.fake_clock.now += 30  # the first step took 30 s
        deadline.check("second step")
        return {"never": "reached"}

    monkeypatch.setattr(api, "handle_request", slow)

    result = api.lambda_handler(post("{}"), context)

    assert result["statusCode"] == 504
    assert "asynchronously" in json.loads(result["body"])["hint"]


def test_a_request_near_the_window_is_logged_as_a_warning(api, context, monkeypatch, caplog):
    def took_24_seconds(request, deadline):
        api.fake_clock.now += 24  # 24 s >= 80 % of 29 s
        return {}

    monkeypatch.setattr(api, "handle_request", took_24_seconds)

    with caplog.at_level(logging.WARNING):
        assert api.lambda_handler(post("{}"), context)["statusCode"] == 200

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == ["near the synchronous limit"]


def test_a_fast_request_logs_no_warning(api, context, caplog):
    with caplog.at_level(logging.WARNING):
        api.lambda_handler(post("{}"), context)

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_unexpected_error_answers_500_without_internals(api, context, monkeypatch):
    def broken(request, deadline):
        raise KeyError("secret-internal-detail")

    monkeypatch.setattr(api, "handle_request", broken)

    result = api.lambda_handler(post("{}"), context)

    assert result["statusCode"] == 500
    assert "secret-internal-detail" not in result["body"]
    assert json.loads(result["body"])["requestId"] == context.aws_request_id
