"""The SMS gateway's inbound (MO) webhook: messages stored once, answered by the chatbot after
commit (zone-group keywords included), replies queued as SMS."""

from __future__ import annotations

import json

import pytest

from sampark.channels.models import ChatMessage
from sampark.notifications.models import Notification
from sampark.public.models import StakeholderMember, StakeholderMemberEvent

pytestmark = pytest.mark.django_db

SECRET = "mo-s3cret"
INBOUND = f"/webhooks/sms/{SECRET}/inbound"
MOBILE = "+919839055555"


@pytest.fixture(autouse=True)
def _secret(settings) -> None:
    settings.SAMPARK_SMS_INBOUND_SECRET = SECRET


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, with the after-commit answer run as it would be in production."""

    class Answering:
        def __getattr__(self, name):
            call = getattr(client, name)

            def run(*args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return call(*args, **kwargs)

            return run

    return Answering()


def nothing_written() -> bool:
    return not (
        StakeholderMember.objects.exists()
        or StakeholderMemberEvent.objects.exists()
        or Notification.objects.exists()
        or ChatMessage.objects.exists()
    )


def test_join_in_hindi_by_get_joins_and_queues_one_sms_reply(client, net):
    response = client.get(INBOUND, {"from": "919839055555", "text": "जुड़ें Z-LKO", "id": "mo-1"})

    assert response.status_code == 200 and response.json() == {"received": 1, "stored": 1}
    member = StakeholderMember.objects.get()
    assert (member.mobile, member.group.zone, member.channel, member.language) == (
        MOBILE,
        net.zone,
        "sms",
        "hi",
    )
    reply = Notification.objects.get()
    assert (reply.channel, reply.recipient, reply.template_key, reply.language) == (
        "sms",
        MOBILE,
        "stakeholder_joined",
        "hi",
    )
    assert reply.status == "queued" and reply.topic.startswith("chat:")
    assert ChatMessage.objects.get(direction="in").provider_message_id == "mo:mo-1"
    assert "हितधारक समूह में जुड़ गए" in reply.text and reply.text.endswith("-UPPCL 1912")


def test_join_in_english_by_json_post(client, net, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"stakeholder_joined": "1107000000000000001"}
    body = {"from": "9839055555", "text": "JOIN LUCKNOW CENTRAL journalist", "id": "mo-2"}

    response = client.post(INBOUND, json.dumps(body), content_type="application/json")

    assert response.status_code == 200
    member = StakeholderMember.objects.get()
    assert (member.role, member.language) == ("journalist", "en")
    reply = Notification.objects.get()
    assert reply.text.startswith("You have joined the LUCKNOW CENTRAL stakeholder group")
    assert reply.dlt_template_id == "1107000000000000001"  # a registered template: DLT-compliant


def test_a_gateway_retry_of_the_same_message_queues_nothing_more(client, net):
    message = {"from": "9839055555", "text": "JOIN Z-LKO", "id": "mo-3"}
    client.post(INBOUND, message)

    response = client.post(INBOUND, message)

    assert response.status_code == 200 and response.json()["stored"] == 0
    assert Notification.objects.count() == 1
    assert StakeholderMember.objects.count() == 1 and StakeholderMemberEvent.objects.count() == 1


def test_without_a_message_id_a_retry_in_the_same_minute_is_one_reply(client, net):
    message = {"from": "9839055555", "text": "JOIN Z-LKO"}
    client.post(INBOUND, message)
    client.post(INBOUND, message)

    assert Notification.objects.count() == 1
    assert ChatMessage.objects.get(direction="in").provider_message_id.startswith("mo:")


def test_leave_by_form_post(client, net):
    client.post(INBOUND, {"from": "9839055555", "text": "JOIN Z-LKO", "id": "mo-4"})

    response = client.post(INBOUND, {"from": "9839055555", "text": "LEAVE", "id": "mo-5"})

    assert response.status_code == 200
    assert not StakeholderMember.objects.get().active
    reply = Notification.objects.order_by("id").last()
    assert (reply.template_key, reply.language, reply.channel) == ("stakeholder_left", "en", "sms")


def test_anything_else_goes_to_the_chatbot_and_changes_no_group(client, net):
    client.get(INBOUND, {"from": "9839055555", "text": "बिजली कब आएगी", "id": "mo-6"})

    assert not StakeholderMember.objects.exists()
    reply = Notification.objects.get()
    assert (reply.template_key, reply.language, reply.channel) == ("chat_message", "hi", "sms")


def test_field_names_are_configuration(client, net, settings):
    settings.SAMPARK_SMS_INBOUND_FROM_FIELD = "msisdn"
    settings.SAMPARK_SMS_INBOUND_TEXT_FIELD = "message"
    settings.SAMPARK_SMS_INBOUND_ID_FIELD = "mid"

    client.get(INBOUND, {"msisdn": "919839055555", "message": "JOIN Z-LKO", "mid": "x1"})

    assert ChatMessage.objects.get(direction="in").provider_message_id == "mo:x1"
    assert StakeholderMember.objects.get().mobile == MOBILE


def test_the_dlr_secret_serves_when_no_inbound_secret_is_set(client, net, settings):
    settings.SAMPARK_SMS_INBOUND_SECRET = ""
    settings.SAMPARK_SMS_DLR_SECRET = "dlr-s3cret"

    response = client.get("/webhooks/sms/dlr-s3cret/inbound", {"from": "9839055555", "text": "x"})

    assert response.status_code == 200


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_bad_secret_is_a_404_and_changes_nothing(client, net, settings, secret):
    if not secret:
        settings.SAMPARK_SMS_INBOUND_SECRET = ""
        settings.SAMPARK_SMS_DLR_SECRET = ""
    url = f"/webhooks/sms/{secret or SECRET}/inbound"

    response = client.get(url, {"from": "9839055555", "text": "JOIN Z-LKO", "id": "mo-7"})

    assert response.status_code == 404
    assert nothing_written()


@pytest.mark.parametrize("sender", ["12345", "", "not a number"])
def test_a_malformed_mobile_is_a_400_and_nothing_is_written(client, net, sender):
    response = client.get(INBOUND, {"from": sender, "text": "JOIN Z-LKO", "id": "mo-8"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed" and set(body["fields"]) == {"from"}
    assert nothing_written()


def test_one_malformed_mobile_in_a_batch_writes_nothing(client, net):
    batch = [
        {"from": "9839055555", "text": "JOIN Z-LKO", "id": "a"},
        {"from": "123", "text": "JOIN Z-LKO", "id": "b"},
    ]

    response = client.post(INBOUND, json.dumps(batch), content_type="application/json")

    assert response.status_code == 400
    assert nothing_written()


def test_unreadable_json_is_a_400(client, net):
    response = client.post(INBOUND, b"{not json", content_type="application/json")

    assert response.status_code == 400 and nothing_written()
