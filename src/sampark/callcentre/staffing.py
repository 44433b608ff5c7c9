"""The staffing plan: for each of a discom's next 24 hours, the forecast calls, the agents
Erlang C and Erlang A say are needed for the target, the agents rostered, and the gap.

The gap is rostered minus the Erlang C need (the conservative model: callers who would hang up
are still counted as callers to answer). Erlang A's column shows how far the callers' measured
patience softens that. Reads only; a fixed number of queries whatever the hours and rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core.errors import NotFound
from sampark.network.models import OrgLevel, OrgUnit

from .erlang import Performance, Target, erlang_a_agents, erlang_c_agents, target_parse
from .forecast import HOUR, Forecast, HourForecast, calls_forecast
from .models import RosterShift


@dataclass(frozen=True)
class PlanRow:
    hour: HourForecast
    aht_seconds: float
    erlang_c: Performance
    erlang_a: Performance
    rostered: float  # agent-hours rostered in the hour (two half-hour shifts make 1)

    @property
    def needed(self) -> int:
        return self.erlang_c.agents

    @property
    def gap(self) -> float:
        return self.rostered - self.needed

    @property
    def short(self) -> bool:
        return self.gap < 0


@dataclass(frozen=True)
class StaffingPlan:
    discom: OrgUnit
    target: Target
    forecast: Forecast
    rows: list[PlanRow]

    @property
    def short_hours(self) -> int:
        return sum(1 for row in self.rows if row.short)

    @property
    def agent_hours_short(self) -> float:
        return sum(-row.gap for row in self.rows if row.short)


def staffing_target() -> Target:
    """The target from settings: `SAMPARK_STAFFING_TARGET` and the occupancy cap."""
    parsed = target_parse(settings.SAMPARK_STAFFING_TARGET)
    cap = settings.SAMPARK_STAFFING_MAX_OCCUPANCY
    return Target(
        service_level=parsed.service_level,
        answer_seconds=parsed.answer_seconds,
        max_occupancy=float(cap) if cap is not None else None,
    )


def rostered_by_hour(*, discom: OrgUnit, start: datetime, hours: int) -> list[float]:
    """Agent-hours rostered on `discom` in each hour from `start`: one query. An agent's
    overlapping shifts are merged so that nobody counts twice."""
    end = start + hours * HOUR
    shifts = (
        RosterShift.objects.filter(
            discom=discom, starts_at__lt=end, ends_at__gt=start, agent__is_active=True
        )
        .order_by("agent_id", "starts_at")
        .values_list("agent_id", "starts_at", "ends_at")
    )
    merged: dict[int, list[list[datetime]]] = defaultdict(list)
    for agent_id, begins, ends in shifts:
        spans = merged[agent_id]
        if spans and begins <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], ends)
        else:
            spans.append([begins, ends])
    rostered = [0.0] * hours
    for spans in merged.values():
        for begins, ends in spans:
            for i in range(hours):
                slot = start + i * HOUR
                overlap = min(ends, slot + HOUR) - max(begins, slot)
                if overlap.total_seconds() > 0:
                    rostered[i] += overlap / HOUR
    return rostered


def staffing_plan(
    *, discom: OrgUnit, now: datetime | None = None, target: Target | None = None, hours: int = 24
) -> StaffingPlan:
    target = target or staffing_target()
    forecast = calls_forecast(discom=discom, now=now, hours=hours)
    start = forecast.hours[0].starts_at
    rostered = rostered_by_hour(discom=discom, start=start, hours=hours)
    aht = forecast.aht_seconds
    rows = [
        PlanRow(
            hour=hour,
            aht_seconds=aht,
            erlang_c=erlang_c_agents(calls_per_hour=hour.calls, aht_seconds=aht, target=target),
            erlang_a=erlang_a_agents(
                calls_per_hour=hour.calls,
                aht_seconds=aht,
                patience_seconds=forecast.patience_seconds,
                target=target,
            ),
            rostered=rostered[i],
        )
        for i, hour in enumerate(forecast.hours)
    ]
    return StaffingPlan(discom=discom, target=target, forecast=forecast, rows=rows)


# --- staff reads -----------------------------------------------------------------------------


def staffing_discoms_for_staff(*, user: StaffUser) -> list[OrgUnit]:
    """Discoms whose staffing `user` may see: call-centre supervisors and officers, within
    their jurisdiction (a supervisor of the state sees every discom, an MD their own)."""
    require(user, Action.CALLCENTRE_SUPERVISE)
    discoms = OrgUnit.objects.filter(level=OrgLevel.DISCOM).order_by("code")
    return list(staff_scope(user).apply(discoms, org_path="path"))


def staffing_discom_pick(
    *, user: StaffUser, code: str | None
) -> tuple[list[OrgUnit], OrgUnit | None]:
    """The discoms offered to `user` and the one asked for by code (the first offered when
    none is asked for; None when they have none). NotFound for a code outside their area."""
    discoms = staffing_discoms_for_staff(user=user)
    if not code:
        return discoms, (discoms[0] if discoms else None)
    wanted = code.strip().upper()
    chosen = next((d for d in discoms if d.code.upper() == wanted), None)
    if chosen is None:
        raise NotFound()
    return discoms, chosen
