"""The webhook signature checks of every sender (the module is the same file in every function folder)."""
import base64
import importlib.util
import json
import pathlib
import random
import time

import pytest

from webhook_signing import sample_payload, signed_event, uses_timestamp

_PATH = sorted(pathlib.Path(__file__).resolve().parents[1].glob("src/*/webhook_auth.py"))[0]
_SPEC = importlib.util.spec_from_file_location("webhook_auth_under_test", _PATH)
webhook_auth = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(webhook_auth)

SECRET = "test-webhook-secret"
NOW = 1_700_000_000
SENDERS = webhook_auth.SENDERS
SIGNATURE_HEADERS = ("X-Slack-Signature", "X-Slack-Request-Timestamp", "X-Hub-Signature-256", "Stripe-Signature", "X-Signature-256")


@pytest.mark.parametrize("sender", SENDERS)
def test_a_valid_signature_is_accepted_with_the_senders_delivery_id(sender):
    event = signed_event(sender, sample_payload(sender, "d-42"), SECRET, now=NOW, delivery_id="d-42")

    delivery = webhook_auth.verify(event, sender, SECRET, now=NOW)

    assert delivery.id == "d-42" or (sender == "generic" and delivery.id == "d-42")
    assert delivery.payload == sample_payload(sender, "d-42")


@pytest.mark.parametrize("sender", SENDERS)
def test_a_base64_encoded_body_is_decoded_before_the_check(sender):
    event = signed_event(sender, sample_payload(sender), SECRET, now=NOW, base64_body=True)

    assert webhook_auth.verify(event, sender, SECRET, now=NOW).payload == sample_payload(sender)


@pytest.mark.parametrize("sender", SENDERS)
def test_a_signature_made_with_another_secret_is_401(sender):
    event = signed_event(sender, sample_payload(sender), "another-secret", now=NOW)

    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify(event, sender, SECRET, now=NOW)
    assert err.value.status == 401


@pytest.mark.parametrize("sender", SENDERS)
def test_a_missing_signature_is_401(sender):
    event = signed_event(sender, sample_payload(sender), SECRET, now=NOW, unsigned=True)

    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify(event, sender, SECRET, now=NOW)
    assert err.value.status == 401


@pytest.mark.parametrize("sender", SENDERS)
def test_a_changed_body_is_401(sender):
    event = signed_event(sender, sample_payload(sender), SECRET, now=NOW)
    event["body"] = event["body"].replace("1", "2", 1) if "1" in event["body"] else event["body"] + " "

    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify(event, sender, SECRET, now=NOW)
    assert err.value.status == 401


@pytest.mark.parametrize("sender", [s for s in SENDERS if uses_timestamp(s)])
def test_a_stale_timestamp_is_401_and_one_inside_the_tolerance_is_accepted(sender):
    event = signed_event(sender, sample_payload(sender), SECRET, now=NOW - 301)
    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify(event, sender, SECRET, now=NOW)
    assert err.value.status == 401

    fresh = signed_event(sender, sample_payload(sender), SECRET, now=NOW - 299)
    assert webhook_auth.verify(fresh, sender, SECRET, now=NOW).payload == sample_payload(sender)


def test_header_names_are_case_insensitive():
    event = signed_event("github", sample_payload("github"), SECRET, now=NOW)
    event["headers"] = {k.lower(): v for k, v in event["headers"].items()}

    assert webhook_auth.verify(event, "github", SECRET, now=NOW).id == "delivery-1"


def test_the_generic_header_is_configurable():
    event = signed_event("generic", sample_payload("generic"), SECRET, now=NOW, header="X-Acme-Signature")

    assert webhook_auth.verify(event, "generic", SECRET, now=NOW, header="X-Acme-Signature").id == "delivery-1"
    with pytest.raises(webhook_auth.Rejected):
        webhook_auth.verify(event, "generic", SECRET, now=NOW)


