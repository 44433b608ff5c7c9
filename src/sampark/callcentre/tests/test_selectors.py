"""The live views: the IVR's wait estimate, agents and queues now, agent status changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.accounts.models import Role
from sampark.callcentre.models import AgentStatus
from sampark.callcentre.selectors import agents_overview, queue_wait_estimate, queues_overview
from sampark.callcentre.services import agent_status_set
from sampark.core.errors import NotAllowed, ValidationFailed
from sampark.testing.factories import StaffFactory

from .conftest import NOW, ist, replay

pytestmark = pytest.mark.django_db


def waiting(call_id, at, queue="general", number="9415500001"):
    replay(
        [
            (call_id, "offered", at, {"calling_number": number}),
            (call_id, "queued", at + timedelta(seconds=10), {"queue": queue}),
        ]
    )


def test_without_history_or_agents_the_wait_is_four_minutes_a_caller(net):
    assert queue_wait_estimate(queue="general") == timedelta(minutes=4)

    waiting("w1", ist(4, 17, 58))

    assert queue_wait_estimate(queue="general") == timedelta(minutes=8)  # one ahead


def test_the_wait_uses_recent_handle_time_and_the_agents_signed_in(net, staff):
    a = staff["agent"]
    b = StaffFactory(username="agent_b", role=Role.AGENT, jurisdiction=net.state)
    replay(  # two calls answered in the last two hours: 120 s and 240 s of talk
        [
            ("h1", "answered", ist(4, 17, 0), {"agent": a, "calling_number": "9415500009"}),
            ("h1", "completed", ist(4, 17, 2)),
            ("h2", "answered", ist(4, 17, 10), {"agent": b, "calling_number": "9415500008"}),
            ("h2", "completed", ist(4, 17, 14)),
            # answered long ago: not recent
            ("h3", "answered", ist(4, 9, 0), {"agent": b, "calling_number": "9415500007"}),
            ("h3", "completed", ist(4, 9, 30)),
        ]
    )
    agent_status_set(agent=a, status=AgentStatus.AVAILABLE)
    agent_status_set(agent=b, status=AgentStatus.AVAILABLE)
    for n in range(3):
        waiting(f"q{n}", ist(4, 17, 55 + n))
    waiting("e1", ist(4, 17, 55), queue="emergency")

    # 3 ahead + the new caller = 4 x 180 s average / 2 agents = 360 s.
    assert queue_wait_estimate(queue="general") == timedelta(seconds=360)
    # MVVNL's line: nobody waiting there (the callers' discom is not known).
    assert queue_wait_estimate(queue="general", discom=net.mvvnl) == timedelta(seconds=90)


def test_agent_status_moves_since_only_on_a_change(net, staff, frozen_now):
    agent = staff["agent"]

    first = agent_status_set(agent=agent, status=AgentStatus.AVAILABLE)
    frozen_now["now"] = NOW + timedelta(minutes=5)
    same = agent_status_set(agent=agent, status=AgentStatus.AVAILABLE)
    frozen_now["now"] = NOW + timedelta(minutes=9)
    on_break = agent_status_set(agent=agent, status=AgentStatus.BREAK)

    assert first.since == same.since == NOW
    assert (on_break.status, on_break.since) == (AgentStatus.BREAK, NOW + timedelta(minutes=9))
    with pytest.raises(ValidationFailed):
        agent_status_set(agent=agent, status="asleep")


def test_agents_and_queues_overview(net, staff):
    supervisor = StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)
    agent = staff["agent"]
    replay(
        [
            ("a1", "offered", ist(4, 9, 0), {"calling_number": "9839012345"}),
            ("a1", "queued", ist(4, 9, 0, 5), {"queue": "general"}),
            ("a1", "answered", ist(4, 9, 0, 15), {"agent": agent}),
            ("a1", "completed", ist(4, 9, 2, 15)),
            ("a2", "offered", ist(4, 9, 10), {"calling_number": "9839022222"}),
            ("a2", "queued", ist(4, 9, 10, 5), {"queue": "general"}),
            ("a2", "answered", ist(4, 9, 10, 45), {"agent": agent}),
            ("a2", "completed", ist(4, 9, 14, 45)),
            ("a3", "offered", ist(4, 9, 20), {"calling_number": "9839033333"}),
            ("a3", "queued", ist(4, 9, 20, 5), {"queue": "general"}),
            ("a3", "abandoned", ist(4, 9, 21, 5)),
            # yesterday: not today
            ("y1", "offered", ist(3, 9, 0), {"calling_number": "9415500001"}),
            ("y1", "queued", ist(3, 9, 0, 5), {"queue": "general"}),
            ("y1", "answered", ist(3, 9, 0, 10), {"agent": agent}),
        ]
    )
    waiting("n1", ist(4, 17, 59), queue="english")
    agent_status_set(agent=agent, status=AgentStatus.AVAILABLE)

    (row,) = agents_overview(user=supervisor)
    queues = {q.queue: q for q in queues_overview(user=supervisor)}

    assert (row.status, row.since, row.answered_today) == (AgentStatus.AVAILABLE, NOW, 2)
    assert row.aht_seconds == 180.0  # (120 + 240) / 2
    general = queues["general"]
    assert (general.waiting, general.answered_today, general.abandoned_today) == (0, 2, 1)
    # a1 answered in 10 s; a2 in 40 s; a3 gave up after 60 s -> 1 / 3.
    assert general.service_level_today == pytest.approx(1 / 3)
    english = queues["english"]
    assert (english.waiting, english.longest_wait_seconds) == (1, 50.0)
    with pytest.raises(NotAllowed):
        agents_overview(user=agent)
    with pytest.raises(NotAllowed):
        queues_overview(user=agent)


def test_a_discom_supervisor_sees_agents_serving_it(net, staff):
    pv_sup = StaffFactory(username="sup_pv", role=Role.SUPERVISOR, jurisdiction=net.pvvnl)
    pv_agent = StaffFactory(username="agent_pv", role=Role.AGENT, jurisdiction=net.pvvnl)
    StaffFactory(username="agent_mv", role=Role.AGENT, jurisdiction=net.mvvnl)

    names = {row.agent_id for row in agents_overview(user=pv_sup)}

    # Their own discom's agents and the statewide desk; not another discom's.
    assert names == {pv_agent.pk, staff["agent"].pk}
