"""Webhook signature checks and body parsing for the senders async-advisor knows (standard library only).

verify(event, sender, secret) takes the Lambda event of an API Gateway (REST or HTTP API), function URL or ALB
request and returns a Delivery, or raises Rejected (401 for a bad, missing or stale signature, 400 for a body
that cannot be read). The signature is checked on the raw bytes the sender signed, before anything is parsed;
a base64-encoded body (isBase64Encoded) is decoded first.

    slack-events   X-Slack-Signature = v0=HMAC-SHA256(secret, "v0:{X-Slack-Request-Timestamp}:{body}"),
                   the timestamp within the tolerance; JSON body; url_verification answered with its challenge;
                   delivery id = event_id (Slack retries with the same one)
    slack-command  the same signature; form-encoded body (application/x-www-form-urlencoded); the late answer
                   goes to response_url; delivery id = trigger_id
    github         X-Hub-Signature-256 = sha256=HMAC-SHA256(secret, body); JSON body (or the form field
                   `payload`); delivery id = X-GitHub-Delivery (a redelivery keeps it)
    stripe         Stripe-Signature = t={timestamp},v1={HMAC-SHA256(secret, "{t}.{body}")}[,v1=…], the timestamp
                   within the tolerance; JSON event; delivery id = the event's id
    generic        {header} = [sha256=]HMAC-SHA256(secret, body) in hex, the header configurable (default
                   X-Signature-256); JSON body; delivery id = the X-Webhook-Id header, else the body's SHA-256
"""
import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

SENDERS = ("slack-events", "slack-command", "github", "stripe", "generic")
DEFAULT_TOLERANCE_SECONDS = 300  # Slack and Stripe both suggest 5 minutes
DEFAULT_GENERIC_HEADER = "x-signature-256"
GENERIC_ID_HEADER = "x-webhook-id"


class Rejected(Exception):
    """The request is not answered with work: `status` is the HTTP status to return (401 or 400)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Delivery:
    """One verified webhook delivery."""

    def __init__(self, sender, delivery_id, payload, raw, response_url=None, challenge=None):
        self.sender = sender
        self.id = delivery_id  # the sender's id for this delivery: dedupe on it
        self.payload = payload  # the parsed body: a dict (JSON object or form fields)
        self.raw = raw  # the bytes that were signed
        self.response_url = response_url  # slack-command: where the late answer goes
        self.challenge = challenge  # slack-events url_verification: answer 200 with it, do no work

    def __repr__(self):
        return f"Delivery({self.sender!r}, {self.id!r})"


def raw_body(event):
    """The body as the sender sent it (bytes), base64-decoded when the door encoded it."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except ValueError:
            raise Rejected(400, "body is marked base64-encoded but is not base64") from None
    return body.encode("utf-8")


def headers_of(event):
    """Header names lowercased (HTTP API and function URLs lowercase them, REST APIs and ALB keep the case)."""
    return {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}


