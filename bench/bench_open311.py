"""Open311 GET over a window of registration time, with and without the index on
`Complaint.registered_at`, on PostgreSQL.

    .venv/bin/python bench/bench_open311.py [--complaints 2000000]

Runs in its own interpreter on a scratch PostgreSQL database `sampark_bench_open311` (created and
dropped here, on the server bench_escalation uses); prints a "skipped" line when no server
answers. Untimed set-up: migrate, one discom with 10 sub-divisions, N complaints written by COPY
(`rows_insert`), registered evenly over the past 365 days (ids rising with time, as in
production), 95% of them closed; vacuum and analyse.

Timed, each the median of 5 calls of `requests_find` (the selector behind
`GET /open311/v2/requests.json`, at most 1000 rows, newest first), on the same rows:
- recent: the last 7 days; old: a 7-day window 300 days ago; old_open: the same, open only;
- each with the index (as migrated) and, as the baseline, after `DROP INDEX` of it.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgscratch import pg_scratch_run

PG_NAME = "sampark_bench_open311"
SUBDIVISIONS = 10
INDEX = "complaint_registered_idx"


def parent(complaints: int) -> dict:
    return pg_scratch_run(
        bench="open311_requests",
        database=PG_NAME,
        script=__file__,
        args=["--complaints", str(complaints)],
    )


def scene_build(*, complaints: int) -> None:
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from sampark.complaints.models import Complaint
    from sampark.core.db import rows_insert
    from sampark.network.models import OrgLevel
    from sampark.testing.factories import org_add

    with transaction.atomic():
        state = org_add(None, level=OrgLevel.STATE, code="UPPCL", name="UPPCL")
        discom = org_add(
            state, level=OrgLevel.DISCOM, code="MVVNL", name="MVVNL", complaint_prefix="MV"
        )
        division = org_add(discom, level=OrgLevel.DIVISION, code="D-LKO", name="D-LKO")
        subdivisions = [
            org_add(division, level=OrgLevel.SUBDIVISION, code=f"SD-{i:02d}", name=f"SD {i}").pk
            for i in range(SUBDIVISIONS)
        ]
        now = timezone.now()
        step = timedelta(days=365) / complaints

        def rows():
            for n in range(complaints):
                registered = now - timedelta(days=365) + step * n
                status = "assigned" if n % 20 == 0 else "closed"
                unit = subdivisions[n % SUBDIVISIONS]
                yield (
                    f"MV-O{n:08d}", "web", "no_supply", "normal", status, "hi", "", "", "",
                    unit, unit, "URBAN", False, registered, registered + timedelta(hours=4), 4,
                    0, "", 0, registered,
                )  # fmt: skip

        columns = [
            "number", "channel", "category", "priority", "status", "language", "description",
            "contact_name", "location_text", "org_unit_id", "subdivision_id", "area_type",
            "is_a_class", "registered_at", "due_at", "sla_hours", "paused_seconds", "closure",
            "escalation_level", "updated_at",
        ]  # fmt: skip
        rows_insert(model=Complaint, columns=columns, rows=rows())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")


def timed(query) -> tuple[float, int]:
    from sampark.channels.open311.selectors import requests_find

    times, found = [], 0
    for _ in range(5):
        started = time.perf_counter()
        found = len(requests_find(query=query, jurisdiction=None))
        times.append(time.perf_counter() - started)
    return statistics.median(times), found


def child(*, complaints: int) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sampark.channels.open311.params import RequestQuery

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    scene_build(complaints=complaints)
    setup_s = time.perf_counter() - started
    now = timezone.now()
    old_end = now - timedelta(days=300)

    def window(start, end, statuses=()) -> RequestQuery:
        return RequestQuery(
            ids=[], service_codes=[], statuses=list(statuses), start=start, end=end,
            jurisdiction_id="",
        )  # fmt: skip

    windows = {
        "recent": window(now - timedelta(days=7), now),
        "old": window(old_end - timedelta(days=7), old_end),
        "old_open": window(old_end - timedelta(days=7), old_end, ["open"]),
    }
    result: dict[str, object] = {"bench": "open311_requests", "complaints": complaints}
    indexed = {name: timed(query) for name, query in windows.items()}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {INDEX}")
        cursor.execute("ANALYZE complaints_complaint")
    plain = {name: timed(query) for name, query in windows.items()}
    for name in windows:
        (with_s, rows), (without_s, rows_without) = indexed[name], plain[name]
        assert rows == rows_without, name
        result[f"{name}_rows"] = rows
        result[f"{name}_ms"] = round(with_s * 1000, 1)
        result[f"{name}_without_index_ms"] = round(without_s * 1000, 1)
        result[f"{name}_ratio"] = round(with_s / without_s, 3)
    result["setup_s"] = round(setup_s, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=2_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    result = child(complaints=args.complaints) if args.child else parent(args.complaints)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
