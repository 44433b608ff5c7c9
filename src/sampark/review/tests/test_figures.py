"""Every dashboard figure of the fixed history (conftest.py) against numbers worked out by hand.

Resolution times: A 18,000 s (late), B 7,200 s and 86,400 s, D 7,200 s. Medians and 90th
percentiles are nearest-rank and come from the histogram: asserted within its 4.9% bound.
"""

from __future__ import annotations

import pytest

from sampark.core.errors import NotAllowed, NotFound
from sampark.review import buckets
from sampark.review.rollup import rollup_refresh
from sampark.review.selectors import (
    accountability,
    dashboard_complaints,
    trend,
)

from .conftest import D1, D2

pytestmark = pytest.mark.django_db


def near(value: float | None, exact: float) -> bool:
    return value is not None and abs(value - exact) <= exact * buckets.MAX_ERROR


def flows(f) -> dict:
    keys = [
        "received", "resolved", "resolved_within_sla", "closed_confirmed", "closed_unconfirmed",
        "reopened", "resolution_rejected", "breached", "escalations", "ratings_count",
        "ratings_sum", "resolution_seconds", "pending", "overdue",
    ]  # fmt: skip
    return {k: getattr(f, k) for k in keys}


@pytest.fixture
def rolled(history):
    rollup_refresh()
    return history


def test_state_total_children_channels(rolled, net, staff):
    # Given the history folded into the rollups, when the administrator opens the state
    figures = dashboard_complaints(user=staff["admin"], org_unit=net.state, start=D1, end=D2)
    total = figures.total
    # Then: six received, four resolutions (B twice), three of them within the time limit
    assert flows(total) == {
        "received": 6,
        "resolved": 4,
        "resolved_within_sla": 3,
        "closed_confirmed": 1,
        "closed_unconfirmed": 2,
        "reopened": 1,
        "resolution_rejected": 1,
        "breached": 2,
        "escalations": 2,
        "ratings_count": 2,
        "ratings_sum": 6,
        "resolution_seconds": 18000 + 7200 + 86400 + 7200,
        "pending": 3,  # C, E, F
        "overdue": 1,  # C
    }
    assert (total.sla_compliance, total.reopen_rate, total.csat) == (0.75, 0.25, 3.0)
    assert total.confirmed_share == 0.3333
    assert total.mean_seconds == 29700.0
    assert near(total.median_seconds, 7200) and near(total.p90_seconds, 86400)
    # The discoms side by side, then the complaint of unknown place
    assert [r.key for r in figures.rows] == ["MVVNL", "PVVNL", "UPPCL"]
    mv, pv, unknown = (r.figures for r in figures.rows)
    assert (mv.received, mv.resolved, mv.pending, mv.overdue, mv.csat) == (4, 3, 2, 1, 4.0)
    assert (pv.received, pv.resolved, pv.closed_unconfirmed, pv.csat) == (1, 1, 1, 2.0)
    assert (unknown.received, unknown.pending, unknown.overdue) == (1, 1, 0)
    assert figures.rows[2].unit_id is None  # nothing to drill into
    shares = {c.channel: (c.received, c.share) for c in figures.channels}
    assert shares == {
        "ivr": (2, 0.3333),
        "whatsapp": (1, 0.1667),
        "agent": (1, 0.1667),
        "chatbot_web": (1, 0.1667),
        "email": (1, 0.1667),
    }