def test_slack_url_verification_is_answered_with_its_challenge():
    event = signed_event("slack-events", {"type": "url_verification", "challenge": "c-123", "token": "t"}, SECRET, now=NOW)

    delivery = webhook_auth.verify(event, "slack-events", SECRET, now=NOW)

    assert delivery.challenge == "c-123"
    assert webhook_auth.acknowledgement(delivery) == {"challenge": "c-123"}


def test_a_slash_command_is_read_as_form_fields_with_its_response_url():
    event = signed_event("slack-command", sample_payload("slack-command", "trig-1"), SECRET, now=NOW)

    delivery = webhook_auth.verify(event, "slack-command", SECRET, now=NOW)

    assert delivery.id == "trig-1"
    assert delivery.payload["command"] == "/report"
    assert delivery.response_url == "https://hooks.slack.com/commands/T1/1/abc"


def test_a_stripe_header_with_several_v1_signatures_is_accepted_when_one_matches():
    event = signed_event("stripe", sample_payload("stripe"), SECRET, now=NOW)
    event["headers"]["Stripe-Signature"] = event["headers"]["Stripe-Signature"].replace(",v1=", ",v1=" + "0" * 64 + ",v1=")

    assert webhook_auth.verify(event, "stripe", SECRET, now=NOW).id == "delivery-1"


def test_a_github_form_encoded_delivery_reads_its_payload_field():
    import hashlib
    import hmac
    import urllib.parse

    raw = urllib.parse.urlencode({"payload": json.dumps({"zen": "hi"})}).encode()
    event = {"headers": {"content-type": "application/x-www-form-urlencoded", "x-github-delivery": "g-1",
                         "x-hub-signature-256": "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()},
             "body": raw.decode()}

    assert webhook_auth.verify(event, "github", SECRET, now=NOW).payload == {"zen": "hi"}


def test_a_body_that_is_not_json_is_400_after_a_valid_signature():
    event = signed_event("generic", sample_payload("generic"), SECRET, now=NOW)
    event["body"] = "not json"
    event["headers"]["X-Signature-256"] = "sha256=" + webhook_auth.hmac_hex(SECRET, b"not json")

    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify(event, "generic", SECRET, now=NOW)
    assert err.value.status == 400


def test_a_body_marked_base64_that_is_not_is_400():
    with pytest.raises(webhook_auth.Rejected) as err:
        webhook_auth.verify({"headers": {}, "body": "%%%", "isBase64Encoded": True}, "generic", SECRET, now=NOW)
    assert err.value.status == 400


@pytest.mark.parametrize("sender", SENDERS)
def test_random_requests_are_rejected_or_verified_never_crash(sender):
    """Property: any headers and body give a Delivery or Rejected, and a Delivery only with a valid signature."""
    rng = random.Random(sender)
    good = signed_event(sender, sample_payload(sender), SECRET, now=NOW)
    pieces = ["", "v0=", "sha256=", "t=1,v1=", "=", ",", "%", "{", "}", "\x00", "é", "1700000000", good["body"]]
    for _ in range(150):
        event = json.loads(json.dumps(good))
        for name in list(event["headers"]):
            if rng.random() < 0.5:
                event["headers"][name] = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        if rng.random() < 0.5:
            event["body"] = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.2:
            event["isBase64Encoded"] = True
        try:
            delivery = webhook_auth.verify(event, sender, SECRET, now=NOW)
        except webhook_auth.Rejected as err:
            assert err.status in (400, 401)
            continue
        # Accepted: then it is the signed body under the signed headers (a matching forgery is out of reach).
        assert delivery.raw == webhook_auth.raw_body(good)
        for name in SIGNATURE_HEADERS:
            assert event["headers"].get(name) == good["headers"].get(name), name


def test_the_late_answer_is_posted_to_the_response_url():
    sent = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def opener(request, timeout):
        sent.append((request.full_url, request.get_method(), json.loads(request.data)))
        return Answer()

    webhook_auth.post_late_answer("https://hooks.slack.com/commands/T1/1/abc", {"text": "done"}, opener=opener)

    assert sent == [("https://hooks.slack.com/commands/T1/1/abc", "POST", {"text": "done"})]
