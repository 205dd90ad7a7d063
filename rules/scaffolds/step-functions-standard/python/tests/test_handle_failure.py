import json

import pytest

from conftest import load_function


@pytest.fixture
def handle_failure():
    return load_function("handle_failure")


def test_reads_a_lambda_error_out_of_the_cause(handle_failure, context, monkeypatch):
    reported = []
    monkeypatch.setattr(handle_failure, "report_failure", reported.append)
    cause = json.dumps({"errorMessage": "ledger unavailable", "errorType": "LedgerError", "stackTrace": []})

    result = handle_failure.lambda_handler({"executionId": "exec-1", "error": {"Error": "LedgerError", "Cause": cause}}, context)

    assert result == {"executionId": "exec-1", "error": "LedgerError", "errorType": "LedgerError", "errorMessage": "ledger unavailable"}
    assert reported == [result]


def test_a_plain_text_cause_such_as_a_timeout(handle_failure, context):
    error = {"Error": "States.Timeout", "Cause": "The approval was not given within 7 days."}

    result = handle_failure.lambda_handler({"executionId": "exec-1", "error": error}, context)

    assert result["error"] == "States.Timeout"
    assert result["errorMessage"] == "The approval was not given within 7 days."
