"""Call KPIs from replayed event streams, against figures worked out by hand.

The stream (4 May 2026, IST; service level threshold 20 s; wait = answer - queue):

- c1 MVVNL consumer 1: queued 10:00:30, answered 10:00:40 by A (wait 10 s), completed 10:04:40
  (talk 240 s).
- c2 MVVNL consumer 1: queued 10:05:20, answered 10:06:00 by B (wait 40 s), completed 10:08:00
  (talk 120 s).
- c3 MVVNL consumer 2: queued 10:10:30, abandoned 10:11:30 (60 s: after the threshold).
- c4 PVVNL unknown mobile: queued 10:20:10, abandoned 10:20:20 (10 s: before the threshold).
- c5 PVVNL consumer P: IVR contained at 10:30:45, completed 10:30:50.
- c6 MVVNL withheld number: queued 10:40:30, dropped 10:41:00.
- c7 MVVNL unknown mobile: queued 11:00:05, answered 11:00:20 by A (wait 15 s), transferred
  11:03:20 (talk 180 s).
"""

from __future__ import annotations

import random

import pytest

from sampark.callcentre.kpis import call_kpis, call_kpis_summary
from sampark.callcentre.models import Call, Callback, CallbackAttempt, CallbackStatus, CallEvent
from sampark.callcentre.services import callback_attempt_record
from sampark.core.errors import ValidationFailed
from sampark.testing.factories import StaffFactory

from .conftest import ist, replay

pytestmark = pytest.mark.django_db


def stream(net, a, b):
    mv, pv = net.mvvnl, net.pvvnl
    return [
        ("c1", "offered", ist(4, 10, 0, 0), {"calling_number": "9839012345"}),
        ("c1", "queued", ist(4, 10, 0, 30), {"queue": "general"}),
        ("c1", "answered", ist(4, 10, 0, 40), {"agent": a}),
        ("c1", "completed", ist(4, 10, 4, 40)),
        ("c2", "offered", ist(4, 10, 5, 0), {"calling_number": "+91 98390 12345"}),
        ("c2", "queued", ist(4, 10, 5, 20), {"queue": "general"}),
        ("c2", "answered", ist(4, 10, 6, 0), {"agent": b}),
        ("c2", "completed", ist(4, 10, 8, 0)),
        ("c3", "offered", ist(4, 10, 10, 0), {"calling_number": "09839022222"}),
        ("c3", "queued", ist(4, 10, 10, 30), {"queue": "general"}),
        ("c3", "abandoned", ist(4, 10, 11, 30)),
        ("c4", "offered", ist(4, 10, 20, 0), {"calling_number": "9415500001", "discom": pv}),
        ("c4", "queued", ist(4, 10, 20, 10), {"queue": "general"}),
        ("c4", "abandoned", ist(4, 10, 20, 20)),
        ("c5", "offered", ist(4, 10, 30, 0), {"calling_number": "9839033333"}),
        ("c5", "ivr", ist(4, 10, 30, 45), {"detail": {"step": "outage_message"}}),
        ("c5", "completed", ist(4, 10, 30, 50)),
        ("c6", "offered", ist(4, 10, 40, 0), {"calling_number": "anonymous", "discom": mv}),
        ("c6", "queued", ist(4, 10, 40, 30), {"queue": "general"}),
        ("c6", "dropped", ist(4, 10, 41, 0)),
        ("c7", "offered", ist(4, 11, 0, 0), {"calling_number": "9415500002", "discom": mv}),
        ("c7", "queued", ist(4, 11, 0, 5), {"queue": "general"}),
        ("c7", "answered", ist(4, 11, 0, 20), {"agent": a}),
        ("c7", "transferred", ist(4, 11, 3, 20)),
    ]


@pytest.fixture
def agents(staff):
    return staff["agent"], StaffFactory(username="agent_b", first_name="B")


def _load(net, agents, order=None):
    from sampark.callcentre.services import call_mark_ivr_contained

    events = stream(net, *agents)
    if order is not None:
        random.Random(order).shuffle(events)
    replay(events)
    call_mark_ivr_contained(call=Call.objects.get(call_id="c5"), at=ist(4, 10, 30, 45))


def _figures(row):
    return {
        name: getattr(row, name)
        for name in (
            "offered",
            "answered",
            "abandoned",
            "dropped",
            "abandonment_rate",
            "asa_seconds",
            "service_level",
            "aht_seconds",
            "ivr_contained",
            "containment_rate",
            "callbacks_owed",
            "not_called_back",
        )
    }


