"""Whole IVR calls through each provider's webhooks (Twilio, Plivo, Exotel): every test here
runs once per provider, through the `phone` fixture."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.accounts.models import Role
from sampark.callcentre.models import (
    AgentState,
    AgentStatus,
    Call,
    Callback,
    CallEvent,
    CallOutcome,
)
from sampark.channels.ivr.prompts import prompt, spell_code
from sampark.complaints.models import (
    Category,
    Channel,
    Closure,
    ClosureConfirmation,
    CompensationClaim,
    Complaint,
    ComplaintFeedback,
    EventKind,
    Priority,
    Status,
)
from sampark.complaints.services import (
    complaint_register,
    complaint_transition,
    complaints_mark_breached,
)
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.models import OutageReport, ReportKind
from sampark.outages.services import outage_declare, outage_restore
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db

MOBILE = "+919839012345"  # consumer1 of the small network: Lucknow, feeder F-AMN-1


def kinds(call: Call) -> list[str]:
    return list(CallEvent.objects.filter(call=call).values_list("kind", flat=True))


def agents_on_duty(count: int) -> None:
    """Enough agents signed in that the expected wait stays under the callback-offer limit."""
    for n in range(count):
        agent = StaffFactory(username=f"desk{n}", role=Role.AGENT)
        AgentState.objects.create(
            agent_id=agent.pk, status=AgentStatus.AVAILABLE, since=clock.now()
        )


@pytest.fixture
def outage(net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return outage_declare(
            kind="unplanned",
            reason_code="feeder_11kv_trip",
            etr=clock.now() + timedelta(hours=2),
            feeder_codes=["F-AMN-1"],
            actor=None,
        )


def test_no_supply_complaint_is_registered_once_spoken_and_sent(net, phone):
    caller = phone(mobile=MOBILE)

    greeting = caller.dial()
    assert prompt("greeting", "hi") in greeting.text
    assert "For English, press 2." in greeting.text  # the English key, in English
    assert greeting.asks == 1

    menu = caller.press("1")  # Hindi
    assert prompt("main_menu", "hi") in menu.text

    done = caller.press("1")  # no supply
    complaint = Complaint.objects.get()
    assert (complaint.consumer, complaint.category, complaint.channel) == (
        net.consumer1,
        Category.NO_SUPPLY,
        Channel.IVR,
    )
    spelled = spell_code(complaint.number)  # "M V, 2 6 1 1 2 8, 0 0 0 0 1"
    assert done.text.count(spelled) == 2
    assert done.hangup and done.asks is None
    sms = Notification.objects.filter(topic=f"complaint:{complaint.pk}", event="registered")
    assert list(sms.values_list("recipient", "template_key")) == [(MOBILE, "complaint_registered")]
    assert complaint.number in sms.get().text

    caller.hang_up()
    call = Call.objects.get()
    assert call.complaint == complaint and call.consumer == net.consumer1
    assert call.outcome == CallOutcome.IVR_CONTAINED and call.ended_at is not None
    assert kinds(call)[0] == "offered" and kinds(call)[-1] == "completed"
    assert call.events.filter(kind="ivr").count() == 2  # one per key pressed, nothing more
    assert not Callback.objects.exists()


def test_outage_is_said_first_and_sms_on_restoration_needs_no_consent(
    net, outage, phone, django_capture_on_commit_callbacks
):
    silent = ConsumerFactory(dt=net.dt1, mobile="+919839000002", consent_sms=False)
    caller = phone(mobile=silent.mobile)
    caller.dial()

    heard = caller.press("1")
    assert "11 केवी फीडर ट्रिप" in heard.text  # the outage reason's Hindi words
    assert "तक आने की संभावना है" in heard.text  # and its ETR
    assert prompt("outage_menu", "hi") in heard.text
    assert prompt("main_menu", "hi") not in heard.text

    done = caller.press("2")
    assert prompt("restoration_sms", "hi") in done.text and done.hangup
    report = OutageReport.objects.get()
    assert (report.outage, report.consumer, report.kind, report.complaint_number) == (
        outage,
        silent,
        ReportKind.REQUEST,
        "",
    )
    assert not Complaint.objects.exists()
    caller.hang_up()
    call = Call.objects.get()
    assert call.ivr_contained and call.outcome == CallOutcome.IVR_CONTAINED
    assert not Notification.objects.filter(consumer_id=silent.pk).exists()  # no consent: no notices

    with django_capture_on_commit_callbacks(execute=True):
        outage_restore(outage=outage, actor=None)
    restored = outage.events.last()
    told = Notification.objects.get(consumer_id=silent.pk, event=f"restored:{restored.pk}")
    assert (told.channel, told.recipient, told.template_key) == (
        "sms",
        silent.mobile,
        "outage_restored",
    )


def test_hanging_up_after_the_outage_message_is_contained_by_the_ivr(net, outage, phone):
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")  # hears the reason and the ETR, needs nothing more

    caller.hang_up()

    call = Call.objects.get()
    assert call.ivr_contained and call.outcome == CallOutcome.IVR_CONTAINED
    assert not Callback.objects.exists() and not Complaint.objects.exists()


def test_outage_caller_may_register_anyway_and_the_complaint_joins_the_outage(net, outage, phone):
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    done = caller.press("1")
    complaint = Complaint.objects.get()
    assert complaint.outage == outage and complaint.category == Category.NO_SUPPLY
    assert prompt("registered_outage", "hi") in done.text
    assert spell_code(complaint.number) in done.text
    caller.hang_up()
    assert Call.objects.get().outcome == CallOutcome.IVR_CONTAINED


def test_outage_caller_asking_for_an_agent_is_not_contained(net, outage, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    heard = caller.press("9")
    assert heard.queue == caller.expected_queue("general")
    caller.agent_answers()
    caller.hang_up()
    call = Call.objects.get()
    assert call.outcome == CallOutcome.ANSWERED and not call.ivr_contained


def test_safety_hazard_is_an_emergency_at_once_and_skips_the_queue(net, phone):
    caller = phone(mobile=MOBILE)  # nobody on duty: a long wait, yet no callback offer
    caller.dial()
    caller.press("1")

    heard = caller.press("2")
    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.priority) == (Category.SAFETY_HAZARD, Priority.EMERGENCY)
    assert spell_code(complaint.number) in heard.text
    assert prompt("hazard_connecting", "hi") in heard.text
    assert heard.queue == caller.expected_queue("emergency")
    call = Call.objects.get()
    assert call.queue == "emergency" and call.queued_at is not None
    assert call.complaint == complaint

    caller.agent_answers()
    caller.hang_up()
    call.refresh_from_db()
    assert call.outcome == CallOutcome.ANSWERED
    assert {"offered", "queued", "answered", "completed"} <= set(kinds(call))


def test_long_wait_offers_a_callback_that_keeps_the_callers_place(net, phone):
    caller = phone(mobile=MOBILE)  # no agent signed in: about 4 minutes (over 120 s)
    caller.dial()
    caller.press("1")

    offer = caller.press("9")
    assert prompt("wait_offer", "hi", minutes=4) in offer.text and offer.asks == 1
    done = caller.press("1")
    assert prompt("callback_booked", "hi") in done.text and done.hangup
    callback = Callback.objects.get()
    assert (callback.mobile, callback.requested, callback.consumer) == (
        MOBILE,
        True,
        net.consumer1,
    )
    sms = Notification.objects.get(topic=f"callback:{callback.pk}")
    assert (sms.recipient, sms.template_key) == (MOBILE, "callback_requested")

    caller.hang_up()
    call = Call.objects.get()
    assert call.outcome == CallOutcome.CALLBACK_REQUESTED
    assert "queued" not in kinds(call)
    assert Callback.objects.count() == 1


def test_short_wait_goes_straight_to_the_agents(net, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    heard = caller.press("9")
    assert prompt("connecting", "hi") in heard.text
    assert heard.queue == caller.expected_queue("general")
    caller.agent_answers()
    caller.hang_up()
    call = Call.objects.get()
    assert call.outcome == CallOutcome.ANSWERED and call.queue == "general"
    assert not Callback.objects.exists()


def test_hanging_up_in_the_queue_is_abandoned_and_owed_a_callback(net, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.press("9")

    caller.hang_up()
    call = Call.objects.get()
    assert call.outcome == CallOutcome.ABANDONED
    callback = Callback.objects.get()
    assert callback.call == call and not callback.requested


def test_english_key_gives_english_prompts_and_the_english_queue(net, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()

    menu = caller.press("2")
    assert prompt("main_menu", "en") in menu.text
    heard = caller.press("9")
    assert heard.queue == caller.expected_queue("english")
    call = Call.objects.get()
    assert (call.language, call.queue) == ("en", "english")


def test_several_connections_ask_for_the_account_number_with_a_read_back(net, phone):
    second = ConsumerFactory(dt=net.dt2, mobile=MOBILE, account_number="1234500000")
    caller = phone(mobile=MOBILE)
    caller.dial()

    heard = caller.press("1")
    assert prompt("several_connections", "hi", count=2) in heard.text and heard.asks == 10
    check = caller.press("1234500000")
    assert prompt("read_back", "hi", digits="1 2 3 4 5 0 0 0 0 0") in check.text
    again = caller.press("2")  # not right: enter it again
    assert prompt("enter_account", "hi") in again.text
    caller.press("1234500000")
    menu = caller.press("1")
    assert prompt("main_menu", "hi") in menu.text

    caller.press("1")
    assert Complaint.objects.get().consumer == second
    assert Call.objects.get().consumer == second


def test_unknown_number_keys_an_account_and_two_failures_reach_an_agent(net, phone):
    agents_on_duty(3)
    caller = phone(mobile="+919839099999")
    caller.dial()

    heard = caller.press("1")
    assert prompt("not_registered", "hi") in heard.text and heard.asks == 10
    retry = caller.press("12345")  # too short
    assert prompt("account_length", "hi") in retry.text and retry.asks == 10
    caller.press("9999999999")
    unknown = caller.press("1")  # confirmed, but no such account: the second failure
    assert prompt("account_unknown", "hi") in unknown.text
    assert unknown.queue == caller.expected_queue("general")
    assert not Complaint.objects.exists()
    assert Call.objects.get().queue == "general"


def test_unknown_number_with_a_real_account_is_served(net, phone):
    caller = phone(mobile="+919839099999")
    caller.dial()
    caller.press("1")
    caller.press("2234567890")  # consumer2's account, from another phone

    menu = caller.press("1")
    assert prompt("main_menu", "hi") in menu.text
    caller.press("1")
    complaint = Complaint.objects.get()
    assert complaint.consumer == net.consumer2
    assert complaint.contact_mobile == "+919839099999"  # the caller's number is kept


def test_garbage_then_silence_reaches_an_agent(net, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    retry = caller.press("7")
    assert prompt("invalid", "hi") in retry.text and prompt("main_menu", "hi") in retry.text
    out = caller.wait()
    assert prompt("no_input", "hi") in out.text
    assert out.queue == caller.expected_queue("general")
    assert not Complaint.objects.exists()


def test_silence_at_the_greeting_means_hindi(net, phone):
    caller = phone(mobile=MOBILE)
    caller.dial()

    menu = caller.wait()
    assert prompt("main_menu", "hi") in menu.text
    assert prompt("no_input", "hi") not in menu.text
    assert Call.objects.get().ivr_retries == 0


# --- complaint status, closure, rating, compensation (issue 6) --------------------------------


def resolved_late(consumer, django_capture_on_commit_callbacks, *, category="no_supply"):
    """A complaint of `consumer` that passed its time limit and that the field marked resolved:
    it waits for the consumer's word (a confirmation request is pending)."""
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_register(category=category, channel=Channel.API, consumer=consumer)
        now = clock.now()
        Complaint.objects.filter(pk=complaint.complaint.pk).update(
            registered_at=now - timedelta(days=3), due_at=now - timedelta(days=2)
        )
        complaints_mark_breached()
        return complaint_transition(
            complaint=complaint.complaint, to_status=Status.RESOLVED, actor=None
        )


