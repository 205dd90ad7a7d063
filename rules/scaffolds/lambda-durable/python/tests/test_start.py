import json
{{#unless triggerRequest}}
{{#unless triggerWebhook}}

import pytest
{{/unless}}
{{/unless}}

from botocore.stub import Stubber

from conftest import load_function
{{#if webhook}}
from webhook_signing import sample_payload, signed_event
{{/if}}


{{#unless triggerEvent}}
{{#unless triggerSchedule}}
{{#if webhook}}
ALIAS = "arn:aws:lambda:us-east-1:123456789012:function:workflow:live"
SECRET = "test-signing-secret"
SENDER = "{{sender}}"


def expect_start(stub, name, payload, response_url=None):
    order = {"orderId": name, "sender": SENDER, "delivery": payload}
    if response_url:
        order["responseUrl"] = response_url
    stub.add_response(
        "invoke", {"StatusCode": 202},
        {"FunctionName": ALIAS, "InvocationType": "Event", "DurableExecutionName": name,
         "Payload": json.dumps(order).encode("utf-8")},
    )


def test_a_signed_delivery_starts_one_execution_named_by_its_delivery_id_and_is_answered_at_once(context):
    app = load_function("start")
    payload = sample_payload(SENDER, "Ev01")
    name = app.execution_name_of(app.webhook_auth.verify(signed_event(SENDER, payload, SECRET, delivery_id="Ev01"), SENDER, SECRET).id)
    with Stubber(app.lambda_client) as stub:
        expect_start(stub, name, payload, payload.get("response_url"))
        result = app.lambda_handler(signed_event(SENDER, payload, SECRET, delivery_id="Ev01"), context)
        stub.assert_no_pending_responses()
    assert result["statusCode"] == 200
    body = json.loads(result["body"])
    assert body["executionName"] == name
{{#if senderSlackCommand}}
    assert body["response_type"] == "ephemeral"  # the slash command's immediate reply; the late answer follows
{{/if}}


def test_a_redelivery_names_the_same_execution_and_starts_nothing_new(context):
    app = load_function("start")
    payload = sample_payload(SENDER, "Ev01")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="DurableExecutionAlreadyStartedException", http_status_code=409)
        again = app.lambda_handler(signed_event(SENDER, payload, SECRET, delivery_id="Ev01"), context)
    assert again["statusCode"] == 200


def test_every_delivery_id_becomes_a_valid_execution_name():
    app = load_function("start")
    assert app.execution_name_of("Ev01ABC") == "Ev01ABC"
    dotted = app.execution_name_of("1234567890.98765.abcdef0123456789")  # a Slack trigger_id
    assert dotted.startswith("wh-") and len(dotted) <= 64 and dotted[3:].isalnum()
    assert dotted == app.execution_name_of("1234567890.98765.abcdef0123456789")
    assert len(app.execution_name_of("x" * 100)) <= 64


def test_a_wrong_or_missing_signature_is_401_and_starts_nothing(context):
    app = load_function("start")
    payload = sample_payload(SENDER, "Ev01")
    with Stubber(app.lambda_client) as stub:  # nothing stubbed: any invoke fails the test
        assert app.lambda_handler(signed_event(SENDER, payload, "wrong-secret"), context)["statusCode"] == 401
        assert app.lambda_handler(signed_event(SENDER, payload, SECRET, unsigned=True), context)["statusCode"] == 401
        stub.assert_no_pending_responses()


def test_a_failed_start_is_503_so_the_sender_retries(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="ServiceException", http_status_code=500)
        result = app.lambda_handler(signed_event(SENDER, sample_payload(SENDER, "Ev01"), SECRET, delivery_id="Ev01"), context)
    assert result["statusCode"] == 503
{{#if senderSlackEvents}}


def test_slacks_url_verification_is_answered_with_its_challenge_and_starts_nothing(context):
    app = load_function("start")
    challenge = {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "token": "t"}
    with Stubber(app.lambda_client) as stub:
        result = app.lambda_handler(signed_event(SENDER, challenge, SECRET), context)
        stub.assert_no_pending_responses()
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"challenge": challenge["challenge"]}
{{/if}}
{{else}}
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
{{/if}}
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
ALIAS = "arn:aws:lambda:us-east-1:123456789012:function:workflow:live"


def expect_start(stub, name, order):
    stub.add_response(
        "invoke",
        {"StatusCode": 202, "DurableExecutionArn": f"{ALIAS}/durable-execution/{name}/x"},
        {"FunctionName": ALIAS, "InvocationType": "Event", "DurableExecutionName": name,
         "Payload": json.dumps(order).encode("utf-8")},
    )
{{/unless}}
{{/unless}}
{{#if triggerEvent}}


def s3_event(key="orders/batch+7.csv", sequencer="0A1B2C3D4E5F678901", name="ObjectCreated:Put"):
    """What S3 sends for one object created (the key URL-encoded: "+" is a space)."""
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": name,
        "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
               "object": {"key": key, "size": 42, "eTag": "abc", "sequencer": sequencer}},
    }]}


def test_an_s3_record_starts_one_execution_named_by_the_object(context):
    app = load_function("start")
    [(name, order)] = app.orders_of(s3_event())
    assert name.startswith("s3-") and len(name) <= 64 and name.replace("-", "").isalnum()
    assert order == {"orderId": name, "bucket": "uploads", "key": "orders/batch 7.csv", "size": 42}
    with Stubber(app.lambda_client) as stub:
        expect_start(stub, name, order)
        result = app.lambda_handler(s3_event(), context)
        stub.assert_no_pending_responses()
    assert result["started"][0]["executionName"] == name


def test_a_redelivered_event_names_the_same_execution_and_a_new_upload_another(context):
    app = load_function("start")
    again = app.orders_of(s3_event())
    eventbridge = app.orders_of({"source": "aws.s3", "detail-type": "Object Created", "detail": {
        "bucket": {"name": "uploads"}, "object": {"key": "orders/batch 7.csv", "size": 42, "sequencer": "0A1B2C3D4E5F678901"}}})
    new_upload = app.orders_of(s3_event(sequencer="0A1B2C3D4E5F678999"))
    assert app.orders_of(s3_event()) == again == eventbridge
    assert new_upload[0][0] != again[0][0]


def test_an_execution_already_started_under_the_name_is_not_an_error(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="DurableExecutionAlreadyStartedException", http_status_code=409)
        result = app.lambda_handler(s3_event(), context)
    assert result["started"][0]["duplicate"] is True


def test_a_failed_start_raises_for_lambda_to_retry_then_park(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="ServiceException", http_status_code=500)
        with pytest.raises(Exception):
            app.lambda_handler(s3_event(), context)


def test_s3s_test_event_and_other_event_types_start_nothing(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:  # any invoke would fail: nothing is stubbed
        assert app.lambda_handler({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "uploads"}, context) == {"started": []}
        assert app.lambda_handler(s3_event(name="ObjectRemoved:Delete"), context) == {"started": []}
        stub.assert_no_pending_responses()
{{/if}}
{{#if triggerSchedule}}


def scheduled(time="2024-06-01T12:00:00Z"):
    """What the schedule's Input gives the function (Scheduler fills the context attributes)."""
    return {"scheduledTime": time, "scheduleArn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s"}


def test_each_scheduled_time_starts_one_execution_named_by_it(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        expect_start(stub, "run-20240601T120000Z", {"orderId": "run-20240601T120000Z", "scheduledTime": "2024-06-01T12:00:00Z"})
        result = app.lambda_handler(scheduled(), context)
        stub.assert_no_pending_responses()
    assert result["executionName"] == "run-20240601T120000Z"


def test_a_retried_delivery_of_the_same_run_starts_nothing_new(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="DurableExecutionAlreadyStartedException", http_status_code=409)
        assert app.lambda_handler(scheduled(), context) == {"executionName": "run-20240601T120000Z", "duplicate": True}


def test_a_failed_start_raises_and_an_event_without_its_time_is_refused(context):
    app = load_function("start")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("invoke", service_error_code="ServiceException", http_status_code=500)
        with pytest.raises(Exception):
            app.lambda_handler(scheduled(), context)
    with pytest.raises(ValueError):
        app.lambda_handler({}, context)
{{/if}}