HOUR_10 = {
    "offered": 6,
    "answered": 2,
    "abandoned": 2,
    "dropped": 1,
    "abandonment_rate": 0.4,  # 2 of the 5 that needed an agent
    "asa_seconds": 25.0,  # (10 + 40) / 2
    "service_level": 0.3333,  # c1 / (c1, c2 answered + c3 abandoned after 20 s)
    "aht_seconds": 180.0,  # (240 + 120) / 2
    "ivr_contained": 1,
    "containment_rate": 0.1667,  # 1 / 6
    "callbacks_owed": 2,  # c3 and c4; the withheld c6 cannot be called back
    "not_called_back": 2,
}
HOUR_11 = {
    "offered": 1,
    "answered": 1,
    "abandoned": 0,
    "dropped": 0,
    "abandonment_rate": 0.0,
    "asa_seconds": 15.0,
    "service_level": 1.0,
    "aht_seconds": 180.0,
    "ivr_contained": 0,
    "containment_rate": 0.0,
    "callbacks_owed": 0,
    "not_called_back": 0,
}
DAY = {
    "offered": 7,
    "answered": 3,
    "abandoned": 2,
    "dropped": 1,
    "abandonment_rate": 0.3333,  # 2 / 6
    "asa_seconds": 21.667,  # (10 + 40 + 15) / 3
    "service_level": 0.5,  # (c1, c7) / (3 answered + c3)
    "aht_seconds": 180.0,  # (240 + 120 + 180) / 3
    "ivr_contained": 1,
    "containment_rate": 0.1429,  # 1 / 7
    "callbacks_owed": 2,
    "not_called_back": 2,
}


def test_hourly_kpis_of_a_known_stream(net, agents):
    _load(net, agents)

    rows = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="hour")

    assert [row.period for row in rows] == [ist(4, 10), ist(4, 11)]
    assert _figures(rows[0]) == HOUR_10
    assert _figures(rows[1]) == HOUR_11
    assert rows[0].discom is None and rows[0].agent is None


