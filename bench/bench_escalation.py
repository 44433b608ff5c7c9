"""The escalation sweep over 1,000,000 open complaints vs hand-written SQL doing the same work,
on PostgreSQL (the figure issue 6 asks for: under 10 s).

    .venv/bin/python bench/bench_escalation.py [--complaints 1000000] [--due 1.0]

Runs in its own interpreter on a scratch PostgreSQL database `sampark_bench_escalation` (created
and dropped here) on the server of `SAMPARK_BENCH_PG_ADMIN`, else of a postgres `DATABASE_URL`,
else 127.0.0.1:5432 as postgres; prints a "skipped" line when no server answers. Untimed set-up:
migrate, a network of one division with 10 sub-divisions and an officer with a mobile for every
rung (SDO per sub-division, XEN, SE, CE, MD), N assigned complaints written by COPY
(`rows_insert`); a `--due` share of them (default all) past its time limit (rung 1, SDO) but
before 1.5x (rung 2), so each escalates exactly one rung; the rest registered an hour ago.
Timed, on the same rows (reset, vacuumed and analysed in between):

- baseline_update: one hand-written UPDATE moving the due rows to rung 1;
- baseline_same_work: hand-written SQL doing what the sweep does (escalation rows with their
  officer, audit events, explanation requests, the UPDATE) in one transaction;
- sweep: `complaints_escalate()` (chunks, the same rows, ten SMS digests), until committed.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgscratch import pg_scratch_run

PG_NAME = "sampark_bench_escalation"
SUBDIVISIONS = 10
LIMITS = (4, 8, 24)  # hours: no supply urban, rural, ...


def parent(complaints: int, due: float) -> dict:
    return pg_scratch_run(
        bench="complaints_escalate",
        database=PG_NAME,
        script=__file__,
        args=["--complaints", str(complaints), "--due", str(due)],
        env={"SAMPARK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    )


# --- child -----------------------------------------------------------------------------------


def scene_build(*, complaints: int, due: float) -> int:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from sampark.accounts.models import Role, StaffUser
    from sampark.complaints.models import Complaint
    from sampark.core.db import rows_insert
    from sampark.network.models import OrgLevel
    from sampark.testing.factories import org_add

    with transaction.atomic():
        state = org_add(None, level=OrgLevel.STATE, code="UPPCL", name="UPPCL")
        discom = org_add(
            state, level=OrgLevel.DISCOM, code="MVVNL", name="MVVNL", complaint_prefix="MV"
        )
        zone = org_add(discom, level=OrgLevel.ZONE, code="Z-LKO", name="Z-LKO")
        circle = org_add(zone, level=OrgLevel.CIRCLE, code="C-LKO", name="C-LKO")
        division = org_add(circle, level=OrgLevel.DIVISION, code="D-LKO", name="D-LKO")
        subdivisions = [
            org_add(division, level=OrgLevel.SUBDIVISION, code=f"SD-{i:02d}", name=f"SD {i}")
            for i in range(SUBDIVISIONS)
        ]
        people = [(Role.MD, discom), (Role.CE, zone), (Role.SE, circle), (Role.XEN, division)]
        people += [(Role.SDO, sd) for sd in subdivisions] + [(Role.JE, sd) for sd in subdivisions]
        for n, (role, unit) in enumerate(people):
            StaffUser.objects.create(
                username=f"{role}-{unit.code}",
                role=role,
                jurisdiction=unit,
                phone=f"+91983910{n:04d}",
            )
        now = timezone.now()

        def rows():
            for n in range(complaints):
                hours = LIMITS[n % len(LIMITS)]
                late = int((n + 1) * due) > int(n * due)  # spread evenly: a `due` share
                # Due ones past 1x, before 1.5x; the others registered an hour ago.
                registered = now - timedelta(hours=hours * 1.2 if late else 1)
                due_at = registered + timedelta(hours=hours)
                yield (
                    f"MV-B{n:08d}", "web", "no_supply", "normal", "assigned", "hi", "", "", "",
                    subdivisions[n % SUBDIVISIONS].pk, subdivisions[n % SUBDIVISIONS].pk,
                    "URBAN", False, registered, due_at, hours, 0, "", 0, due_at, registered,
                )  # fmt: skip

        columns = [
            "number", "channel", "category", "priority", "status", "language", "description",
            "contact_name", "location_text", "org_unit_id", "subdivision_id", "area_type",
            "is_a_class", "registered_at", "due_at", "sla_hours", "paused_seconds", "closure",
            "escalation_level", "next_escalation_at", "updated_at",
        ]  # fmt: skip
        rows_insert(model=Complaint, columns=columns, rows=rows())
    return int(complaints * due)


def tables_reset() -> None:
    """Back to 'every complaint due for rung 1, nothing recorded' (untimed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE complaints_complaintescalation, complaints_explanation, "
            "complaints_complaintevent, notifications_notification CASCADE"
        )
        cursor.execute(
            "UPDATE complaints_complaint SET escalation_level = 0, next_escalation_at = due_at "
            "WHERE escalation_level > 0"
        )
    vacuum()


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


