import json

import pytest

from container import main

TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/test/abc"


def pending(table, job_id, job_input):
    table.put_item(Item={"jobId": job_id, "status": "PENDING", "input": json.dumps(job_input)})


def job(table, job_id):
    return table.get_item(Key={"jobId": job_id})["Item"]


def test_runs_the_job_records_progress_and_success(jobs_table):
    pending(jobs_table, "j1", {"steps": 4, "secondsPerStep": 0})
    progress = []

    def work(job_input, report_progress, should_stop):
        for p in (25, 50, 75):
            report_progress(p)
            progress.append(job(jobs_table, "j1")["progress"])
        return {"rows": job_input["steps"]}

    assert main.run("j1", jobs_table, TASK_ARN, work=work) == 0
    item = job(jobs_table, "j1")
    assert item["status"] == "SUCCEEDED" and json.loads(item["result"]) == {"rows": 4}
    assert item["progress"] == 100 and item["taskArn"] == TASK_ARN
    assert progress == [25, 50, 75]


def test_the_demo_work_completes(jobs_table):
    pending(jobs_table, "j2", {"steps": 3, "secondsPerStep": 0})
    assert main.run("j2", jobs_table) == 0
    assert json.loads(job(jobs_table, "j2")["result"]) == {"steps": 3}


def test_a_job_that_is_not_pending_is_not_run_again(jobs_table):
    jobs_table.put_item(Item={"jobId": "j3", "status": "SUCCEEDED"})
    assert main.run("j3", jobs_table, work=lambda *a: pytest.fail("must not run again")) == 0
    assert job(jobs_table, "j3")["status"] == "SUCCEEDED"


def test_an_unknown_job_is_not_run(jobs_table):
    assert main.run("nope", jobs_table, work=lambda *a: pytest.fail("must not run")) == 0


def test_a_failing_job_is_recorded_failed_with_exit_code_1(jobs_table):
    pending(jobs_table, "j4", {})

    def work(*_):
        raise ValueError("corrupt input file")

    assert main.run("j4", jobs_table, work=work) == 1
    item = job(jobs_table, "j4")
    assert item["status"] == "FAILED" and "corrupt input file" in item["error"]


def test_sigterm_stops_the_demo_work_and_records_the_interruption(jobs_table):
    pending(jobs_table, "j5", {"steps": 10, "secondsPerStep": 0})
    checks = iter([False, False, True])
    assert main.run("j5", jobs_table, should_stop=lambda: next(checks)) == 1
    item = job(jobs_table, "j5")
    assert item["status"] == "FAILED" and item["error"] == "interrupted: stopped after 2 of 10 steps"
    assert item["progress"] == 20
