"""Delivery receipts: the SMS gateway's DLR endpoint and the WhatsApp Cloud API webhook, with
real recorded WhatsApp payloads. Bad secrets and signatures change nothing."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from sampark.notifications.models import Notification

from .conftest import row

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
SECRET = "dlr-s3cret"
APP_SECRET = "wa-app-secret"
SAMPLES = Path(django_settings.SAMPARK_SHARED_DATA) / "protocols" / "whatsapp_cloud_api_samples"


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        Notification.objects.order_by("id").values_list(
            "status", "sent_at", "delivered_at", "failed_at", "last_error"
        )
    )


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:
    settings.SAMPARK_SMS_DLR_SECRET = SECRET
    settings.SAMPARK_WHATSAPP_APP_SECRET = APP_SECRET
    settings.SAMPARK_WHATSAPP_VERIFY_TOKEN = "verify-me"


def sent_sms(message_id: str = "gw-1", **fields: Any) -> Notification:
    fields.setdefault("recipient", f"+9198390{next(NUMBERS):05d}")
    return row(status="sent", provider="http_sms", provider_message_id=message_id, **fields)


def fresh(notification: Notification) -> Notification:
    return Notification.objects.get(pk=notification.pk)


# --- SMS delivery reports ------------------------------------------------------------------

DLR = f"/webhooks/sms/{SECRET}/dlr"


def test_dlr_by_get_marks_delivered(client, frozen):
    sms = sent_sms()

    response = client.get(DLR, {"message_id": "gw-1", "status": "DELIVRD"})

    assert response.status_code == 200 and response.json() == {"received": 1, "updated": 1}
    delivered = fresh(sms)
    assert (delivered.status, delivered.delivered_at) == ("delivered", frozen.now)


def test_dlr_by_form_post_marks_failed(client, frozen):
    sms = sent_sms()

    response = client.post(DLR, {"message_id": "gw-1", "status": "UNDELIV"})

    assert response.status_code == 200
    failed = fresh(sms)
    assert (failed.status, failed.failed_at) == ("failed", frozen.now)
    assert failed.last_error == "receipt: gateway status undeliv"


def test_dlr_json_list(client, frozen):
    one, two = sent_sms("gw-1"), sent_sms("gw-2")
    body = [
        {"message_id": "gw-1", "status": "delivered"},
        {"message_id": "gw-2", "status": "rejected"},
        {"message_id": "gw-3", "status": "delivered"},  # not ours
        {"message_id": "gw-1", "status": "submitted"},  # interim: ignored
    ]

    response = client.post(DLR, json.dumps(body), content_type="application/json")

    assert response.json() == {"received": 4, "updated": 2}
    assert (fresh(one).status, fresh(two).status) == ("delivered", "failed")


def test_dlr_field_names_are_configurable(client, settings):
    settings.SAMPARK_SMS_DLR_ID_FIELD = "requestId"
    settings.SAMPARK_SMS_DLR_STATUS_FIELD = "desc"
    sms = sent_sms("3461716a6d6f")

    client.post(DLR, {"requestId": "3461716a6d6f", "desc": "DELIVERED"})

    assert fresh(sms).status == "delivered"


def test_repeated_and_late_reports_never_move_a_message_back(client, frozen):
    sms = sent_sms()
    client.get(DLR, {"message_id": "gw-1", "status": "delivered"})
    first = fresh(sms).delivered_at
    frozen.advance(minutes=3)

    again = client.get(DLR, {"message_id": "gw-1", "status": "delivered"})
    late_failure = client.get(DLR, {"message_id": "gw-1", "status": "failed"})

    assert again.json()["updated"] == late_failure.json()["updated"] == 0
    assert (fresh(sms).status, fresh(sms).delivered_at) == ("delivered", first)


@pytest.mark.parametrize("path", ["/webhooks/sms/wrong/dlr", f"/webhooks/sms/{SECRET}x/dlr"])
def test_a_wrong_secret_is_not_found_and_changes_nothing(client, path):
    sent_sms()
    before = snapshot()

    response = client.get(path, {"message_id": "gw-1", "status": "delivered"})

    assert response.status_code == 404
    assert snapshot() == before


def test_without_a_configured_secret_the_endpoint_does_not_exist(client, settings):
    settings.SAMPARK_SMS_DLR_SECRET = ""
    sent_sms()
    before = snapshot()

    response = client.get("/webhooks/sms/anything/dlr", {"message_id": "gw-1", "status": "1"})

    assert response.status_code == 404
    assert snapshot() == before


def test_unreadable_json_is_a_400_and_changes_nothing(client):
    sent_sms()
    before = snapshot()

    response = client.post(DLR, "{oops", content_type="application/json")

    assert response.status_code == 400
    assert snapshot() == before


def test_dlr_only_touches_the_gateways_rows(client):
    console = row(status="sent", provider="console", provider_message_id="gw-1")

    client.get(DLR, {"message_id": "gw-1", "status": "delivered"})

    assert fresh(console).status == "sent"


# --- WhatsApp ------------------------------------------------------------------------------

WEBHOOK = "/webhooks/whatsapp/"  # the view is sampark.channels.whatsapp (inbound texts too)


@pytest.fixture(scope="module")
def samples() -> dict[str, Any]:
    if not (SAMPLES / "message_status.json").exists():
        pytest.skip(f"recorded WhatsApp payloads not found in {SAMPLES}")
    statuses = json.loads((SAMPLES / "message_status.json").read_text())
    messages = json.loads((SAMPLES / "message.json").read_text())
    return {**statuses, "incoming_text": messages["text"]}


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload: Any, *, signature: str | None = "auto", raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {}
    if signature == "auto":
        headers["X-Hub-Signature-256"] = signed(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


def whatsapp_sent(**fields: Any) -> Notification:
    # The recorded payloads all concern message "wamid.xyzxyz".
    fields.setdefault("provider_message_id", "wamid.xyzxyz")
    return row(channel="whatsapp", status="sent", provider="whatsapp_cloud", **fields)


def when(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def test_subscription_check_echoes_the_challenge(client):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }

    response = client.get(WEBHOOK, query)

    assert response.status_code == 200 and response.content == b"1158201444"


@pytest.mark.parametrize("token", ["wrong", ""])
def test_subscription_check_with_a_wrong_token_is_refused(client, token):
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}

    response = client.get(WEBHOOK, query)

    assert response.status_code == 403 and b"1158201444" not in response.content


def test_delivered_status_from_the_recorded_payload(client, samples):
    message = whatsapp_sent()

    response = post(client, samples["delivered"])

    assert response.status_code == 200 and response.json() == {
        "received": 1,
        "updated": 1,
        "queued": 0,
    }
    delivered = fresh(message)
    assert (delivered.status, delivered.delivered_at) == ("delivered", when(1698266945))


def test_read_counts_as_delivered(client, samples):
    message = whatsapp_sent()

    post(client, samples["read"])

    assert (fresh(message).status, fresh(message).delivered_at) == ("delivered", when(1689380458))


def test_sent_status_only_fills_the_sent_time(client, samples):
    message = whatsapp_sent(sent_at=None)

    post(client, samples["sent"])

    assert (fresh(message).status, fresh(message).sent_at) == ("sent", when(1698266945))


def test_out_of_order_and_repeated_statuses_never_move_back(client, samples):
    message = whatsapp_sent()
    post(client, samples["read"])  # "read" first (its timestamp is the older one, too)
    settled = fresh(message).delivered_at

    for name in ("sent", "delivered", "read", "with_tracker"):
        assert post(client, samples[name]).status_code == 200

    assert (fresh(message).status, fresh(message).delivered_at) == ("delivered", settled)


def test_failed_status_records_the_error_and_falls_back_to_sms(client, samples, net):
    message = whatsapp_sent(consumer=net.consumer1)

    post(client, samples["failed"])

    failed = fresh(message)
    assert failed.status == "failed" and failed.failed_at == when(1689380458)
    assert "130472" in failed.last_error and "part of an experiment" in failed.last_error
    sms = Notification.objects.get(fallback_of=failed)
    assert (sms.channel, sms.status, sms.recipient) == ("sms", "queued", failed.recipient)


@pytest.mark.parametrize("name", ["group", "incoming_text", "played"])
def test_other_payloads_are_acknowledged(client, samples, name):
    message = whatsapp_sent(provider_message_id="wamid.other")
    before = snapshot()

    response = post(client, samples[name])

    assert response.status_code == 200
    assert snapshot() == before and fresh(message).status == "sent"


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha256=" + "0" * 64, "sha1=abc", "wrong-secret"],
)
def test_bad_or_missing_signatures_are_refused_and_change_nothing(client, samples, signature):
    whatsapp_sent()
    before = snapshot()
    body = json.dumps(samples["delivered"]).encode()
    if signature == "wrong-secret":
        signature = signed(body, secret="not-the-app-secret")

    response = post(client, None, raw=body, signature=signature)

    assert response.status_code == 403
    assert snapshot() == before


def test_a_signature_over_other_bytes_is_refused(client, samples):
    whatsapp_sent()
    before = snapshot()
    body = json.dumps(samples["delivered"]).encode()
    tampered = body.replace(b'"delivered"', b'"failed"')

    response = post(client, None, raw=tampered, signature=signed(body))

    assert response.status_code == 403
    assert snapshot() == before


def test_without_an_app_secret_nothing_is_accepted(client, samples, settings):
    settings.SAMPARK_WHATSAPP_APP_SECRET = ""
    whatsapp_sent()
    before = snapshot()
    body = json.dumps(samples["delivered"]).encode()

    response = post(client, None, raw=body, signature=signed(body, secret=""))

    assert response.status_code == 403
    assert snapshot() == before


def test_signed_garbage_is_a_400(client):
    body = b"<html>not json</html>"

    response = post(client, None, raw=body)

    assert response.status_code == 400


def test_webhooks_need_no_csrf_token(samples):
    whatsapp_sent()
    strict = Client(enforce_csrf_checks=True)

    assert post(strict, samples["delivered"]).status_code == 200
