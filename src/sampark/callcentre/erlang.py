"""Queueing maths for staffing: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M, Palm).

Pure functions, no Django. Times are in seconds, rates per second unless a name says "per hour".

Erlang C assumes callers wait for ever. Erlang A gives each caller an exponential patience with
mean `patience` seconds (rate theta = 1/patience) after which they hang up; the formulas are those
of Garnett, Mandelbaum & Reiman (2002) and Mandelbaum & Zeltyn's M/M/n+G summary, written with
x = n*mu/theta and y = lambda/theta:

    S(x, y)      = sum_{j>=0} y^j / ((x+1)(x+2)...(x+j))   = x e^y y^-x gamma(x, y)
    P(wait)      = E_B S / (1 + (S - 1) E_B)                E_B: Erlang B(n, lambda/mu)
    P(served within t | wait) = (x / y) [P(x+1, y) - P(x+1, y e^-theta t)] / P(x, y)
    P(abandon)   = P(wait) (1 - P(served | wait));  mean wait = P(abandon) / theta

(P is the regularized lower incomplete gamma function.) The served-within-t term follows from
e^(-theta V) ~ Beta(x, j+1) for a caller finding j others waiting (their offered wait V is a sum
of exponentials with rates n*mu + i*theta, i = 0..j); docs/staffing.md has the derivation.

Service level is the share of all callers answered within the target time: under Erlang A a
caller who hangs up counts as a failure, however soon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Series and continued fraction stop when a term changes the sum by less than this.
_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 10_000_000
# The agents search gives up beyond this (a mistyped input, not a call centre).
MAX_AGENTS = 1_000_000


@dataclass(frozen=True)
class Target:
    """What the staffing must achieve: `service_level` of calls answered within
    `answer_seconds`; optionally caps on the mean wait, on occupancy and (Erlang A) on the
    share of callers who hang up."""

    service_level: float = 0.8
    answer_seconds: float = 20.0
    max_asa_seconds: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.service_level < 1:
            raise ValueError("service level must be between 0 and 1 (exclusive)")
        if not self.answer_seconds >= 0 or math.isinf(self.answer_seconds):
            raise ValueError("answer time must be zero or more seconds")
        if self.max_asa_seconds is not None and not self.max_asa_seconds > 0:
            raise ValueError("the mean wait cap must be more than zero seconds")
        if self.max_occupancy is not None and not 0 < self.max_occupancy <= 1:
            raise ValueError("maximum occupancy must be more than 0 and at most 1")
        if self.max_abandon is not None and not 0 < self.max_abandon < 1:
            raise ValueError("maximum abandonment must be between 0 and 1 (exclusive)")


def target_parse(text: str) -> Target:
    """`"0.8/20"`, `"80%/20"` or `"80/20"` (a whole number above 1 is a percentage)
    -> Target(service_level=0.8, answer_seconds=20)."""
    shape = "target must look like 0.8/20 or 80%/20 (service level / answer seconds)"
    level, sep, seconds = text.strip().partition("/")
    level = level.strip()
    percent = level.endswith("%")
    try:
        sl = float(level.rstrip("%"))
        answer = float(seconds)
    except ValueError:
        raise ValueError(shape) from None
    if not sep:
        raise ValueError(shape)
    if percent or (sl > 1 and sl.is_integer()):
        sl /= 100
    return Target(service_level=sl, answer_seconds=answer)


@dataclass(frozen=True)
class Performance:
    """How `agents` agents perform on a load. `asa_seconds` is the mean wait of all callers
    (those who hang up count their time until they do); infinite when the queue never empties."""

    agents: int
    service_level: float
    p_wait: float
    asa_seconds: float
    occupancy: float
    p_abandon: float = 0.0


def _check_load(calls_per_hour: float, aht_seconds: float) -> None:
    if not calls_per_hour >= 0 or math.isinf(calls_per_hour):
        raise ValueError("calls per hour must be zero or more")
    if not aht_seconds > 0 or math.isinf(aht_seconds):
        raise ValueError("handle time must be more than zero seconds")


def offered_load(*, calls_per_hour: float, aht_seconds: float) -> float:
    """Erlangs: the agents that would be busy all the time."""
    return calls_per_hour * aht_seconds / 3600.0


# --- Erlang B and C --------------------------------------------------------------------------


def erlang_b(*, agents: int, load: float) -> float:
    """Blocking probability, by the recurrence B(k) = A B(k-1) / (k + A B(k-1)): no factorials,
    no powers, every step between 0 and 1."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return b


