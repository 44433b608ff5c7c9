"""Telephony events: a call's facts from its events in any order, replays, malformed input,
the caller identified, the agent's state, and stale calls closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import TestCase

from sampark.callcentre.models import (
    AgentState,
    AgentStatus,
    Call,
    Callback,
    CallbackStatus,
    CallEvent,
    CallOutcome,
    CallSource,
)
from sampark.callcentre.services import (
    call_event_record,
    call_link_complaint,
    call_mark_ivr_contained,
    calls_close_stale,
)
from sampark.complaints.services import complaint_register
from sampark.core.errors import ValidationFailed
from sampark.notifications.models import Notification

from .conftest import NOW, ist, replay

pytestmark = pytest.mark.django_db


def test_a_call_answered_by_an_agent(net, staff):
    agent = staff["agent"]

    replay(
        [
            ("a1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"}),
            ("a1", "queued", ist(4, 9, 0, 25), {"queue": "general"}),
            ("a1", "answered", ist(4, 9, 0, 50), {"agent": agent}),
            ("a1", "completed", ist(4, 9, 5, 0)),
        ]
    )

    call = Call.objects.get(call_id="a1")
    assert (call.offered_at, call.queued_at, call.answered_at, call.ended_at) == (
        ist(4, 9, 0),
        ist(4, 9, 0, 25),
        ist(4, 9, 0, 50),
        ist(4, 9, 5),
    )
    assert (call.outcome, call.agent, call.queue) == (CallOutcome.ANSWERED, agent, "general")
    # The caller is identified by the registered mobile: consumer, language, discom.
    assert call.calling_number == "+919839012345"
    assert (call.consumer, call.discom) == (net.consumer1, net.mvvnl)
    assert call.events.count() == 4
    assert not Callback.objects.exists() and not Notification.objects.exists()


def test_a_replayed_event_is_a_no_op(net):
    events = [
        ("r1", "offered", ist(4, 9, 0), {"calling_number": "9839022222"}),
        ("r1", "queued", ist(4, 9, 0, 10), {"queue": "general"}),
        ("r1", "abandoned", ist(4, 9, 2, 0)),
    ]
    replay(events)
    first = Call.objects.get(call_id="r1")

    replay(events + events)

    again = Call.objects.get(call_id="r1")
    assert CallEvent.objects.filter(call=again).count() == 3
    assert (again.outcome, again.ended_at, again.updated_at) == (
        first.outcome,
        first.ended_at,
        first.updated_at,  # not even saved
    )
    assert Callback.objects.count() == 1
    assert Notification.objects.count() == 1


def test_a_retried_first_webhook_a_moment_later_is_the_same_offer(net):
    replay([("o1", "offered", ist(4, 9, 0), {"calling_number": "9839022222"})])

    replay([("o1", "offered", ist(4, 9, 0, 2), {"calling_number": "9839022222"})])

    call = Call.objects.get(call_id="o1")
    assert list(call.events.values_list("kind", flat=True)) == ["offered"]
    assert call.offered_at == ist(4, 9, 0)


def test_events_in_reverse_order_give_the_same_call(net, staff):
    agent = staff["agent"]

    replay(
        [
            ("o1", "completed", ist(4, 9, 5, 0), {"calling_number": "9839012345"}),
            ("o1", "answered", ist(4, 9, 0, 50), {"agent": agent}),
            ("o1", "queued", ist(4, 9, 0, 25), {"queue": "general"}),
            ("o1", "offered", ist(4, 9, 0)),
        ]
    )

    call = Call.objects.get(call_id="o1")
    assert (call.offered_at, call.queued_at, call.answered_at, call.ended_at) == (
        ist(4, 9, 0),
        ist(4, 9, 0, 25),
        ist(4, 9, 0, 50),
        ist(4, 9, 5),
    )
    assert call.outcome == CallOutcome.ANSWERED and call.agent == agent
    # It looked abandoned until the answer arrived: the callback it got is cancelled and the
    # "we missed your call" SMS, not yet sent, will not be.
    callback = Callback.objects.get(call=call)
    assert callback.status == CallbackStatus.CANCELLED
    assert Notification.objects.get().status == "expired"


def test_an_unanswered_call_ending_in_the_ivr_is_abandoned_and_owed_a_callback(net):
    replay(
        [
            ("i1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"}),
            ("i1", "ivr", ist(4, 9, 0, 20), {"detail": {"step": "menu"}}),
            ("i1", "completed", ist(4, 9, 0, 40)),
        ]
    )

    call = Call.objects.get(call_id="i1")
    assert call.outcome == CallOutcome.ABANDONED and call.queued_at is None
    assert Callback.objects.filter(call=call, status=CallbackStatus.PENDING).exists()


def test_ivr_containment_means_no_callback(net):
    replay([("v1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"})])
    call = Call.objects.get(call_id="v1")

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_mark_ivr_contained(call=call, at=ist(4, 9, 0, 30))
        call_mark_ivr_contained(call=call, at=ist(4, 9, 0, 30))  # replayed
    replay([("v1", "completed", ist(4, 9, 0, 40))])

    call.refresh_from_db()
    assert call.ivr_contained and call.outcome == CallOutcome.IVR_CONTAINED
    assert call.events.filter(kind="ivr").count() == 1
    assert not Callback.objects.exists() and not Notification.objects.exists()


def test_a_transfer_after_an_answer(net, staff):
    replay(
        [
            ("t1", "offered", ist(4, 9, 0), {"calling_number": "9415500001"}),
            ("t1", "answered", ist(4, 9, 0, 30), {"agent": staff["agent"]}),
            ("t1", "transferred", ist(4, 9, 3, 0)),
        ]
    )

    call = Call.objects.get(call_id="t1")
    assert call.outcome == CallOutcome.TRANSFERRED and call.ended_at == ist(4, 9, 3)
    assert call.consumer is None and call.discom is None  # an unknown mobile, no line given
    assert not Callback.objects.exists()


def test_a_dropped_call_before_an_answer_is_owed_a_callback(net):
    replay(
        [
            ("d1", "offered", ist(4, 9, 0), {"calling_number": "9839022222"}),
            ("d1", "queued", ist(4, 9, 0, 20), {"queue": "general"}),
            ("d1", "dropped", ist(4, 9, 1, 0)),
        ]
    )

    call = Call.objects.get(call_id="d1")
    assert call.outcome == CallOutcome.DROPPED
    assert Callback.objects.get(call=call).mobile == "+919839022222"


@pytest.mark.parametrize("number", ["anonymous", "", "12345", "+1 202 555 0100x", "\u0966" * 10])
def test_withheld_or_garbage_numbers_are_counted_but_never_called_back(net, number):
    replay(
        [
            ("w1", "offered", ist(4, 9, 0), {"calling_number": number}),
            ("w1", "abandoned", ist(4, 9, 1)),
        ]
    )

    call = Call.objects.get(call_id="w1")
    assert call.outcome == CallOutcome.ABANDONED and call.consumer is None
    assert not Callback.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"call_id": ""}, "call_id"),
        ({"call_id": "x" * 65}, "call_id"),
        ({"call_id": "bad\nid"}, "call_id"),
        ({"kind": "ringing"}, "kind"),
        ({"source": "skype"}, "source"),
        ({"queue": "vip"}, "queue"),
        ({"at": NOW.replace(tzinfo=None)}, "at"),  # naive
        ({"at": NOW + timedelta(hours=1)}, "at"),  # in the future
        ({"detail": ["not", "an", "object"]}, "detail"),
    ],
)
def test_malformed_events_are_refused_and_write_nothing(net, changes, field):
    event = {
        "call_id": "m1",
        "kind": "offered",
        "at": ist(4, 9, 0),
        "source": CallSource.API,
        "calling_number": "9839012345",
        **changes,
    }

    with pytest.raises(ValidationFailed) as refused:
        call_event_record(**event)

    assert field in refused.value.fields
    assert not Call.objects.exists() and not CallEvent.objects.exists()


def test_a_later_discom_or_number_fills_in_what_was_missing(net):
    replay([("f1", "queued", ist(4, 9, 0, 20), {"queue": "general"})])
    replay([("f1", "offered", ist(4, 9, 0), {"calling_number": "9839033333"})])

    call = Call.objects.get(call_id="f1")
    assert call.calling_number == "+919839033333"
    assert (call.consumer, call.discom) == (net.consumer_p, net.pvvnl)


def test_the_agent_state_follows_live_events_but_old_ones_never_rewind_it(net, staff):
    agent = staff["agent"]
    replay(
        [
            ("s1", "offered", ist(4, 17, 50), {"calling_number": "9839012345"}),
            ("s1", "answered", ist(4, 17, 51), {"agent": agent}),
        ]
    )
    state = AgentState.objects.get(agent=agent)
    assert (state.status, state.call.call_id, state.since) == (
        AgentStatus.ON_CALL,
        "s1",
        ist(4, 17, 51),
    )

    replay([("s0", "answered", ist(4, 9, 0), {"agent": agent, "calling_number": "9415500001"})])
    state.refresh_from_db()
    assert state.call.call_id == "s1"  # an event from the morning changes nothing now

    replay([("s1", "completed", ist(4, 17, 55))])
    state.refresh_from_db()
    assert (state.status, state.since) == (AgentStatus.WRAP_UP, ist(4, 17, 55))


def test_linking_a_complaint(net, staff):
    replay([("l1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"})])
    complaint = complaint_register(
        category="no_supply", channel="call_centre", consumer=net.consumer1, actor=staff["agent"]
    ).complaint

    call = call_link_complaint(call=Call.objects.get(call_id="l1"), complaint=complaint)

    assert Call.objects.get(pk=call.pk).complaint == complaint


def test_stale_calls_are_closed_as_dropped_and_called_back(net, frozen_now):
    replay(
        [
            ("x1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"}),
            ("x1", "queued", ist(4, 9, 0, 30), {"queue": "general"}),
            ("x2", "offered", ist(4, 17, 0), {"calling_number": "9839022222"}),
        ]
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        closed = calls_close_stale()

    assert closed == 1  # x1 began 9 hours ago; x2 only an hour ago
    x1, x2 = Call.objects.get(call_id="x1"), Call.objects.get(call_id="x2")
    assert (x1.outcome, x1.ended_at) == (CallOutcome.DROPPED, ist(4, 9, 0, 30))
    assert x2.outcome == CallOutcome.IN_PROGRESS
    assert Callback.objects.get().call == x1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert calls_close_stale() == 0


def test_an_old_unserved_call_gets_no_callback(net):
    old = NOW - timedelta(days=3)
    replay(
        [
            ("h1", "offered", old, {"calling_number": "9839012345"}),
            ("h1", "abandoned", old + timedelta(minutes=1)),
        ]
    )

    assert Call.objects.get(call_id="h1").outcome == CallOutcome.ABANDONED
    assert not Callback.objects.exists()


def test_times_are_stored_as_given_whatever_their_offset(net):
    utc_time = datetime(2026, 5, 4, 3, 30, tzinfo=UTC)
    replay([("z1", "offered", utc_time, {"calling_number": "9839012345"})])

    assert Call.objects.get(call_id="z1").offered_at == ist(4, 9, 0)
