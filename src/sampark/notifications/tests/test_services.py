"""Enqueue (rendering, validation, idempotency), expiry, and the WhatsApp -> SMS fallback rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.notifications.models import Notification
from sampark.notifications.services import (
    NO_LONGER_RELEVANT,
    notification_enqueue,
    notification_fallback_create,
    notifications_expire,
)

from .conftest import row

pytestmark = pytest.mark.django_db

RESTORED = {"area": "अमीनाबाद"}


def enqueue(**overrides):
    values = {
        "topic": "outage:17",
        "event": "restored",
        "channel": "sms",
        "recipient": "98390 12345",
        "template_key": "outage_restored",
        "language": "hi",
        "variables": RESTORED,
    }
    values.update(overrides)
    return notification_enqueue(**values)


def test_enqueue_renders_and_queues_with_dlt_ids_and_segments(net, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"outage_restored": "1107160000000000001"}
    settings.SAMPARK_DLT_ENTITY_ID = "1101000000000000001"

    made = enqueue(consumer=net.consumer1)

    assert made is not None
    saved = Notification.objects.get()
    assert saved.pk == made.pk and saved.consumer == net.consumer1
    assert saved.recipient == "+919839012345"  # E.164
    assert saved.text.startswith("अमीनाबाद: बिजली आपूर्ति बहाल")
    assert (saved.dlt_template_id, saved.dlt_entity_id) == (
        "1107160000000000001",
        "1101000000000000001",
    )
    assert saved.segments == 2 and saved.urgent is True
    assert (saved.status, saved.attempts) == ("queued", 0)
    assert saved.variables == {"area": "अमीनाबाद"}
    assert saved.next_attempt_at == saved.created_at


def test_whatsapp_rows_carry_no_dlt_ids(net, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"outage_restored": "1107160000000000001"}

    made = enqueue(channel="whatsapp", consumer=net.consumer1)

    assert made is not None and made.dlt_template_id == "" and made.dlt_entity_id == ""


def test_the_same_step_twice_is_one_row(net):
    first = enqueue(consumer=net.consumer1)
    again = enqueue(consumer=net.consumer1, recipient="+919839099999")  # same consumer
    by_recipient = enqueue(topic="zone:Z-LKO", recipient="9839077777")
    by_recipient_again = enqueue(topic="zone:Z-LKO", recipient="+919839077777")

    assert first is not None and by_recipient is not None
    assert again is None and by_recipient_again is None
    assert Notification.objects.count() == 2


def test_a_duplicate_inside_an_outer_transaction_leaves_it_usable(net):
    with transaction.atomic():
        enqueue(consumer=net.consumer1)
        assert enqueue(consumer=net.consumer1) is None
        other = enqueue(consumer=net.consumer2, recipient="+919839022222")  # still works

    assert other is not None
    assert Notification.objects.count() == 2


def test_other_steps_and_channels_are_separate_messages(net):
    enqueue(consumer=net.consumer1)
    enqueue(consumer=net.consumer1, event="declared:2")
    enqueue(consumer=net.consumer1, channel="whatsapp")

    assert Notification.objects.count() == 3


def test_urgency_follows_the_template_unless_given(net):
    planned = enqueue(
        template_key="planned_reminder",
        variables={"area": "Aminabad", "start": "10:00", "etr": "14:00"},
    )
    forced = enqueue(event="x", urgent=False)

    assert planned is not None and planned.urgent is False
    assert forced is not None and forced.urgent is False


def test_at_schedules_the_first_attempt(net):
    later = clock.now() + timedelta(hours=2)

    made = enqueue(at=later)

    assert made is not None and made.next_attempt_at == later


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"variables": {}}, "variables.area"),
        ({"variables": {"area": "A", "extra": "B"}}, "variables.extra"),
        ({"template_key": "nope"}, "template"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "fr"}, "language"),
        ({"recipient": "12345"}, "recipient"),
        ({"channel": "email", "recipient": "not-an-address"}, "recipient"),
        ({"channel": "telegram", "recipient": "chat one"}, "recipient"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(net, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        enqueue(**overrides)

    assert field in error.value.fields
    assert Notification.objects.count() == 0


def test_email_and_telegram_recipients(db):
    mail = enqueue(channel="email", recipient=" asha@example.in ", language="en", event="a")
    chat = enqueue(channel="telegram", recipient="-1001234567890", language="en", event="b")

    assert mail is not None and mail.recipient == "asha@example.in"
    assert chat is not None and chat.recipient == "-1001234567890"


def test_expire_touches_only_queued_rows_of_those_steps(db):
    declared = row(event="declared", recipient="+919839000001")
    etr = row(event="etr:1", recipient="+919839000002")
    etr2 = row(event="etr:2", recipient="+919839000003")
    sent = row(event="declared", recipient="+919839000004", status="sent")
    other_topic = row(topic="outage:18", event="declared", recipient="+919839000005")
    restored = row(event="restored", recipient="+919839000006")

    count = notifications_expire(topic="outage:17", events=["declared", "etr:*"])

    assert count == 3
    statuses = dict(Notification.objects.values_list("id", "status"))
    assert {statuses[r.pk] for r in (declared, etr, etr2)} == {"expired"}
    assert statuses[sent.pk] == "sent"
    assert statuses[other_topic.pk] == "queued" and statuses[restored.pk] == "queued"
    assert Notification.objects.get(pk=declared.pk).last_error == NO_LONGER_RELEVANT


def test_expire_without_events_does_nothing(db):
    row()

    assert notifications_expire(topic="outage:17", events=[]) == 0
    assert Notification.objects.get().status == "queued"


# --- fallback ----------------------------------------------------------------------------------


def failed_whatsapp(**fields):
    return row(channel="whatsapp", status="failed", **fields)


def test_fallback_queues_an_sms_for_the_same_step(net, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"outage_restored": "1107160000000000001"}
    original = failed_whatsapp(consumer=net.consumer1, urgent=False)

    assert notification_fallback_create(notification_ids=[original.pk]) == 1

    sms = Notification.objects.get(channel="sms")
    assert sms.fallback_of == original and sms.consumer == net.consumer1
    assert (sms.topic, sms.event, sms.recipient) == (
        original.topic,
        original.event,
        "+919839012345",
    )
    assert sms.text == original.text and sms.dlt_template_id == "1107160000000000001"
    assert sms.status == "queued"


def test_fallback_needs_sms_consent_for_non_urgent_messages(net):
    net.consumer1.consent_sms = False
    net.consumer1.save()
    original = failed_whatsapp(consumer=net.consumer1, urgent=False)
    urgent = failed_whatsapp(consumer=net.consumer1, urgent=True, event="restored")
    no_consumer = failed_whatsapp(recipient="+919839077777", urgent=False, event="bulletin")

    made = notification_fallback_create(notification_ids=[original.pk, urgent.pk, no_consumer.pk])

    assert made == 2
    assert set(
        Notification.objects.filter(channel="sms").values_list("fallback_of", flat=True)
    ) == {
        urgent.pk,
        no_consumer.pk,
    }


def test_fallback_is_idempotent_and_respects_an_existing_sms(net):
    original = failed_whatsapp(consumer=net.consumer1)
    notification_fallback_create(notification_ids=[original.pk])
    notification_fallback_create(notification_ids=[original.pk])
    other = failed_whatsapp(consumer=net.consumer2, recipient="+919839022222")
    row(consumer=net.consumer2, recipient="+919839022222", channel="sms")  # fan-out sent SMS too

    notification_fallback_create(notification_ids=[other.pk])

    assert Notification.objects.filter(channel="sms", consumer=net.consumer1).count() == 1
    assert Notification.objects.filter(channel="sms", consumer=net.consumer2).count() == 1
    assert not Notification.objects.filter(fallback_of=other).exists()


def test_only_failed_whatsapp_rows_fall_back(net):
    queued = row(channel="whatsapp", consumer=net.consumer1)
    failed_sms = row(status="failed", consumer=net.consumer2, recipient="+919839022222")

    assert notification_fallback_create(notification_ids=[queued.pk, failed_sms.pk]) == 0
    assert Notification.objects.count() == 2
