import pytest

from conftest import load_function


@pytest.fixture
def process():
    return load_function("process")


def test_returns_the_result_with_the_request_id(process, context):
    event = {"requestId": "r-1", "order": {"customerId": "7", "items": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 3}]}}

    assert process.lambda_handler(event, context) == {
        "requestId": "r-1",
        "result": {"customerId": "7", "lines": 2, "units": 5},
    }


def test_a_transient_failure_keeps_the_name_the_workflow_retries(process, context, monkeypatch):
    def flaky(request_id, order):
        raise process.TransientError("inventory service busy")

    monkeypatch.setattr(process, "process_order", flaky)

    with pytest.raises(process.TransientError) as raised:
        process.lambda_handler({"requestId": "r-1", "order": {}}, context)
    assert type(raised.value).__name__ == "TransientError"
