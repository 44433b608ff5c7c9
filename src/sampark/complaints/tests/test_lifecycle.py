"""complaint_transition / complaint_assign: the table, permissions, scope, SLA pause, sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from sampark.complaints.services import (
    complaint_assign,
    complaint_register,
    complaint_transition,
    complaints_mark_breached,
)
from sampark.complaints.state_machine import TRANSITIONS, IllegalTransition
from sampark.core import clock
from sampark.core.errors import NotAllowed, NotFound, ValidationFailed


@pytest.fixture
def complaint(net, staff) -> Complaint:
    return complaint_register(consumer=net.consumer1, category="no_supply", channel="web").complaint


def test_full_lifecycle_writes_one_event_per_step(complaint, staff):
    je = staff["je"]
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        complaint = complaint_transition(complaint=complaint, to_status=status, actor=je)
    complaint = complaint_transition(
        complaint=complaint, to_status=Status.CLOSED, actor=staff["agent"], note="consumer said yes"
    )
    assert complaint.status == Status.CLOSED
    assert complaint.resolved_at is not None and complaint.closed_at is not None
    moves = list(
        complaint.events.filter(kind=EventKind.TRANSITION).values_list("from_status", "to_status")
    )
    assert moves == [
        (Status.ASSIGNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.RESOLVED, Status.CLOSED),
    ]
    last = complaint.events.last()
    assert last.actor == staff["agent"] and last.note == "consumer said yes"


def test_every_move_outside_the_table_is_refused(complaint, staff):
    admin = staff["admin"]
    for from_status, allowed in TRANSITIONS.items():
        Complaint.objects.filter(pk=complaint.pk).update(status=from_status)
        for to_status in set(Status.values) - set(allowed):
            events = ComplaintEvent.objects.count()
            with pytest.raises(IllegalTransition):
                complaint_transition(complaint=complaint, to_status=to_status, actor=admin)
            complaint.refresh_from_db()
            assert complaint.status == from_status
            assert ComplaintEvent.objects.count() == events


def test_reopen_after_resolution(complaint, staff):
    je = staff["je"]
    complaint = complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=je)
    complaint = complaint_transition(complaint=complaint, to_status=Status.REOPENED, actor=je)
    assert complaint.status == Status.REOPENED and complaint.resolved_at is None


def test_waiting_on_the_consumer_pauses_the_clock(complaint, staff, monkeypatch):
    je = staff["je"]
    start = clock.now()
    due = complaint.due_at
    monkeypatch.setattr(clock, "now", lambda: start)
    complaint_transition(complaint=complaint, to_status=Status.WAITING_CONSUMER, actor=je)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=2))
    complaint = complaint_transition(complaint=complaint, to_status=Status.IN_PROGRESS, actor=je)
    assert complaint.paused_seconds == 7200
    assert complaint.due_at == due + timedelta(hours=2)


def test_out_of_scope_staff_cannot_move_it(complaint, staff):
    for user in (staff["je2"], staff["md_p"], staff["je_p"]):
        with pytest.raises(NotFound):
            complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=user)
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED


def test_role_without_permission_is_refused(complaint, staff):
    with pytest.raises(NotAllowed):
        complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=staff["agent"])
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED


def test_sdo_reassigns_within_jurisdiction_only(complaint, staff, net):
    from sampark.testing.factories import StaffFactory

    other_je = StaffFactory(username="je1b", role="je", jurisdiction=net.sd1)
    complaint = complaint_assign(complaint=complaint, assignee=other_je, actor=staff["sdo"])
    assert complaint.assigned_to == other_je
    assert complaint.events.filter(kind=EventKind.ASSIGNED, assignee=other_je).exists()
    with pytest.raises(ValidationFailed):
        complaint_assign(complaint=complaint, assignee=staff["je2"], actor=staff["sdo"])
    with pytest.raises(NotAllowed):
        complaint_assign(complaint=complaint, assignee=other_je, actor=staff["je"])
    with pytest.raises(NotFound):
        complaint_assign(complaint=complaint, assignee=staff["je2"], actor=staff["sdo2"])
    complaint.refresh_from_db()
    assert complaint.assigned_to == other_je


def test_sla_sweep_marks_overdue_once(complaint, staff, net):
    waiting = complaint_register(consumer=net.consumer1, category="meter", channel="web").complaint
    complaint_transition(complaint=waiting, to_status=Status.WAITING_CONSUMER, actor=staff["je"])
    later = clock.now() + timedelta(days=30)

    assert complaints_mark_breached(now=later) == 1
    assert complaints_mark_breached(now=later) == 0
    complaint.refresh_from_db()
    assert complaint.sla_breached_at == later
    breach = complaint.events.get(kind=EventKind.SLA_BREACHED)
    assert breach.assignee == staff["je"]
    assert not waiting.events.filter(kind=EventKind.SLA_BREACHED).exists()


def test_sweep_task_runs_through_django_tasks(complaint):
    from sampark.complaints.tasks import complaints_sla_sweep

    Complaint.objects.filter(pk=complaint.pk).update(due_at=clock.now() - timedelta(minutes=1))
    result = complaints_sla_sweep.enqueue()
    assert result.return_value == 1
