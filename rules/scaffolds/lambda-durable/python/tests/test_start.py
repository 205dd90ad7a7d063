import json

from botocore.stub import Stubber

from conftest import load_function


def post(body, headers=None):
    return {"httpMethod": "POST", "body": json.dumps(body), "headers": headers or {}}


def test_starts_the_execution_asynchronously_through_the_alias(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_response(
            "invoke",
            {"StatusCode": 202, "DurableExecutionArn": "arn:aws:lambda:us-east-1:123456789012:function:workflow:live/durable-execution/key-1/x"},
            {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:workflow:live",
                "InvocationType": "Event",
                "DurableExecutionName": "key-1",
                "Payload": json.dumps({"amount": 5, "orderId": "key-1"}).encode("utf-8"),
            },
        )
        result = app.lambda_handler(post({"amount": 5}, {"Idempotency-Key": "key-1"}), context)
        stub.assert_no_pending_responses()
    assert result["statusCode"] == 202
    body = json.loads(result["body"])
    assert body["executionName"] == "key-1" and body["executionArn"].endswith("/x")


def test_the_same_key_for_a_different_order_is_409(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="DurableExecutionAlreadyStartedException", http_status_code=409)
        result = app.lambda_handler(post({"orderId": "o-1"}, {"Idempotency-Key": "key-1"}), context)
    assert result["statusCode"] == 409


def test_a_failed_start_is_503_and_bad_input_is_400(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="ServiceException", http_status_code=500)
        assert app.lambda_handler(post({"orderId": "o-1"}), context)["statusCode"] == 503
    assert app.lambda_handler({"body": "[1]"}, context)["statusCode"] == 400
    assert app.lambda_handler({"body": "{"}, context)["statusCode"] == 400
    assert app.lambda_handler(post({}, {"idempotency-key": "no spaces"}), context)["statusCode"] == 400
