"""A rating sent as a plain message after the rating request (closure confirmed by OTP outside
a chat): "4 lineman was polite", "५ धन्यवाद"; refused politely the second time; never taken
from an account number, a duration or a menu choice the bot has just offered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.channels.chatbot.rating import rating_parse
from sampark.complaints.closure import closure_confirm_by_otp
from sampark.complaints.models import Complaint, ComplaintFeedback, Status
from sampark.complaints.services import complaint_register, complaint_transition
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db

DEVANAGARI = range(0x0900, 0x0980)


def hindi(text: str) -> bool:
    return any(ord(ch) in DEVANAGARI for ch in text)


def closed_by_the_field(net, *, consumer=None, category: str = "no_supply") -> Complaint:
    """Resolved by the JE, closed with the consumer's code typed on the JE's page."""
    je = StaffFactory(role="je", jurisdiction=net.sd1)
    complaint = complaint_register(
        consumer=consumer or net.consumer1, category=category, channel="agent"
    ).complaint
    complaint = complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=je)
    otp = (
        Notification.objects.filter(template_key="closure_otp", topic=f"complaint:{complaint.pk}")
        .latest("id")
        .variables["otp"]
    )
    return closure_confirm_by_otp(complaint=complaint, otp=str(otp), actor=je, channel="field")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", (4, "")),
        ("4 lineman was polite", (4, "lineman was polite")),
        ("५ धन्यवाद", (5, "धन्यवाद")),
        ("3. late but fixed", (3, "late but fixed")),
        ("rate:2", (2, "")),
        ("12", None),
        ("४२", None),
        ("1234567890", None),
        ("6 good", None),
        ("0", None),
        ("good 5", None),
    ],
)
def test_rating_parse(text, expected):
    assert rating_parse(text) == expected


def test_sms_rating_with_a_comment_is_recorded_and_thanked_in_hindi(net, sms_user):
    complaint = closed_by_the_field(net)
    user = sms_user(net.consumer1.mobile)

    answer = user.send("4 lineman was polite")

    feedback = ComplaintFeedback.objects.get(complaint=complaint)
    assert (feedback.rating, feedback.comment, feedback.channel) == (4, "lineman was polite", "sms")
    assert len(answer) == 1 and "4" in answer[0] and hindi(answer[0])
    assert user.conversation.state == ""


def test_a_second_rating_is_refused_politely(net, sms_user):
    net.consumer1.language = "en"  # answered in the consumer's registered language
    net.consumer1.save(update_fields=["language"])
    complaint = closed_by_the_field(net)
    user = sms_user(net.consumer1.mobile)
    thanks = user.send("5")
    assert "Thank you" in thanks[0]

    answer = user.send("1 actually terrible")

    assert ComplaintFeedback.objects.get(complaint=complaint).rating == 5
    assert complaint.number in answer[0] and "already rated" in answer[0]


def test_devanagari_digit_works(net, whatsapp_user):
    complaint = closed_by_the_field(net)
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("५ धन्यवाद")

    feedback = ComplaintFeedback.objects.get(complaint=complaint)
    assert (feedback.rating, feedback.comment, feedback.channel) == (5, "धन्यवाद", "whatsapp")
    assert hindi(answer[0])


def test_the_latest_unrated_complaint_is_rated(net, sms_user):
    first = closed_by_the_field(net, category="meter")
    second = closed_by_the_field(net)
    user = sms_user(net.consumer1.mobile)

    user.send("3")
    user.send("2")

    rated = dict(ComplaintFeedback.objects.values_list("complaint_id", "rating"))
    assert rated == {second.pk: 3, first.pk: 2}


def test_not_a_rating_without_a_recent_closed_complaint(net, sms_user, monkeypatch):
    closed_by_the_field(net)
    later = clock.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    user = sms_user(net.consumer1.mobile)

    user.send("4")

    assert not ComplaintFeedback.objects.exists()


def test_account_numbers_and_durations_are_not_ratings(net, sms_user):
    closed_by_the_field(net)
    user = sms_user(net.consumer1.mobile)

    user.send("2 ghante se light nahi hai")
    user.send("1234567890")

    assert not ComplaintFeedback.objects.exists()


def test_a_menu_offered_after_the_closure_takes_the_digit_as_a_choice(net, sms_user):
    closed_by_the_field(net)
    user = sms_user(net.consumer1.mobile)
    user.send("hello")  # the bot answers with the numbered menu
    assert user.options

    user.send("2")

    assert not ComplaintFeedback.objects.exists()


def test_a_menu_from_before_the_closure_does_not_swallow_the_rating(net, sms_user, monkeypatch):
    user = sms_user(net.consumer1.mobile)
    user.send("hello")
    assert user.options
    later = clock.now() + timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    complaint = closed_by_the_field(net)

    user.send("2")

    assert ComplaintFeedback.objects.get(complaint=complaint).rating == 2


def test_in_chat_rating_question_takes_a_comment(net, whatsapp_user):
    registration = complaint_register(
        category="voltage_fluctuation", channel="agent", consumer=net.consumer1
    )
    complaint = complaint_transition(
        complaint=registration.complaint, to_status=Status.RESOLVED, actor=None
    )
    user = whatsapp_user(net.consumer1.mobile)
    user.send("what is the status of my complaint")
    user.send("yes")
    assert user.conversation.state == "ask_rating"

    user.send("5 bahut jaldi theek kiya")

    feedback = ComplaintFeedback.objects.get(complaint=complaint)
    assert (feedback.rating, feedback.comment) == (5, "bahut jaldi theek kiya")
    assert not Notification.objects.filter(template_key="complaint_rating_request").exists()