DUE = "c.next_escalation_at <= %(now)s AND c.status IN ('registered', 'assigned', 'in_progress', 'reopened')"  # noqa: E501
UPDATE = (
    "UPDATE complaints_complaint c SET escalation_level = 1, updated_at = %(now)s, "
    "next_escalation_at = c.due_at + c.sla_hours * interval '30 minutes' WHERE " + DUE
)
SAME_WORK = [
    "INSERT INTO complaints_complaintescalation (complaint_id, level, role, officer_id, "
    "escalated_at) SELECT c.id, 1, 'sdo', s.id, %(now)s FROM complaints_complaint c "
    "LEFT JOIN accounts_staffuser s ON s.jurisdiction_id = c.org_unit_id AND s.role = 'sdo' "
    "WHERE " + DUE + " ON CONFLICT DO NOTHING",
    "INSERT INTO complaints_complaintevent (complaint_id, kind, from_status, to_status, "
    "actor_label, assignee_id, note, created_at) SELECT e.complaint_id, 'escalated', c.status, "
    "c.status, 'system', e.officer_id, 'level 1: SDO', %(now)s FROM "
    "complaints_complaintescalation e JOIN complaints_complaint c ON c.id = e.complaint_id "
    "WHERE e.escalated_at = %(now)s",
    "INSERT INTO complaints_explanation (complaint_id, officer_id, level, requested_at, due_at, "
    "reply) SELECT e.complaint_id, e.officer_id, 1, %(now)s, %(now)s + interval '24 hours', '' "
    "FROM complaints_complaintescalation e WHERE e.escalated_at = %(now)s "
    "AND e.officer_id IS NOT NULL ON CONFLICT DO NOTHING",
    UPDATE,
]


def timed_sql(statements: list[str]) -> tuple[float, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {"now": now})
            rows = cursor.rowcount
    return time.perf_counter() - started, rows


def child(*, complaints: int, due: float) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from sampark.complaints.escalation import complaints_escalate
    from sampark.complaints.models import ComplaintEscalation, Explanation
    from sampark.notifications.models import Notification

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    expected = scene_build(complaints=complaints, due=due)
    vacuum()
    setup_s = time.perf_counter() - started

    update_s, updated = timed_sql([UPDATE])
    tables_reset()
    same_s, same_rows = timed_sql(SAME_WORK)
    tables_reset()
    reverse("staff:explanations")  # a worker has its URL conf loaded: not part of the sweep
    started = time.perf_counter()
    escalated = complaints_escalate()
    sweep_s = time.perf_counter() - started
    if not escalated == updated == same_rows == expected:
        raise SystemExit(f"rows differ: sweep {escalated}, update {updated}, sql {same_rows}")
    if Explanation.objects.count() != expected:
        raise SystemExit("explanations missing")
    return {
        "bench": "complaints_escalate",
        "vendor": connection.vendor,
        "complaints": complaints,
        "due_share": due,
        "escalated": escalated,
        "digests": Notification.objects.count(),
        "notified": ComplaintEscalation.objects.filter(notified_at__isnull=False).count(),
        "sweep_s": round(sweep_s, 2),
        "baseline_update_s": round(update_s, 2),
        "baseline_same_work_sql_s": round(same_s, 2),
        "ratio_vs_update": round(sweep_s / update_s, 2),
        "ratio_vs_same_work_sql": round(sweep_s / same_s, 2),
        "setup_s": round(setup_s, 1),
        "targets": "< 10 s on PostgreSQL at 1,000,000",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--due", type=float, default=1.0, help="share of them due (0-1)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(complaints=args.complaints, due=args.due)
    else:
        result = parent(args.complaints, args.due)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
