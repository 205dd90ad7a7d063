import json

import pytest
from botocore.stub import Stubber
from moto import mock_aws

from conftest import create_jobs_table, load_function


@pytest.fixture
def api():
    with mock_aws():
        create_jobs_table()
        module = load_function("api")
        with Stubber(module.lambda_client) as stubber:
            module.stubber = stubber
            yield module
            stubber.assert_no_pending_responses()


def expect_event_invoke(api, job_id):
    api.stubber.add_response(
        "invoke",
        {"StatusCode": 202},
        {
            "FunctionName": "worker-function",
            "InvocationType": "Event",
            "Payload": json.dumps({"jobId": job_id}).encode("utf-8"),
        },
    )


def submit(api, context, body='{"report": "q2"}', key="job-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return api.lambda_handler({"httpMethod": "POST", "headers": headers, "body": body}, context)


def test_records_the_job_invokes_the_worker_asynchronously_and_answers_202(api, context):
    expect_event_invoke(api, "job-1")

    result = submit(api, context)

    assert result["statusCode"] == 202
    assert result["headers"]["Location"] == "/jobs/job-1"
    assert json.loads(result["body"]) == {"jobId": "job-1", "status": "QUEUED"}
    item = api.table.get_item(Key={"jobId": "job-1"})["Item"]
    assert item["status"] == "QUEUED"
    assert json.loads(item["input"]) == {"report": "q2"}


def test_the_same_idempotency_key_starts_the_job_once(api, context):
    expect_event_invoke(api, "job-1")  # one invoke only: the Stubber fails on a second

    first = submit(api, context)
    again = submit(api, context)

    assert first["statusCode"] == again["statusCode"] == 202
    assert json.loads(again["body"])["jobId"] == "job-1"


def test_generates_a_job_id_without_a_key(api, context, monkeypatch):
    monkeypatch.setattr(api.uuid, "uuid4", lambda: "generated-id")
    expect_event_invoke(api, "generated-id")

    result = submit(api, context, key=None)

    assert json.loads(result["body"])["jobId"] == "generated-id"


def test_a_failed_invoke_answers_503_and_forgets_the_job(api, context):
    api.stubber.add_client_error("invoke", service_error_code="TooManyRequestsException", http_status_code=429)

    result = submit(api, context)

    assert result["statusCode"] == 503
    assert "Item" not in api.table.get_item(Key={"jobId": "job-1"})
    # The client's retry with the same key starts the job.
    expect_event_invoke(api, "job-1")
    assert submit(api, context)["statusCode"] == 202


@pytest.mark.parametrize("body", ["not json", "[]"])
def test_rejects_a_body_that_is_not_a_json_object(api, context, body):
    assert submit(api, context, body=body)["statusCode"] == 400


def test_status_of_a_finished_job(api, context):
    api.table.put_item(Item={"jobId": "job-9", "status": "SUCCEEDED", "attempts": 2, "result": '{"rows": 3}'})

    result = api.lambda_handler({"httpMethod": "GET", "pathParameters": {"jobId": "job-9"}}, context)

    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"jobId": "job-9", "status": "SUCCEEDED", "attempts": 2, "result": {"rows": 3}}


def test_status_of_an_unknown_job_is_404(api, context):
    result = api.lambda_handler({"httpMethod": "GET", "pathParameters": {"jobId": "nope"}}, context)

    assert result["statusCode"] == 404
