from watcher import app


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
