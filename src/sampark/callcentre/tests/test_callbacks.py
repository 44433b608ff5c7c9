"""Callbacks: one per call and one pending per mobile, the SMS in the caller's language, tries
until reached or N no-answers, scoping and permissions, and the desk's due list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase

from sampark.accounts.models import Role
from sampark.callcentre.models import (
    Call,
    Callback,
    CallbackAttempt,
    CallbackStatus,
    CallOutcome,
)
from sampark.callcentre.selectors import callbacks_due
from sampark.callcentre.services import callback_attempt_record, callback_open
from sampark.complaints.services import complaint_register
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.notifications.models import Notification
from sampark.testing.factories import StaffFactory

from .conftest import NOW, ist, replay

pytestmark = pytest.mark.django_db

NO_ANSWER = CallbackAttempt.Result.NO_ANSWER


def missed(call_id, number, at, **extra):
    """A caller who hung up in the queue a minute after calling."""
    replay(
        [
            (call_id, "offered", at, {"calling_number": number, **extra}),
            (call_id, "queued", at + timedelta(seconds=20), {"queue": "general"}),
            (call_id, "abandoned", at + timedelta(seconds=60)),
        ]
    )
    return Call.objects.get(call_id=call_id)


def test_a_missed_call_gets_one_callback_due_in_15_minutes_and_one_sms_in_hindi(net):
    call = missed("m1", "9839012345", ist(4, 17, 30))

    callback = Callback.objects.get()
    assert (callback.call, callback.mobile, callback.consumer) == (
        call,
        "+919839012345",
        net.consumer1,
    )
    assert (callback.discom, callback.language, callback.requested) == (net.mvvnl, "hi", False)
    assert callback.status == CallbackStatus.PENDING and callback.due_at == NOW + timedelta(
        minutes=15
    )
    sms = Notification.objects.get()
    assert (sms.channel, sms.recipient, sms.template_key, sms.language) == (
        "sms",
        "+919839012345",
        "callback_missed",
        "hi",
    )
    assert (sms.topic, sms.event, sms.consumer) == (
        f"callback:{callback.pk}",
        "opened",
        net.consumer1,
    )
    assert sms.text == (
        "खेद है, 1912 पर आपकी कॉल का उत्तर नहीं दिया जा सका। हम 15 मिनट में आपको वापस कॉल करेंगे। "
        "चाहें तो यहाँ चैट करें: http://127.0.0.1:8000/chat/ -UPPCL 1912"
    )


def test_the_sms_is_in_english_for_a_consumer_who_chose_english(net, settings):
    settings.SAMPARK_PUBLIC_URL = "https://1912.example.in/"
    settings.SAMPARK_CALLBACK_DUE_MINUTES = 10
    net.consumer2.language = "en"
    net.consumer2.save()

    missed("m1", "9839022222", ist(4, 17, 30))

    assert Callback.objects.get().due_at == NOW + timedelta(minutes=10)
    assert Notification.objects.get().text == (
        "Sorry we missed your call to 1912. We will call you back within 10 minutes. "
        "Or chat with us now: https://1912.example.in/chat/ -UPPCL 1912"
    )


def test_an_unknown_caller_gets_the_callers_line_language_and_no_consumer(net):
    missed("m1", "9415500001", ist(4, 17, 30), discom=net.pvvnl)

    callback = Callback.objects.get()
    assert (callback.consumer, callback.discom, callback.language) == (None, net.pvvnl, "hi")
    assert Notification.objects.get().consumer is None


def test_three_hang_ups_in_ten_minutes_are_called_back_once(net):
    for n in range(3):
        missed(f"m{n}", "9839012345", ist(4, 17, 30 + 4 * n))

    callback = Callback.objects.get()
    assert callback.call.call_id == "m0"
    assert Notification.objects.count() == 1
    assert Call.objects.filter(outcome=CallOutcome.ABANDONED).count() == 3


def test_after_a_callback_is_closed_a_new_missed_call_is_owed_a_new_one(net, staff):
    missed("m1", "9839012345", ist(4, 17, 0))
    first = Callback.objects.get()
    callback_attempt_record(
        callback=first, agent=staff["agent"], result=CallbackAttempt.Result.REACHED
    )

    missed("m2", "9839012345", ist(4, 17, 40))

    assert list(Callback.objects.order_by("pk").values_list("call__call_id", "status")) == [
        ("m1", CallbackStatus.REACHED),
        ("m2", CallbackStatus.PENDING),
    ]
    assert Notification.objects.count() == 2


def test_a_callback_asked_for_in_the_ivr(net):
    replay([("q1", "offered", ist(4, 17, 50), {"calling_number": "9839012345"})])
    call = Call.objects.get(call_id="q1")

    with TestCase.captureOnCommitCallbacks(execute=True):
        callback = callback_open(call=call, requested=True, reason="queue too long")
        again = callback_open(call=call, requested=True)
    replay([("q1", "completed", ist(4, 17, 51))])  # the caller hangs up, place kept

    assert again == callback and Callback.objects.count() == 1
    assert callback.requested and callback.reason == "queue too long"
    assert Call.objects.get(pk=call.pk).outcome == CallOutcome.CALLBACK_REQUESTED
    sms = Notification.objects.get()
    assert sms.template_key == "callback_requested"
    assert sms.text == (
        "आपका नंबर सुरक्षित है: 1912 आपको 15 मिनट में वापस कॉल करेगा। चाहें तो यहाँ चैट करें: "
        "http://127.0.0.1:8000/chat/ -UPPCL 1912"
    )


def test_asking_for_a_callback_while_one_is_pending_joins_it(net):
    missed("m1", "9839012345", ist(4, 17, 30))
    replay([("q2", "offered", ist(4, 17, 40), {"calling_number": "9839012345"})])

    with TestCase.captureOnCommitCallbacks(execute=True):
        joined = callback_open(call=Call.objects.get(call_id="q2"), requested=True)

    assert joined == Callback.objects.get() and joined.call.call_id == "m1"
    assert Callback.objects.get().requested
    assert Notification.objects.count() == 1


def test_a_withheld_number_cannot_ask_for_a_callback(net):
    replay([("q3", "offered", ist(4, 17, 40), {"calling_number": "withheld"})])

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert callback_open(call=Call.objects.get(call_id="q3"), requested=True) is None

    assert not Callback.objects.exists() and not Notification.objects.exists()


def test_no_answer_three_times_closes_the_callback(net, staff, frozen_now):
    missed("m1", "9839012345", ist(4, 17, 30))
    callback = Callback.objects.get()
    agent = staff["agent"]

    after_one = callback_attempt_record(callback=callback, agent=agent, result=NO_ANSWER)
    frozen_now["now"] = NOW + timedelta(minutes=30)
    after_two = callback_attempt_record(
        callback=callback, agent=agent, result=CallbackAttempt.Result.BUSY, note="switched off"
    )
    frozen_now["now"] = NOW + timedelta(minutes=60)
    after_three = callback_attempt_record(callback=callback, agent=agent, result=NO_ANSWER)

    assert (after_one.status, after_one.attempts) == (CallbackStatus.PENDING, 1)
    assert after_one.due_at == NOW + timedelta(minutes=30)  # tried again half an hour later
    assert (after_two.status, after_two.note) == (CallbackStatus.PENDING, "switched off")
    assert (after_three.status, after_three.attempts) == (CallbackStatus.NO_ANSWER, 3)
    assert after_three.closed_at == NOW + timedelta(minutes=60)
    assert list(callback.tries.values_list("result", flat=True)) == [
        "no_answer",
        "busy",
        "no_answer",
    ]
    with pytest.raises(Conflict):
        callback_attempt_record(callback=callback, agent=agent, result=NO_ANSWER)
    assert callback.tries.count() == 3


def test_the_number_of_tries_is_a_setting(net, staff, settings):
    settings.SAMPARK_CALLBACK_MAX_TRIES = 1
    missed("m1", "9839012345", ist(4, 17, 30))

    closed = callback_attempt_record(
        callback=Callback.objects.get(), agent=staff["agent"], result=NO_ANSWER
    )

    assert closed.status == CallbackStatus.NO_ANSWER


def test_reaching_the_caller_and_registering_a_complaint(net, staff):
    agent = staff["agent"]
    missed("m1", "9839012345", ist(4, 17, 30))
    callback = Callback.objects.get()
    complaint = complaint_register(
        category="no_supply", channel="agent", consumer=net.consumer1, actor=agent
    ).complaint

    with pytest.raises(ValidationFailed) as no_complaint:
        callback_attempt_record(
            callback=callback, agent=agent, result=CallbackAttempt.Result.COMPLAINT
        )
    assert set(no_complaint.value.fields) == {"complaint"}
    assert not callback.tries.exists()

    done = callback_attempt_record(
        callback=callback, agent=agent, result=CallbackAttempt.Result.COMPLAINT, complaint=complaint
    )

    assert (done.status, done.complaint, done.agent) == (
        CallbackStatus.COMPLAINT_REGISTERED,
        complaint,
        agent,
    )
    assert Call.objects.get(call_id="m1").complaint == complaint


def test_bad_results_and_notes_are_refused(net, staff):
    missed("m1", "9839012345", ist(4, 17, 30))
    callback = Callback.objects.get()

    with pytest.raises(ValidationFailed) as bad_result:
        callback_attempt_record(callback=callback, agent=staff["agent"], result="voicemail")
    with pytest.raises(ValidationFailed) as long_note:
        callback_attempt_record(
            callback=callback, agent=staff["agent"], result=NO_ANSWER, note="x" * 301
        )

    assert set(bad_result.value.fields) == {"result"}
    assert set(long_note.value.fields) == {"note"}
    assert not callback.tries.exists()


def test_only_the_desk_works_callbacks_and_only_in_its_area(net, staff):
    missed("m1", "9839012345", ist(4, 17, 30))  # an MVVNL consumer
    missed("m2", "9415500001", ist(4, 17, 31))  # unknown caller, no discom
    mv_callback = Callback.objects.get(call__call_id="m1")
    unknown = Callback.objects.get(call__call_id="m2")
    pv_desk = StaffFactory(username="sup_pv", role=Role.SUPERVISOR, jurisdiction=net.pvvnl)

    with pytest.raises(NotAllowed):
        callback_attempt_record(callback=mv_callback, agent=staff["je"], result=NO_ANSWER)
    with pytest.raises(NotAllowed):
        callback_attempt_record(callback=mv_callback, agent=staff["md"], result=NO_ANSWER)
    with pytest.raises(NotFound):
        callback_attempt_record(callback=mv_callback, agent=pv_desk, result=NO_ANSWER)
    assert not mv_callback.tries.exists()

    # A callback nobody could place in a discom is for every desk.
    callback_attempt_record(callback=unknown, agent=pv_desk, result=NO_ANSWER)
    assert unknown.tries.count() == 1


def test_an_answered_call_from_the_same_mobile_cancels_the_pending_callback(net, staff):
    missed("m1", "9839012345", ist(4, 17, 0))

    replay(
        [
            ("m2", "offered", ist(4, 17, 20), {"calling_number": "9839012345"}),
            ("m2", "answered", ist(4, 17, 21), {"agent": staff["agent"]}),
        ]
    )

    callback = Callback.objects.get()
    assert callback.status == CallbackStatus.CANCELLED and callback.closed_at == NOW
    assert "m2" in callback.note
    assert Notification.objects.get().status == "expired"  # the SMS had not gone yet


def test_an_earlier_answered_call_does_not_cancel_a_later_callback(net, staff):
    missed("m2", "9839012345", ist(4, 17, 30))

    replay(  # a CDR row of a call answered before the missed one arrives late
        [
            ("m1", "offered", ist(4, 17, 0), {"calling_number": "9839012345"}),
            ("m1", "answered", ist(4, 17, 1), {"agent": staff["agent"]}),
        ]
    )

    assert Callback.objects.get().status == CallbackStatus.PENDING


def test_the_due_list_is_scoped_and_oldest_due_first(net, staff, frozen_now, settings):
    missed("a", "9839012345", ist(4, 17, 0))  # MVVNL, due 18:15
    frozen_now["now"] = NOW - timedelta(minutes=5)
    missed("b", "9839033333", ist(4, 17, 5))  # PVVNL, due 18:10
    frozen_now["now"] = NOW - timedelta(minutes=10)
    missed("c", "9415500001", ist(4, 17, 10))  # nobody's discom, due 18:05
    frozen_now["now"] = NOW
    pv_desk = StaffFactory(username="sup_pv", role=Role.SUPERVISOR, jurisdiction=net.pvvnl)
    nowhere = StaffFactory(username="agent_x", role=Role.AGENT, jurisdiction=None)

    everything = [cb.call.call_id for cb in callbacks_due(user=staff["agent"])]
    pv_only = [cb.call.call_id for cb in callbacks_due(user=pv_desk)]

    assert everything == ["c", "b", "a"]
    assert pv_only == ["c", "b"]
    assert list(callbacks_due(user=nowhere)) == []
    with pytest.raises(NotAllowed):
        callbacks_due(user=staff["je"])
