"""The state machine's shape: a Distributed Map reading S3, Express children, bounded, results to S3."""
import json

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def definition():
    return json.loads((ROOT / "statemachine" / "definition.asl.json").read_text())


@pytest.fixture(scope="module")
def map_state(definition):
    return definition["States"][definition["StartAt"]]


def test_the_map_runs_in_distributed_mode_with_express_children(map_state):
    assert map_state["Type"] == "Map"
    assert map_state["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}


{{#if triggerSchedule}}
def test_items_are_the_objects_under_the_prefix_of_the_execution_input(map_state):
    reader = map_state["ItemReader"]
    assert reader["Resource"] == "arn:aws:states:::s3:listObjectsV2"
    assert reader["Parameters"] == {"Bucket.$": "$.bucket", "Prefix.$": "$.prefix"}
{{else}}
def test_items_are_read_from_the_s3_object_of_the_execution_input(map_state):
    reader = map_state["ItemReader"]
    assert reader["Resource"] == "arn:aws:states:::s3:getObject"
    assert reader["ReaderConfig"]["InputType"] in ("CSV", "JSON", "JSONL")
    assert reader["Parameters"] == {"Bucket.$": "$.bucket", "Key.$": "$.key"}
{{/if}}


def test_concurrency_and_tolerated_failures_are_bounded(map_state):
    assert 1 <= map_state["MaxConcurrency"] <= 10_000, "unset means up to 10,000 children at once"
    assert 0 < map_state["ToleratedFailurePercentage"] < 100


def test_results_go_to_the_results_bucket(map_state):
    writer = map_state["ResultWriter"]
    assert writer["Resource"] == "arn:aws:states:::s3:putObject"
    assert writer["Parameters"]["Bucket"] == "${ResultsBucketName}"


def test_each_child_passes_the_batch_id_and_the_item_to_the_item_handler(map_state):
    assert map_state["ItemSelector"] == {"batchId.$": "$.batchId", "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value"}
    processor = map_state["ItemProcessor"]
    task = processor["States"][processor["StartAt"]]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert task["Parameters"]["FunctionName"] == "${ItemFunctionArn}"
    retried = {error for rule in task["Retry"] for error in rule["ErrorEquals"]}
    assert {"ItemInProgress", "Lambda.TooManyRequestsException"} <= retried
    assert task["TimeoutSeconds"] < 300, "an Express child stops at 5 min"


def test_a_failed_map_run_is_reported_then_fails_the_execution(definition, map_state):
    catch = map_state["Catch"][0]
    assert catch["ErrorEquals"] == ["States.ALL"]
    notify = definition["States"][catch["Next"]]
    assert notify["Resource"] == "arn:aws:states:::sns:publish"
    assert definition["States"][notify["Next"]]["Type"] == "Fail"
    assert definition["States"][map_state["Next"]]["Type"] == "Succeed"
