"""The escalation ladder and the explanation register, with a controllable clock.

Default ladder (migration 0006): SDO at 1x the time limit, XEN 1.5x, SE 2x, CE 3x, MD 4x.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sampark.accounts.models import Role
from sampark.complaints.escalation import complaints_escalate, explanation_reply
from sampark.complaints.escalation_selectors import (
    complaint_escalations,
    explanations_register,
)
from sampark.complaints.models import (
    Complaint,
    ComplaintEscalation,
    EventKind,
    Explanation,
    Status,
)
from sampark.complaints.services import (
    complaint_register,
    complaint_transition,
    complaints_mark_breached,
)
from sampark.core import clock
from sampark.core.errors import Conflict, NotAllowed, ValidationFailed
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory, StaffFactory

LADDER = [(1, "sdo"), (2, "xen"), (3, "se"), (4, "ce"), (5, "md")]
MULTIPLES = {1: 1.0, 2: 1.5, 3: 2.0, 4: 3.0, 5: 4.0}


class Clock:
    """Pins `clock.now` for services that read it; `at` moves it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def at(self, when: datetime) -> datetime:
        self.now = when
        return when


@pytest.fixture
def fake_clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def officers(net, staff):
    """One officer per rung over MVVNL SD1 (each with a mobile), and the fixture's JE/SDO/MD."""
    phones = {"sdo": "+919839100001", "md": "+919839100005"}
    for key, phone in phones.items():
        staff[key].phone = phone
        staff[key].save(update_fields=["phone"])
    return {
        "je": staff["je"],
        "sdo": staff["sdo"],
        "xen": StaffFactory(
            username="xen1", role=Role.XEN, jurisdiction=net.division, phone="+919839100002"
        ),
        "se": StaffFactory(
            username="se1", role=Role.SE, jurisdiction=net.circle, phone="+919839100003"
        ),
        "ce": StaffFactory(
            username="ce1", role=Role.CE, jurisdiction=net.zone, phone="+919839100004"
        ),
        "md": staff["md"],
    }


def _register(consumer, category: str = "no_supply") -> Complaint:
    return complaint_register(consumer=consumer, category=category, channel="web").complaint


def _rung_time(complaint: Complaint, level: int) -> datetime:
    return complaint.due_at + timedelta(hours=(MULTIPLES[level] - 1) * complaint.sla_hours)


def _sweep(now: datetime) -> int:
    complaints_mark_breached(now=now)
    return complaints_escalate(now=now)


def test_registration_sets_the_first_rung_at_the_time_limit(net, staff):
    complaint = _register(net.consumer1)
    assert complaint.escalation_level == 0
    assert complaint.next_escalation_at == complaint.due_at


def test_a_complaint_climbs_every_rung_exactly_once(net, officers, fake_clock):
    complaint = _register(net.consumer1)
    assert _sweep(fake_clock.at(complaint.due_at - timedelta(seconds=1))) == 0
    assert not Explanation.objects.exists()

    # Breach: the JE is asked to explain (level 0), and the SDO's rung (1x) is reached.
    fake_clock.at(complaint.due_at + timedelta(seconds=1))
    for _ in range(3):
        _sweep(fake_clock.now)
    asked = Explanation.objects.get(complaint=complaint, officer=officers["je"])
    assert asked.level == 0 and asked.due_at == fake_clock.now + timedelta(hours=24)
    assert list(complaint.escalations.values_list("level", "role")) == [(1, "sdo")]

    for level, role in LADDER[1:]:
        before = _rung_time(complaint, level) - timedelta(seconds=1)
        assert _sweep(fake_clock.at(before)) == 0
        at = fake_clock.at(_rung_time(complaint, level))
        assert _sweep(at) == 1
        for _ in range(3):
            assert _sweep(at + timedelta(minutes=1)) == 0
        row = complaint.escalations.get(level=level)
        assert (row.role, row.officer, row.escalated_at) == (role, officers[role], at)

    complaint.refresh_from_db()
    assert complaint.escalation_level == 5 and complaint.next_escalation_at is None
    assert list(complaint.escalations.values_list("level", flat=True)) == [1, 2, 3, 4, 5]
    assert complaint.events.filter(kind=EventKind.ESCALATED).count() == 5
    assert complaint.events.filter(kind=EventKind.SLA_BREACHED).count() == 1
    explained = dict(complaint.explanations.values_list("officer__username", "level"))
    assert explained == {"je1": 0, "sdo1": 1, "xen1": 2, "se1": 3, "ce1": 4, "md_mv": 5}
    assert [e.level for e in complaint_escalations(complaint=complaint)] == [1, 2, 3, 4, 5]
    assert _sweep(fake_clock.at(complaint.due_at + timedelta(days=60))) == 0