def test_status_confirm_rate_and_claim_compensation(net, phone, django_capture_on_commit_callbacks):
    complaint = resolved_late(net.consumer1, django_capture_on_commit_callbacks)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    status = caller.press("4")
    spelled = spell_code(complaint.number)
    assert f"शिकायत {spelled} को फील्ड टीम ने हल बताया है" in status.text
    assert prompt("confirm_resolution", "hi") in status.text

    closed = caller.press("1")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.closure) == (Status.CLOSED, Closure.CONFIRMED)
    assert ClosureConfirmation.objects.get(complaint=complaint).status == "confirmed"
    assert prompt("closed", "hi", number=spelled) in closed.text
    assert prompt("rate", "hi") in closed.text

    offer = caller.press("4")
    feedback = ComplaintFeedback.objects.get(complaint=complaint)
    assert (feedback.rating, feedback.channel) == (4, Channel.IVR)
    assert prompt("claim_offer", "hi") in offer.text  # late, and no supply is compensable

    lodged = caller.press("1")
    claim = CompensationClaim.objects.get(complaint=complaint)
    assert claim.channel == Channel.IVR
    assert prompt("claim_lodged", "hi", claim=spell_code(claim.number)) in lodged.text
    assert prompt("anything_else", "hi") in lodged.text

    goodbye = caller.wait()
    assert goodbye.hangup and prompt("goodbye", "hi") in goodbye.text
    caller.hang_up()
    assert Call.objects.get().outcome == CallOutcome.IVR_CONTAINED


