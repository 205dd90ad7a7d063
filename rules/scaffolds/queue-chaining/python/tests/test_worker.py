import json

import boto3
import pytest
from moto import mock_aws

from worker import app


class FakeContext:
    """Lambda context whose remaining time drops by `step_ms` on every call."""

    def __init__(self, remaining_ms=900_000, step_ms=0, request_id="req-1"):
        self.remaining_ms, self.step_ms, self.aws_request_id = remaining_ms, step_ms, request_id

    def get_remaining_time_in_millis(self):
        value = self.remaining_ms
        self.remaining_ms -= self.step_ms
        return value


@pytest.fixture
def aws():
    with mock_aws():
        ddb = boto3.resource("dynamodb")
        table = ddb.create_table(
            TableName="test-jobs",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sqs = boto3.client("sqs")
        sqs.create_queue(QueueName="test-jobs")
        app._clients.clear()
        yield table, sqs
        app._clients.clear()


def sqs_event(*bodies):
    return {"Records": [{"messageId": f"m{i}", "receiptHandle": f"rh{i}", "body": json.dumps(b)}
                        for i, b in enumerate(bodies)]}


def queued(sqs):
    res = sqs.receive_message(QueueUrl=app.QUEUE_URL, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in res.get("Messages", [])]


def chunk_marker(table, job, chunk):
    return table.get_item(Key={"pk": f"JOB#{job}", "sk": f"CHUNK#{chunk:08d}"}).get("Item")


def job_record(table, job):
    return table.get_item(Key={"pk": f"JOB#{job}", "sk": "JOB"}).get("Item")


def test_works_until_the_time_budget_then_queues_the_continuation(aws):
    table, sqs = aws
    # the clock reads 900 s (lease), then 600, 300, 0 s after each step; 0 < 60 s margin -> stops after step 3
    ctx = FakeContext(remaining_ms=900_000, step_ms=300_000)
    msg = {"jobId": "j1", "chunk": 0, "cursor": None, "params": {"totalItems": 1000, "pageSize": 100}}
    result = app.handler(sqs_event(msg), ctx)

    assert result == {"batchItemFailures": []}
    assert queued(sqs) == [{"jobId": "j1", "chunk": 1, "cursor": 300,
                            "params": {"totalItems": 1000, "pageSize": 100}}]
    marker = chunk_marker(table, "j1", 0)
    assert marker["status"] == "DONE" and marker["continuationSent"] is True
    assert marker["finished"] is False and json.loads(marker["nextCursor"]) == 300
    assert job_record(table, "j1")["status"] == "RUNNING"


def test_last_chunk_records_completion_and_queues_nothing(aws):
    table, sqs = aws
    msg = {"jobId": "j2", "chunk": 4, "cursor": 900, "params": {"totalItems": 1000, "pageSize": 100}}
    app.handler(sqs_event(msg), FakeContext())

    assert queued(sqs) == []
    job = job_record(table, "j2")
    assert job["status"] == "COMPLETE" and job["chunks"] == 5
    assert json.loads(job["lastCursor"]) == 1000


def test_whole_job_runs_as_a_chain_of_chunks(aws):
    table, sqs = aws
    msg = {"jobId": "j3", "chunk": 0, "cursor": None, "params": {"totalItems": 500, "pageSize": 100}}
    hops = 0
    while msg is not None:
        app.handler(sqs_event(msg), FakeContext(remaining_ms=200_000, step_ms=100_000, request_id=f"r{hops}"))
        pending = queued(sqs)
        msg = pending[0] if pending else None
        hops += 1
        assert hops < 10
    # 200 s budget, 100 s per step, 60 s margin -> 2 steps (200 items) per chunk -> 3 chunks for 500 items
    assert hops == 3
    assert job_record(table, "j3")["status"] == "COMPLETE"


def test_duplicate_of_a_forwarded_chunk_is_dropped(aws):
    table, sqs = aws
    msg = {"jobId": "j4", "chunk": 0, "cursor": None, "params": {"totalItems": 1000, "pageSize": 100}}
    ctx = FakeContext(remaining_ms=100_000, step_ms=50_000)
    app.handler(sqs_event(msg), ctx)
    assert len(queued(sqs)) == 1
    steps_before = chunk_marker(table, "j4", 0)["steps"]

    assert app.handle_message(msg, FakeContext(request_id="req-2")) == "duplicate"
    assert queued(sqs) == []  # nothing new was sent
    assert chunk_marker(table, "j4", 0)["steps"] == steps_before


def test_done_but_unforwarded_chunk_is_forwarded_without_redoing_work(aws, monkeypatch):
    table, sqs = aws
    table.put_item(Item={"pk": "JOB#j5", "sk": "CHUNK#00000002", "status": "DONE", "owner": "old",
                         "nextCursor": json.dumps(700), "finished": False, "continuationSent": False})
    monkeypatch.setattr(app, "process_step", lambda *a: pytest.fail("work must not be redone"))
    msg = {"jobId": "j5", "chunk": 2, "cursor": 500, "params": {}}
    assert app.handle_message(msg, FakeContext()) == "forwarded"
    assert queued(sqs) == [{"jobId": "j5", "chunk": 3, "cursor": 700, "params": {}}]
    assert chunk_marker(table, "j5", 2)["continuationSent"] is True


def test_chunk_held_by_a_live_claim_is_not_run_twice(aws, monkeypatch):
    table, sqs = aws
    table.put_item(Item={"pk": "JOB#j6", "sk": "CHUNK#00000000", "status": "IN_PROGRESS", "owner": "other",
                         "leaseUntil": app._now_ms() + 600_000})
    monkeypatch.setattr(app, "process_step", lambda *a: pytest.fail("work must not run twice"))
    assert app.handle_message({"jobId": "j6", "chunk": 0, "cursor": None}, FakeContext()) == "busy"
    assert queued(sqs) == []


def test_expired_claim_is_taken_over(aws):
    table, sqs = aws
    table.put_item(Item={"pk": "JOB#j7", "sk": "CHUNK#00000000", "status": "IN_PROGRESS", "owner": "dead",
                         "leaseUntil": app._now_ms() - 1})
    msg = {"jobId": "j7", "chunk": 0, "cursor": None, "params": {"totalItems": 100, "pageSize": 100}}
    assert app.handle_message(msg, FakeContext()) == "processed"
    assert chunk_marker(table, "j7", 0)["owner"] == "req-1"
    assert job_record(table, "j7")["status"] == "COMPLETE"


def test_failure_reports_the_message_and_releases_the_claim(aws, monkeypatch):
    table, sqs = aws

    def boom(*_):
        raise RuntimeError("downstream unavailable")

    monkeypatch.setattr(app, "process_step", boom)
    # the visibility change needs a real receipt handle: receive the message from the queue first
    body = {"jobId": "j8", "chunk": 0, "cursor": None, "params": {}}
    sqs.send_message(QueueUrl=app.QUEUE_URL, MessageBody=json.dumps(body))
    m = sqs.receive_message(QueueUrl=app.QUEUE_URL)["Messages"][0]
    good = {"messageId": "ok", "receiptHandle": "x", "body": json.dumps(
        {"jobId": "j9", "chunk": 0, "cursor": None, "params": {"totalItems": 10}})}
    event = {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"]}, good]}

    monkeypatch.setattr(app, "process_step", lambda job, params, cursor: boom() if job == "j8" else (10, True))
    result = app.handler(event, FakeContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": m["MessageId"]}]}
    assert chunk_marker(table, "j8", 0) is None  # released: the retry can claim it at once
    assert job_record(table, "j9")["status"] == "COMPLETE"


def test_unparseable_message_is_reported_as_failed(aws):
    result = app.handler({"Records": [{"messageId": "bad", "receiptHandle": "x", "body": "not json"}]},
                         FakeContext())
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
