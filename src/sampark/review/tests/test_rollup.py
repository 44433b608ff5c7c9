"""The rollup refresh: idempotent, incremental (new events add only their deltas), equal to the
raw audit trail, and the histogram rule equal in SQL and Python."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum

from sampark.complaints.models import ComplaintEvent, Status
from sampark.complaints.services import complaint_transition
from sampark.review import buckets
from sampark.review.models import (
    ChannelDay,
    ComplaintDay,
    ComplaintHour,
    OfficerDay,
    ResolutionDay,
    Watermark,
)
from sampark.review.rollup import HOUR_DAYS, WATERMARK, rollup_refresh
from sampark.review.selectors import dashboard_complaints

from .conftest import D1, D2, at

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    rows = []
    for model in (ComplaintHour, ComplaintDay, ChannelDay, OfficerDay, ResolutionDay):
        fields = [f.name for f in model._meta.fields if f.name != "id"]
        rows += sorted(model.objects.values_list(*fields), key=repr)
    return rows


def test_refresh_twice_changes_nothing(history):
    # Given a folded history
    first = rollup_refresh()
    before = snapshot()
    # When the refresh runs again with no new events
    again = rollup_refresh()
    # Then nothing is added and the watermark stays at the last event
    assert snapshot() == before
    last = ComplaintEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert first.events_to == again.events_to == last
    assert again.hour_rows == 0
    assert Watermark.objects.get(name=WATERMARK).last_id == last


def test_new_events_add_only_their_deltas(history, staff, net, pin):
    # Given the history folded
    rollup_refresh()
    before = dashboard_complaints(user=staff["md"], org_unit=net.mvvnl, start=D1, end=D2).total
    hour_rows = ComplaintHour.objects.count()
    # When F is resolved at D2 16:00 (6 h after registration, within its 168 h)
    pin(at(D2, 16))
    complaint_transition(complaint=history.f, to_status=Status.RESOLVED, actor=staff["je2"])
    result = rollup_refresh()
    after = dashboard_complaints(user=staff["md"], org_unit=net.mvvnl, start=D1, end=D2).total
    # Then exactly one resolution within the time limit is added, in one new hour row
    assert result.hour_rows == 1 and ComplaintHour.objects.count() == hour_rows + 1
    assert (after.resolved, after.resolved_within_sla) == (before.resolved + 1, 3)
    assert after.resolution_seconds == before.resolution_seconds + 6 * 3600
    # Still open (awaiting the consumer's word): pending is a stock, unchanged
    assert (after.received, after.breached, after.pending) == (4, 2, 2)


def test_batches_give_the_same_rollups(history):
    assert ComplaintEvent.objects.count() > 3 * 7  # several batches
    # Folding a few event ids per transaction gives the rows folding all at once gives
    rollup_refresh(batch=7)
    one_by_one = snapshot()
    for model in (ComplaintHour, ComplaintDay, ChannelDay, OfficerDay, ResolutionDay):
        model.objects.all().delete()
    Watermark.objects.filter(name=WATERMARK).update(last_id=0)
    rollup_refresh()
    assert snapshot() == one_by_one


def test_day_rows_sum_to_hour_rows_at_every_level(history, net):
    rollup_refresh()
    hour = ComplaintHour.objects.aggregate(r=Sum("received"), s=Sum("resolved"))
    for unit, expected in ((net.state, (6, 4)), (net.mvvnl, (4, 3)), (net.sd2, (2, 0))):
        day = ComplaintDay.objects.filter(unit=unit.id)
        sums = day.aggregate(r=Sum("received"), s=Sum("resolved"))
        assert (sums["r"], sums["s"]) == expected
    assert hour == {"r": 6, "s": 4}
    officer = OfficerDay.objects.aggregate(r=Sum("received"), s=Sum("resolved"))
    assert officer == hour


@pytest.mark.parametrize(
    "seconds", [0, 59.9, 60, 65.9, 66.1, 3600, 7200, 18000, 86400, 10**7, 60 * 1.1**50 * 1.0001]
)
def test_bucket_rule_same_in_sql_and_python(db, seconds):
    with connection.cursor() as cursor:
        sql = buckets.bucket_sql("x.s", vendor=connection.vendor)
        cursor.execute(f"SELECT {sql} FROM (SELECT CAST(%s AS double precision) AS s) x", [seconds])
        assert cursor.fetchone()[0] == buckets.bucket_of(seconds)


def test_quantile_within_the_bucket_bound():
    for exact in (90, 3600, 7200, 18000, 86400, 2_000_000):
        k = buckets.bucket_of(exact)
        counts = [0] * buckets.COUNT
        counts[k] = 1
        median = buckets.quantile(counts, 0.5)
        assert median is not None
        assert abs(median - exact) <= exact * buckets.MAX_ERROR


def test_hours_are_kept_for_the_last_days_only(history, pin, staff):
    rollup_refresh()
    assert ComplaintHour.objects.filter(day=D1).exists()
    # When a run happens more than HOUR_DAYS later (a new event to fold)
    pin(at(D2, 12) + timedelta(days=HOUR_DAYS))
    complaint_transition(complaint=history.f, to_status=Status.RESOLVED, actor=staff["je2"])
    rollup_refresh()
    # Then the old hours are gone, the new one is there, and the day tables keep everything
    assert not ComplaintHour.objects.filter(day__lte=D2).exists()
    assert ComplaintHour.objects.count() == 1
    assert ComplaintDay.objects.filter(day=D1).exists()
