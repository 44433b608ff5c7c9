"""Joining by WhatsApp through the Cloud API webhook, with the real recorded payload shape."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from sampark.notifications.models import Notification
from sampark.notifications.tests.conftest import row
from sampark.public.models import StakeholderMember

pytestmark = pytest.mark.django_db

APP_SECRET = "wa-app-secret"
WEBHOOK = "/webhooks/whatsapp/"
SAMPLES = Path(django_settings.SAMPARK_SHARED_DATA) / "protocols" / "whatsapp_cloud_api_samples"
MOBILE = "+919839055555"


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:
    settings.SAMPARK_WHATSAPP_APP_SECRET = APP_SECRET
    settings.SAMPARK_WHATSAPP_VERIFY_TOKEN = "verify-me"


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    if not (SAMPLES / "message.json").exists():
        pytest.skip(f"recorded WhatsApp payloads not found in {SAMPLES}")
    statuses = {}
    if (SAMPLES / "message_status.json").exists():
        statuses = json.loads((SAMPLES / "message_status.json").read_text())
    return {"text": json.loads((SAMPLES / "message.json").read_text())["text"], **statuses}


def text_message(recorded, *, body: str, sender: str = "919839055555", wamid: str = "wamid.1"):
    """The recorded text message, from an Indian mobile and saying `body`."""
    payload = copy.deepcopy(recorded["text"])
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = sender
    message = value["messages"][0]
    message.update({"from": sender, "id": wamid})
    message["text"]["body"] = body
    return payload


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload: Any, *, signature: str | None = None):
    body = json.dumps(payload).encode()
    headers = {"X-Hub-Signature-256": signature if signature is not None else signed(body)}
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


def test_join_by_whatsapp_joins_and_queues_a_whatsapp_reply(client, net, recorded):
    response = post(client, text_message(recorded, body="जुड़ें Z-LKO पत्रकार"))

    assert response.status_code == 200 and response.json()["queued"] == 1
    member = StakeholderMember.objects.get()
    assert (member.mobile, member.group.zone, member.channel, member.role) == (
        MOBILE,
        net.zone,
        "whatsapp",
        "journalist",
    )
    reply = Notification.objects.get()
    assert (reply.channel, reply.recipient, reply.template_key, reply.language) == (
        "whatsapp",
        MOBILE,
        "stakeholder_joined",
        "hi",
    )
    assert (reply.topic, reply.event) == (f"keyword:{MOBILE}", "wa:wamid.1")


def test_metas_retry_of_the_same_message_queues_nothing_more(client, net, recorded):
    payload = text_message(recorded, body="JOIN Z-LKO")
    post(client, payload)

    assert post(client, payload).json()["queued"] == 0
    assert Notification.objects.count() == 1 and StakeholderMember.objects.count() == 1


def test_leave_by_whatsapp(client, net, recorded):
    post(client, text_message(recorded, body="JOIN Z-LKO", wamid="wamid.1"))

    post(client, text_message(recorded, body="STOP", wamid="wamid.2"))

    assert not StakeholderMember.objects.get().active
    assert Notification.objects.get(event="wa:wamid.2").template_key == "stakeholder_left"


def test_the_recorded_message_as_is_is_acknowledged_and_changes_nothing(client, net, recorded):
    # From a foreign non-mobile number ("972987654321"), saying "Body Text".
    response = post(client, recorded["text"])

    assert response.status_code == 200 and response.json()["queued"] == 0
    assert not StakeholderMember.objects.exists() and not Notification.objects.exists()


def test_statuses_still_update_rows(client, recorded):
    if "delivered" not in recorded:
        pytest.skip("recorded WhatsApp status payloads not found")
    message = row(
        channel="whatsapp",
        status="sent",
        provider="whatsapp_cloud",
        provider_message_id="wamid.xyzxyz",
    )

    response = post(client, recorded["delivered"])

    assert response.status_code == 200 and response.json()["updated"] == 1
    assert Notification.objects.get(pk=message.pk).status == "delivered"


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "wrong-secret"])
def test_a_bad_signature_is_a_403_and_changes_nothing(client, net, recorded, signature):
    payload = text_message(recorded, body="JOIN Z-LKO")
    if signature == "wrong-secret":
        signature = signed(json.dumps(payload).encode(), secret="not-the-app-secret")

    response = post(client, payload, signature=signature)

    assert response.status_code == 403
    assert not StakeholderMember.objects.exists() and not Notification.objects.exists()


def test_subscription_check(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}

    assert client.get(WEBHOOK, query).content == b"42"
