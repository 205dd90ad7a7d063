import io
import json
import logging
import os
import threading
import time

import pytest

from conftest import ROOT


def lines(response):
    return [json.loads(line) for line in response.read().decode("utf-8").splitlines() if line]


class FakeClock:
    """Stands in for time.monotonic; tests move it forward."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class RecordingWriter:
    """Stands in for ChunkedWriter: keeps the lines; can play a client that left after N lines."""

    def __init__(self, gone_after=None):
        self.lines, self.gone_after = [], gone_after

    def line(self, value):
        if self.gone_after is not None and len(self.lines) >= self.gone_after:
            raise ClientGoneFor.module.ClientGone()
        self.lines.append(value)
        return len(json.dumps(value)) + 1


class ClientGoneFor:
    module = None


@pytest.fixture
def unit(app, monkeypatch):
    ClientGoneFor.module = app
    app.fake_clock = FakeClock()
    monkeypatch.setattr(app, "clock", app.fake_clock)
    return app


def test_each_chunk_reaches_the_client_before_the_work_goes_on(app, server, monkeypatch):
    client_read_first = threading.Event()
    waited = []

    def produce(request, deadline):
        yield "first"
        # Only a chunk that is really on the wire lets the client read it while we wait here.
        waited.append(client_read_first.wait(timeout=3))
        yield "second"

    monkeypatch.setattr(app, "produce", produce)
    response = server.post("{}")
    assert response.status == 200
    first = json.loads(response.readline())
    client_read_first.set()
    rest = lines(response)

    assert first == {"type": "chunk", "index": 0, "data": "first"}
    assert waited == [True], "the first chunk was streamed, not held back until the end"
    assert [line["type"] for line in rest] == ["chunk", "end"]
    assert rest[-1]["chunks"] == 2


def test_streams_ndjson_in_http_chunks_and_ends_with_an_end_line(server):
    response = server.post('{"sections": ["summary", "sales"]}')

    assert response.status == 200
    assert response.getheader("Content-Type") == "application/x-ndjson"
    assert response.getheader("Transfer-Encoding") == "chunked"
    got = lines(response)
    assert [line.get("data", {}).get("section") for line in got[:-1]] == ["summary", "sales"]
    assert got[-1]["type"] == "end" and got[-1]["chunks"] == 2


@pytest.mark.parametrize("body", ["not json", "[1]", '{"sections": 3}'])
def test_a_bad_request_gets_a_400_before_any_stream(app, server, monkeypatch, body):
    produced = []
    monkeypatch.setattr(app, "produce", lambda request, deadline: produced.append(1) or iter(()))

    response = server.post(body)

    assert response.status == 400
    assert "error" in json.loads(response.read())
    assert produced == []


def test_an_error_after_the_first_chunk_ends_the_stream_with_an_error_line(app, server, monkeypatch):
    def produce(request, deadline):
        yield "ok"
        raise KeyError("secret-internal-detail")

    monkeypatch.setattr(app, "produce", produce)

    response = server.post("{}", lambda_context={"request_id": "req-1", "deadline": (time.time() + 600) * 1000})
    text = response.read().decode("utf-8")
    got = [json.loads(line) for line in text.splitlines()]

    assert got[-1] == {"type": "error", "error": "internal error", "requestId": "req-1", "chunks": 1}
    assert "secret-internal-detail" not in text
    assert not [line for line in got if line["type"] == "end"], "no end line: the client knows the output is incomplete"


def test_a_heartbeat_keeps_a_slow_step_from_looking_idle(app, server, monkeypatch):
    monkeypatch.setattr(app, "HEARTBEAT_SECONDS", 0.05)

    def produce(request, deadline):
        yield "before the slow step"
        time.sleep(0.4)
        yield "after it"

    monkeypatch.setattr(app, "produce", produce)

    types = [line["type"] for line in lines(server.post("{}"))]

    assert types[0] == "chunk" and types[-2:] == ["chunk", "end"]
    assert "heartbeat" in types[1:-2]


def test_the_budget_follows_the_invocation_deadline_and_never_exceeds_the_window(app, server, monkeypatch):
    budgets = []

    def produce(request, deadline):
        budgets.append(deadline.remaining())
        yield "x"

    monkeypatch.setattr(app, "produce", produce)
    server.post("{}", lambda_context={"deadline": (time.time() + 60) * 1000}).read()
    server.post("{}", lambda_context={"deadline": (time.time() + 3600) * 1000}).read()

    assert 53 < budgets[0] <= 55
    assert 893 < budgets[1] <= 895


def test_work_that_runs_out_of_time_ends_with_an_error_line_that_says_what_to_do(unit, monkeypatch):
    def produce(request, deadline):
        yield "part 1"
        unit.fake_clock.now += 300
        deadline.check("part 2")
        yield "never"

    monkeypatch.setattr(unit, "produce", produce)
    writer = RecordingWriter()

    outcome, chunks, _ = unit.stream_response({}, writer, unit.Deadline(55), "req-1")

    assert (outcome, chunks) == ("error", 1)
    assert writer.lines[-1]["type"] == "error" and "asynchronously" in writer.lines[-1]["hint"]


def test_stops_producing_when_the_client_disconnects(unit, monkeypatch, caplog):
    produced = []

    def produce(request, deadline):
        for i in range(100):
            produced.append(i)
            yield i

    monkeypatch.setattr(unit, "produce", produce)

    with caplog.at_level(logging.WARNING, logger="stream"):
        outcome, chunks, _ = unit.stream_response({}, RecordingWriter(gone_after=2), unit.Deadline(600), "r")

    assert (outcome, chunks) == ("disconnected", 2)
    assert len(produced) == 3
    assert "client disconnected; stopping" in [r.getMessage() for r in caplog.records]


def test_a_broken_pipe_is_a_client_that_left(unit):
    class Closed(io.RawIOBase):
        def write(self, data):
            raise BrokenPipeError()

    with pytest.raises(unit.ClientGone):
        unit.ChunkedWriter(Closed()).line({"type": "chunk"})


def test_each_line_is_one_http_chunk_and_the_stream_closes_with_a_zero_chunk(unit):
    out = io.BytesIO()
    writer = unit.ChunkedWriter(out)

    size = writer.line({"type": "end", "chunks": 0})
    writer.close()

    data = b'{"type":"end","chunks":0}\n'
    assert size == len(data)
    assert out.getvalue() == b"%x\r\n" % len(data) + data + b"\r\n0\r\n\r\n"


def test_heartbeat_only_after_the_idle_interval(unit):
    out = io.BytesIO()
    writer = unit.ChunkedWriter(out)
    writer.line({"type": "chunk"})
    unit.fake_clock.now += 5
    writer.beat_if_idle(20)
    assert b"heartbeat" not in out.getvalue()

    unit.fake_clock.now += 20
    writer.beat_if_idle(20)
    assert out.getvalue().count(b"heartbeat") == 1


def test_a_stream_near_the_15_min_window_is_logged_as_a_warning(unit, caplog):
    with caplog.at_level(logging.INFO, logger="stream"):
        unit.log_finished("end", 3, 120, 750)

    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert (logging.INFO, "stream finished") in messages
    assert (logging.WARNING, "near the streamed window") in messages


def test_the_remaining_time_comes_from_the_adapter_lambda_context(unit):
    assert 29 < unit.remaining_seconds({"deadline": (time.time() + 30) * 1000}) <= 30
    assert unit.remaining_seconds({}) == 900


def test_the_readiness_check_path_answers(server):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.httpd.server_port, timeout=5)
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200


def test_run_sh_is_an_executable_script_that_starts_the_server():
    run = ROOT / "src" / "stream" / "run.sh"
    assert run.read_text().startswith("#!/bin/bash")
    assert "app.py" in run.read_text()
    assert os.access(run, os.X_OK), "the Lambda Web Adapter executes the handler file"