def test_rungs_skipped_while_the_scheduler_was_down_are_all_recorded_once(
    net, officers, fake_clock
):
    complaint = _register(net.consumer1)
    late = fake_clock.at(_rung_time(complaint, 3) + timedelta(minutes=5))  # past SE, before CE
    assert complaints_escalate(now=late) == 3
    assert complaints_escalate(now=late) == 0
    complaint.refresh_from_db()
    assert complaint.escalation_level == 3
    assert complaint.next_escalation_at == _rung_time(complaint, 4)
    assert list(complaint.escalations.values_list("level", flat=True)) == [1, 2, 3]
    assert complaint.events.filter(kind=EventKind.ESCALATED).count() == 3
    assert complaint.explanations.count() == 3
    assert complaints_escalate(now=fake_clock.at(_rung_time(complaint, 5))) == 2
    assert complaint.escalations.count() == 5


def test_each_officer_gets_one_digest_per_sweep(net, officers, fake_clock):
    extra = [ConsumerFactory(dt=net.dt1, is_a_class=True) for _ in range(2)]
    complaints = [_register(c) for c in (net.consumer1, *extra)]
    at = fake_clock.at(max(c.due_at for c in complaints) + timedelta(minutes=1))
    assert complaints_escalate(now=at) == 3
    digest = Notification.objects.get()
    assert digest.topic == f"escalation:{officers['sdo'].pk}"
    assert digest.recipient == officers["sdo"].phone and digest.channel == "sms"
    assert digest.template_key == "escalation_digest"
    assert digest.variables["count"] == "3" and digest.variables["role"] == "SDO"
    assert "/staff/explanations/" in digest.text
    assert ComplaintEscalation.objects.filter(notified_at=at).count() == 3

    # The next sweep reaches XEN for all three: one more message, to the XEN only.
    at = fake_clock.at(max(_rung_time(c, 2) for c in complaints))
    assert complaints_escalate(now=at) == 3
    assert Notification.objects.count() == 2
    assert Notification.objects.filter(topic=f"escalation:{officers['xen'].pk}").count() == 1


def test_officer_without_a_phone_keeps_rows_unnotified(net, officers, fake_clock):
    officers["sdo"].phone = ""
    officers["sdo"].save(update_fields=["phone"])
    complaint = _register(net.consumer1)
    complaints_escalate(now=fake_clock.at(complaint.due_at))
    row = complaint.escalations.get()
    assert row.officer == officers["sdo"] and row.notified_at is None
    assert not Notification.objects.exists()


def test_officer_is_the_deepest_then_lowest_id_and_none_leaves_it_empty(net, staff, fake_clock):
    second_sdo = StaffFactory(username="sdo1b", role=Role.SDO, jurisdiction=net.sd1)
    StaffFactory(username="sdo-inactive", role=Role.SDO, jurisdiction=net.sd1, is_active=False)
    StaffFactory(username="xen-discom", role=Role.XEN, jurisdiction=net.mvvnl)
    deep_xen = StaffFactory(username="xen-div", role=Role.XEN, jurisdiction=net.division)
    complaint = _register(net.consumer1)
    complaints_escalate(now=fake_clock.at(_rung_time(complaint, 3)))
    officers = dict(complaint.escalations.values_list("level", "officer__username"))
    assert officers == {1: "sdo1", 2: deep_xen.username, 3: None}
    assert second_sdo.pk > staff["sdo"].pk
    # No SE: the rung is written without an officer and no explanation is asked of anyone.
    assert not complaint.explanations.filter(level=3).exists()


def test_paused_time_moves_the_ladder(net, officers, fake_clock):
    complaint = _register(net.consumer1)
    first = complaint.next_escalation_at
    assert first is not None
    fake_clock.at(complaint.registered_at + timedelta(hours=1))
    complaint_transition(complaint=complaint, to_status=Status.WAITING_CONSUMER, actor=None)
    # Waiting on the consumer: no escalation even past the rung.
    assert complaints_escalate(now=fake_clock.at(first + timedelta(minutes=30))) == 0
    complaint = complaint_transition(complaint=complaint, to_status=Status.IN_PROGRESS, actor=None)
    paused = fake_clock.now - (complaint.registered_at + timedelta(hours=1))
    assert complaint.next_escalation_at == first + paused == complaint.due_at
    assert complaints_escalate(now=fake_clock.at(first + timedelta(minutes=45))) == 0
    assert complaints_escalate(now=fake_clock.at(complaint.due_at)) == 1


def test_resolved_and_closed_complaints_stop_reopened_ones_go_on(net, officers, fake_clock):
    complaint = _register(net.consumer1)
    complaints_escalate(now=fake_clock.at(complaint.due_at))
    complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=None)
    assert complaints_escalate(now=fake_clock.at(_rung_time(complaint, 5))) == 0

    complaint_transition(complaint=complaint, to_status=Status.REOPENED, actor=None)
    assert complaints_escalate(now=fake_clock.now) == 4  # the rungs passed meanwhile

    other = _register(net.consumer1, category="meter")
    complaint_transition(complaint=other, to_status=Status.CANCELLED, actor=None)
    assert complaints_escalate(now=fake_clock.at(_rung_time(other, 5))) == 0
    other.refresh_from_db()
    assert other.next_escalation_at is None and not other.escalations.exists()


