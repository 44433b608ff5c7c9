"""The staffing plan (forecast + Erlang + roster), its page and the `staffing` command."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sampark.accounts.models import Role
from sampark.callcentre.erlang import Target, erlang_a_agents, erlang_c_agents
from sampark.callcentre.models import Call, CallOutcome, CallSource, RosterShift
from sampark.callcentre.staffing import rostered_by_hour, staffing_plan
from sampark.core import clock
from sampark.outages.models import Outage, OutageKind, OutageReason, OutageScope, OutageSource
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db

IST = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 5, 4, 18, 20, tzinfo=IST)
START = datetime(2026, 5, 4, 18, 0, tzinfo=IST)
HOUR = timedelta(hours=1)
URL = "/staff/callcentre/staffing/"
_ids = count(1)


@pytest.fixture(autouse=True)
def pinned(monkeypatch, settings):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    settings.SAMPARK_STAFFING_TARGET = "0.8/20"
    settings.SAMPARK_STAFFING_MAX_OCCUPANCY = None
    settings.SAMPARK_STAFFING_HISTORY_WEEKS = 4
    settings.SAMPARK_STAFFING_AHT_SECONDS = 180.0
    settings.SAMPARK_STAFFING_PATIENCE_SECONDS = 120.0
    settings.SAMPARK_STAFFING_WRAP_UP_SECONDS = 0.0
    settings.SAMPARK_CALLS_PER_AFFECTED_CONSUMER = 0.5
    settings.SAMPARK_OUTAGE_CALL_PROFILE = [0.6, 0.3, 0.1]


@pytest.fixture
def supervisor(net):
    return StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)


def offered(discom, at: datetime, n: int) -> None:
    Call.objects.bulk_create(
        Call(
            call_id=f"s{next(_ids)}",
            source=CallSource.API,
            discom=discom,
            offered_at=at,
            outcome=CallOutcome.ANSWERED,
        )
        for _ in range(n)
    )


def shift(agent, discom, begins: datetime, ends: datetime) -> None:
    RosterShift.objects.create(agent=agent, discom=discom, starts_at=begins, ends_at=ends)


def busy_monday(net) -> None:
    """1000 calls in the 18:00 hour every Monday for five weeks: the 18:00 forecast is 1000."""
    for weeks in range(1, 6):
        offered(net.mvvnl, START - timedelta(weeks=weeks) + timedelta(minutes=10), 1000)


# --- the plan -------------------------------------------------------------------------------


def test_rostered_agent_hours_merge_each_agents_shifts(net):
    a, b, gone = (StaffFactory(username=name) for name in ("a1", "a2", "gone"))
    gone.is_active = False
    gone.save()
    shift(a, net.mvvnl, START - 2 * HOUR, START + 4 * HOUR)  # 16:00-22:00
    shift(b, net.mvvnl, START + HOUR / 2, START + 2 * HOUR)  # 18:30-20:00
    shift(b, net.mvvnl, START + HOUR, START + HOUR * 1.5)  # inside the one above
    shift(gone, net.mvvnl, START, START + 4 * HOUR)  # an inactive agent
    shift(b, net.pvvnl, START, START + 4 * HOUR)  # another discom

    assert rostered_by_hour(discom=net.mvvnl, start=START, hours=6) == [1.5, 2, 1, 1, 0, 0]


def test_the_plan_needs_56_agents_for_1000_calls_of_180_seconds(net):
    busy_monday(net)
    agents = [StaffFactory(username=f"ag{i}") for i in range(50)]
    for agent in agents:
        shift(agent, net.mvvnl, START, START + 2 * HOUR)
    for agent in agents[:10]:
        shift(agent, net.mvvnl, START + 2 * HOUR, START + 3 * HOUR)

    plan = staffing_plan(discom=net.mvvnl)

    first = plan.rows[0]
    assert first.hour.starts_at == START and first.hour.calls == pytest.approx(1000)
    assert first.aht_seconds == 180.0  # no answered-call timings: the configured AHT
    assert first.erlang_c.agents == 56
    expected_a = erlang_a_agents(
        calls_per_hour=1000, aht_seconds=180, patience_seconds=120, target=Target()
    )
    assert first.erlang_a.agents == expected_a.agents < 56
    assert (first.rostered, first.gap, first.short) == (50, -6, True)
    # 19:00 onwards nobody calls: no agents needed, any roster is spare.
    assert plan.rows[1].erlang_c.agents == 0 and plan.rows[1].gap == 50
    assert plan.rows[2].gap == 10 and not plan.rows[2].short
    assert plan.short_hours == 1 and plan.agent_hours_short == 6


def test_an_outage_surge_raises_the_need_in_its_hours(net):
    ConsumerFactory.create_batch(399, dt=net.dt1)  # feeder 1: 400 consumers
    reason = OutageReason.objects.create(code="trip", text_en="Trip", text_hi="ट्रिप")
    outage = Outage.objects.create(
        kind=OutageKind.PLANNED,
        status="scheduled",
        reason=reason,
        source=OutageSource.FIELD,
        org_unit=net.sd1,
        zone=net.zone,
        starts_at=START + 3 * HOUR,
        etr=START + 6 * HOUR,
        created_at=START - timedelta(days=2),
    )
    OutageScope.objects.create(outage=outage, feeder=net.feeder1)

    rows = staffing_plan(discom=net.mvvnl).rows

    # 400 consumers x 0.5 calls = 200 calls: 120, 60 and 20 in the three hours from 21:00.
    assert [round(r.hour.calls, 6) for r in rows[2:7]] == [0, 120, 60, 20, 0]
    for row in rows[3:6]:
        assert row.erlang_c.agents == (
            erlang_c_agents(calls_per_hour=row.hour.calls, aht_seconds=180, target=Target()).agents
        )
        assert row.erlang_c.agents > 0 and row.short


def test_the_target_comes_from_settings(net, settings):
    busy_monday(net)
    settings.SAMPARK_STAFFING_TARGET = "90%/15"
    settings.SAMPARK_STAFFING_MAX_OCCUPANCY = 0.85

    plan = staffing_plan(discom=net.mvvnl)

    assert plan.target == Target(service_level=0.9, answer_seconds=15, max_occupancy=0.85)
    need = plan.rows[0].erlang_c
    assert need.occupancy <= 0.85 and need.service_level >= 0.9 and need.agents == 59


# --- the page -------------------------------------------------------------------------------


def _as(client, user):
    client.force_login(user)
    return client


def test_a_supervisor_sees_the_plan_with_short_hours_highlighted(client, net, supervisor):
    busy_monday(net)
    for i in range(50):
        shift(StaffFactory(username=f"r{i}"), net.mvvnl, START, START + HOUR)

    response = _as(client, supervisor).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Call-centre staffing: next 24 hours" in page
    assert "Agents needed (Erlang C)" in page and "Agents needed (Erlang A)" in page
    assert page.count('<tr class="short">') == 1  # 18:00: 50 rostered, 56 needed
    assert '<span class="status status-failed">-6</span>' in page
    assert "The roster is short in 1 hour." in page
    # Both discoms are offered; MVVNL (first by code) is shown.
    assert '<option value="MVVNL" selected>' in page and '<option value="PVVNL">' in page
    plan = response.context["plan"]
    assert plan.discom == net.mvvnl and len(plan.rows) == 24


def test_the_page_is_in_hindi_by_default(client, net, supervisor):
    page = _as(client, supervisor).get(URL).content.decode()
    assert '<html lang="hi">' in page


def test_the_discom_picker_switches_discom(client, net, supervisor):
    offered(net.pvvnl, START - timedelta(weeks=1), 30)
    response = _as(client, supervisor).get(URL, {"discom": "pvvnl"})
    assert response.status_code == 200
    assert response.context["plan"].discom == net.pvvnl
    assert response.context["plan"].rows[0].hour.calls == pytest.approx(30)


def test_a_je_is_refused(client, staff):
    response = _as(client, staff["je"]).get(URL)
    assert response.status_code == 403
    assert "plan" not in (response.context or {})


def test_an_agent_is_refused(client, staff):
    assert _as(client, staff["agent"]).get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, net):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_md_sees_only_their_discom(client, staff):
    client = _as(client, staff["md"])
    own = client.get(URL)
    assert own.status_code == 200 and [d.code for d in own.context["discoms"]] == ["MVVNL"]
    assert client.get(URL, {"discom": "PVVNL"}).status_code == 404
    assert client.get(URL, {"discom": "NOPE"}).status_code == 404


def test_an_officer_below_discom_level_has_no_discom_to_show(client, staff):
    response = _as(client, staff["sdo"]).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert "No discom in your area." in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, net, supervisor, django_assert_max_num_queries
):
    client = _as(client, supervisor)
    client.get(URL)  # warm up: session, translations
    with django_assert_max_num_queries(10) as quiet:
        client.get(URL)

    # More history, shifts and outages in many hours must not add queries.
    for hour in range(48):
        offered(net.mvvnl, START - timedelta(weeks=1) + hour * HOUR, 3)
    for i in range(12):
        shift(StaffFactory(username=f"q{i}"), net.mvvnl, START + i * HOUR, START + (i + 3) * HOUR)
    reason = OutageReason.objects.create(code="trip", text_en="Trip", text_hi="ट्रिप")
    for i in range(6):
        outage = Outage.objects.create(
            kind=OutageKind.UNPLANNED if i % 2 else OutageKind.PLANNED,
            status="active" if i % 2 else "scheduled",
            reason=reason,
            source=OutageSource.FIELD,
            org_unit=net.sd1,
            zone=net.zone,
            starts_at=START + (i * 3 - 1) * HOUR,
            etr=START + (i * 3 + 2) * HOUR,
            created_at=START - timedelta(days=2),
        )
        OutageScope.objects.create(outage=outage, feeder=net.feeder1)
    with CaptureQueriesContext(connection) as busy:
        response = client.get(URL)
    assert response.context["plan"].rows[0].hour.calls > 0
    # One more than the quiet page: the consumers-cut-off count runs only when there are outages.
    assert len(busy.captured_queries) == len(quiet.captured_queries) + 1


# --- the command ----------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("staffing", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_agents_under_both_models():
    text = _run("--calls-per-hour", "1000", "--aht", "180", "--target", "0.8/20")
    assert "50.00 erlangs" in text
    assert "Erlang C: 56 agents, service level 84.1%" in text
    assert "Erlang A (patience 120 s): 50 agents" in text and "abandoning 6.2%" in text


def test_the_command_prints_json_with_the_options():
    body = json.loads(
        _run(
            "--calls-per-hour",
            "200",
            "--aht",
            "180",
            "--target",
            "80/20",
            "--max-occupancy",
            "0.7",
            "--patience",
            "300",
            "--json",
        )
    )
    assert body["load_erlangs"] == 10
    assert body["target"]["max_occupancy"] == 0.7
    assert body["erlang_c"]["agents"] == 15 and round(body["erlang_c"]["service_level"], 3) == 0.941
    assert body["erlang_a"]["agents"] == 15 and body["erlang_a"]["p_abandon"] > 0


def test_infinite_patience_is_erlang_c_in_the_command():
    body = json.loads(
        _run("--calls-per-hour", "1000", "--aht", "180", "--patience", "inf", "--json")
    )
    assert body["patience_seconds"] is None
    assert body["erlang_a"] == body["erlang_c"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "either --calls-per-hour and --aht, or --discom"),
        (("--calls-per-hour", "100"), "go together"),
        (("--aht", "100"), "go together"),
        (("--calls-per-hour", "100", "--aht", "100", "--discom", "MVVNL"), "either"),
        (("--calls-per-hour", "-3", "--aht", "100"), "calls per hour"),
        (("--calls-per-hour", "100", "--aht", "0"), "handle time"),
        (("--calls-per-hour", "100", "--aht", "100", "--target", "fast"), "0.8/20"),
        (("--calls-per-hour", "100", "--aht", "100", "--target", "1.5/20"), "service level"),
        (("--calls-per-hour", "100", "--aht", "100", "--patience", "0"), "patience"),
        (("--calls-per-hour", "100", "--aht", "100", "--max-occupancy", "1.5"), "occupancy"),
        (("--calls-per-hour", "100", "--aht", "100", "--max-abandon", "0"), "abandonment"),
        (("--calls-per-hour", "lots", "--aht", "100"), "invalid float"),
    ],
)
def test_bad_arguments_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_the_command_prints_a_discoms_plan(net):
    busy_monday(net)
    text = _run("--discom", "mvvnl")
    lines = text.splitlines()
    assert lines[0] == "MVVNL (Madhyanchal): the next 24 hours"
    assert "handle time 180 s (configured)" in lines[1]
    rows = [line for line in lines if line.startswith("2026-")]
    assert len(rows) == 24
    assert rows[0].split()[:6] == ["2026-05-04", "18:00", "1000.0", "0.0", "56", "50"]
    assert rows[0].endswith("SHORT") and lines[-1] == "hours short: 1"

    body = json.loads(_run("--discom", "MVVNL", "--json"))
    assert body["discom"] == "MVVNL" and len(body["hours"]) == 24
    assert body["hours"][0]["erlang_c"]["agents"] == 56 and body["hours"][0]["short"]


def test_an_unknown_discom_is_a_clear_error(net):
    with pytest.raises(CommandError, match="no discom with code 'XYZ'"):
        _run("--discom", "XYZ")