def _erlang_c_from_b(agents: int, load: float, b: float) -> float:
    if agents <= load:
        return 1.0
    return agents * b / (agents - load * (1.0 - b))


def erlang_c(*, agents: int, load: float) -> float:
    """Probability that a caller waits (1 when the agents cannot keep up)."""
    return _erlang_c_from_b(agents, load, erlang_b(agents=agents, load=load))


def _c_performance(agents: int, load: float, b: float, aht: float, t: float) -> Performance:
    if load == 0:
        return Performance(agents, 1.0, 0.0, 0.0, 0.0)
    if agents <= load:
        return Performance(agents, 0.0, 1.0, math.inf, 1.0 if agents else math.inf)
    c = _erlang_c_from_b(agents, load, b)
    spare = agents - load
    return Performance(
        agents=agents,
        service_level=1.0 - c * math.exp(-spare * t / aht),
        p_wait=c,
        asa_seconds=c * aht / spare,
        occupancy=load / agents,
    )


def erlang_c_performance(
    *, calls_per_hour: float, aht_seconds: float, agents: int, answer_seconds: float
) -> Performance:
    _check_load(calls_per_hour, aht_seconds)
    load = offered_load(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    b = erlang_b(agents=agents, load=load)
    return _c_performance(agents, load, b, aht_seconds, answer_seconds)


def _meets(perf: Performance, target: Target) -> bool:
    # A hair of tolerance: 0.8 computed as 0.7999999999999999 still meets 0.8.
    if perf.service_level < target.service_level - 1e-12:
        return False
    if target.max_asa_seconds is not None and perf.asa_seconds > target.max_asa_seconds:
        return False
    if target.max_abandon is not None and perf.p_abandon > target.max_abandon:
        return False
    return target.max_occupancy is None or perf.occupancy <= target.max_occupancy + 1e-12


def erlang_c_agents(*, calls_per_hour: float, aht_seconds: float, target: Target) -> Performance:
    """The fewest agents meeting `target` under Erlang C, with their performance."""
    _check_load(calls_per_hour, aht_seconds)
    load = offered_load(calls_per_hour=calls_per_hour, aht_seconds=aht_seconds)
    if load == 0:
        return Performance(0, 1.0, 0.0, 0.0, 0.0)
    agents = math.floor(load) + 1
    b = erlang_b(agents=agents, load=load)
    while agents <= MAX_AGENTS:
        perf = _c_performance(agents, load, b, aht_seconds, target.answer_seconds)
        if _meets(perf, target):
            return perf
        agents += 1
        b = load * b / (agents + load * b)
    raise ValueError("the load needs more agents than this calculator searches")


# --- Erlang A --------------------------------------------------------------------------------


def _series(a: float, z: float) -> float:
    """S(a, z) = sum_j z^j / ((a+1)...(a+j)), for 0 <= z < a + 1 (terms shrink from the
    start, so the sum converges without overflow)."""
    total = term = 1.0
    j = 0
    while j < _MAX_TERMS:
        j += 1
        term *= z / (a + j)
        total += term
        if term < _EPS * total:
            return total
    raise ArithmeticError("incomplete gamma series did not converge")


def _upper_cf(a: float, z: float) -> float:
    """Regularized upper incomplete gamma Q(a, z) for z >= a + 1, by Legendre's continued
    fraction evaluated with the modified Lentz method."""
    b = z + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    i = 0
    while i < _MAX_TERMS:
        i += 1
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = d if abs(d) > _TINY else _TINY
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return math.exp(-z + a * math.log(z) - math.lgamma(a)) * h
    raise ArithmeticError("incomplete gamma continued fraction did not converge")


def _gamma_pq(a: float, z: float) -> tuple[float, float]:
    """(P, Q): regularized lower and upper incomplete gamma, each computed where it is small
    so that neither loses its digits to the other's 1 - x."""
    if z <= 0:
        return 0.0, 1.0
    if z < a + 1:
        p = math.exp(-z + a * math.log(z) - math.lgamma(a + 1)) * _series(a, z)
        return p, 1.0 - p
    q = _upper_cf(a, z)
    return 1.0 - q, q


def _logistic_wait(b: float, log_s: float) -> float:
    """P(wait) = E_B S / (1 + (S - 1) E_B) = 1 / (1 + (1 - E_B) / (E_B S)), in logs."""
    if b <= 0:
        return 0.0
    if b >= 1:
        return 1.0
    r = math.log1p(-b) - math.log(b) - log_s
    if r > 0:
        e = math.exp(-r)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(r))