def test_daily_kpis_and_the_summary_agree(net, agents):
    _load(net, agents)

    (day,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day")
    summary = call_kpis_summary(start=ist(4, 0), end=ist(5, 0))

    assert day.period == ist(4, 0)
    assert _figures(day) == DAY
    assert _figures(summary) == DAY


def test_kpis_per_discom(net, agents):
    _load(net, agents)

    rows = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day", by="discom")

    by_code = {row.discom.code: _figures(row) for row in rows}
    assert set(by_code) == {"MVVNL", "PVVNL"}
    assert by_code["MVVNL"] == {
        "offered": 5,  # c1 c2 c3 c6 c7
        "answered": 3,
        "abandoned": 1,
        "dropped": 1,
        "abandonment_rate": 0.2,  # 1 / 5
        "asa_seconds": 21.667,
        "service_level": 0.5,  # 2 / (3 + c3)
        "aht_seconds": 180.0,
        "ivr_contained": 0,
        "containment_rate": 0.0,
        "callbacks_owed": 1,
        "not_called_back": 1,
    }
    assert by_code["PVVNL"] == {
        "offered": 2,  # c4 (the line's discom) and c5 (consumer P's)
        "answered": 0,
        "abandoned": 1,
        "dropped": 0,
        "abandonment_rate": 1.0,  # 1 / (2 - 1 contained)
        "asa_seconds": None,
        "service_level": None,  # c4 gave up within 20 s: nobody to count
        "aht_seconds": None,
        "ivr_contained": 1,
        "containment_rate": 0.5,
        "callbacks_owed": 1,
        "not_called_back": 1,
    }


def test_kpis_per_agent(net, agents):
    a, b = agents
    _load(net, agents)

    rows = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day", by="agent")

    assert [row.agent for row in rows] == [None, a, b]  # unanswered calls have no agent: first
    nobody, first, second = (_figures(row) for row in rows)
    assert (nobody["offered"], nobody["answered"], nobody["abandoned"]) == (4, 0, 2)
    assert (first["offered"], first["answered"]) == (2, 2)
    assert (first["asa_seconds"], first["service_level"], first["aht_seconds"]) == (
        12.5,  # (10 + 15) / 2
        1.0,
        210.0,  # (240 + 180) / 2
    )
    assert (second["asa_seconds"], second["service_level"], second["aht_seconds"]) == (
        40.0,
        0.0,
        120.0,
    )


def test_outage_containment_counts_the_calls_the_outage_message_served(net, agents):
    _load(net, agents)
    (before,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day")
    # c5 was served by the IVR without an agent; now say it heard of an outage on its supply,
    # as the IVR records in its dialogue context.
    Call.objects.filter(call_id="c5").update(ivr_context={"ctx": {"outage_heard": True}})
    # A caller told of the outage who then waited for an agent is not contained.
    Call.objects.filter(call_id="c3").update(ivr_context={"ctx": {"outage_heard": True}})

    (after,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day")

    assert (before.outage_contained, before.outage_containment_rate) == (0, 0.0)
    assert (after.ivr_contained, after.outage_contained) == (1, 1)
    assert after.outage_containment_rate == pytest.approx(1 / 7, abs=1e-4)


def test_one_discom_only(net, agents):
    _load(net, agents)

    (row,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day", discom=net.pvvnl)

    assert row.discom == net.pvvnl
    assert (row.offered, row.abandoned, row.ivr_contained) == (2, 1, 1)


def test_service_level_threshold_is_a_parameter_and_a_setting(net, agents, settings):
    _load(net, agents)

    (strict,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day", service_level_seconds=12)
    settings.SAMPARK_SERVICE_LEVEL_SECONDS = 60
    (lenient,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day")

    # 12 s: only c1 (10 s) is fast; c3 abandoned after 60 s > 12 s -> 1 / (3 + 1).
    assert strict.service_level == 0.25
    # 60 s: all three answered are fast; c3 gave up after exactly 60 s, not after -> 3 / 3.
    assert lenient.service_level == 1.0


def test_replaying_the_stream_changes_nothing(net, agents):
    _load(net, agents)
    before = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="hour")
    events, callbacks = CallEvent.objects.count(), Callback.objects.count()

    _load(net, agents)  # every event again, same order
    _load(net, agents, order=3)  # and again, shuffled

    assert call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="hour") == before
    assert (CallEvent.objects.count(), Callback.objects.count()) == (events, callbacks)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_out_of_order_events_give_the_same_kpis(net, agents, seed):
    _load(net, agents, order=seed)

    hours = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="hour")

    assert [_figures(row) for row in hours] == [HOUR_10, HOUR_11]
    assert set(Call.objects.values_list("call_id", "outcome")) == {
        ("c1", "answered"),
        ("c2", "answered"),
        ("c3", "abandoned"),
        ("c4", "abandoned"),
        ("c5", "ivr_contained"),
        ("c6", "dropped"),
        ("c7", "transferred"),
    }


def test_a_try_moves_a_callback_out_of_not_called_back(net, agents):
    a, _ = agents
    _load(net, agents)
    callback = Callback.objects.get(call__call_id="c3")

    callback_attempt_record(callback=callback, agent=a, result=CallbackAttempt.Result.NO_ANSWER)

    (row,) = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="day")
    assert (row.callbacks_owed, row.not_called_back) == (2, 1)
    assert Callback.objects.get(pk=callback.pk).status == CallbackStatus.PENDING


def test_periods_are_indian_hours_and_days(net):
    replay(
        [
            # 23:50 IST on 3 May is 18:20 UTC; 00:10 IST on 4 May is still 3 May in UTC.
            ("n1", "offered", ist(3, 23, 50), {"calling_number": "9415500003"}),
            ("n2", "offered", ist(4, 0, 10), {"calling_number": "9415500004"}),
            # 10:40 IST is 05:10 UTC: its hour is 10:00 IST, not 10:30.
            ("n3", "offered", ist(4, 10, 40), {"calling_number": "9415500005"}),
        ]
    )

    days = call_kpis(start=ist(3, 0), end=ist(5, 0), bucket="day")
    hours = call_kpis(start=ist(4, 10), end=ist(4, 11), bucket="hour")

    assert [(row.period, row.offered) for row in days] == [(ist(3, 0), 1), (ist(4, 0), 2)]
    assert [(row.period, row.offered) for row in hours] == [(ist(4, 10), 1)]


def test_an_empty_period_has_no_rows_and_bad_arguments_are_refused(net):
    assert call_kpis(start=ist(1, 0), end=ist(2, 0), bucket="day") == []
    with pytest.raises(ValidationFailed) as bad_bucket:
        call_kpis(start=ist(1, 0), end=ist(2, 0), bucket="week")
    with pytest.raises(ValidationFailed) as bad_range:
        call_kpis(start=ist(2, 0), end=ist(1, 0), bucket="day")
    assert set(bad_bucket.value.fields) == {"bucket"}
    assert set(bad_range.value.fields) == {"end"}
