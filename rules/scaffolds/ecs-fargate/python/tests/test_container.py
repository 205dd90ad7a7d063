import json
import pathlib

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
{{#if triggerEvent}}


def environment_for(event):
    """What ObjectCreatedRule's InputTransformer gives the container for an EventBridge 'Object Created' event."""
    return {"JOB_ID": event["id"], "S3_BUCKET": event["detail"]["bucket"]["name"],
            "S3_KEY": event["detail"]["object"]["key"]}


def test_an_object_created_event_records_its_job_and_a_redelivery_runs_nothing(jobs_table):
    event = json.loads((pathlib.Path(__file__).parents[1] / "events" / "object-created.json").read_text())
    job_id, job_input = main.job_from_environment(environment_for(event), TASK_ARN)
    assert job_id == event["id"]
    assert job_input == {"bucket": event["detail"]["bucket"]["name"], "key": event["detail"]["object"]["key"]}
    seen = []

    def work(given, report_progress, should_stop):
        seen.append(given)
        return {"read": given["key"]}

    assert main.record_job(jobs_table, job_id, job_input) is True
    assert main.run(job_id, jobs_table, TASK_ARN, work=work) == 0
    # EventBridge delivers the same event again: a second task finds the job recorded and taken
    assert main.record_job(jobs_table, job_id, job_input) is False
    assert main.run(job_id, jobs_table, TASK_ARN, work=lambda *a: pytest.fail("ran twice")) == 0
    assert seen == [job_input]
    item = job(jobs_table, job_id)
    assert item["status"] == "SUCCEEDED" and json.loads(item["result"]) == {"read": job_input["key"]}
{{/if}}
{{#if triggerSchedule}}


def test_a_scheduled_run_records_a_job_named_after_its_task_and_runs_it_once(jobs_table):
    job_id, job_input = main.job_from_environment({}, TASK_ARN)
    assert (job_id, job_input) == ("run-abc", {})
    assert main.record_job(jobs_table, job_id, job_input) is True
    assert main.run(job_id, jobs_table, TASK_ARN, work=lambda *a: {"rows": 7}) == 0
    assert main.record_job(jobs_table, job_id, job_input) is False
    assert main.run(job_id, jobs_table, TASK_ARN, work=lambda *a: pytest.fail("ran twice")) == 0
    item = job(jobs_table, job_id)
    assert item["status"] == "SUCCEEDED" and json.loads(item["result"]) == {"rows": 7}


def test_a_scheduled_run_outside_ecs_has_no_name():
    with pytest.raises(RuntimeError):
        main.job_from_environment({}, None)
{{/if}}
{{#if senderSlackCommand}}


def test_a_slash_commands_outcome_is_posted_to_its_response_url(jobs_table):
    url = "https://hooks.slack.com/commands/T1/1/abc"
    jobs_table.put_item(Item={"jobId": "sc1", "status": "PENDING", "input": "{}", "responseUrl": url})
    posted = []
    assert main.run("sc1", jobs_table, TASK_ARN, work=lambda *a: {"ok": 1},
                    post=lambda to, message: posted.append((to, message))) == 0
    assert posted == [(url, {"response_type": "ephemeral", "text": "Job sc1 succeeded."})]


def test_a_late_answer_that_fails_leaves_the_outcome_recorded(jobs_table):
    jobs_table.put_item(Item={"jobId": "sc2", "status": "PENDING", "input": "{}",
                              "responseUrl": "https://hooks.slack.com/commands/T1/2/def"})

    def expired(to, message):
        raise RuntimeError("response_url answered 404")

    def work(*_):
        raise ValueError("bad report")

    assert main.run("sc2", jobs_table, TASK_ARN, work=work, post=expired) == 1
    assert job(jobs_table, "sc2")["status"] == "FAILED"
{{/if}}
