"""Sweeps: scheduled work starts, planned work is recalled, an ETR passed flags the outage
overdue, tells consumers and alerts the SDO."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.models import Outage, OutageEventKind, OutageStatus
from sampark.outages.sweeps import outages_mark_overdue, outages_remind_planned, outages_start_due

from .conftest import sent_to

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _planned(declare, *, starts_in: timedelta, **kwargs):
    now = clock.now()
    return declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-2"],
        starts_at=now + starts_in,
        etr=now + starts_in + 4 * HOUR,
        **kwargs,
    )


def test_scheduled_outage_starts_at_its_time_and_is_declared(declare, committed, area):
    outage = _planned(declare, starts_in=25 * HOUR)

    assert committed(outages_start_due) == 0
    later = outage.starts_at + timedelta(minutes=1)
    assert committed(outages_start_due, now=later) == 1
    assert committed(outages_start_due, now=later) == 0

    outage.refresh_from_db()
    assert outage.status == OutageStatus.ACTIVE
    assert outage.events.last().kind == OutageEventKind.DECLARED
    assert sent_to(event="declared") == {"+919839000004": "sms"}


def test_planned_reminder_once_shortly_before_start(declare, committed, area, settings):
    settings.SAMPARK_PLANNED_REMINDER_MINUTES = 60
    outage = _planned(declare, starts_in=25 * HOUR)
    early = outage.starts_at - 2 * HOUR
    due = outage.starts_at - timedelta(minutes=50)

    assert committed(outages_remind_planned, now=early) == 0
    assert committed(outages_remind_planned, now=due) == 1
    assert committed(outages_remind_planned, now=due + timedelta(minutes=5)) == 0

    outage.refresh_from_db()
    assert outage.reminded_at == due
    reminder = Notification.objects.get(event="reminded")
    assert reminder.template_key == "planned_reminder" and not reminder.urgent


def test_emergency_work_announced_inside_the_window_gets_no_reminder(declare, committed, area):
    _planned(declare, starts_in=30 * timedelta(minutes=1), emergency=True)
    assert committed(outages_remind_planned) == 0


def test_overdue_flags_tells_consumers_and_alerts_the_sdo(declare, committed, area, staff):
    staff["sdo"].phone = "9839055555"
    staff["sdo"].save()
    staff["sdo2"].phone = "+919839066666"  # another sub-division: not alerted
    staff["sdo2"].save()
    outage = declare(feeder_codes=["F-AMN-1"])
    past_etr = outage.etr + timedelta(minutes=1)

    assert committed(outages_mark_overdue) == 0
    assert committed(outages_mark_overdue, now=past_etr) == 1
    assert committed(outages_mark_overdue, now=past_etr) == 0  # once

    outage.refresh_from_db()
    assert outage.overdue_since == past_etr
    event = outage.events.last()
    assert event.kind == OutageEventKind.OVERDUE
    told = sent_to(event=f"overdue:{event.pk}")
    assert told == {"+919839012345": "sms", "+919839000001": "whatsapp", "+919839000003": "sms"}
    alert = Notification.objects.get(event=f"sdo_overdue:{event.pk}")
    assert (alert.recipient, alert.channel, alert.consumer) == ("+919839055555", "sms", None)
    assert alert.template_key == "sdo_outage_overdue" and f"#{outage.pk}" in alert.text


def test_a_new_etr_clears_overdue_and_it_can_pass_again(declare, committed, area, staff):
    from sampark.outages.services import outage_etr_revise

    outage = declare(feeder_codes=["F-AMN-1"])
    committed(outages_mark_overdue, now=outage.etr + timedelta(minutes=1))
    Outage.objects.filter(pk=outage.pk).update(etr=clock.now() - HOUR)  # as if time passed
    outage.refresh_from_db()
    committed(outage_etr_revise, outage=outage, etr=clock.now() + HOUR, actor=staff["je"])
    outage.refresh_from_db()
    assert outage.overdue_since is None
    assert committed(outages_mark_overdue, now=outage.etr + timedelta(minutes=1)) == 1
    assert outage.events.filter(kind=OutageEventKind.OVERDUE).count() == 2
