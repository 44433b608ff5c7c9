"""The demo week: consistent calls (as the services would have derived them), callbacks only
for unserved callers, a live queue, today's roster; loaded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count

from sampark.accounts.models import Role, StaffUser
from sampark.callcentre.demo import callcentre_demo_load
from sampark.callcentre.kpis import call_kpis_summary
from sampark.callcentre.models import (
    AgentState,
    Call,
    Callback,
    CallbackStatus,
    CallOutcome,
    RosterShift,
)
from sampark.callcentre.selectors import queues_overview

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_the_demo_week(net):
    loaded = callcentre_demo_load(seed=7, now=NOW)

    assert loaded.calls == Call.objects.count() > 1000
    assert loaded.callbacks == Callback.objects.count() > 0
    agents = StaffUser.objects.filter(role=Role.AGENT)
    assert loaded.shifts == RosterShift.objects.count() == agents.count() == 12
    assert StaffUser.objects.filter(username="supervisor", role=Role.SUPERVISOR).exists()
    assert AgentState.objects.count() == 12
    # Facts agree with outcomes, as call_event_record would have set them.
    assert not Call.objects.filter(outcome=CallOutcome.ANSWERED, answered_at__isnull=True).exists()
    assert not Call.objects.filter(
        outcome=CallOutcome.ABANDONED, answered_at__isnull=False
    ).exists()
    assert not Callback.objects.exclude(
        call__outcome__in=[CallOutcome.ABANDONED, CallOutcome.DROPPED]
    ).exists()
    assert not Callback.objects.exclude(mobile__startswith="+91").exists()
    # Older callbacks are closed, the last hour's pending; never two pending for one mobile.
    assert Callback.objects.filter(status=CallbackStatus.PENDING).exists()
    assert Callback.objects.exclude(status=CallbackStatus.PENDING).exists()
    doubles = (
        Callback.objects.filter(status=CallbackStatus.PENDING)
        .values("mobile")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not doubles.exists()
    week = call_kpis_summary(start=NOW - timedelta(days=8), end=NOW)
    assert week.offered == loaded.calls
    assert week.containment_rate is not None and week.service_level is not None
    assert 0.5 < week.service_level < 0.9 and week.answered > week.abandoned
    assert 0.1 < week.containment_rate < 0.4
    supervisor = StaffUser.objects.get(username="supervisor")
    assert sum(q.waiting for q in queues_overview(user=supervisor, now=NOW)) == 5


def test_the_demo_loads_once(net):
    callcentre_demo_load(seed=7, now=NOW)
    calls = Call.objects.count()

    again = callcentre_demo_load(seed=7, now=NOW)

    assert again.calls == 0 and Call.objects.count() == calls
