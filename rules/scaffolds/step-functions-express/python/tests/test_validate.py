import pytest

from conftest import load_function


@pytest.fixture
def validate():
    return load_function("validate")


def test_normalises_a_valid_request(validate, context):
    event = {"requestId": "r-1", "input": {"customerId": 7, "items": [{"sku": "A-1", "quantity": "2"}]}}

    assert validate.lambda_handler(event, context) == {
        "requestId": "r-1",
        "order": {"customerId": "7", "items": [{"sku": "A-1", "quantity": 2}]},
    }


@pytest.mark.parametrize("order", [{}, {"items": []}, {"items": [{"sku": "A-1", "quantity": 0}]}, {"items": [{"quantity": 1}]}])
def test_an_invalid_request_raises_the_error_the_workflow_catches(validate, context, order):
    with pytest.raises(validate.ValidationError) as raised:
        validate.lambda_handler({"requestId": "r-1", "input": order}, context)

    # Step Functions matches Catch.ErrorEquals against the exception's class name.
    assert type(raised.value).__name__ == "ValidationError"