def _a_performance(
    agents: int, lam: float, mu: float, theta: float, b: float, t: float
) -> Performance:
    load = lam / mu
    if lam == 0:
        return Performance(agents, 1.0, 0.0, 0.0, 0.0)
    x = agents * mu / theta
    y = lam / theta
    theta_t = theta * t
    u = math.exp(-theta_t)
    if agents == 0:
        # Nobody answers: every caller waits and hangs up.
        return Performance(0, 0.0, 1.0, 1.0 / theta, math.inf, 1.0)
    if y < x + 1:
        s = _series(x, y)
        s1 = _series(x + 1, y)
        decay = math.exp(-(x + 1) * theta_t + y * -math.expm1(-theta_t))
        within = x / ((x + 1) * s) * (s1 - decay * _series(x + 1, y * u))
        served = x * s1 / ((x + 1) * s)
        log_s = math.log(s)
    else:
        p0, _q0 = _gamma_pq(x, y)
        p1, q1 = _gamma_pq(x + 1, y)
        pt, qt = _gamma_pq(x + 1, y * u)
        diff = qt - q1 if pt > 0.5 else p1 - pt
        within = x / y * diff / p0
        served = x / y * p1 / p0
        log_s = math.lgamma(x + 1) + y - x * math.log(y) + math.log(p0)
    p_wait = _logistic_wait(b, log_s)
    served = min(1.0, max(0.0, served))
    within = min(served, max(0.0, within))
    p_abandon = p_wait * (1.0 - served)
    return Performance(
        agents=agents,
        service_level=(1.0 - p_wait) + p_wait * within,
        p_wait=p_wait,
        asa_seconds=p_abandon / theta,
        occupancy=load * (1.0 - p_abandon) / agents,
        p_abandon=p_abandon,
    )


def _rates(
    calls_per_hour: float, aht_seconds: float, patience_seconds: float
) -> tuple[float, float, float]:
    _check_load(calls_per_hour, aht_seconds)
    if not patience_seconds > 0:
        raise ValueError("patience must be more than zero seconds")
    return calls_per_hour / 3600.0, 1.0 / aht_seconds, 1.0 / patience_seconds


def erlang_a_performance(
    *,
    calls_per_hour: float,
    aht_seconds: float,
    patience_seconds: float,
    agents: int,
    answer_seconds: float,
) -> Performance:
    """Erlang A; an infinite patience is Erlang C."""
    if math.isinf(patience_seconds):
        return erlang_c_performance(
            calls_per_hour=calls_per_hour,
            aht_seconds=aht_seconds,
            agents=agents,
            answer_seconds=answer_seconds,
        )
    lam, mu, theta = _rates(calls_per_hour, aht_seconds, patience_seconds)
    b = erlang_b(agents=agents, load=lam / mu)
    return _a_performance(agents, lam, mu, theta, b, answer_seconds)


def erlang_a_agents(
    *, calls_per_hour: float, aht_seconds: float, patience_seconds: float, target: Target
) -> Performance:
    """The fewest agents meeting `target` under Erlang A. Service level and occupancy improve
    with every added agent, so the answer is found by doubling then bisecting."""
    if math.isinf(patience_seconds):
        return erlang_c_agents(
            calls_per_hour=calls_per_hour, aht_seconds=aht_seconds, target=target
        )
    lam, mu, theta = _rates(calls_per_hour, aht_seconds, patience_seconds)
    if lam == 0:
        return Performance(0, 1.0, 0.0, 0.0, 0.0)
    load = lam / mu

    def perf(agents: int) -> Performance:
        b = erlang_b(agents=agents, load=load)
        return _a_performance(agents, lam, mu, theta, b, target.answer_seconds)

    low, high = 0, max(1, math.ceil(load))  # `low` fails (0 agents answer nobody)
    best = perf(high)
    while not _meets(best, target):
        low, high = high, high * 2
        if high > MAX_AGENTS:
            raise ValueError("the load needs more agents than this calculator searches")
        best = perf(high)
    while high - low > 1:
        mid = (low + high) // 2
        candidate = perf(mid)
        if _meets(candidate, target):
            high, best = mid, candidate
        else:
            low = mid
    return best