def test_status_reject_reopens_and_escalates(net, phone, django_capture_on_commit_callbacks):
    complaint = resolved_late(net.consumer1, django_capture_on_commit_callbacks)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.press("4")

    heard = caller.press("2")
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    assert complaint.events.filter(kind=EventKind.RESOLUTION_REJECTED).exists()
    assert complaint.next_escalation_at is not None and complaint.next_escalation_at <= clock.now()
    assert prompt("reopened", "hi", number=spell_code(complaint.number)) in heard.text
    assert prompt("claim_offer", "hi") in heard.text

    menu_again = caller.press("2")  # no claim now
    assert prompt("anything_else", "hi") in menu_again.text
    assert not CompensationClaim.objects.exists()
    main = caller.press("0")
    assert prompt("main_menu", "hi") in main.text


def test_keyed_number_of_someone_elses_complaint_gives_its_status_only(
    net, phone, django_capture_on_commit_callbacks
):
    theirs = resolved_late(net.consumer2, django_capture_on_commit_callbacks)
    caller = phone(mobile=MOBILE)  # consumer1, with no complaint of their own
    caller.dial()
    caller.press("1")

    ask = caller.press("4")
    assert prompt("status_none", "hi") in ask.text and prompt("enter_complaint", "hi") in ask.text
    keyed = "".join(ch for ch in theirs.number if ch.isdigit())  # MV-261128-00001 -> 26112800001
    check = caller.press(keyed)
    assert prompt("read_back", "hi", digits=" ".join(keyed)) in check.text

    status = caller.press("1")
    assert spell_code(theirs.number) in status.text
    assert prompt("confirm_resolution", "hi") not in status.text  # not theirs to confirm
    assert prompt("anything_else", "hi") in status.text
    theirs.refresh_from_db()
    assert theirs.status == Status.RESOLVED


def test_a_complaint_number_that_does_not_exist_is_retried(net, phone):
    agents_on_duty(3)
    caller = phone(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.press("4")
    caller.press("26112899999")

    retry = caller.press("1")
    assert prompt("complaint_unknown", "hi") in retry.text
    assert prompt("enter_complaint", "hi") in retry.text
    out = caller.press("12")  # too short: the second failure
    assert out.queue == caller.expected_queue("general")
