"""`sampark staffing`: agents needed for a call load, or a discom's plan for the next 24 hours.

sampark staffing --calls-per-hour 1000 --aht 180 --target 0.8/20 [--patience 120]
                 [--max-occupancy 0.85] [--max-asa S] [--max-abandon 0.05] [--json]
sampark staffing --discom MVVNL [--target 0.8/20] [--json]
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, replace
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sampark.callcentre.erlang import (
    Performance,
    Target,
    erlang_a_agents,
    erlang_c_agents,
    offered_load,
    target_parse,
)
from sampark.callcentre.staffing import StaffingPlan, staffing_plan, staffing_target
from sampark.network.models import OrgLevel, OrgUnit


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _perf_dict(perf: Performance) -> dict[str, Any]:
    return {
        name: (_finite(value) if isinstance(value, float) else value)
        for name, value in asdict(perf).items()
    }


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _perf_text(perf: Performance) -> str:
    asa = f"{perf.asa_seconds:.1f} s" if math.isfinite(perf.asa_seconds) else "unbounded"
    agents = f"{perf.agents} agent{'' if perf.agents == 1 else 's'}"
    return (
        f"{agents}, service level {_pct(perf.service_level)}, mean wait {asa}, "
        f"occupancy {_pct(perf.occupancy)}, waiting {_pct(perf.p_wait)}"
    )


class Command(BaseCommand):
    help = (
        "Agents needed for a call load under Erlang C and Erlang A, "
        "or a discom's staffing plan for the next 24 hours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls-per-hour", type=float, help="calls offered per hour")
        parser.add_argument("--aht", type=float, help="average handle time, seconds")
        parser.add_argument(
            "--target",
            help="service level / answer seconds, e.g. 0.8/20 (default SAMPARK_STAFFING_TARGET)",
        )
        parser.add_argument(
            "--patience",
            type=float,
            help="callers' mean patience for Erlang A, seconds "
            "(default SAMPARK_STAFFING_PATIENCE_SECONDS; inf: Erlang C)",
        )
        parser.add_argument("--max-occupancy", type=float, help="e.g. 0.85")
        parser.add_argument("--max-asa", type=float, help="cap on the mean wait, seconds")
        parser.add_argument(
            "--max-abandon", type=float, help="cap on the share who hang up (Erlang A)"
        )
        parser.add_argument("--discom", help="discom code: print its next-24-hour plan")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        by_load = options["calls_per_hour"] is not None or options["aht"] is not None
        if by_load == bool(options["discom"]):
            raise CommandError("give either --calls-per-hour and --aht, or --discom CODE")
        try:
            target = self._target(options)
            if options["discom"]:
                self._plan(options["discom"], target=target, as_json=options["json"])
            else:
                self._load(options, target=target)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _target(self, options: dict[str, Any]) -> Target:
        base = target_parse(options["target"]) if options["target"] else staffing_target()
        changes = {
            field: options[option]
            for field, option in (
                ("max_occupancy", "max_occupancy"),
                ("max_asa_seconds", "max_asa"),
                ("max_abandon", "max_abandon"),
            )
            if options[option] is not None
        }
        return replace(base, **changes)  # re-validated by Target.__post_init__

    def _load(self, options: dict[str, Any], *, target: Target) -> None:
        calls, aht = options["calls_per_hour"], options["aht"]
        if calls is None or aht is None:
            raise CommandError("--calls-per-hour and --aht (seconds) go together")
        patience = options["patience"]
        if patience is None:
            patience = float(settings.SAMPARK_STAFFING_PATIENCE_SECONDS)
        c = erlang_c_agents(calls_per_hour=calls, aht_seconds=aht, target=target)
        a = erlang_a_agents(
            calls_per_hour=calls, aht_seconds=aht, patience_seconds=patience, target=target
        )
        load = offered_load(calls_per_hour=calls, aht_seconds=aht)
        if options["json"]:
            body = {
                "calls_per_hour": calls,
                "aht_seconds": aht,
                "load_erlangs": load,
                "patience_seconds": _finite(patience),
                "target": asdict(target),
                "erlang_c": _perf_dict(c),
                "erlang_a": _perf_dict(a),
            }
            self.stdout.write(json.dumps(body, indent=2))
            return
        self.stdout.write(
            f"{calls:g} calls/hour x {aht:g} s = {load:.2f} erlangs; target "
            f"{_pct(target.service_level)} answered within {target.answer_seconds:g} s"
        )
        self.stdout.write(f"Erlang C: {_perf_text(c)}")
        self.stdout.write(
            f"Erlang A (patience {patience:g} s): {_perf_text(a)}, abandoning {_pct(a.p_abandon)}"
        )

    def _plan(self, code: str, *, target: Target, as_json: bool) -> None:
        discom = OrgUnit.objects.filter(level=OrgLevel.DISCOM, code__iexact=code.strip()).first()
        if discom is None:
            raise CommandError(f"no discom with code {code!r}")
        plan = staffing_plan(discom=discom, target=target)
        if as_json:
            self.stdout.write(json.dumps(_plan_dict(plan), indent=2))
            return
        f = plan.forecast
        self.stdout.write(f"{discom.code} ({discom.name_en}): the next {len(plan.rows)} hours")
        self.stdout.write(
            f"target {_pct(target.service_level)} within {target.answer_seconds:g} s; "
            f"handle time {f.aht_seconds:.0f} s ({'measured' if f.aht_measured else 'configured'});"
            f" patience {f.patience_seconds:.0f} s "
            f"({'measured' if f.patience_measured else 'configured'})"
        )
        self.stdout.write(
            f"{'hour':<17}{'calls':>8}{'surge':>8}{'C':>6}{'A':>6}{'rostered':>10}{'gap':>8}"
        )
        for row in plan.rows:
            start = timezone.localtime(row.hour.starts_at)
            self.stdout.write(
                f"{start:%Y-%m-%d %H:%M}{row.hour.calls:>9.1f}{row.hour.surge:>8.1f}"
                f"{row.erlang_c.agents:>6}{row.erlang_a.agents:>6}{row.rostered:>10.1f}"
                f"{row.gap:>+8.1f}{'  SHORT' if row.short else ''}"
            )
        self.stdout.write(f"hours short: {plan.short_hours}")


def _plan_dict(plan: StaffingPlan) -> dict[str, Any]:
    f = plan.forecast
    return {
        "discom": plan.discom.code,
        "target": asdict(plan.target),
        "aht_seconds": f.aht_seconds,
        "aht_measured": f.aht_measured,
        "patience_seconds": f.patience_seconds,
        "patience_measured": f.patience_measured,
        "hours": [
            {
                "starts_at": timezone.localtime(row.hour.starts_at).isoformat(),
                "calls": row.hour.calls,
                "baseline": row.hour.baseline,
                "surge": row.hour.surge,
                "basis": str(row.hour.basis),
                "erlang_c": _perf_dict(row.erlang_c),
                "erlang_a": _perf_dict(row.erlang_a),
                "rostered": row.rostered,
                "gap": row.gap,
                "short": row.short,
            }
            for row in plan.rows
        ],
    }