def test_discom_categories_and_division_children(rolled, net, staff):
    md = staff["md"]
    discom = dashboard_complaints(user=md, org_unit=net.mvvnl, start=D1, end=D2)
    assert [r.key for r in discom.rows] == ["Z-LKO"]
    assert flows(discom.rows[0].figures) == flows(discom.total)
    assert discom.total.sla_compliance == 0.6667  # B twice within, A late
    assert discom.total.mean_seconds == 37200.0
    assert near(discom.total.median_seconds, 18000) and near(discom.total.p90_seconds, 86400)
    categories = {c.category: c.figures for c in discom.categories}
    assert set(categories) == {"no_supply", "meter", "bill_reading"}
    no_supply, meter = categories["no_supply"], categories["meter"]
    bill = categories["bill_reading"]
    assert (no_supply.received, no_supply.resolved, no_supply.resolved_within_sla) == (2, 1, 0)
    assert (no_supply.breached, no_supply.pending, no_supply.overdue) == (2, 1, 1)
    assert (meter.received, meter.resolved, meter.resolved_within_sla) == (1, 2, 2)
    assert meter.reopened == 1
    assert (bill.received, bill.resolved, bill.pending, bill.overdue) == (1, 0, 1, 0)

    division = dashboard_complaints(user=md, org_unit=net.division, start=D1, end=D2)
    sd1, sd2 = (r.figures for r in division.rows)
    assert [r.key for r in division.rows] == ["SD-AMN-1", "SD-AMN-2"]
    assert flows(sd1) == {
        "received": 2,
        "resolved": 3,
        "resolved_within_sla": 2,
        "closed_confirmed": 1,
        "closed_unconfirmed": 1,
        "reopened": 1,
        "resolution_rejected": 1,
        "breached": 1,
        "escalations": 1,
        "ratings_count": 1,
        "ratings_sum": 4,
        "resolution_seconds": 18000 + 7200 + 86400,
        "pending": 0,
        "overdue": 0,
    }
    assert flows(sd2) == {
        **{k: 0 for k in flows(sd1)},
        "received": 2,
        "breached": 1,
        "escalations": 1,
        "pending": 2,
        "overdue": 1,
    }
    assert sd2.median_seconds is None and sd2.sla_compliance is None


def test_subdivision_shows_its_jes(rolled, net, staff):
    figures = dashboard_complaints(user=staff["sdo2"], org_unit=net.sd2, start=D1, end=D2)
    assert figures.child_level == "je"
    rows = figures.rows
    got = [(r.je_id, r.figures.received, r.figures.breached, r.figures.pending) for r in rows]
    assert got == [(staff["je2"].pk, 2, 1, 2)]
    mine = dashboard_complaints(user=staff["sdo"], org_unit=None, start=D1, end=D2)
    assert mine.unit == net.sd1
    assert [(r.key, r.figures.resolved, r.figures.resolution_rejected) for r in mine.rows] == [
        (f"je:{staff['je'].pk}", 3, 1)
    ]


def test_period_narrows_flows_not_stocks(rolled, net, staff):
    day2 = dashboard_complaints(user=staff["md"], org_unit=net.mvvnl, start=D2, end=D2).total
    assert (day2.received, day2.resolved, day2.resolved_within_sla) == (1, 1, 1)
    assert (day2.closed_unconfirmed, day2.breached, day2.escalations) == (1, 0, 0)
    assert (day2.pending, day2.overdue) == (2, 1)
    assert near(day2.median_seconds, 86400)


def test_trend_per_day(rolled, net, staff):
    days = trend(user=staff["md"], org_unit=net.mvvnl, start=D1, end=D2)
    assert [(t.day, t.received, t.resolved, t.resolved_within_sla, t.breached) for t in days] == [
        (D1, 3, 2, 1, 2),
        (D2, 1, 1, 1, 0),
    ]
    assert [t.sla_compliance for t in days] == [0.5, 1.0]


def test_accountability_ranking(rolled, net, staff):
    rows = accountability(user=staff["md"], org_unit=net.mvvnl, start=D1, end=D2)
    got = [
        (
            *(r.username, r.pending, r.overdue, r.breaches, r.resolution_rejected, r.resolved),
            *(r.explanations_owed, r.explanations_late),
        )
        for r in rows
    ]
    assert got == [
        ("je2", 2, 1, 1, 0, 0, 1, 0),
        ("je1", 0, 0, 1, 1, 3, 1, 1),  # asked at 14:30 on D1, 24 h to reply: late at D2 15:00
        ("sdo1", 0, 0, 0, 0, 0, 1, 0),
        ("sdo2", 0, 0, 0, 0, 0, 1, 0),
    ]


def test_scoping_sdo_cannot_see_a_sibling(rolled, net, staff):
    with pytest.raises(NotFound):
        dashboard_complaints(user=staff["sdo"], org_unit=net.sd2, start=D1, end=D2)
    with pytest.raises(NotFound):
        dashboard_complaints(user=staff["md"], org_unit=net.pvvnl, start=D1, end=D2)
    with pytest.raises(NotAllowed):  # field staff and agents have no review pages
        dashboard_complaints(user=staff["je"], org_unit=net.sd1, start=D1, end=D2)
    with pytest.raises(NotAllowed):
        dashboard_complaints(user=staff["agent"], org_unit=None, start=D1, end=D2)
