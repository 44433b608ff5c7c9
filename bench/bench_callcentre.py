"""Call-centre KPIs and telephony events, each against a baseline measured in the same run.

    .venv/bin/python bench/bench_callcentre.py [--calls 200000] [--events 3000] [--cdr-rows 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_SCRATCH_DB]

Runs in its own interpreter on a fresh temporary SQLite file (WAL, as `sampark serve` uses), or
on the given database, which must be empty (it is migrated and filled; drop it afterwards).
Untimed set-up: migrate, a state with the 5 discoms, 6 agents, N calls spread over one week
(25% IVR-contained, the rest queued; answered, abandoned or dropped) written by `rows_insert`,
and a callback for each unserved call.

Timed:
- kpis: `call_kpis(bucket="hour", by="discom")` over the week (one GROUP BY query);
- kpis_baseline: the same figures computed by a Python loop over the same calls (fetch the
  columns, bucket and aggregate in Python): what a per-call implementation would cost;
- events: `call_event_record` for `--events` events (offered, queued, answered, completed of
  new calls, each in its own transaction as a webhook is);
- events_baseline: plain `CallEvent` inserts of the same number of rows, one transaction each;
- cdr: `cdr_import` of a `--cdr-rows` file of calls from 3-6 days ago (70% answered, 15%
  abandoned, 5% dropped, 10% IVR-contained), whose calls are new: the bulk path;
- cdr_baseline: the event-by-event path (`cdr_row_record`, what the import did before) on the
  first 1,000 rows of another such file.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISCOMS = ("DVVNL", "KESCO", "MVVNL", "PUVVNL", "PVVNL")


def scene_build(*, calls: int) -> None:
    import random
    from datetime import timedelta

    from django.db import transaction

    from sampark.accounts.models import Role, StaffUser
    from sampark.callcentre.models import Call, Callback
    from sampark.core import clock
    from sampark.core.db import rows_insert
    from sampark.network.models import OrgLevel
    from sampark.testing.factories import org_add

    rng = random.Random(1912)
    now = clock.now()
    with transaction.atomic():
        state = org_add(None, level=OrgLevel.STATE, code="UPPCL", name="UPPCL")
        discoms = [
            org_add(state, level=OrgLevel.DISCOM, code=code, name=code).pk for code in DISCOMS
        ]
        agents = [
            StaffUser.objects.create(username=f"a{n}", role=Role.AGENT, jurisdiction=state).pk
            for n in range(6)
        ]

        def rows():
            for n in range(calls):
                offered = now - timedelta(seconds=rng.uniform(600, 7 * 86400))
                contained = rng.random() < 0.25
                queued = answered = agent = None
                outcome = "ivr_contained"
                ended = offered + timedelta(seconds=40)
                if not contained:
                    queued = offered + timedelta(seconds=30)
                    wait = rng.expovariate(1 / 30)
                    roll = rng.random()
                    if roll < 0.75:
                        answered = queued + timedelta(seconds=wait)
                        ended = answered + timedelta(seconds=rng.uniform(60, 400))
                        agent, outcome = agents[n % len(agents)], "answered"
                    else:
                        ended = queued + timedelta(seconds=wait)
                        outcome = "abandoned" if roll < 0.97 else "dropped"
                yield (
                    f"B{n:09d}", "exotel", f"+9194155{n % 100000:05d}", discoms[n % 5], "hi",
                    "" if contained else "general", offered, queued, answered, ended, outcome,
                    agent, contained, "", "{}", 0, now, now,
                )  # fmt: skip

        columns = [
            "call_id", "source", "calling_number", "discom_id", "language", "queue",
            "offered_at", "queued_at", "answered_at", "ended_at", "outcome", "agent_id",
            "ivr_contained", "ivr_state", "ivr_context", "ivr_retries", "created_at",
            "updated_at",
        ]  # fmt: skip
        rows_insert(model=Call, columns=columns, rows=rows())
        unserved = Call.objects.filter(outcome__in=["abandoned", "dropped"]).values_list(
            "id", "calling_number", "discom_id", "ended_at"
        )
        Callback.objects.bulk_create(
            [
                Callback(
                    call_id=pk,
                    mobile=mobile,
                    discom_id=discom,
                    due_at=(ended or now) + timedelta(minutes=15),
                    status="no_answer" if n % 4 else "reached",
                )
                for n, (pk, mobile, discom, ended) in enumerate(unserved)
            ],
            batch_size=5000,
        )


def kpis_python(*, start, end, threshold: int) -> dict:
    """The baseline: every call fetched and aggregated in Python (hour x discom)."""
    from collections import defaultdict
    from zoneinfo import ZoneInfo

    from sampark.callcentre.models import Call

    zone = ZoneInfo("Asia/Kolkata")
    groups: dict = defaultdict(lambda: defaultdict(float))
    rows = Call.objects.filter(offered_at__gte=start, offered_at__lt=end).values_list(
        "offered_at", "discom_id", "queued_at", "answered_at", "ended_at", "outcome",
        "ivr_contained", "callback__status", "callback__attempts",
    )  # fmt: skip
    for offered, discom, queued, answered, ended, outcome, contained, cb_status, tries in rows:
        hour = offered.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        g = groups[(hour, discom)]
        g["offered"] += 1
        waited_from = queued or offered
        if answered is not None:
            g["answered"] += 1
            g["asa"] += (answered - waited_from).total_seconds()
            g["fast"] += (answered - waited_from).total_seconds() <= threshold
            if ended is not None:
                g["aht"] += (ended - answered).total_seconds()
                g["ended"] += 1
        else:
            g["contained"] += contained
        g["abandoned"] += outcome == "abandoned"
        g["dropped"] += outcome == "dropped" and answered is None
        g["slow"] += bool(
            outcome == "abandoned"
            and queued is not None
            and ended is not None
            and (ended - queued).total_seconds() > threshold
        )
        g["owed"] += cb_status is not None and cb_status != "cancelled"
        g["not_called"] += cb_status == "pending" and tries == 0
    return groups


def cdr_file(*, rows: int, prefix: str) -> str:
    import random
    from datetime import timedelta

    from sampark.core import clock

    rng = random.Random(rows)
    now = clock.now()
    lines = ["call_id,calling_number,offered_at,queued_at,answered_at,ended_at,disposition,agent"]
    for n in range(rows):
        offered = now - timedelta(days=3, seconds=rng.randrange(3 * 86400))
        queued = offered + timedelta(seconds=rng.randrange(20, 90))
        roll, answered, agent = rng.random(), "", ""
        if roll < 0.7:
            answered, agent = str(queued + timedelta(seconds=rng.randrange(5, 120))), "a1"
            ended, disposition = queued + timedelta(seconds=rng.randrange(150, 600)), "answered"
        elif roll < 0.85:
            ended, disposition = queued + timedelta(seconds=rng.randrange(10, 300)), "abandoned"
        elif roll < 0.9:
            ended, disposition = queued + timedelta(seconds=rng.randrange(10, 300)), "dropped"
        else:
            queued, ended = "", offered + timedelta(seconds=50)
            disposition = "ivr_contained"
        lines.append(
            f"{prefix}{n:07d},+9198{rng.randrange(10**8):08d},{offered},{queued},{answered},"
            f"{ended},{disposition},{agent}"
        )
    return "\n".join(lines) + "\n"


def cdr_measure(*, rows: int) -> dict:
    import io

    from sampark.callcentre.cdr import _Lookups, cdr_import, cdr_row_read, cdr_row_record
    from sampark.callcentre.models import Call
    from sampark.core.csvimport import csv_records

    text = cdr_file(rows=rows, prefix="CDR")
    before = Call.objects.count()
    started = time.perf_counter()
    report = cdr_import(rows=csv_records(io.StringIO(text)))
    cdr_s = time.perf_counter() - started
    assert not report.refused and report.counts("calls").created == rows
    assert Call.objects.count() == before + rows

    sample = min(rows, 1000)
    lookups, seen = _Lookups(), {}
    parsed = [
        cdr_row_read(row, record, lookups=lookups, seen=seen)[0]
        for row, record in csv_records(io.StringIO(cdr_file(rows=sample, prefix="OLD")))
    ]
    started = time.perf_counter()
    for cdr in parsed:
        assert cdr is not None
        cdr_row_record(cdr)
    baseline_s = time.perf_counter() - started
    return {
        "cdr_rows": rows,
        "cdr_rows_per_s": round(rows / cdr_s, 1),
        "cdr_baseline_event_by_event_rows_per_s": round(sample / baseline_s, 1),
        "cdr_speedup": round((rows / cdr_s) / (sample / baseline_s), 1),
    }


def child(*, calls: int, events: int, cdr_rows: int) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command

    from sampark.callcentre.kpis import call_kpis
    from sampark.callcentre.models import CallEvent, CallSource
    from sampark.callcentre.services import call_event_record
    from sampark.core import clock

    call_command("migrate", verbosity=0)
    scene_build(calls=calls)
    now = clock.now()
    start, end = now - timedelta(days=7, hours=1), now

    started = time.perf_counter()
    rows = call_kpis(start=start, end=end, bucket="hour", by="discom")
    kpis_s = time.perf_counter() - started
    started = time.perf_counter()
    groups = kpis_python(start=start, end=end, threshold=20)
    baseline_s = time.perf_counter() - started
    assert sum(r.offered for r in rows) == sum(g["offered"] for g in groups.values()) == calls
    assert sum(r.answered for r in rows) == sum(g["answered"] for g in groups.values())

    kinds = ("offered", "queued", "answered", "completed")
    agent = None
    started = time.perf_counter()
    for n in range(events):
        at = now - timedelta(hours=2) + timedelta(seconds=10 * (n % 4) + n)
        call_event_record(
            call_id=f"E{n // 4:07d}",
            kind=kinds[n % 4],
            at=at,
            source=CallSource.EXOTEL,
            calling_number=f"+9170070{n // 4:05d}",
            queue="general" if kinds[n % 4] == "queued" else "",
            agent=agent,
        )
    events_s = time.perf_counter() - started
    from django.db import transaction

    from sampark.callcentre.models import Call

    holder = Call.objects.order_by("id").first()
    assert holder is not None
    started = time.perf_counter()
    for n in range(events):
        with transaction.atomic():
            CallEvent.objects.create(call=holder, kind="ivr", at=now - timedelta(seconds=n))
    baseline_events_s = time.perf_counter() - started
    return {
        "bench": "callcentre",
        "calls": calls,
        "kpi_rows": len(rows),
        "kpis_s": round(kpis_s, 3),
        "kpis_baseline_python_s": round(baseline_s, 3),
        "kpis_ratio": round(kpis_s / baseline_s, 3),
        "events": events,
        "events_per_s": round(events / events_s, 1),
        "events_baseline_inserts_per_s": round(events / baseline_events_s, 1),
        "events_ratio": round(events_s / baseline_events_s, 2),
        **cdr_measure(rows=cdr_rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--cdr-rows", type=int, default=20_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(calls=args.calls, events=args.events, cdr_rows=args.cdr_rows)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
            "SAMPARK_SQLITE_PATH": str(Path(tmp) / "db.sqlite3"),
            "SAMPARK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "SAMPARK_DEBUG": "false",
            "SAMPARK_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        command = [sys.executable, __file__, "--child"]
        command += ["--calls", str(args.calls), "--events", str(args.events)]
        command += ["--cdr-rows", str(args.cdr_rows)]
        proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"bench_callcentre failed:\n{proc.stderr[-4000:]}")
        print(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
