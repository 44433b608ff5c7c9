"""Closure only with the consumer's word: OTP by SMS, yes/no on WhatsApp, rejection and
escalation, unconfirmed closure by the sweep, and the per-officer figures. The clock is pinned
by replacing `sampark.core.clock.now`."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import translation

from sampark.channels.models import Author, ChatMessage
from sampark.channels.services import Inbound, chat_message_receive
from sampark.complaints.closure import (
    closure_confirm_by_otp,
    closure_resend,
    closures_expire_unconfirmed,
)
from sampark.complaints.closure_selectors import closure_figures_by_officer
from sampark.complaints.escalation import complaints_escalate
from sampark.complaints.models import (
    Closure,
    ClosureConfirmation,
    Complaint,
    ComplaintEvent,
    ConfirmationStatus,
    EventKind,
    Status,
)
from sampark.complaints.services import complaint_register, complaint_transition
from sampark.core import clock
from sampark.core.errors import Conflict, ValidationFailed
from sampark.notifications.models import Notification
from sampark.ops.schedule import JOBS

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


@pytest.fixture
def at(monkeypatch):
    """Pin the clock; call with a datetime to move it."""
    now = {"t": clock.now().replace(microsecond=0)}
    monkeypatch.setattr(clock, "now", lambda: now["t"])

    def move(when: datetime | None = None, **delta: float) -> datetime:
        now["t"] = when or now["t"] + timedelta(**delta)
        return now["t"]

    return move


def resolved(net, staff, *, category: str = "no_supply", consumer=None) -> Complaint:
    """A complaint of consumer1 (SMS only unless changed), resolved by the JE."""
    complaint = complaint_register(
        consumer=consumer or net.consumer1, category=category, channel="web"
    ).complaint
    return complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=staff["je"])


def otp_of(complaint: Complaint) -> str:
    sent = Notification.objects.filter(
        template_key="closure_otp", topic=f"complaint:{complaint.pk}"
    )
    return str(sent.order_by("-id").first().variables["otp"])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def snapshot(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (complaint.status, complaint.closure, complaint.closed_at, complaint.events.count())


def chat(capture, *, channel: str, mobile: str, text: str) -> list[str]:
    inbound = Inbound(
        channel=channel,
        user_key=mobile,
        mobile=mobile,
        text=text,
        provider_message_id=f"m{next(_ids)}",
    )
    with capture(execute=True):
        chat_message_receive(inbound=inbound)
    last = ChatMessage.objects.filter(author=Author.BOT).order_by("-id").first()
    return [last.text] if last else []


def test_resolution_sends_one_sms_otp_and_the_right_code_closes_as_confirmed(net, staff, at):
    complaint = resolved(net, staff)

    request = ClosureConfirmation.objects.get(complaint=complaint)
    assert (request.status, request.channel, request.resolved_by) == ("pending", "sms", staff["je"])
    assert request.expires_at == request.sent_at + timedelta(hours=24)
    (sent,) = Notification.objects.filter(topic=f"complaint:{complaint.pk}")
    assert (sent.channel, sent.template_key, sent.recipient) == (
        "sms",
        "closure_otp",
        net.consumer1.mobile,
    )
    code = sent.variables["otp"]
    assert len(code) == 6 and code.isdigit() and code in sent.text
    assert code not in request.otp_hash  # kept only as a salted HMAC
    assert not Notification.objects.filter(channel="whatsapp").exists()
    assert complaint.events.filter(kind=EventKind.CONFIRMATION_SENT).count() == 1

    closed = closure_confirm_by_otp(
        complaint=complaint, otp=code, actor=staff["je"], channel="field"
    )

    assert (closed.status, closed.closure) == (Status.CLOSED, Closure.CONFIRMED)
    closed.refresh_from_db()
    assert closed.closure == Closure.CONFIRMED and closed.closed_at == clock.now()
    request.refresh_from_db()
    assert (request.status, request.answered_at) == ("confirmed", clock.now())
    last = closed.events.filter(kind=EventKind.TRANSITION).last()
    assert (last.to_status, last.actor) == (Status.CLOSED, staff["je"])


def test_three_wrong_codes_lock_the_request_and_change_nothing_else(net, staff, at):
    complaint = resolved(net, staff)
    code = otp_of(complaint)
    before = snapshot(complaint)

    with translation.override("en"):  # messages are worded when raised
        for left in (2, 1):
            with pytest.raises(ValidationFailed) as error:
                closure_confirm_by_otp(
                    complaint=complaint, otp=wrong(code), actor=staff["je"], channel="field"
                )
            assert f"{left} attempts left" in error.value.text()
        with pytest.raises(ValidationFailed) as error:
            closure_confirm_by_otp(
                complaint=complaint, otp=wrong(code), actor=staff["je"], channel="field"
            )
        assert "locked" in error.value.text()

    request = ClosureConfirmation.objects.get(complaint=complaint)
    assert (request.attempts, request.status) == (3, ConfirmationStatus.LOCKED)
    assert snapshot(complaint) == before
    # Even the right code is refused once locked: a new code has to be sent.
    with pytest.raises(Conflict) as refused:
        closure_confirm_by_otp(complaint=complaint, otp=code, actor=staff["je"], channel="field")
    assert refused.value.code == "confirmation_locked"
    assert snapshot(complaint) == before

    at(minutes=5)
    again = closure_resend(complaint=complaint, actor=staff["je"])
    assert (again.pk, again.status, again.attempts) == (request.pk, "pending", 0)
    fresh = otp_of(complaint)
    assert Notification.objects.filter(template_key="closure_otp").count() == 2
    closed = closure_confirm_by_otp(
        complaint=complaint, otp=fresh, actor=staff["je"], channel="field"
    )
    assert closed.closure == Closure.CONFIRMED


def test_an_expired_code_is_refused_and_the_sweep_closes_unconfirmed(net, staff, at):
    complaint = resolved(net, staff)
    code = otp_of(complaint)
    at(hours=24)
    before = snapshot(complaint)

    with pytest.raises(Conflict) as error:
        closure_confirm_by_otp(complaint=complaint, otp=code, actor=staff["je"], channel="field")

    assert error.value.code == "confirmation_expired"
    assert snapshot(complaint) == before
    assert ClosureConfirmation.objects.get(complaint=complaint).attempts == 0


def test_confirming_twice_is_refused_and_changes_nothing(net, staff, at):
    complaint = resolved(net, staff)
    code = otp_of(complaint)
    closure_confirm_by_otp(complaint=complaint, otp=code, actor=staff["je"], channel="field")
    before = snapshot(complaint)

    with pytest.raises(Conflict) as error:
        closure_confirm_by_otp(complaint=complaint, otp=code, actor=staff["je"], channel="field")

    assert error.value.code == "not_awaiting_confirmation"
    assert snapshot(complaint) == before


def test_staff_out_of_area_cannot_try_codes(net, staff, at):
    complaint = resolved(net, staff)
    from sampark.core.errors import NotFound

    with pytest.raises(NotFound):
        closure_confirm_by_otp(
            complaint=complaint, otp="000000", actor=staff["je2"], channel="field"
        )
    assert ClosureConfirmation.objects.get(complaint=complaint).attempts == 0


def test_whatsapp_consumer_says_no_in_the_chat_reopens_and_escalates(
    net, staff, at, django_capture_on_commit_callbacks
):
    consumer = net.consumer1
    consumer.consent_whatsapp = True
    consumer.save(update_fields=["consent_whatsapp"])
    complaint = resolved(net, staff)

    (asked,) = Notification.objects.filter(topic=f"complaint:{complaint.pk}")
    assert (asked.channel, asked.template_key) == ("whatsapp", "closure_question")
    assert not Notification.objects.filter(channel="sms").exists()
    request = ClosureConfirmation.objects.get(complaint=complaint)
    assert (request.channel, request.otp_hash) == ("whatsapp", "")

    reply = chat(
        django_capture_on_commit_callbacks, channel="whatsapp", mobile=consumer.mobile, text="नहीं"
    )

    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED and complaint.number in reply[0]
    # Due now: the next sweep tells the first rung above (the SDO), once.
    assert (complaint.escalation_level, complaint.next_escalation_at) == (0, clock.now())
    complaints_escalate()
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert complaint.escalations.get().role == "sdo"
    rejected = complaint.events.get(kind=EventKind.RESOLUTION_REJECTED)
    assert rejected.assignee == staff["je"] and "je1" in rejected.note
    assert rejected.actor_label == "consumer via whatsapp"
    request.refresh_from_db()
    assert (request.status, request.answered_at) == ("rejected", clock.now())


def test_whatsapp_yes_button_closes_as_confirmed(
    net, staff, at, django_capture_on_commit_callbacks
):
    net.consumer1.consent_whatsapp = True
    net.consumer1.save(update_fields=["consent_whatsapp"])
    complaint = resolved(net, staff)

    # A template's quick-reply button arrives as its text ("Yes").
    chat(
        django_capture_on_commit_callbacks,
        channel="whatsapp",
        mobile=net.consumer1.mobile,
        text="Yes",
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.closure) == (Status.CLOSED, Closure.CONFIRMED)
    assert ClosureConfirmation.objects.get(complaint=complaint).status == "confirmed"


def test_sms_yes_with_the_code_closes_and_bare_yes_asks_for_it(
    net, staff, at, django_capture_on_commit_callbacks
):
    complaint = resolved(net, staff)
    code = otp_of(complaint)
    mobile = net.consumer1.mobile
    before = snapshot(complaint)

    asked = chat(django_capture_on_commit_callbacks, channel="sms", mobile=mobile, text="YES")
    assert "123456" in asked[0]
    assert snapshot(complaint) == before

    chat(django_capture_on_commit_callbacks, channel="sms", mobile=mobile, text=f"हाँ {code}")

    complaint.refresh_from_db()
    assert (complaint.status, complaint.closure) == (Status.CLOSED, Closure.CONFIRMED)
    last = complaint.events.filter(kind=EventKind.TRANSITION).last()
    assert last.actor_label == "consumer via sms"


def test_sms_no_reopens_and_escalation_stays_within_the_ladder(
    net, staff, at, django_capture_on_commit_callbacks
):
    complaint = resolved(net, staff)
    Complaint.objects.filter(pk=complaint.pk).update(escalation_level=5)  # MD already

    chat(django_capture_on_commit_callbacks, channel="sms", mobile=net.consumer1.mobile, text="NO")

    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED and complaint.escalation_level == 5
    assert complaint.events.filter(kind=EventKind.RESOLUTION_REJECTED).count() == 1


def test_no_answer_in_24_hours_closes_unconfirmed_once(net, staff, at):
    complaint = resolved(net, staff)
    at(hours=23, minutes=59)
    assert closures_expire_unconfirmed() == 0

    at(minutes=1)
    assert closures_expire_unconfirmed() == 1
    assert closures_expire_unconfirmed() == 0

    complaint.refresh_from_db()
    assert (complaint.status, complaint.closure) == (Status.CLOSED, Closure.UNCONFIRMED)
    assert ClosureConfirmation.objects.get(complaint=complaint).status == "expired"
    event = complaint.events.filter(kind=EventKind.TRANSITION).last()
    assert (event.from_status, event.to_status, event.actor_label) == (
        Status.RESOLVED,
        Status.CLOSED,
        "system",
    )
    assert any(job.task.name == "closures_expire_sweep" and job.seconds == 60 for job in JOBS)


def test_a_staff_reopen_leaves_the_old_request_to_expire_without_closing(net, staff, at):
    complaint = resolved(net, staff)
    complaint_transition(complaint=complaint, to_status=Status.REOPENED, actor=staff["je"])
    at(hours=25)

    assert closures_expire_unconfirmed() == 0

    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    assert ClosureConfirmation.objects.get(complaint=complaint).status == "expired"


def test_restoration_sweep_asks_every_restored_complainant(net, staff, at):
    from sampark.complaints.services import complaints_resolve_restored

    complaint = complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr")
    Complaint.objects.filter(pk=complaint.complaint.pk).update(outage=None)
    assert complaints_resolve_restored() == 0  # not linked: left to the field

    # Linked to an outage that is no longer active: resolved and asked, with nobody to blame.
    from sampark.outages.services import outage_declare, outage_restore

    outage = outage_declare(
        kind="unplanned",
        reason_code="tree_fall",
        feeder_codes=["F-AMN-1"],
        etr=clock.now() + timedelta(hours=3),
        actor=staff["je"],
    )
    linked = complaint_register(consumer=net.consumer2, category="no_supply", channel="ivr")
    Complaint.objects.filter(pk=linked.complaint.pk).update(outage=outage)
    outage_restore(outage=outage, actor=staff["je"])

    assert complaints_resolve_restored() >= 1
    request = ClosureConfirmation.objects.get(complaint=linked.complaint)
    assert request.resolved_by is None and request.status == "pending"
    assert Notification.objects.filter(
        topic=f"complaint:{linked.complaint.pk}", template_key="closure_otp"
    ).exists()
    assert ComplaintEvent.objects.filter(
        complaint=linked.complaint, kind=EventKind.CONFIRMATION_SENT
    ).exists()


def test_figures_per_officer_keep_unconfirmed_apart_and_give_rates(
    net, staff, at, django_capture_on_commit_callbacks
):
    je = staff["je"]
    confirmed = resolved(net, staff, category="no_supply")
    closure_confirm_by_otp(complaint=confirmed, otp=otp_of(confirmed), actor=je, channel="field")
    rejected = resolved(net, staff, category="meter")
    chat(django_capture_on_commit_callbacks, channel="sms", mobile=net.consumer1.mobile, text="NO")
    unanswered = resolved(net, staff, category="bill_reading")
    at(hours=25)
    closures_expire_unconfirmed()
    waiting = resolved(net, staff, category="voltage_fluctuation")

    (row,) = closure_figures_by_officer(user=staff["sdo"])

    assert row.officer_id == je.pk and row.username == "je1"
    assert (row.resolutions, row.confirmed, row.unconfirmed, row.rejected, row.pending) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert (row.reopened, row.reopen_rate, row.rejected_rate) == (1, 0.25, 0.25)
    assert {c.status for c in (rejected, unanswered, waiting)} == {Status.RESOLVED}
    # Another discom's MD sees none of it; the JE's own SDO and an admin do.
    assert closure_figures_by_officer(user=staff["md_p"]) == []
    assert len(closure_figures_by_officer(user=staff["admin"])) == 1


def test_the_je_enters_the_code_on_the_complaint_page(client, net, staff, at):
    complaint = resolved(net, staff)
    client.force_login(staff["je"])
    page = client.get(f"/staff/complaints/{complaint.number}/")
    assert b'name="otp"' in page.content

    url = f"/staff/complaints/{complaint.number}/closure/"
    wrong_answer = client.post(url, {"otp": wrong(otp_of(complaint)), "action": "confirm"})
    assert wrong_answer.status_code == 302
    assert ClosureConfirmation.objects.get(complaint=complaint).attempts == 1

    client.post(url, {"otp": otp_of(complaint), "action": "confirm"}, follow=True)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.closure) == (Status.CLOSED, Closure.CONFIRMED)
    assert b'name="otp"' not in client.get(f"/staff/complaints/{complaint.number}/").content

    client.force_login(staff["je2"])  # another sub-division's JE: not found
    assert client.post(url, {"otp": "123456", "action": "confirm"}).status_code == 404
