"""Mobile registration by missed call and SMS: a missed call gets the instructions by SMS, and
`REG <account>` sent from the phone registers its number (the SMS is the number's proof)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from sampark.consumers.models import MobileChange
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db

SECRET = "mc-s3cret"
MISSED = f"/webhooks/missed-call/{SECRET}"
INBOUND = "/webhooks/sms/mo-s3cret/inbound"
MOBILE = "+919839055555"


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:
    settings.SAMPARK_MISSED_CALL_SECRET = SECRET
    settings.SAMPARK_SMS_INBOUND_SECRET = "mo-s3cret"
    cache.clear()


@pytest.fixture
def answering(client, django_capture_on_commit_callbacks):
    """Post to the inbound webhook with the after-commit answer run, as in production."""

    def post(text: str, message_id: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(INBOUND, {"from": "9839055555", "text": text, "id": message_id})

    return post


def test_a_missed_call_is_answered_with_one_sms(client, net):
    response = client.get(MISSED, {"from": "09839055555", "CallSid": "abc"})

    assert response.status_code == 200 and response.json() == {"received": 1, "answered": 1}
    message = Notification.objects.get()
    assert (message.template_key, message.recipient, message.channel) == (
        "mobile_missed_call",
        MOBILE,
        "sms",
    )


def test_a_second_missed_call_within_the_hour_sends_nothing_more(client, net):
    client.post(MISSED, {"from": "9839055555"})

    response = client.post(
        MISSED, json.dumps([{"from": "9839055555"}]), content_type="application/json"
    )

    assert response.json() == {"received": 1, "answered": 0}
    assert Notification.objects.count() == 1


def test_the_caller_field_is_configurable(client, net, settings):
    settings.SAMPARK_MISSED_CALL_FROM_FIELD = "CallFrom"

    response = client.get(MISSED, {"CallFrom": "9839055555"})

    assert response.status_code == 200 and Notification.objects.count() == 1


def test_a_wrong_or_unset_secret_is_a_404_and_nothing_happens(client, net, settings):
    assert client.get("/webhooks/missed-call/guess", {"from": "9839055555"}).status_code == 404
    settings.SAMPARK_MISSED_CALL_SECRET = ""
    assert client.get(MISSED, {"from": "9839055555"}).status_code == 404
    assert not Notification.objects.exists()


def test_a_malformed_caller_is_a_400_and_nobody_in_the_batch_is_answered(client, net):
    batch = [{"from": "9839055555"}, {"from": "12"}]

    response = client.post(MISSED, json.dumps(batch), content_type="application/json")

    assert response.status_code == 400 and set(response.json()["fields"]) == {"from"}
    assert not Notification.objects.exists()


def test_unreadable_json_is_a_400(client, net):
    response = client.post(MISSED, "{nope", content_type="application/json")

    assert response.status_code == 400 and not Notification.objects.exists()


def test_reg_by_sms_registers_the_senders_number(answering, net):
    consumer = ConsumerFactory(account_number="4234567890", name="Sunita", mobile=None, dt=net.dt1)

    answering("REG 4234567890", "mo-1")
    asked = Notification.objects.get(recipient=MOBILE)
    assert asked.template_key == "chat_message" and asked.channel == "sms"
    answering("sun", "mo-2")

    consumer.refresh_from_db()
    assert consumer.mobile == MOBILE and consumer.consent_sms
    change = MobileChange.objects.get()
    assert (change.channel, change.kind, change.proof) == ("sms", "registered", "account_details")
    assert Notification.objects.filter(recipient=MOBILE, template_key="chat_message").count() == 2
