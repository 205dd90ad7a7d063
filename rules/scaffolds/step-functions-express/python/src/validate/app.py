"""Workflow step 1: validates and normalises the request ({{patternName}}).

Raising ValidationError ends the execution as REJECTED: the state machine catches the error by its name
(the exception's class name), records it and stops without retrying. Any other exception is retried only if
it is a transient Lambda service error, then recorded as FAILED.
"""
import logging
import os

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


class ValidationError(Exception):
    """The request cannot be processed; Step Functions sees the error name "ValidationError"."""


def lambda_handler(event, context):
    request_id = event["requestId"]
    order = validate_order(event.get("input") or {})
    logger.info("request valid", extra={"requestId": request_id})
    return {"requestId": request_id, "order": order}


def validate_order(order):
    """Returns the normalised order; raise ValidationError with a message the client may see."""
    # BUSINESS LOGIC: check and normalise the request here.
    items = order.get("items")
    if not isinstance(items, list) or not items:
        raise ValidationError("items must be a non-empty list")
    for item in items:
        if not isinstance(item, dict) or not item.get("sku") or int(item.get("quantity", 0)) < 1:
            raise ValidationError("every item needs a sku and a quantity >= 1")
    return {"customerId": str(order.get("customerId", "")), "items": [{"sku": str(i["sku"]), "quantity": int(i["quantity"])} for i in items]}
