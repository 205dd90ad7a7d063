import json

from api import app


def http_event(route, body=None, headers=None, path_parameters=None):
    method, path = route.split(" ", 1)
    return {"version": "2.0", "routeKey": route, "rawPath": path, "headers": headers or {},
            "requestContext": {"http": {"method": method, "path": path}}, "pathParameters": path_parameters,
            "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False}


def test_create_task_writes_created_with_its_type(task_table):
    res = app.handler(http_event("POST /tasks", {"taskType": "report-export", "payload": {"rows": 3}}), None)
    assert res["statusCode"] == 202
    body = json.loads(res["body"])
    item = task_table.get_item(Key={"taskId": body["taskId"]})["Item"]
    assert item["status"] == "CREATED" and item["taskType"] == "report-export"
    assert json.loads(item["payload"]) == {"rows": 3}


def test_same_idempotency_key_returns_the_same_task(task_table):
    headers = {"idempotency-key": "export-2026-01"}
    req = {"taskType": "report-export", "payload": {}}
    first = app.handler(http_event("POST /tasks", req, headers), None)
    second = app.handler(http_event("POST /tasks", req, headers), None)
    assert (first["statusCode"], second["statusCode"]) == (202, 200)
    assert json.loads(first["body"])["taskId"] == json.loads(second["body"])["taskId"]
    assert task_table.scan()["Count"] == 1


def test_create_task_validates_the_task_type_and_payload(task_table):
    assert app.handler(http_event("POST /tasks", {"payload": {}}), None)["statusCode"] == 400
    assert app.handler(http_event("POST /tasks", {"taskType": "Bad Type!"}), None)["statusCode"] == 400
    assert app.handler(http_event("POST /tasks", {"taskType": "x", "payload": [1]}), None)["statusCode"] == 400
    assert task_table.scan()["Count"] == 0


def test_get_task_returns_status_and_result(task_table):
    task_table.put_item(Item={"taskId": "t1", "taskType": "report-export", "status": "SUCCESSFUL",
                              "result": json.dumps({"url": "s3://b/k"}), "payload": "{}"})
    res = app.handler(http_event("GET /tasks/{taskId}", path_parameters={"taskId": "t1"}), None)
    assert res["statusCode"] == 200
    assert json.loads(res["body"]) == {"taskId": "t1", "taskType": "report-export", "status": "SUCCESSFUL",
                                       "result": {"url": "s3://b/k"}}


def test_get_unknown_task_is_404(task_table):
    res = app.handler(http_event("GET /tasks/{taskId}", path_parameters={"taskId": "nope"}), None)
    assert res["statusCode"] == 404
