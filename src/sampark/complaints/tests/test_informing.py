"""Keeping the consumer informed: one message per step on their channel and in the complaint's
language; retries and repeated moves never send twice; a second resolution is told again."""

from __future__ import annotations

import pytest
from django.db import transaction

from sampark.complaints.closure import closure_answer
from sampark.complaints.models import Complaint, Status
from sampark.complaints.services import (
    complaint_assign,
    complaint_register,
    complaint_transition,
)
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the messages are queued after commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def je(staff):
    je = staff["je"]
    je.first_name, je.last_name, je.phone = "Ravi", "Verma", "+919839111111"
    je.save(update_fields=["first_name", "last_name", "phone"])
    return je


def _steps(complaint: Complaint) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(topic=f"complaint:{complaint.pk}").order_by("id")
    return [(n.event, n.template_key) for n in rows]


def _register(told, consumer=None, channel: str = "agent", **kw) -> Complaint:
    with told():
        return complaint_register(
            consumer=consumer, category="no_supply", channel=channel, **kw
        ).complaint


def test_registered_and_assigned_with_the_engineers_name_and_phone(told, net, je):
    complaint = _register(told, net.consumer1)
    assert _steps(complaint) == [
        ("registered", "complaint_registered"),
        (f"assigned:{je.pk}", "complaint_assigned_officer"),
    ]
    registered, assigned = Notification.objects.filter(topic=f"complaint:{complaint.pk}").order_by(
        "id"
    )
    assert registered.channel == "sms" and registered.recipient == net.consumer1.mobile
    assert registered.consumer == net.consumer1
    assert complaint.number in registered.text
    assert registered.variables["due"] in registered.text
    assert "Ravi Verma" in assigned.text and "+919839111111" in assigned.text


def test_the_engineers_contact_is_left_out_when_the_utility_does_not_allow_it(
    told, net, je, settings
):
    settings.SAMPARK_SHOW_OFFICER_CONTACT = False
    complaint = _register(told, net.consumer1)
    (assigned,) = Notification.objects.filter(
        topic=f"complaint:{complaint.pk}", event=f"assigned:{je.pk}"
    )
    assert assigned.template_key == "complaint_assigned"
    assert "Ravi" not in assigned.text and "9839111111" not in assigned.text


def test_messages_are_in_the_complaints_language(told, net, je):
    net.consumer1.language = "en"
    net.consumer1.save(update_fields=["language"])
    english = _register(told, net.consumer1)
    hindi = _register(told, ConsumerFactory(dt=net.dt1, language="hi"))
    assert (
        "Your complaint"
        in Notification.objects.get(topic=f"complaint:{english.pk}", event="registered").text
    )
    assert (
        "आपकी शिकायत"
        in Notification.objects.get(topic=f"complaint:{hindi.pk}", event="registered").text
    )


def test_whatsapp_when_the_consumer_opted_in(told, net, je):
    consumer = ConsumerFactory(dt=net.dt1, consent_whatsapp=True)
    complaint = _register(told, consumer)
    channels = set(
        Notification.objects.filter(topic=f"complaint:{complaint.pk}").values_list(
            "channel", flat=True
        )
    )
    assert channels == {"whatsapp"}


def test_a_caller_without_an_account_is_told_on_the_mobile_they_gave(told, net, je):
    complaint = _register(told, None, contact_mobile="+919839077777", dt=net.dt1)
    (registered, _assigned) = Notification.objects.filter(
        topic=f"complaint:{complaint.pk}"
    ).order_by("id")
    assert registered.recipient == "+919839077777" and registered.consumer is None


@pytest.mark.parametrize("channel", ["whatsapp", "chatbot_web", "telegram", "sms", "email"])
def test_chat_and_mail_registrations_get_their_number_in_the_answer_not_a_second_message(
    told, net, je, channel
):
    complaint = _register(told, net.consumer1, channel=channel)
    assert [event for event, _key in _steps(complaint)] == [f"assigned:{je.pk}"]


def test_a_retried_registration_sends_nothing_more(told, net, je):
    complaint = _register(told, net.consumer1)
    again = _register(told, net.consumer1, channel="ivr")
    assert again.pk == complaint.pk
    assert len(_steps(complaint)) == 2


def test_reassignment_tells_the_new_engineer_once(told, net, je, staff):
    complaint = _register(told, net.consumer1)
    with told():
        complaint_assign(complaint=complaint, assignee=staff["sdo"], actor=staff["sdo"])
        complaint_assign(complaint=complaint, assignee=staff["sdo"], actor=staff["sdo"])
        complaint_assign(complaint=complaint, assignee=je, actor=staff["sdo"])
    events = [event for event, _key in _steps(complaint)]
    assert events == ["registered", f"assigned:{je.pk}", f"assigned:{staff['sdo'].pk}"]
    # The SDO has no phone on file: the plain wording, without a contact.
    assert _steps(complaint)[-1][1] == "complaint_assigned"


def test_on_site_is_told_once_however_often_work_resumes(told, net, je):
    complaint = _register(told, net.consumer1)
    with told():
        for status in (Status.IN_PROGRESS, Status.WAITING_CONSUMER, Status.IN_PROGRESS):
            complaint = complaint_transition(complaint=complaint, to_status=status, actor=je)
    assert [event for event, _key in _steps(complaint)].count("on_site") == 1


def test_resolved_is_told_by_the_confirmation_request_once_per_resolution(told, net, je):
    """closure.py asks the consumer to confirm at every resolution: that request is the
    resolved step's message, and nothing else is sent for it. A reopen and a second
    resolution are told again."""
    complaint = _register(told, net.consumer1)
    with told():
        complaint = complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=je)
    first = _steps(complaint)
    assert [key for _event, key in first[2:]] == ["closure_otp"]
    with told():
        complaint = closure_answer(complaint=complaint, confirmed=False, channel="sms")
        complaint = complaint_transition(
            complaint=complaint, to_status=Status.IN_PROGRESS, actor=je
        )
        complaint = complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=je)
    keys = [key for _event, key in _steps(complaint)]
    assert keys.count("closure_otp") == 2
    assert keys.count("complaint_on_site") == 1
    assert len(keys) == 5  # registered, assigned, resolved (1), on site, resolved (2)


def test_a_rolled_back_step_tells_nobody(told, net, je):
    complaint = _register(told, net.consumer1)
    before = _steps(complaint)
    with told(), pytest.raises(RuntimeError), transaction.atomic():
        complaint_transition(complaint=complaint, to_status=Status.IN_PROGRESS, actor=je)
        raise RuntimeError("the request failed after the move")
    assert _steps(complaint) == before


def test_a_bad_mobile_on_file_does_not_undo_the_step(told, net, je):
    je.phone = "12"
    je.save(update_fields=["phone"])
    complaint = _register(told, net.consumer1)  # the JE's SMS cannot be queued: logged
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert not Notification.objects.filter(topic=f"assigned:{complaint.pk}").exists()
    assert ("registered", "complaint_registered") in _steps(complaint)