def test_sweep_queries_do_not_grow_with_the_number_of_complaints(net, officers, fake_clock):
    def run(n: int) -> int:
        made = [_register(ConsumerFactory(dt=net.dt1, is_a_class=True)) for _ in range(n)]
        at = fake_clock.at(max(_rung_time(c, 2) for c in made))
        with CaptureQueriesContext(connection) as queries:
            assert complaints_escalate(now=at) == 2 * n
        Notification.objects.all().delete()
        Complaint.objects.update(status=Status.CANCELLED)  # out of the next round's way
        return len(queries)

    small = run(2)
    assert run(7) == small
    # 1 clean-up + 2 chunk reads + 3 ladder loads + 3 per rung x 2 + 1 update
    # + digest (officers, pending, rules, 2 enqueues in savepoints, update)
    assert small <= 30


def test_sweep_task_escalates_too(net, officers):
    from sampark.complaints.tasks import complaints_sla_sweep

    complaint = _register(net.consumer1)
    past = clock.now() - timedelta(minutes=1)
    Complaint.objects.filter(pk=complaint.pk).update(due_at=past, next_escalation_at=past)
    assert complaints_sla_sweep.enqueue().return_value == 1
    assert complaint.escalations.count() == 1


@pytest.fixture
def asked(net, officers, fake_clock) -> Explanation:
    complaint = _register(net.consumer1)
    complaints_escalate(now=fake_clock.at(complaint.due_at))
    return Explanation.objects.get(complaint=complaint, officer=officers["sdo"])


def test_only_the_asked_officer_replies_once(asked, officers, staff):
    for other in (officers["xen"], staff["admin"], officers["je"]):
        with pytest.raises(NotAllowed):
            explanation_reply(explanation=asked, officer=other, text="not mine")
    for bad in ("", "   ", "x" * 2001):
        with pytest.raises(ValidationFailed):
            explanation_reply(explanation=asked, officer=officers["sdo"], text=bad)
    asked.refresh_from_db()
    assert asked.replied_at is None and asked.reply == ""
    assert not asked.complaint.events.filter(kind=EventKind.EXPLANATION).exists()

    done = explanation_reply(explanation=asked, officer=officers["sdo"], text=" Line snapped ")
    assert done.reply == "Line snapped" and done.replied_at is not None
    event = asked.complaint.events.get(kind=EventKind.EXPLANATION)
    assert event.actor == officers["sdo"] and event.note == "Line snapped"
    with pytest.raises(Conflict):
        explanation_reply(explanation=asked, officer=officers["sdo"], text="again")
    asked.refresh_from_db()
    assert asked.reply == "Line snapped"


def test_register_is_scoped_and_filtered(asked, net, officers, staff, fake_clock):
    sd2 = _register(net.consumer2)
    complaints_escalate(now=fake_clock.at(sd2.due_at))
    # The SDO sees every explanation asked on their sub-division's complaints, not sd2's.
    mine = explanations_register(user=officers["sdo"])
    assert {e.complaint for e in mine} == {asked.complaint}
    assert {e.complaint for e in explanations_register(user=staff["sdo2"])} == {sd2}
    assert explanations_register(user=staff["md_p"]).count() == 0
    everything = Explanation.objects.count()
    assert explanations_register(user=officers["md"]).count() == everything > 2

    pending = explanations_register(user=officers["sdo"], status="pending")
    assert asked in pending and not explanations_register(user=officers["sdo"], status="missed")
    fake_clock.at(asked.due_at)
    assert asked in explanations_register(user=officers["sdo"], status="missed")
    explanation_reply(explanation=asked, officer=officers["sdo"], text="late, sorry")
    assert list(explanations_register(user=officers["sdo"], status="replied")) == [asked]
    with pytest.raises(ValidationFailed):
        explanations_register(user=officers["sdo"], status="bogus")


def test_register_page_lists_and_takes_the_officers_reply(asked, officers, staff, client):
    client.force_login(officers["sdo"])
    page = client.get(reverse("staff:explanations"))
    assert page.status_code == 200
    assert asked.complaint.number in page.content.decode()
    url = reverse("staff:explanation_reply", args=[asked.pk])
    assert 'action="' + url in page.content.decode()
    assert client.post(url, {"reply": "Crew was on another fault"}).status_code == 302
    asked.refresh_from_db()
    assert asked.reply == "Crew was on another fault"

    client.force_login(staff["sdo2"])  # another sub-division: not even visible
    assert client.post(url, {"reply": "x"}).status_code == 404
    assert asked.complaint.number not in client.get(reverse("staff:explanations")).content.decode()
