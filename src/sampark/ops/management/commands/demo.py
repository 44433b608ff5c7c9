"""`sampark demo --consumers N [--discoms PVVNL,MVVNL] [--seed S] [--if-empty]`.

Builds the demo state network from the real UPPCL names (SAMPARK_SHARED_DATA) and N generated
consumers, in one transaction, into an empty database only (so it never duplicates anything).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from sampark.callcentre.demo import callcentre_demo_load
from sampark.consumers.demo import consumers_demo_insert
from sampark.consumers.models import Consumer
from sampark.network.demo import (
    ReferenceDataMissing,
    network_demo_plan,
    network_demo_write,
    reference_load,
)
from sampark.network.models import OrgUnit


class Command(BaseCommand):
    help = "Load a demo UPPCL network and N generated consumers into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--consumers", type=int, default=10_000, help="default 10,000")
        parser.add_argument(
            "--discoms",
            default="",
            help="comma-separated subset, e.g. MVVNL,KESCO (default: all 5)",
        )
        parser.add_argument("--seed", type=int, default=1912, help="same seed, same data")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already has a network or consumers",
        )

    def handle(
        self,
        *args: Any,
        consumers: int,
        discoms: str,
        seed: int,
        if_empty: bool,
        **options: Any,
    ) -> None:
        if consumers < 0:
            raise CommandError("--consumers must be zero or more")
        if OrgUnit.objects.exists() or Consumer.objects.exists():
            if if_empty:
                self.stdout.write("The database already has a network: demo data not loaded.")
                return
            raise CommandError(
                "The database already has a network or consumers; the demo loads only into an "
                "empty database (use --if-empty to skip quietly)."
            )
        try:
            ref = reference_load(data_dir=settings.SAMPARK_SHARED_DATA)
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from None
        chosen = self._discoms(discoms, known=list(ref.discoms))
        started = time.perf_counter()
        plan = network_demo_plan(ref=ref, consumers=consumers, discoms=chosen, seed=seed)
        with transaction.atomic():
            report, ids = network_demo_write(plan=plan)
            inserted = consumers_demo_insert(
                plan=plan, ids=ids, seed=seed, progress=self._progress(plan.consumers)
            )
            calls = callcentre_demo_load(seed=seed)  # a week of 1912 calls, today's roster
        kinds = ", ".join(f"{c.created} {kind}" for kind, c in report.kinds.items())
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Demo loaded in {seconds:.1f} s: {kinds}; {inserted} consumers "
            f"(discoms {', '.join(plan.discoms)}, seed {seed})."
        )
        self.stdout.write(
            f"Call centre: {calls.calls} calls over the last week, {calls.callbacks} callbacks, "
            f"{calls.shifts} roster shifts today (agents: {', '.join(calls.agents)}; "
            "supervisor login: supervisor)."
        )

    @staticmethod
    def _discoms(text: str, *, known: list[str]) -> list[str] | None:
        if not text.strip():
            return None
        by_lower = {code.lower(): code for code in known}
        asked = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [part for part in asked if part.lower() not in by_lower]
        if unknown:
            raise CommandError(f"Unknown discom(s) {', '.join(unknown)}; known: {', '.join(known)}")
        return [by_lower[part.lower()] for part in asked]

    @staticmethod
    def _progress(total: int) -> Any:
        def wrap(rows: Iterable[tuple[object, ...]]) -> Iterable[tuple[object, ...]]:
            # On a terminal only (disable=None): no cost when piped or under tests.
            return tqdm(
                rows, total=total, desc="consumers", unit=" rows", file=sys.stderr, disable=None
            )

        return wrap
