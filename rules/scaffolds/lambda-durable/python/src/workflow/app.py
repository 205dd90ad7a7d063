"""Durable workflow: checkpointed steps, a wait and a human approval (callback), in one Lambda function.

Started asynchronously (InvocationType Event) through the function's alias by StartFunction, so the execution
may run up to DurableConfig.ExecutionTimeout (up to a year); each invocation is still at most 15 minutes.

    validate ──▶ wait (cooling-off, no compute) ──▶ approval (callback, no compute) ──▶ fulfil | reject

Every completed step is checkpointed: when the function resumes after the wait or the callback, the SDK replays
this handler and returns the recorded results instead of running the steps again. Code outside a step runs on
every replay, so it must be deterministic: no clock, random number or I/O outside a step.
"""
import json
import logging
import os

import boto3
from aws_durable_execution_sdk_python import (
    CallbackTimeoutError,
    DurableContext,
    StepContext,
    durable_execution,
    durable_step,
    durable_wait_for_callback,
)
from aws_durable_execution_sdk_python.config import Duration, WaitForCallbackConfig
{{#if webhook}}
{{#if senderSlackCommand}}

import webhook_auth
{{/if}}
{{/if}}

COOLING_OFF_SECONDS = int(os.environ.get("COOLING_OFF_SECONDS", "3600"))
APPROVAL_TIMEOUT_SECONDS = int(os.environ.get("APPROVAL_TIMEOUT_HOURS", "72")) * 3600
APPROVAL_TOPIC_ARN = os.environ.get("APPROVAL_TOPIC_ARN", "")

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
_sns = None


def sns():
    global _sns
    if _sns is None:
        _sns = boto3.client("sns")
    return _sns


@durable_step
def validate_order(step_ctx: StepContext, order: dict) -> dict:
    """Checks the order; raise ValueError to fail the execution before anything is reserved."""
    if not order.get("orderId"):
        raise ValueError("orderId is required")
    # BUSINESS LOGIC: validate and enrich the order here (prices, stock, customer). Return what later steps need.
    return {"orderId": order["orderId"], "amount": order.get("amount", 0), "items": order.get("items", [])}


def notify_approver(callback_id: str, order: dict) -> None:
    """Sends the callback id to the approver; their answer goes to ApprovalFunction (POST /approvals/{id})."""
    message = {"orderId": order["orderId"], "amount": order["amount"], "callbackId": callback_id}
    # BUSINESS LOGIC: reach the approver your way (email, Slack, a ticket); the SNS topic is the default.
    sns().publish(TopicArn=APPROVAL_TOPIC_ARN, Subject="Approval needed", Message=json.dumps(message))


@durable_wait_for_callback
def request_approval(callback_id: str, wait_ctx, order: dict) -> None:
    wait_ctx.logger.info("approval requested", extra={"orderId": order["orderId"]})
    notify_approver(callback_id, order)


@durable_step
def fulfil_order(step_ctx: StepContext, order: dict, approver: str) -> dict:
    """The work, run once after approval. It is retried (and may run again before its checkpoint): keep it idempotent."""
    step_ctx.logger.info("fulfilling", extra={"orderId": order["orderId"], "approver": approver})
    # BUSINESS LOGIC: do the approved work here (charge, ship, provision), idempotent by orderId.
    return {"orderId": order["orderId"], "status": "FULFILLED", "approvedBy": approver}


@durable_step
def record_rejection(step_ctx: StepContext, order: dict, decision: dict) -> dict:
    # BUSINESS LOGIC: undo what validate_order reserved, tell the customer.
    return {"orderId": order["orderId"], "status": "REJECTED", "reason": decision.get("reason", "")}


{{#if webhook}}
{{#if senderSlackCommand}}
@durable_step
def answer_slack(step_ctx: StepContext, response_url: str, result: dict) -> dict:
    """The slash command's late answer, posted to its response_url once the work is done. Slack keeps a
    response_url for 30 minutes (5 answers): a later answer is refused, so it is best effort, never a failure."""
    try:
        webhook_auth.post_late_answer(response_url, {"response_type": "in_channel", "text": json.dumps(result, default=str)})
    except Exception as exc:  # expired, or Slack unreachable: the work is done either way
        step_ctx.logger.warning("late answer not delivered", extra={"error": str(exc)})
        return {"answered": False}
    return {"answered": True}


{{/if}}
{{/if}}
def parse_decision(raw) -> dict:
    """The approver's callback result: JSON {"approved": bool, "approver": str, "reason": str}."""
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8")
    decision = json.loads(raw) if isinstance(raw, str) else (raw or {})
    return decision if isinstance(decision, dict) else {}


@durable_execution
def lambda_handler(event: dict, context: DurableContext) -> dict:
{{#if webhook}}
{{#if senderSlackCommand}}
    result = run_workflow(event, context)
    if event.get("responseUrl"):
        context.step(answer_slack(event["responseUrl"], result), name="answer")
    return result


def run_workflow(event: dict, context: DurableContext) -> dict:
{{/if}}
{{/if}}
    order = context.step(validate_order(event), name="validate")

    cooling_off = int(event.get("coolingOffSeconds", COOLING_OFF_SECONDS))
    if cooling_off >= 1:
        # Suspends the execution: no invocation runs, no compute is billed, until the wait ends.
        context.wait(Duration.from_seconds(cooling_off), name="cooling-off")

    try:
        raw = context.wait_for_callback(
            request_approval(order),
            name="approval",
            config=WaitForCallbackConfig(timeout=Duration.from_seconds(APPROVAL_TIMEOUT_SECONDS)),
        )
    except CallbackTimeoutError:
        # Nobody answered in time: compensate as for a rejection (undo what validate_order reserved).
        timed_out = {"approved": False, "reason": f"no decision within {APPROVAL_TIMEOUT_SECONDS} s"}
        return context.step(record_rejection(order, timed_out), name="reject")
    decision = parse_decision(raw)
    if not decision.get("approved"):
        return context.step(record_rejection(order, decision), name="reject")
    return context.step(fulfil_order(order, str(decision.get("approver", "unknown"))), name="fulfil")
