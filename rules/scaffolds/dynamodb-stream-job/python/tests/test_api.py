import json

from api import app


def http_event(route, body=None, headers=None, path_parameters=None):
    method, path = route.split(" ", 1)
    return {"version": "2.0", "routeKey": route, "rawPath": path, "headers": headers or {},
            "requestContext": {"http": {"method": method, "path": path}},
            "pathParameters": path_parameters, "body": json.dumps(body) if body is not None else None,
            "isBase64Encoded": False}


def test_submit_writes_a_pending_job_and_returns_its_id(jobs_table):
    res = app.handler(http_event("POST /jobs", {"input": {"text": "hi"}}), None)
    assert res["statusCode"] == 202
    body = json.loads(res["body"])
    item = jobs_table.get_item(Key={"jobId": body["jobId"]})["Item"]
    assert item["status"] == "pending" and json.loads(item["input"]) == {"text": "hi"}
    assert item["expiresAt"] > 0 and body["statusUrl"] == f"/jobs/{body['jobId']}"


def test_submit_with_the_same_idempotency_key_returns_the_same_job(jobs_table):
    headers = {"idempotency-key": "order-42"}
    first = app.handler(http_event("POST /jobs", {"input": {"text": "a"}}, headers), None)
    second = app.handler(http_event("POST /jobs", {"input": {"text": "a"}}, headers), None)
    assert (first["statusCode"], second["statusCode"]) == (202, 200)
    assert json.loads(first["body"])["jobId"] == json.loads(second["body"])["jobId"]
    assert jobs_table.scan()["Count"] == 1


def test_submit_rejects_a_body_without_input(jobs_table):
    assert app.handler(http_event("POST /jobs", {"text": "x"}), None)["statusCode"] == 400
    bad = http_event("POST /jobs")
    bad["body"] = "{not json"
    assert app.handler(bad, None)["statusCode"] == 400


def test_status_returns_the_result_of_a_complete_job(jobs_table):
    jobs_table.put_item(Item={"jobId": "j1", "status": "complete", "result": json.dumps({"n": 1}), "input": "{}"})
    res = app.handler(http_event("GET /jobs/{jobId}", path_parameters={"jobId": "j1"}), None)
    assert res["statusCode"] == 200
    assert json.loads(res["body"]) == {"jobId": "j1", "status": "complete", "result": {"n": 1}}


def test_status_of_an_unknown_job_is_404(jobs_table):
    res = app.handler(http_event("GET /jobs/{jobId}", path_parameters={"jobId": "nope"}), None)
    assert res["statusCode"] == 404
