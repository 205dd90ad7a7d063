import json
import uuid

import boto3
import pytest
from botocore.stub import Stubber

from starter import app
{{#if webhook}}
from webhook_signing import sample_payload, signed_event, uses_timestamp
{{/if}}

TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/test/0123456789abcdef0123456789abcdef"


@pytest.fixture
def ecs(jobs_table):
    client = boto3.client("ecs")
    app._clients["ecs"] = client
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def http_event(route, body=None, headers=None, path_parameters=None):
    method, path = route.split(" ", 1)
    return {"version": "2.0", "routeKey": route, "rawPath": path, "headers": headers or {},
            "requestContext": {"http": {"method": method, "path": path}}, "pathParameters": path_parameters,
            "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False}


def job_id_for(key):
    return str(uuid.uuid5(app._IDEMPOTENCY_NAMESPACE, key))


def expected_run_task(job_id):
    return {
        "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/test",
        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/test-worker:3",
        "launchType": "FARGATE",
        "count": 1,
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-0aaa", "subnet-0bbb"], "securityGroups": ["sg-0123"], "assignPublicIp": "ENABLED"}},
        "overrides": {"containerOverrides": [{"name": "worker", "environment": [{"name": "JOB_ID", "value": job_id}]}]},
        "startedBy": job_id,
        "clientToken": job_id,
    }


{{#if webhook}}
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


def delivery(delivery_id, **options):
    """A delivery signed as the sender signs it, through the HTTP API's POST /webhook route."""
    return {**signed_event(SENDER, sample_payload(SENDER, delivery_id), SECRET, delivery_id=delivery_id, **options),
            "routeKey": "POST /webhook"}


def job_id_for_delivery(delivery_id):
    return str(uuid.uuid5(app._IDEMPOTENCY_NAMESPACE, f"{SENDER}:{delivery_id}"))


def test_a_signed_delivery_starts_one_task_named_by_its_delivery_id(jobs_table, ecs):
    job_id = job_id_for_delivery("d-1")
    ecs.add_response("run_task", {"tasks": [{"taskArn": TASK_ARN}], "failures": []}, expected_run_task(job_id))
    res = app.handler(delivery("d-1"), None)

    assert res["statusCode"] == 200
    assert json.loads(res["body"])["jobId"] == job_id
    item = jobs_table.get_item(Key={"jobId": job_id})["Item"]
    assert item["status"] == "PENDING" and item["taskArn"] == TASK_ARN and item["deliveryId"] == "d-1"
    assert json.loads(item["input"]) == sample_payload(SENDER, "d-1")
{{#if senderSlackCommand}}
    assert json.loads(res["body"])["response_type"] == "ephemeral"  # the slash command's receipt, at once
    assert item["responseUrl"] == sample_payload(SENDER, "d-1")["response_url"]  # where the late answer goes
{{/if}}


def test_a_redelivery_starts_no_second_task(jobs_table, ecs):
    job_id = job_id_for_delivery("d-2")
    ecs.add_response("run_task", {"tasks": [{"taskArn": TASK_ARN}], "failures": []}, expected_run_task(job_id))
    first = app.handler(delivery("d-2"), None)
    again = app.handler(delivery("d-2"), None)  # the stub allows one RunTask only
    assert (first["statusCode"], again["statusCode"]) == (200, 200)
    assert json.loads(again["body"])["jobId"] == job_id
    assert jobs_table.scan()["Count"] == 1


@pytest.mark.parametrize("change", ["wrong secret", "missing", "stale"])
def test_an_unsigned_wrong_or_stale_delivery_is_401_and_starts_nothing(jobs_table, ecs, change):
    if change == "stale" and not uses_timestamp(SENDER):
        pytest.skip("this sender signs no timestamp; the delivery-id dedupe stops replays")
    options = {"wrong secret": {}, "missing": {"unsigned": True}, "stale": {"now": 1_000_000_000}}[change]
    event = {**signed_event(SENDER, sample_payload(SENDER, "d-3"),
                            "another-secret" if change == "wrong secret" else SECRET, delivery_id="d-3", **options),
             "routeKey": "POST /webhook"}
    assert app.handler(event, None)["statusCode"] == 401
    assert jobs_table.scan()["Count"] == 0


def test_runtask_failures_answer_503_so_the_sender_retries(jobs_table, ecs):
    job_id = job_id_for_delivery("d-4")
    ecs.add_response("run_task", {"tasks": [], "failures": [{"reason": "RESOURCE:ENI"}]}, expected_run_task(job_id))
    assert app.handler(delivery("d-4"), None)["statusCode"] == 503
    assert "Item" not in jobs_table.get_item(Key={"jobId": job_id})
{{#if senderSlackEvents}}


def test_slacks_url_verification_is_answered_with_its_challenge_and_starts_nothing(jobs_table, ecs):
    event = {**signed_event(SENDER, {"type": "url_verification", "challenge": "c-42"}, SECRET),
             "routeKey": "POST /webhook"}
    res = app.handler(event, None)
    assert res["statusCode"] == 200 and json.loads(res["body"]) == {"challenge": "c-42"}
    assert jobs_table.scan()["Count"] == 0
{{/if}}
{{else}}
def test_start_runs_a_fargate_task_with_the_job_id_and_returns_its_arn(jobs_table, ecs):
    job_id = job_id_for("export-1")
    ecs.add_response("run_task", {"tasks": [{"taskArn": TASK_ARN, "lastStatus": "PROVISIONING"}], "failures": []},
                     expected_run_task(job_id))
    res = app.handler(http_event("POST /jobs", {"input": {"steps": 3}}, {"idempotency-key": "export-1"}), None)

    assert res["statusCode"] == 202
    assert json.loads(res["body"]) == {"jobId": job_id, "status": "PENDING", "taskArn": TASK_ARN,
                                       "statusUrl": f"/jobs/{job_id}"}
    item = jobs_table.get_item(Key={"jobId": job_id})["Item"]
    assert item["status"] == "PENDING" and item["taskArn"] == TASK_ARN
    assert json.loads(item["input"]) == {"steps": 3}


def test_a_retried_request_returns_the_same_job_without_a_second_task(jobs_table, ecs):
    job_id = job_id_for("export-2")
    ecs.add_response("run_task", {"tasks": [{"taskArn": TASK_ARN}], "failures": []}, expected_run_task(job_id))
    first = app.handler(http_event("POST /jobs", {"input": {}}, {"idempotency-key": "export-2"}), None)
    again = app.handler(http_event("POST /jobs", {"input": {}}, {"idempotency-key": "export-2"}), None)
    assert (first["statusCode"], again["statusCode"]) == (202, 200)  # the stub allows one RunTask only
    assert json.loads(again["body"])["taskArn"] == TASK_ARN


def test_runtask_failures_answer_503_and_forget_the_job(jobs_table, ecs):
    job_id = job_id_for("export-3")
    ecs.add_response("run_task", {"tasks": [], "failures": [{"reason": "RESOURCE:ENI"}]}, expected_run_task(job_id))
    res = app.handler(http_event("POST /jobs", {"input": {}}, {"idempotency-key": "export-3"}), None)
    assert res["statusCode"] == 503 and "RESOURCE:ENI" in res["body"]
    assert "Item" not in jobs_table.get_item(Key={"jobId": job_id})


def test_runtask_errors_answer_503(jobs_table, ecs):
    ecs.add_client_error("run_task", service_error_code="ThrottlingException", http_status_code=400)
    res = app.handler(http_event("POST /jobs", {"input": {}}, {"idempotency-key": "export-4"}), None)
    assert res["statusCode"] == 503
    assert jobs_table.scan()["Count"] == 0


def test_start_rejects_a_body_that_is_not_an_input_object(jobs_table, ecs):
    assert app.handler(http_event("POST /jobs", {"input": [1, 2]}), None)["statusCode"] == 400


{{/if}}


def test_get_returns_the_status_the_container_recorded(jobs_table):
    jobs_table.put_item(Item={"jobId": "j1", "status": "SUCCEEDED", "progress": 100, "taskArn": TASK_ARN,
                              "result": json.dumps({"steps": 3}), "input": "{}"})
    res = app.handler(http_event("GET /jobs/{jobId}", path_parameters={"jobId": "j1"}), None)
    assert json.loads(res["body"]) == {"jobId": "j1", "status": "SUCCEEDED", "progress": 100, "taskArn": TASK_ARN,
                                       "result": {"steps": 3}}
    assert app.handler(http_event("GET /jobs/{jobId}", path_parameters={"jobId": "x"}), None)["statusCode"] == 404
