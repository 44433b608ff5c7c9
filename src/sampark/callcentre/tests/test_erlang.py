"""Erlang B/C/A against published values, an independent implementation, brute-force sums and a
simulation, plus the properties staffing relies on (more agents never make things worse)."""

from __future__ import annotations

import heapq
import math
import random

import pytest

from sampark.callcentre.erlang import (
    Target,
    erlang_a_agents,
    erlang_a_performance,
    erlang_b,
    erlang_c,
    erlang_c_agents,
    erlang_c_performance,
    target_parse,
)

EIGHTY_TWENTY = Target(service_level=0.8, answer_seconds=20)


# --- Erlang B and C against published figures ------------------------------------------------


@pytest.mark.parametrize(
    ("agents", "load", "blocking"),
    [
        # The standard Erlang B table (traffic carried at 1% / 2% blocking).
        (5, 1.361, 0.01),
        (5, 1.657, 0.02),
        (10, 4.461, 0.01),
        (10, 5.084, 0.02),
        (20, 12.031, 0.01),
        (20, 13.182, 0.02),
        (50, 37.901, 0.01),
        (100, 84.064, 0.01),
    ],
)
def test_erlang_b_matches_the_published_table(agents, load, blocking):
    assert erlang_b(agents=agents, load=load) == pytest.approx(blocking, abs=2e-5)


def test_erlang_b_recurrence_survives_loads_where_factorials_overflow():
    # 400! overflows a float; the recurrence does not go near it.
    b = erlang_b(agents=400, load=380.0)
    assert 0 < b < 0.05
    assert erlang_b(agents=0, load=3.0) == 1.0
    assert erlang_b(agents=1, load=1.0) == pytest.approx(0.5)


def test_the_issue_example_1000_calls_an_hour_at_180_s_needs_56_agents():
    need = erlang_c_agents(calls_per_hour=1000, aht_seconds=180, target=EIGHTY_TWENTY)
    assert need.agents == 56
    assert need.service_level == pytest.approx(0.8412, abs=1e-4)
    assert need.occupancy == pytest.approx(50 / 56)
    one_fewer = erlang_c_performance(
        calls_per_hour=1000, aht_seconds=180, agents=55, answer_seconds=20
    )
    assert one_fewer.service_level < 0.8


def test_call_centre_helper_worked_example():
    """Call Centre Helper's "Erlang C formula made simple": 100 calls per 30 minutes, 180 s,
    80% in 20 s -> 14 agents, P(wait) 17.4%, service level 88.8%, occupancy 71.4%
    (the same figures are pinned in pyworkforce's test suite)."""
    need = erlang_c_agents(calls_per_hour=200, aht_seconds=180, target=EIGHTY_TWENTY)
    assert need.agents == 14
    assert round(need.p_wait, 3) == 0.174
    assert round(need.service_level, 3) == 0.888
    assert round(need.occupancy, 3) == 0.714


def test_an_occupancy_cap_adds_agents():
    capped = erlang_c_agents(
        calls_per_hour=200,
        aht_seconds=180,
        target=Target(service_level=0.8, answer_seconds=20, max_occupancy=0.85),
    )
    assert capped.agents == 14  # 71% is under the 85% cap already
    tight = erlang_c_agents(
        calls_per_hour=200,
        aht_seconds=180,
        target=Target(service_level=0.8, answer_seconds=20, max_occupancy=0.7),
    )
    assert tight.agents == 15
    assert round(tight.service_level, 3) == 0.941
    assert round(tight.p_wait, 3) == 0.102
    assert round(tight.occupancy, 3) == 0.667


def test_an_asa_cap_adds_agents():
    loose = erlang_c_agents(calls_per_hour=1000, aht_seconds=180, target=EIGHTY_TWENTY)
    capped = erlang_c_agents(
        calls_per_hour=1000,
        aht_seconds=180,
        target=Target(service_level=0.8, answer_seconds=20, max_asa_seconds=5),
    )
    assert loose.asa_seconds > 5 >= capped.asa_seconds
    assert capped.agents == 58
    assert (
        erlang_c_performance(
            calls_per_hour=1000, aht_seconds=180, agents=57, answer_seconds=20
        ).asa_seconds
        > 5
    )


def test_erlang_c_relations():
    # C = N B / (N - A (1 - B)), ASA = C * AHT / (N - A), and C = 1 when agents cannot keep up.
    b = erlang_b(agents=56, load=50.0)
    assert erlang_c(agents=56, load=50.0) == pytest.approx(56 * b / (56 - 50 * (1 - b)))
    perf = erlang_c_performance(calls_per_hour=1000, aht_seconds=180, agents=56, answer_seconds=0)
    assert perf.service_level == pytest.approx(1 - perf.p_wait)
    assert perf.asa_seconds == pytest.approx(perf.p_wait * 180 / 6)
    overloaded = erlang_c_performance(
        calls_per_hour=1000, aht_seconds=180, agents=50, answer_seconds=20
    )
    assert (overloaded.p_wait, overloaded.service_level, overloaded.asa_seconds) == (
        1.0,
        0.0,
        math.inf,
    )


