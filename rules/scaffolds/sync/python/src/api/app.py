"""API: does the work and answers in the same request ({{patternName}}).

API Gateway (REST) waits at most 29 s for the function; after that the caller gets a 504 while the function
may still be running. So the handler gives the work a deadline a little inside that window (and inside the
function's own remaining time): the work checks it between steps and, when time is up, the caller gets a
clear 504 that says to move this workload to an asynchronous pattern. A request that takes 80 % of the window
or more is logged as a warning: that is the moment to plan the move, before callers see timeouts.
"""
import base64
import json
import logging
import os
import time

API_WINDOW_SECONDS = float(os.environ.get("API_WINDOW_SECONDS", "29"))
SAFETY_SECONDS = float(os.environ.get("SAFETY_SECONDS", "1.5"))
NEAR_LIMIT_RATIO = 0.8

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
clock = time.monotonic


def lambda_handler(event, context):
    started = clock()
    budget = min(context.get_remaining_time_in_millis() / 1000, API_WINDOW_SECONDS) - SAFETY_SECONDS
    deadline = Deadline(budget)
    try:
        request = parse_request(event)
        result = handle_request(request, deadline)
        return respond(200, result)
    except BadRequest as exc:
        return respond(400, {"error": str(exc)})
    except DeadlineExceeded as exc:
        logger.error("deadline exceeded", extra={"step": str(exc), "budgetSeconds": round(budget, 3)})
        return respond(504, {
            "error": "the work did not finish within the synchronous window",
            "hint": "return a job id and finish asynchronously (async-invoke or sqs-queue), or a continuation token",
        })
    except Exception:  # noqa: BLE001 - never leak a stack trace to the caller
        logger.exception("request failed")
        return respond(500, {"error": "internal error", "requestId": context.aws_request_id})
    finally:
        elapsed = clock() - started
        if elapsed >= NEAR_LIMIT_RATIO * API_WINDOW_SECONDS:
            logger.warning("near the synchronous limit", extra={"elapsedSeconds": round(elapsed, 3), "windowSeconds": API_WINDOW_SECONDS})


def handle_request(request, deadline):
    """Does the work and returns the response body. Call deadline.check("step") between steps."""
    # BUSINESS LOGIC: do the work here; it must finish well inside the 29 s window (raise BadRequest for a 400).
    deadline.check("handle_request")
    return {"received": sorted(request)}


class BadRequest(Exception):
    """The request is invalid: answered with 400."""


class DeadlineExceeded(Exception):
    """The work ran out of time: answered with 504."""


class Deadline:
    """Time left for the work, measured with the module's clock."""

    def __init__(self, seconds):
        self.ends_at = clock() + seconds

    def remaining(self):
        return self.ends_at - clock()

    def check(self, step=""):
        if self.remaining() <= 0:
            raise DeadlineExceeded(step)


def parse_request(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        request = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise BadRequest("body must be a JSON object")
    return request


def respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
