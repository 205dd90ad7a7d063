from watcher import app

{{#unless triggerEvent}}
{{#unless triggerSchedule}}


def stopped(job_id, exit_code=137, reason="OutOfMemoryError: Container killed due to memory usage",
            stopped_reason="Essential container in task exited", last_status="STOPPED"):
    return {"source": "aws.ecs", "detail-type": "ECS Task State Change",
            "detail": {"lastStatus": last_status, "startedBy": job_id, "stopCode": "EssentialContainerExited",
                       "stoppedReason": stopped_reason,
                       "containers": [{"name": "worker", "exitCode": exit_code, "reason": reason}]}}


def test_a_running_job_whose_task_stopped_is_marked_failed(jobs_table):
    jobs_table.put_item(Item={"jobId": "j1", "status": "RUNNING"})
    assert app.handler(stopped("j1"), None) == {"updated": True}
    item = jobs_table.get_item(Key={"jobId": "j1"})["Item"]
    assert item["status"] == "FAILED"
    assert "OutOfMemoryError" in item["error"] and "exit code 137" in item["error"]


def test_a_pending_job_whose_image_could_not_be_pulled_is_marked_failed(jobs_table):
    jobs_table.put_item(Item={"jobId": "j2", "status": "PENDING"})
    event = stopped("j2", exit_code=None, reason=None, stopped_reason="CannotPullContainerError: image not found")
    assert app.handler(event, None) == {"updated": True}
    assert "CannotPullContainerError" in jobs_table.get_item(Key={"jobId": "j2"})["Item"]["error"]


def test_a_job_that_recorded_its_result_is_left_alone(jobs_table):
    jobs_table.put_item(Item={"jobId": "j3", "status": "SUCCEEDED"})
    assert app.handler(stopped("j3", exit_code=0, reason=None), None) == {"updated": False}
    assert jobs_table.get_item(Key={"jobId": "j3"})["Item"]["status"] == "SUCCEEDED"


def test_events_that_are_not_stops_are_ignored(jobs_table):
    jobs_table.put_item(Item={"jobId": "j4", "status": "RUNNING"})
    assert app.handler(stopped("j4", last_status="RUNNING"), None) == {"updated": False}
    assert jobs_table.get_item(Key={"jobId": "j4"})["Item"]["status"] == "RUNNING"
{{/unless}}
{{/unless}}
{{#unless triggerRequest}}
{{#unless triggerWebhook}}
TASK_A = "arn:aws:ecs:us-east-1:123456789012:task/test/aaaa"
TASK_B = "arn:aws:ecs:us-east-1:123456789012:task/test/bbbb"
{{#if triggerEvent}}
JOB = "ev-1"  # the event's id, which the rule gives every task it starts for that event as JOB_ID
{{/if}}
{{#if triggerSchedule}}
JOB = "run-aaaa"  # a scheduled run's job is named after its task
{{/if}}


def stopped(task_arn, exit_code=137, reason="OutOfMemoryError: Container killed due to memory usage",
            stopped_reason="Essential container in task exited"):
    return {"source": "aws.ecs", "detail-type": "ECS Task State Change",
            "detail": {"lastStatus": "STOPPED", "taskArn": task_arn, "stopCode": "EssentialContainerExited",
{{#if triggerEvent}}
                       "startedBy": "events-rule/test-ObjectCreatedRule",
                       "overrides": {"containerOverrides": [{"name": "worker", "environment": [
                           {"name": "JOB_ID", "value": JOB}, {"name": "S3_BUCKET", "value": "uploads"},
                           {"name": "S3_KEY", "value": "in/a.csv"}]}]},
{{/if}}
                       "stoppedReason": stopped_reason,
                       "containers": [{"name": "worker", "exitCode": exit_code, "reason": reason}]}}


def test_a_running_job_whose_own_task_stopped_is_marked_failed(jobs_table):
    jobs_table.put_item(Item={"jobId": JOB, "status": "RUNNING", "taskArn": TASK_A})
    assert app.handler(stopped(TASK_A), None) == {"updated": True}
    item = jobs_table.get_item(Key={"jobId": JOB})["Item"]
    assert item["status"] == "FAILED" and "OutOfMemoryError" in item["error"]


def test_a_task_that_stopped_before_recording_its_job_records_it_failed(jobs_table):
    event = stopped(TASK_A, exit_code=None, reason=None, stopped_reason="CannotPullContainerError: image not found")
    assert app.handler(event, None) == {"updated": True}
    item = jobs_table.get_item(Key={"jobId": JOB})["Item"]
    assert item["status"] == "FAILED" and "CannotPullContainerError" in item["error"]


def test_a_job_that_recorded_its_result_is_left_alone(jobs_table):
    jobs_table.put_item(Item={"jobId": JOB, "status": "SUCCEEDED", "taskArn": TASK_A})
    assert app.handler(stopped(TASK_A, exit_code=0, reason=None), None) == {"updated": False}
    assert jobs_table.get_item(Key={"jobId": JOB})["Item"]["status"] == "SUCCEEDED"
{{#if triggerEvent}}


def test_the_second_task_of_a_redelivered_event_leaves_the_first_tasks_job_alone(jobs_table):
    jobs_table.put_item(Item={"jobId": JOB, "status": "RUNNING", "taskArn": TASK_A})
    assert app.handler(stopped(TASK_B, exit_code=0, reason=None), None) == {"updated": False}
    assert jobs_table.get_item(Key={"jobId": JOB})["Item"]["status"] == "RUNNING"
{{/if}}
{{/unless}}
{{/unless}}