def hmac_hex(secret, message):
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _same(expected, given):
    """Constant-time comparison of text that may hold any character (a header is attacker-controlled)."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "surrogateescape"))


def _require(condition, message):
    if not condition:
        raise Rejected(401, message)


def _fresh(timestamp, now, tolerance):
    _require(timestamp.isdigit(), "missing or malformed signature timestamp")
    _require(abs(now - int(timestamp)) <= tolerance, "stale signature timestamp (a replayed request?)")


def _json_object(raw):
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body must be JSON") from None
    if not isinstance(payload, dict):
        raise Rejected(400, "body must be a JSON object")
    return payload


def _form(raw):
    try:
        fields = urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body must be form-encoded (application/x-www-form-urlencoded)") from None
    return {key: values[0] for key, values in fields.items()}


def _slack_signed(headers, raw, secret, now, tolerance):
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    _require(signature.startswith("v0="), "missing X-Slack-Signature")
    _fresh(timestamp, now, tolerance)
    expected = "v0=" + hmac_hex(secret, b"v0:" + timestamp.encode() + b":" + raw)
    _require(_same(expected, signature), "X-Slack-Signature does not match")


def verify(event, sender, secret, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS, header=DEFAULT_GENERIC_HEADER):
    """Checks the sender's signature and parses the body; returns a Delivery or raises Rejected."""
    if sender not in SENDERS:
        raise ValueError(f"unknown webhook sender {sender!r}; one of {', '.join(SENDERS)}")
    if not secret:
        raise ValueError("the webhook signing secret is empty")
    now = time.time() if now is None else now
    headers = headers_of(event)
    raw = raw_body(event)

    if sender == "slack-events":
        _slack_signed(headers, raw, secret, now, tolerance)
        payload = _json_object(raw)
        if payload.get("type") == "url_verification":
            return Delivery(sender, None, payload, raw, challenge=str(payload.get("challenge", "")))
        delivery_id = payload.get("event_id")
        if not delivery_id:
            raise Rejected(400, "a Slack event needs an event_id")
        return Delivery(sender, str(delivery_id), payload, raw)

    if sender == "slack-command":
        _slack_signed(headers, raw, secret, now, tolerance)
        payload = _form(raw)
        if not payload.get("trigger_id") or not payload.get("response_url"):
            raise Rejected(400, "a slash command needs trigger_id and response_url")
        return Delivery(sender, payload["trigger_id"], payload, raw, response_url=payload["response_url"])

    if sender == "github":
        signature = headers.get("x-hub-signature-256", "")
        _require(signature.startswith("sha256="), "missing X-Hub-Signature-256")
        _require(_same("sha256=" + hmac_hex(secret, raw), signature), "X-Hub-Signature-256 does not match")
        delivery_id = headers.get("x-github-delivery", "")
        if not delivery_id:
            raise Rejected(400, "missing X-GitHub-Delivery")
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            payload = _json_object(_form(raw).get("payload", "").encode("utf-8"))
        else:
            payload = _json_object(raw)
        return Delivery(sender, delivery_id, payload, raw)

    if sender == "stripe":
        parts = [p.split("=", 1) for p in headers.get("stripe-signature", "").split(",") if "=" in p]
        timestamp = next((v for k, v in parts if k.strip() == "t"), "")
        candidates = [v for k, v in parts if k.strip() == "v1"]
        _require(candidates, "missing Stripe-Signature v1")
        _fresh(timestamp, now, tolerance)
        expected = hmac_hex(secret, timestamp.encode() + b"." + raw)
        _require(any(_same(expected, c) for c in candidates), "Stripe-Signature does not match")
        payload = _json_object(raw)
        if not payload.get("id"):
            raise Rejected(400, "a Stripe event needs an id")
        return Delivery(sender, str(payload["id"]), payload, raw)

    # generic
    signature = headers.get(header.lower(), "")
    _require(signature, f"missing {header}")
    hexdigest = signature[len("sha256="):] if signature.startswith("sha256=") else signature
    _require(_same(hmac_hex(secret, raw), hexdigest.lower()), f"{header} does not match")
    payload = _json_object(raw)
    delivery_id = headers.get(GENERIC_ID_HEADER) or "sha256:" + hashlib.sha256(raw).hexdigest()
    return Delivery(sender, delivery_id, payload, raw)


def acknowledgement(delivery):
    """What to answer at once: Slack's challenge, a slash command's visible receipt, else {"ok": true}."""
    if delivery.challenge is not None:
        return {"challenge": delivery.challenge}
    if delivery.sender == "slack-command":
        return {"response_type": "ephemeral", "text": "Working on it…"}
    return {"ok": True}


def post_late_answer(response_url, message, opener=urllib.request.urlopen, timeout=10):
    """Posts the late answer of a slash command to its response_url (valid for 30 minutes, up to 5 answers)."""
    body = json.dumps(message).encode("utf-8")
    request = urllib.request.Request(response_url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with opener(request, timeout=timeout) as answer:
        status = getattr(answer, "status", 200)
        if status >= 300:
            raise RuntimeError(f"response_url answered {status}")
        return status
