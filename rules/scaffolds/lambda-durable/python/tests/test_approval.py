import json

from botocore.stub import Stubber

from conftest import load_function

CALLBACK_ID = "eyJhcm4iOiJ4In0="


APPROVER = "arn:aws:sts::123456789012:assumed-role/Approvers/ana"


def decide(body, callback_id=CALLBACK_ID, caller=APPROVER):
    identity = {"userArn": caller} if caller else {}
    return {"pathParameters": {"callbackId": callback_id}, "body": json.dumps(body), "requestContext": {"identity": identity}}


def test_sends_the_decision_as_the_callback_result(context):
    app = load_function("approval")
    decision = {"approved": True, "approver": APPROVER, "reason": ""}
    with Stubber(app.lambda_client) as stub:
        stub.add_response(
            "send_durable_execution_callback_success",
            {},
            {"CallbackId": CALLBACK_ID, "Result": json.dumps(decision).encode("utf-8")},
        )
        result = app.lambda_handler(decide({"approved": True, "approver": "ana"}), context)
        stub.assert_no_pending_responses()
    assert result["statusCode"] == 200


def test_an_answered_or_timed_out_callback_is_409(context):
    app = load_function("approval")
    with Stubber(app.lambda_client) as stub:
        stub.add_client_error("send_durable_execution_callback_success", service_error_code="CallbackTimeoutException", http_status_code=400)
        assert app.lambda_handler(decide({"approved": False}), context)["statusCode"] == 409


def test_rejects_bad_ids_and_bodies(context):
    app = load_function("approval")
    assert app.lambda_handler(decide({"approved": True}, callback_id="not an id!"), context)["statusCode"] == 400
    assert app.lambda_handler(decide({"approved": "yes"}), context)["statusCode"] == 400


def test_the_approver_is_the_signed_caller_never_the_body(context):
    app = load_function("approval")
    decision = {"approved": True, "approver": APPROVER, "reason": ""}
    with Stubber(app.lambda_client) as stub:
        stub.add_response(
            "send_durable_execution_callback_success",
            {},
            {"CallbackId": CALLBACK_ID, "Result": json.dumps(decision).encode("utf-8")},
        )
        # The body names the CFO; the request was signed by ana: ana approved.
        result = app.lambda_handler(decide({"approved": True, "approver": "the-cfo"}), context)
        stub.assert_no_pending_responses()
    assert json.loads(result["body"])["recorded"]["approver"] == APPROVER


def test_a_request_without_a_caller_identity_is_401_and_sends_nothing(context):
    app = load_function("approval")
    with Stubber(app.lambda_client) as stub:
        result = app.lambda_handler(decide({"approved": True, "approver": "ana"}, caller=None), context)
        stub.assert_no_pending_responses()
    assert result["statusCode"] == 401