def test_no_calls_need_no_agents():
    assert erlang_c_agents(calls_per_hour=0, aht_seconds=180, target=EIGHTY_TWENTY).agents == 0
    assert (
        erlang_a_agents(
            calls_per_hour=0, aht_seconds=180, patience_seconds=60, target=EIGHTY_TWENTY
        ).agents
        == 0
    )


# --- Erlang A -------------------------------------------------------------------------------


def _stationary(calls_per_hour, aht, patience, agents):
    """P(wait) and P(abandon) by summing the birth-death chain's stationary distribution."""
    lam, mu, theta = calls_per_hour / 3600, 1 / aht, 1 / patience
    probs = [1.0]
    k = 0
    while True:
        k += 1
        probs.append(probs[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
        if k > agents and probs[-1] < 1e-18 * sum(probs):
            break
    total = sum(probs)
    p_wait = sum(probs[agents:]) / total
    queue = sum((j - agents) * p for j, p in enumerate(probs) if j > agents) / total
    return p_wait, theta * queue / lam


# (calls/hour, AHT, patience, agents): light and heavy traffic, both branches of the formulas.
CASES = [
    (200, 180, 300, 14),
    (1000, 180, 120, 50),
    (1000, 180, 60, 40),  # fewer agents than the load: abandonment keeps the queue finite
    (5000, 200, 30, 200),
    (60, 300, 600, 3),
]


@pytest.mark.parametrize(("calls", "aht", "patience", "agents"), CASES)
def test_erlang_a_wait_and_abandonment_match_the_stationary_distribution(
    calls, aht, patience, agents
):
    perf = erlang_a_performance(
        calls_per_hour=calls,
        aht_seconds=aht,
        patience_seconds=patience,
        agents=agents,
        answer_seconds=20,
    )
    p_wait, p_abandon = _stationary(calls, aht, patience, agents)
    assert perf.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert perf.p_abandon == pytest.approx(p_abandon, rel=1e-9)
    # Little's law for the abandoning queue: P(abandon) = theta * E[wait].
    assert perf.asa_seconds == pytest.approx(p_abandon * patience, rel=1e-9)
    # Agents are busy with the calls that stay.
    assert perf.occupancy == pytest.approx(calls * aht / 3600 * (1 - p_abandon) / agents)


def test_erlang_a_matches_an_independent_implementation():
    """pyworkforce's ErlangA (stationary sums and uniformization of the waiting caller's chain)
    pins these for 100 calls per 30 min, AHT 3 min, patience 5 min, 14 agents, 20 s."""
    perf = erlang_a_performance(
        calls_per_hour=200, aht_seconds=180, patience_seconds=300, agents=14, answer_seconds=20
    )
    assert round(perf.p_wait, 5) == 0.14526
    assert round(perf.p_abandon, 6) == 0.013984
    assert round(perf.occupancy, 6) == 0.704297
    assert round(perf.asa_seconds / 60, 6) == 0.069919
    assert round(perf.service_level, 6) == 0.916792


def _simulated_service_level(calls_per_hour, aht, patience, agents, answer, *, calls=150_000):
    """First come first served with impatient callers, simulated caller by caller: each takes
    the agent free soonest unless their patience runs out first (seeded: the same every run)."""
    rng = random.Random(1912)
    free_at = [0.0] * agents
    now = 0.0
    within = 0
    for _ in range(calls):
        now += rng.expovariate(calls_per_hour / 3600)
        start = max(now, free_at[0])
        if start - now <= rng.expovariate(1 / patience):
            heapq.heapreplace(free_at, start + rng.expovariate(1 / aht))
            within += start - now <= answer
    return within / calls


@pytest.mark.parametrize(("calls", "aht", "patience", "agents"), CASES[:4])
def test_erlang_a_service_level_matches_a_simulation(calls, aht, patience, agents):
    perf = erlang_a_performance(
        calls_per_hour=calls,
        aht_seconds=aht,
        patience_seconds=patience,
        agents=agents,
        answer_seconds=20,
    )
    simulated = _simulated_service_level(calls, aht, patience, agents, 20)
    assert perf.service_level == pytest.approx(simulated, abs=0.01)


@pytest.mark.parametrize(("calls", "agents"), [(200, 12), (200, 15), (1000, 53), (1000, 56)])
def test_erlang_a_with_endless_patience_is_erlang_c(calls, agents):
    c = erlang_c_performance(
        calls_per_hour=calls, aht_seconds=180, agents=agents, answer_seconds=20
    )
    patient = erlang_a_performance(
        calls_per_hour=calls,
        aht_seconds=180,
        patience_seconds=1e8,
        agents=agents,
        answer_seconds=20,
    )
    assert patient.p_wait == pytest.approx(c.p_wait, rel=1e-4)
    assert patient.service_level == pytest.approx(c.service_level, rel=1e-4)
    assert patient.asa_seconds == pytest.approx(c.asa_seconds, rel=1e-3)
    assert patient.p_abandon < 1e-6
    infinite = erlang_a_performance(
        calls_per_hour=calls,
        aht_seconds=180,
        patience_seconds=math.inf,
        agents=agents,
        answer_seconds=20,
    )
    assert infinite == c


def test_erlang_a_agents_with_endless_patience_equal_erlang_c():
    for calls in (50, 200, 1000, 3000):
        c = erlang_c_agents(calls_per_hour=calls, aht_seconds=180, target=EIGHTY_TWENTY)
        a = erlang_a_agents(
            calls_per_hour=calls, aht_seconds=180, patience_seconds=1e8, target=EIGHTY_TWENTY
        )
        assert a.agents == c.agents


def test_impatient_callers_need_fewer_agents_but_abandon_more():
    c = erlang_c_agents(calls_per_hour=1000, aht_seconds=180, target=EIGHTY_TWENTY)
    a = erlang_a_agents(
        calls_per_hour=1000, aht_seconds=180, patience_seconds=120, target=EIGHTY_TWENTY
    )
    assert a.agents < c.agents
    assert a.p_abandon > 0.01
    capped = erlang_a_agents(
        calls_per_hour=1000,
        aht_seconds=180,
        patience_seconds=120,
        target=Target(service_level=0.8, answer_seconds=20, max_abandon=0.02),
    )
    assert capped.p_abandon <= 0.02 and capped.agents > a.agents


# --- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("calls", [30, 200, 1000, 4000])
@pytest.mark.parametrize("patience", [15, 120, 900, math.inf])
def test_more_agents_never_lower_the_service_level(calls, patience):
    load = calls * 180 / 3600
    previous = None
    for agents in range(1, math.ceil(load * 1.5) + 3):
        perf = erlang_a_performance(
            calls_per_hour=calls,
            aht_seconds=180,
            patience_seconds=patience,
            agents=agents,
            answer_seconds=20,
        )
        assert 0 <= perf.service_level <= 1 and 0 <= perf.p_abandon <= perf.p_wait <= 1
        if previous is not None:
            assert perf.service_level >= previous.service_level - 1e-12
            assert perf.asa_seconds <= previous.asa_seconds + 1e-9
            assert perf.p_abandon <= previous.p_abandon + 1e-12
        previous = perf


@pytest.mark.parametrize("calls", [10, 120, 800, 2500])
@pytest.mark.parametrize("patience", [20, 180, math.inf])
@pytest.mark.parametrize(
    "target",
    [
        EIGHTY_TWENTY,
        Target(service_level=0.9, answer_seconds=10, max_occupancy=0.85),
        Target(service_level=0.7, answer_seconds=60, max_asa_seconds=15),
    ],
)
def test_agents_needed_is_the_fewest_that_meet_the_target(calls, patience, target):
    need = erlang_a_agents(
        calls_per_hour=calls, aht_seconds=200, patience_seconds=patience, target=target
    )
    fewer = erlang_a_performance(
        calls_per_hour=calls,
        aht_seconds=200,
        patience_seconds=patience,
        agents=need.agents - 1,
        answer_seconds=target.answer_seconds,
    )

    def meets(perf):
        return (
            perf.service_level >= target.service_level
            and (target.max_occupancy is None or perf.occupancy <= target.max_occupancy)
            and (target.max_asa_seconds is None or perf.asa_seconds <= target.max_asa_seconds)
        )

    assert meets(need)
    assert not meets(fewer)


def test_huge_loads_stay_finite_and_fast_enough_to_search():
    need = erlang_a_agents(
        calls_per_hour=50_000, aht_seconds=300, patience_seconds=1e6, target=EIGHTY_TWENTY
    )
    c = erlang_c_agents(calls_per_hour=50_000, aht_seconds=300, target=EIGHTY_TWENTY)
    assert need.agents == c.agents
    assert 0.8 <= need.service_level < 1


# --- inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "seconds"),
    [("0.8/20", 0.8, 20), ("80/20", 0.8, 20), ("85.5%/30", 0.855, 30), (" 0.9 / 15 ", 0.9, 15)],
)
def test_targets_parse(text, level, seconds):
    target = target_parse(text)
    assert target.service_level == pytest.approx(level)
    assert target.answer_seconds == seconds


@pytest.mark.parametrize("text", ["0.8", "abc/20", "0.8/x", "1.2/20", "0/20", "100/20", "0.8/-5"])
def test_bad_targets_are_refused(text):
    with pytest.raises(ValueError):
        target_parse(text)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"calls_per_hour": -1, "aht_seconds": 180},
        {"calls_per_hour": math.nan, "aht_seconds": 180},
        {"calls_per_hour": 100, "aht_seconds": 0},
        {"calls_per_hour": 100, "aht_seconds": math.inf},
    ],
)
def test_bad_loads_are_refused(kwargs):
    with pytest.raises(ValueError):
        erlang_c_agents(target=EIGHTY_TWENTY, **kwargs)
    with pytest.raises(ValueError):
        erlang_a_agents(patience_seconds=60, target=EIGHTY_TWENTY, **kwargs)


def test_bad_patience_is_refused():
    for patience in (0, -5, math.nan):
        with pytest.raises(ValueError):
            erlang_a_agents(
                calls_per_hour=100, aht_seconds=180, patience_seconds=patience, target=EIGHTY_TWENTY
            )
