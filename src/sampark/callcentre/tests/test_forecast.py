"""The calls forecast from a fixed history, with the answers worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from sampark.callcentre.forecast import Basis, calls_forecast, consumers_cut_off
from sampark.callcentre.models import Call, CallOutcome, CallSource
from sampark.core import clock
from sampark.network.models import OrgUnit
from sampark.outages.models import (
    Outage,
    OutageKind,
    OutageReason,
    OutageScope,
    OutageSource,
    OutageStatus,
)
from sampark.testing.factories import ConsumerFactory, TransformerFactory

pytestmark = pytest.mark.django_db

IST = ZoneInfo("Asia/Kolkata")
# Monday 4 May 2026, 18:20 IST: the forecast's first hour is 18:00-19:00.
NOW = datetime(2026, 5, 4, 18, 20, tzinfo=IST)
START = datetime(2026, 5, 4, 18, 0, tzinfo=IST)
HOUR = timedelta(hours=1)
_ids = count(1)


@pytest.fixture(autouse=True)
def pinned(monkeypatch, settings):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    settings.SAMPARK_STAFFING_HISTORY_WEEKS = 4
    settings.SAMPARK_STAFFING_AHT_SECONDS = 240.0
    settings.SAMPARK_STAFFING_PATIENCE_SECONDS = 120.0
    settings.SAMPARK_STAFFING_WRAP_UP_SECONDS = 0.0
    settings.SAMPARK_CALLS_PER_AFFECTED_CONSUMER = 0.5
    settings.SAMPARK_OUTAGE_CALL_PROFILE = [0.6, 0.3, 0.1]


def offered(discom, at: datetime, n: int = 1, **fields) -> None:
    Call.objects.bulk_create(
        Call(
            call_id=f"c{next(_ids)}",
            source=CallSource.API,
            discom=discom,
            offered_at=at,
            outcome=fields.get("outcome", CallOutcome.ANSWERED),
            **{k: v for k, v in fields.items() if k != "outcome"},
        )
        for _ in range(n)
    )


# --- history --------------------------------------------------------------------------------


def test_the_same_hour_of_recent_weeks_weighs_most(net):
    # Given calls in the 18:00 hour 1..4 weeks ago (10, 20, 30, 40 of them, at 18:45 so that an
    # hour cut in UTC would miss them) and history going back five weeks,
    offered(net.mvvnl, START - timedelta(weeks=5))
    for weeks, n in ((1, 10), (2, 20), (3, 30), (4, 40)):
        offered(net.mvvnl, START - timedelta(weeks=weeks) + timedelta(minutes=45), n)
    offered(net.mvvnl, START - timedelta(weeks=2) + HOUR, 5)  # 19:00 hour, two weeks ago
    # ... and calls that must not count:
    offered(net.mvvnl, START - timedelta(weeks=1) - timedelta(seconds=1), 7)  # Mon 17:59:59
    offered(net.mvvnl, START - timedelta(weeks=1) + timedelta(hours=23, minutes=30), 7)  # Tue
    offered(net.mvvnl, START - timedelta(weeks=1), 3, ivr_contained=True)  # IVR served them
    offered(net.mvvnl, START - timedelta(weeks=1), 2, outcome=CallOutcome.IVR_CONTAINED)
    offered(net.pvvnl, START - timedelta(weeks=1), 50)  # another discom's line
    offered(net.mvvnl, START - timedelta(weeks=6), 99)  # older than four weeks

    forecast = calls_forecast(discom=net.mvvnl)

    hours = forecast.hours
    assert (
        len(hours) == 24
        and hours[0].starts_at == START
        and hours[23].starts_at == START + 23 * HOUR
    )
    # Weights 4, 3, 2, 1 for 1..4 weeks back: (4*10 + 3*20 + 2*30 + 1*40) / 10 = 20.
    assert hours[0].baseline == pytest.approx(20.0)
    # 19:00: only two weeks back had calls: 3*5 / 10 = 1.5.
    assert hours[1].baseline == pytest.approx(1.5)
    # 17:00 tomorrow (hour 23): last Tuesday's 17:30 calls: 4*7 / 10 = 2.8 (last Monday's
    # 17:59:59 calls belong to no forecast hour).
    assert hours[23].baseline == pytest.approx(2.8)
    assert all(h.baseline == 0 for h in hours[2:23])
    assert {h.basis for h in hours} == {Basis.WEEKS}
    assert all(h.surge == 0 for h in hours)


def test_weeks_before_the_first_call_are_not_counted_as_silent(net):
    # Given history that started 15 days ago: only the last two weeks are on record.
    offered(net.mvvnl, START - timedelta(days=15))
    offered(net.mvvnl, START - timedelta(weeks=1), 10)
    offered(net.mvvnl, START - timedelta(weeks=2), 4)

    hour = calls_forecast(discom=net.mvvnl).hours[0]

    # Weights 4 and 3 only: (4*10 + 3*4) / 7.
    assert hour.baseline == pytest.approx(52 / 7)
    assert hour.basis == Basis.WEEKS


def test_less_than_a_week_of_history_uses_the_same_hour_on_the_days_recorded(net):
    # Given a line that opened three days ago at 10:00,
    offered(net.mvvnl, START - timedelta(days=3) - timedelta(hours=8))
    offered(net.mvvnl, START - timedelta(days=1) + timedelta(minutes=5), 6)
    offered(net.mvvnl, START - timedelta(days=2) + timedelta(minutes=5), 3)

    hours = calls_forecast(discom=net.mvvnl).hours

    # 18:00: days 1, 2 and 3 back are on record with 6, 3 and 0 calls.
    assert hours[0].baseline == pytest.approx(3.0)
    assert hours[0].basis == Basis.DAYS
    # 10:00 tomorrow (hour 16): days 1..4 back are on record, the first call at 10:00 4 days
    # before it being the only one.
    assert hours[16].starts_at.hour == 10 and hours[16].basis == Basis.DAYS
    assert hours[16].baseline == pytest.approx(1 / 4)


def test_no_history_forecasts_the_surge_only_with_configured_handling(net):
    forecast = calls_forecast(discom=net.mvvnl)

    assert all(h.baseline == 0 and h.basis == Basis.NONE for h in forecast.hours)
    assert forecast.history_since is None
    assert (forecast.aht_seconds, forecast.aht_measured) == (240.0, False)
    assert (forecast.patience_seconds, forecast.patience_measured) == (120.0, False)


# --- handle time and patience ---------------------------------------------------------------


def test_handle_time_and_patience_are_measured_from_the_queue(net, settings):
    settings.SAMPARK_STAFFING_WRAP_UP_SECONDS = 15.0
    day = START - timedelta(days=2)
    # 40 answered calls: 10 s in the queue, 200 s talking.
    for i in range(40):
        at = day + timedelta(minutes=i)
        offered(
            net.mvvnl,
            at,
            queued_at=at,
            answered_at=at + timedelta(seconds=10),
            ended_at=at + timedelta(seconds=210),
        )
    # 10 callers hung up after 60 s in the queue.
    for i in range(10):
        at = day + timedelta(hours=1, minutes=i)
        offered(
            net.mvvnl,
            at,
            outcome=CallOutcome.ABANDONED,
            queued_at=at,
            ended_at=at + timedelta(seconds=60),
        )
    # Not counted: older than the history window, and another discom.
    old = START - timedelta(weeks=5)
    offered(net.mvvnl, old, 5, queued_at=old, answered_at=old, ended_at=old + timedelta(hours=1))
    offered(net.pvvnl, day, 5, queued_at=day, answered_at=day, ended_at=day + timedelta(hours=1))

    forecast = calls_forecast(discom=net.mvvnl)

    assert forecast.aht_measured and forecast.answered_sample == 40
    assert forecast.aht_seconds == pytest.approx(215.0)  # 200 s talk + 15 s wrap-up
    # Abandons / time spent waiting: 10 / (40 * 10 s + 10 * 60 s) -> a mean patience of 100 s.
    assert forecast.patience_measured and forecast.abandoned_sample == 10
    assert forecast.patience_seconds == pytest.approx(100.0)


def test_too_few_answered_or_abandoned_calls_fall_back_to_the_settings(net):
    at = START - timedelta(days=1)
    offered(
        net.mvvnl,
        at,
        29,
        queued_at=at,
        answered_at=at + timedelta(seconds=5),
        ended_at=at + timedelta(seconds=65),
    )
    offered(
        net.mvvnl,
        at,
        9,
        outcome=CallOutcome.ABANDONED,
        queued_at=at,
        ended_at=at + timedelta(seconds=30),
    )

    forecast = calls_forecast(discom=net.mvvnl)

    assert (forecast.aht_seconds, forecast.aht_measured, forecast.answered_sample) == (
        240.0,
        False,
        29,
    )
    assert (forecast.patience_seconds, forecast.patience_measured) == (120.0, False)


# --- outage surge ---------------------------------------------------------------------------


def _outage(*, org_unit, zone, starts_at, status, kind=OutageKind.UNPLANNED, **scope) -> Outage:
    reason, _ = OutageReason.objects.get_or_create(
        code="fault", defaults={"text_en": "Fault", "text_hi": "खराबी"}
    )
    outage = Outage.objects.create(
        kind=kind,
        status=status,
        reason=reason,
        source=OutageSource.FIELD,
        org_unit=org_unit,
        zone=zone,
        starts_at=starts_at,
        etr=starts_at + timedelta(hours=4),
        created_at=starts_at - timedelta(days=2),
    )
    for field, elements in scope.items():
        for element in elements if isinstance(elements, list) else [elements]:
            OutageScope.objects.create(outage=outage, **{field: element})
    return outage


@pytest.fixture
def crowd(net):
    """Feeder 1 has 10 consumers (all on DT 1); feeder 2 has 4, on two DTs."""
    ConsumerFactory.create_batch(9, dt=net.dt1)
    dt2b = TransformerFactory(feeder=net.feeder2_rural)
    ConsumerFactory.create_batch(2, dt=net.dt2)
    ConsumerFactory(dt=dt2b)
    return dt2b


def test_outages_add_calls_per_newly_cut_off_consumer(net, crowd):
    zone_p = OrgUnit.objects.get(code="Z-MRT")
    # Planned work on feeder 1 (10 consumers) from 20:15 today: 0.5 calls each = 5 calls,
    # 60% / 30% / 10% in the 20:00, 21:00 and 22:00 hours.
    _outage(
        org_unit=net.sd1,
        zone=net.zone,
        starts_at=START + timedelta(hours=2, minutes=15),
        status=OutageStatus.SCHEDULED,
        kind=OutageKind.PLANNED,
        feeder=net.feeder1,
    )
    # A trip of substation 2 (feeder 2: 4 consumers, 2 calls) at 16:40: its third hour is now.
    _outage(
        org_unit=net.sd2,
        zone=net.zone,
        starts_at=START - timedelta(hours=1, minutes=20),
        status=OutageStatus.ACTIVE,
        substation=net.ss2,
    )
    # A fault at 17:10 over feeder 1 and DT 1 (the same 10 consumers, counted once): 5 calls,
    # 30% now and 10% next hour.
    _outage(
        org_unit=net.sd1,
        zone=net.zone,
        starts_at=START - timedelta(minutes=50),
        status=OutageStatus.ACTIVE,
        feeder=net.feeder1,
        dt=net.dt1,
    )
    # Planned work starting in the last hour of the window (17:30 tomorrow): 60% of 5.
    _outage(
        org_unit=net.sd1,
        zone=net.zone,
        starts_at=START + timedelta(hours=23, minutes=30),
        status=OutageStatus.SCHEDULED,
        kind=OutageKind.PLANNED,
        dt=net.dt1,
    )
    # Not counted: restored, cancelled, started too long ago, beyond the window, other discom,
    # and a DT already restored inside a live outage.
    for status, starts in (
        (OutageStatus.RESTORED, START - timedelta(minutes=30)),
        (OutageStatus.CANCELLED, START + timedelta(hours=3)),
        (OutageStatus.ACTIVE, START - timedelta(hours=2, minutes=1)),
        (OutageStatus.SCHEDULED, START + timedelta(hours=24)),
    ):
        _outage(
            org_unit=net.sd1, zone=net.zone, starts_at=starts, status=status, feeder=net.feeder1
        )
    _outage(
        org_unit=net.sd_p,
        zone=zone_p,
        starts_at=START + HOUR,
        status=OutageStatus.ACTIVE,
        feeder=net.feeder_p,
    )
    partly = _outage(
        org_unit=net.sd2,
        zone=net.zone,
        starts_at=START + timedelta(hours=5),
        status=OutageStatus.SCHEDULED,
        dt=[net.dt2, crowd],
    )
    partly.scope.filter(dt=net.dt2).update(restored_at=START)  # 3 consumers back; 1 left

    surge = [h.surge for h in calls_forecast(discom=net.mvvnl).hours]

    expected = [0.0] * 24
    expected[0] = 2 * 0.1 + 5 * 0.3
    expected[1] = 5 * 0.1
    expected[2] = 5 * 0.6
    expected[3] = 5 * 0.3
    expected[4] = 5 * 0.1
    expected[5] = 0.5 * 0.6
    expected[6] = 0.5 * 0.3
    expected[7] = 0.5 * 0.1
    expected[23] = 5 * 0.6
    assert surge == pytest.approx(expected)


def test_consumers_cut_off_counts_each_consumer_once_per_outage_in_one_query(
    net, crowd, django_assert_num_queries
):
    both = _outage(
        org_unit=net.sd1,
        zone=net.zone,
        starts_at=START,
        status=OutageStatus.ACTIVE,
        feeder=net.feeder1,
        dt=net.dt1,
        substation=net.ss1,
    )
    rural = _outage(
        org_unit=net.sd2, zone=net.zone, starts_at=START, status=OutageStatus.ACTIVE, dt=crowd
    )
    empty = _outage(org_unit=net.sd2, zone=net.zone, starts_at=START, status=OutageStatus.ACTIVE)

    with django_assert_num_queries(1):
        found = consumers_cut_off(outage_ids=[both.pk, rural.pk, empty.pk])

    assert found == {both.pk: 10, rural.pk: 1}
    assert consumers_cut_off(outage_ids=[]) == {}
