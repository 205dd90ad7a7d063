"""Test helper: Lambda events signed the way each webhook sender signs them (tests only)."""
import base64
import hashlib
import hmac
import json
import time
import urllib.parse


def _hex(secret, message):
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def body_for(sender, payload):
    """The raw body a sender sends: form fields for a slash command, JSON for everyone else."""
    if sender == "slack-command":
        return urllib.parse.urlencode(payload).encode("utf-8")
    return json.dumps(payload).encode("utf-8")


def signed_event(sender, payload, secret, now=None, delivery_id="delivery-1", header="X-Signature-256",
                 base64_body=False, unsigned=False):
    """An API Gateway / function URL event carrying `payload` as `sender` signs it at time `now`."""
    now = int(time.time() if now is None else now)
    raw = body_for(sender, payload)
    headers = {"Content-Type": "application/x-www-form-urlencoded" if sender == "slack-command" else "application/json"}
    if sender in ("slack-events", "slack-command"):
        headers["X-Slack-Request-Timestamp"] = str(now)
        headers["X-Slack-Signature"] = "v0=" + _hex(secret, b"v0:" + str(now).encode() + b":" + raw)
    elif sender == "github":
        headers["X-Hub-Signature-256"] = "sha256=" + _hex(secret, raw)
        headers["X-GitHub-Delivery"] = delivery_id
        headers["X-GitHub-Event"] = "push"
    elif sender == "stripe":
        headers["Stripe-Signature"] = f"t={now},v1={_hex(secret, str(now).encode() + b'.' + raw)}"
    else:
        headers[header] = "sha256=" + _hex(secret, raw)
        headers["X-Webhook-Id"] = delivery_id
    if unsigned:
        for name in ("X-Slack-Signature", "X-Hub-Signature-256", "Stripe-Signature", header):
            headers.pop(name, None)
    body = base64.b64encode(raw).decode("ascii") if base64_body else raw.decode("utf-8")
    return {"headers": headers, "body": body, "isBase64Encoded": base64_body,
            "requestContext": {"http": {"method": "POST"}}}


def sample_payload(sender, delivery_id="delivery-1"):
    """A minimal delivery of each sender, with the id the sender would use for dedupe."""
    if sender == "slack-events":
        return {"type": "event_callback", "event_id": delivery_id, "event": {"type": "app_mention", "text": "hi", "channel": "C1"}}
    if sender == "slack-command":
        return {"command": "/report", "text": "weekly", "trigger_id": delivery_id, "user_id": "U1",
                "response_url": "https://hooks.slack.com/commands/T1/1/abc"}
    if sender == "stripe":
        return {"id": delivery_id, "type": "invoice.paid", "data": {"object": {"id": "in_1"}}}
    return {"action": "opened", "id": delivery_id}


def uses_timestamp(sender):
    """Whether the sender's signature carries a timestamp (so a stale one is refused)."""
    return sender in ("slack-events", "slack-command", "stripe")
