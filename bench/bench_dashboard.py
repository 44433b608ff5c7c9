"""A discom's review dashboard over a year of generated complaint history: from the rollups vs
the same figures computed from the raw tables, in the same run (issue 7: under 500 ms over
5,000,000 complaints on PostgreSQL, under 1 s over 1,000,000 on SQLite, at least 20x faster).

    .venv/bin/python bench/bench_dashboard.py [--vendor postgresql|sqlite|both]
        [--complaints N] [--days 365] [--period 30] [--repeat 5]

Default: both vendors, 5,000,000 complaints on PostgreSQL and 1,000,000 on SQLite (one JSON
line each). PostgreSQL runs on a scratch database `sampark_bench_dashboard` (created and
dropped here) on the server of `SAMPARK_BENCH_PG_ADMIN`, else of a postgres `DATABASE_URL`,
else 127.0.0.1:5432 as postgres ("skipped" when no server answers); SQLite on a scratch file.

Untimed set-up: migrate; a state network of 5 discoms x 8 zones x 3 circles x 3 divisions x
3 sub-divisions (1,080) with 2 JEs each and one MD; N complaints over `--days` days up to now,
generated in SQL from a hash of their number (so both databases get the same history): channel
and category mixes, time to resolve 5 min to ~3.5 days (log-uniform), 0.4% never resolved, 3%
rejected by the consumer and resolved again, 70% of closures confirmed, breaches past the
category's time limit with half escalated and an explanation asked, 20% rated; their audit events
(registered, assigned, resolved, closed, reopened, rejected, breached, escalated, rated: about
4.5 per complaint); 60,000 outages a year with their records and consumers served. An index on
the audit trail's created_at is added so the raw baseline can range-scan the period.

Timed: the rollup build over the whole audit trail (rate reported), then for one discom and the
last `--period` days, each `--repeat` times (median reported):
- dashboard_ms: `review.selectors.dashboard()`: every figure the page shows (children side by
  side, channels, categories, medians, trend, outages, calls, officers, stocks);
- raw_ms: the same figures from the raw tables: the audit events of the period joined to their
  complaints, aggregated the same way (children, trend, officers), plus the same live reads.
The two sets of figures are compared and must be equal. Prints one JSON line per vendor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgscratch import pg_admin, pg_admin_url

ROOT = Path(__file__).resolve().parents[1]
PG_NAME = "sampark_bench_dashboard"
DEFAULT_COMPLAINTS = {"postgresql": 5_000_000, "sqlite": 1_000_000}
TARGET_MS = {"postgresql": 500, "sqlite": 1000}
DISCOMS, ZONES, CIRCLES, DIVISIONS, SUBDIVISIONS = 5, 8, 3, 3, 3
OUTAGES_PER_DAY = 165
KINDS = ["planned", "unplanned", "unplanned", "load_shedding"]

# (code, weight %, time limit hours)
CATEGORIES = [
    ("no_supply", 45, 4), ("line_breakdown", 8, 6), ("dt_failure", 7, 8),
    ("voltage_fluctuation", 8, 240), ("meter", 9, 168), ("bill_reading", 12, 168),
    ("new_connection", 3, 168), ("safety_hazard", 1, 1), ("ug_cable", 1, 12),
    ("substation_low_voltage", 2, 24), ("call_centre_no_response", 1, 24), ("other", 3, 72),
]  # fmt: skip
CHANNELS = [
    ("ivr", 35), ("agent", 20), ("whatsapp", 15), ("chatbot_web", 8), ("web", 8), ("sms", 5),
    ("email", 2), ("api", 2), ("field", 2), ("telegram", 2), ("open311", 1),
]  # fmt: skip


def run_child(database_url: str, args: argparse.Namespace, vendor: str, n: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
        "SAMPARK_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "SAMPARK_DEBUG": "false",
        "SAMPARK_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, __file__, "--child", "--vendor", vendor, "--complaints", str(n)]
    command += ["--days", str(args.days), "--period", str(args.period)]
    command += ["--repeat", str(args.repeat)]
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench_dashboard failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def parent(args: argparse.Namespace, vendor: str) -> dict:
    n = args.complaints or DEFAULT_COMPLAINTS[vendor]
    if vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
            return run_child(f"sqlite:///{folder}/bench.sqlite3", args, vendor, n)
    admin = pg_admin_url()
    try:
        pg_admin(admin, f"DROP DATABASE IF EXISTS {PG_NAME}")
    except Exception as error:  # no server: the benchmark cannot run here
        return {"bench": "review_dashboard", "vendor": vendor, "skipped": f"no PostgreSQL: {error}"}
    pg_admin(admin, f"CREATE DATABASE {PG_NAME}")
    try:
        return run_child(urlunsplit(urlsplit(admin)._replace(path=f"/{PG_NAME}")), args, vendor, n)
    finally:
        pg_admin(admin, f"DROP DATABASE IF EXISTS {PG_NAME}")


# --- child: the scene -------------------------------------------------------------------------


def network_build() -> tuple[list, list]:
    """The org tree with materialized paths computed here (one bulk insert per level)."""
    from sampark.network.models import OrgLevel, OrgUnit

    alphabet, step = OrgUnit.alphabet, OrgUnit.steplen

    def key(i: int) -> str:
        out = ""
        for _ in range(step):
            i, r = divmod(i, len(alphabet))
            out = alphabet[r] + out
        return out

    fan = [DISCOMS, ZONES, CIRCLES, DIVISIONS, SUBDIVISIONS]
    levels = list(OrgLevel.values)
    state = OrgUnit(path=key(1), depth=1, numchild=DISCOMS, level="state", code="UP", name_en="UP")
    OrgUnit.objects.bulk_create([state])
    parents = [state]
    for depth, count in enumerate(fan, start=2):
        nodes = []
        for p in parents:
            for i in range(count):
                code = f"{p.code}-{i + 1}"
                nodes.append(
                    OrgUnit(
                        path=p.path + key(i + 1),
                        depth=depth,
                        numchild=fan[depth - 1] if depth - 1 < len(fan) else 0,
                        level=levels[depth - 1],
                        code=code,
                        name_en=code,
                        name_hi=code,
                        complaint_prefix=code[-2:] if depth == 2 else "",
                    )
                )
        OrgUnit.objects.bulk_create(nodes, batch_size=2000)
        parents = list(OrgUnit.objects.filter(depth=depth).order_by("path"))
    discoms = list(OrgUnit.objects.filter(depth=2).order_by("path"))
    return discoms, parents  # parents: the sub-divisions


def staff_build(subdivisions: list, discom) -> object:
    from sampark.accounts.models import Role, StaffUser

    people = [
        StaffUser(username=f"je-{sd.code}-{k}", role=Role.JE, jurisdiction=sd, password="!")
        for sd in subdivisions
        for k in (1, 2)
    ]
    people.append(StaffUser(username="md", role=Role.MD, jurisdiction=discom, password="!"))
    StaffUser.objects.bulk_create(people, batch_size=2000)
    return StaffUser.objects.get(username="md")


def _h(salt: int) -> str:
    """A deterministic pseudo-random fraction in [0, 1) from the complaint number n."""
    multipliers = [
        2654435761, 2246822519, 3266489917, 668265263, 374761393, 1103515245, 2147483629,
        1597334677, 3812015801, 2869860233,
    ]  # fmt: skip
    mixed = f"(CAST(g.n AS bigint) * {multipliers[salt]}) % 4294967291"
    return f"(CAST({mixed} AS double precision) / 4294967291.0)"


def _pick(u: str, table: list[tuple]) -> str:
    total = sum(row[1] for row in table)
    acc, parts = 0, []
    for i, row in enumerate(table[:-1]):
        acc += row[1]
        parts.append(f"WHEN {u} < {acc / total} THEN {i}")
    return f"CASE {' '.join(parts)} ELSE {len(table) - 1} END"


def history_write(*, n: int, days: int, now: int, subdivisions: list) -> dict:
    """Complaints, their audit events, feedback and explanations, generated in SQL."""
    from django.db import connection

    from sampark.accounts.models import StaffUser

    pg = connection.vendor == "postgresql"
    ts = (lambda x: f"to_timestamp({x})") if pg else (lambda x: f"datetime({x}, 'unixepoch')")
    series = (
        f"g AS (SELECT generate_series(1, {n}) AS n)"
        if pg
        else f"RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {n})"
    )
    jes = dict(StaffUser.objects.filter(role="je").values_list("username", "id"))
    leaves = [
        (i, sd.id, jes[f"je-{sd.code}-1"], jes[f"je-{sd.code}-2"])
        for i, sd in enumerate(subdivisions)
    ]
    cats = [(i, code, hours) for i, (code, _w, hours) in enumerate(CATEGORIES)]
    chans = [(i, code) for i, (code, _w) in enumerate(CHANNELS)]
    span = days * 86400
    with connection.cursor() as cur:
        if pg:  # a scratch database loaded in bulk: no per-row foreign-key triggers
            cur.execute("SET session_replication_role = replica")
        cur.execute(
            "CREATE TABLE bench_leaf (idx integer, unit_id integer, je1 integer, je2 integer)"
        )
        cur.execute("CREATE TABLE bench_cat (idx integer, code varchar(24), hours integer)")
        cur.execute("CREATE TABLE bench_chan (idx integer, code varchar(12))")
        cur.executemany("INSERT INTO bench_leaf VALUES (%s, %s, %s, %s)", leaves)
        cur.executemany("INSERT INTO bench_cat VALUES (%s, %s, %s)", cats)
        cur.executemany("INSERT INTO bench_chan VALUES (%s, %s)", chans)
        # Stage 1: integer facts per complaint (times as epoch seconds).
        cur.execute(
            f"""CREATE TABLE bench_c AS WITH {series}
            SELECT g.n AS n,
              CAST(FLOOR({_h(0)} * {len(leaves)}) AS integer) AS leaf,
              {_pick(_h(1), CATEGORIES)} AS cat,
              {_pick(_h(2), CHANNELS)} AS chan,
              {now} - CAST(FLOOR({_h(3)} * {span}) AS integer) AS reg,
              300 + CAST(FLOOR(exp({_h(4)} * 12.6)) AS integer) AS rt,
              CASE WHEN {_h(5)} < 0.004 THEN 1 ELSE 0 END AS stuck,
              CASE WHEN {_h(6)} < 0.03 THEN 1 ELSE 0 END AS reject,
              CASE WHEN {_h(7)} < 0.7 THEN 1 ELSE 0 END AS confirm,
              CASE WHEN {_h(8)} < 0.5 THEN 1 ELSE 0 END AS escalate,
              CAST(FLOOR({_h(9)} * 25) AS integer) AS fb
            FROM g"""
        )
        # Stage 2: what happened by now.
        cur.execute(
            f"""CREATE TABLE bench_d AS SELECT c.n, c.leaf, c.cat, c.chan, c.reg, c.rt,
              c.reg + c.rt AS res, c.reg + k.hours * 3600 AS due,
              CASE WHEN c.stuck = 0 AND c.reg + c.rt <= {now} THEN 1 ELSE 0 END AS resolved,
              CASE WHEN c.reject = 1 AND c.rt > 7200 AND c.stuck = 0 AND c.reg + c.rt <= {now}
                THEN 1 ELSE 0 END AS rejected,
              CASE WHEN c.stuck = 0 AND c.confirm = 1 AND c.reg + c.rt + 7200 <= {now} THEN 1
                   WHEN c.stuck = 0 AND c.confirm = 0 AND c.reg + c.rt + 86400 <= {now} THEN 2
                   ELSE 0 END AS closed,
              c.escalate, c.fb, c.confirm
            FROM bench_c c JOIN bench_cat k ON k.idx = c.cat"""
        )
        status = (
            "CASE WHEN d.closed > 0 THEN 'closed' WHEN d.resolved = 1 THEN 'resolved' "
            "ELSE 'assigned' END"
        )
        closed_at = "CASE d.closed WHEN 1 THEN d.res + 7200 WHEN 2 THEN d.res + 86400 END"
        breach = f"(CASE WHEN d.resolved = 1 THEN d.res ELSE {now} END) > d.due AND d.due <= {now}"
        je = "CASE WHEN d.n % 2 = 0 THEN l.je1 ELSE l.je2 END"
        cur.execute(
            f"""INSERT INTO complaints_complaint (id, number, channel, category, priority, status,
              language, description, contact_name, location_text, org_unit_id, subdivision_id,
              area_type, is_a_class, registered_at, due_at, sla_hours, paused_seconds, closure,
              escalation_level, resolved_at, closed_at, sla_breached_at, assigned_to_id,
              updated_at)
            SELECT d.n, 'B' || d.n, h.code, k.code, 'normal', {status}, 'hi', '', '', '',
              l.unit_id, l.unit_id, 'URBAN', {"false" if pg else "0"}, {ts("d.reg")},
              {ts("d.due")}, k.hours, 0,
              CASE d.closed WHEN 1 THEN 'confirmed' WHEN 2 THEN 'unconfirmed' ELSE '' END,
              CASE WHEN {breach} AND d.escalate = 1 THEN 1 ELSE 0 END,
              CASE WHEN d.resolved = 1 THEN {ts("d.res")} END,
              CASE WHEN d.closed > 0 THEN {ts(closed_at)} END,
              CASE WHEN {breach} THEN {ts("d.due")} END,
              {je}, {ts(str(now))}
            FROM bench_d d JOIN bench_leaf l ON l.idx = d.leaf JOIN bench_cat k ON k.idx = d.cat
              JOIN bench_chan h ON h.idx = d.chan"""
        )
        if pg:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
                "(SELECT MAX(id) FROM complaints_complaint))"
            )
        events = [
            ("'registered'", "''", "'registered'", "NULL", "d.reg", "1 = 1"),
            ("'assigned'", "'registered'", "'assigned'", je, "d.reg", "1 = 1"),
            ("'transition'", "'assigned'", "'resolved'", "NULL", "d.reg + d.rt / 2",
             "d.rejected = 1"),
            ("'resolution_rejected'", "'resolved'", "'reopened'", je, "d.reg + d.rt / 2 + 3600",
             "d.rejected = 1"),
            ("'transition'", "'resolved'", "'reopened'", "NULL", "d.reg + d.rt / 2 + 3600",
             "d.rejected = 1"),
            ("'transition'", "'assigned'", "'resolved'", "NULL", "d.res", "d.resolved = 1"),
            ("'transition'", "'resolved'", "'closed'", "NULL", closed_at, "d.closed > 0"),
            ("'sla_breached'", "'assigned'", "'assigned'", je, "d.due", breach),
            ("'escalated'", "'assigned'", "'assigned'", "NULL", "d.due + 600",
             f"{breach} AND d.escalate = 1"),
            ("'feedback'", "''", "''", "NULL", f"{closed_at} + 600",
             f"d.closed > 0 AND d.fb < 5 AND {closed_at} + 600 <= {now}"),
        ]  # fmt: skip
        for kind, frm, to, assignee, at, where in events:
            cur.execute(
                f"""INSERT INTO complaints_complaintevent (complaint_id, kind, from_status,
                  to_status, actor_id, actor_label, assignee_id, note, created_at)
                SELECT d.n, {kind}, {frm}, {to}, NULL, 'system', {assignee}, '', {ts(at)}
                FROM bench_d d JOIN bench_leaf l ON l.idx = d.leaf WHERE {where}"""
            )
        cur.execute(
            f"""INSERT INTO complaints_complaintfeedback (complaint_id, rating, comment, channel,
              created_at)
            SELECT d.n, 1 + d.fb, '', 'ivr', {ts(f"{closed_at} + 600")} FROM bench_d d
            WHERE d.closed > 0 AND d.fb < 5 AND {closed_at} + 600 <= {now}"""
        )
        cur.execute(
            f"""INSERT INTO complaints_explanation (complaint_id, officer_id, level, requested_at,
              due_at, reply, replied_at)
            SELECT d.n, {je}, 0, {ts("d.due")}, {ts("d.due + 86400")}, '',
              CASE WHEN d.n % 10 < 7 THEN {ts("d.due + 3600")} END
            FROM bench_d d JOIN bench_leaf l ON l.idx = d.leaf WHERE {breach}"""
        )
        cur.execute("SELECT COUNT(*) FROM complaints_complaintevent")
        events_count = int(cur.fetchone()[0])
        cur.execute("SELECT COUNT(*) FROM complaints_complaint WHERE status <> 'closed'")
        open_count = int(cur.fetchone()[0])
        for table in ("bench_c", "bench_d", "bench_leaf", "bench_cat", "bench_chan"):
            cur.execute(f"DROP TABLE {table}")
        cur.execute("CREATE INDEX bench_event_created ON complaints_complaintevent (created_at)")
        if pg:
            cur.execute("SET session_replication_role = DEFAULT")
    return {"events": events_count, "open": open_count}


def outages_write(*, days: int, now: int, subdivisions: list) -> int:
    """Outage records (what the rollup task keeps per outage) and consumers served."""
    import random
    from datetime import UTC, datetime

    from sampark.core.db import rows_insert
    from sampark.review.models import OutageRecord, ServedConsumers

    rnd = random.Random(7)
    stamp = datetime.fromtimestamp(now, UTC)

    def rows():
        for i in range(days * OUTAGES_PER_DAY):
            start = now - rnd.randrange(days * 86400)
            length = int(rnd.lognormvariate(8.5, 0.8))
            restored = start + length if start + length <= now else None
            etr1 = start + int(length * rnd.uniform(0.5, 1.2))
            etr2 = start + int(length * rnd.uniform(0.9, 1.1))
            consumers = int(rnd.lognormvariate(6.5, 1.0))
            as_dt = lambda x: datetime.fromtimestamp(x, UTC) if x is not None else None  # noqa: E731
            yield (
                i + 1, rnd.choice(subdivisions).id, rnd.choice(KINDS),
                "restored" if restored else "active", as_dt(start), as_dt(restored), as_dt(etr1),
                as_dt(etr2), consumers, consumers * ((restored or now) - start), consumers,
                int(consumers * 0.9), restored is not None, stamp,
            )  # fmt: skip

    columns = [
        "outage_id", "unit", "kind", "status", "starts_at", "restored_at", "first_etr",
        "last_etr", "consumers", "consumer_seconds", "notices_sent", "notices_delivered", "final",
        "refreshed_at",
    ]  # fmt: skip
    written = rows_insert(model=OutageRecord, columns=columns, rows=rows())
    ServedConsumers.objects.bulk_create(
        ServedConsumers(unit=sd.id, consumers=rnd.randrange(20_000, 45_000), counted_at=stamp)
        for sd in subdivisions
    )
    return written


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- child: the raw baseline -----------------------------------------------------------------


def raw_figures(view) -> dict:
    """The page's figures from the raw tables: audit events of the period, aggregated like the
    rollups (children x category x channel, days, JEs), plus the same live reads."""
    from django.db import connection

    from sampark.network.models import OrgUnit
    from sampark.review import buckets
    from sampark.review.calls import call_figures
    from sampark.review.models import MEASURES
    from sampark.review.outage_figures import outage_figures
    from sampark.review.rollup import events_sql
    from sampark.review.scope import local_bounds
    from sampark.review.selectors import figures_of, officer_rows, stocks_read

    lo, hi = (
        connection.ops.adapt_datetimefield_value(t) for t in local_bounds(view.start, view.end)
    )
    cols = [*MEASURES, *buckets.NAMES]
    sums = ", ".join(f"SUM(x.{m})" for m in MEASURES)
    hist = ", ".join(f"SUM(CASE WHEN x.b = {k} THEN 1 ELSE 0 END)" for k in range(buckets.COUNT))
    where = "e.created_at >= %s AND e.created_at < %s AND c.org_unit_id IN ({ids})"
    ids = ", ".join(str(i) for i in view.leaf_ids)
    inner = events_sql(connection.vendor, where=where.format(ids=ids))
    prefix = len(view.unit.path) + OrgUnit.steplen
    stocks = stocks_read(view)
    out: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(u.path, 1, {prefix}), x.category, x.channel, {sums}, {hist} "
            f"FROM ({inner}) x JOIN network_orgunit u ON u.id = x.unit "
            f"GROUP BY substr(u.path, 1, {prefix}), x.category, x.channel",
            [lo, hi],
        )
        total: dict[str, int] = {}
        children: dict[str, dict[str, int]] = {}
        for row in cursor.fetchall():
            values = dict(zip(cols, row[3:], strict=True))
            for target in (total, children.setdefault(row[0], {})):
                for k, v in values.items():
                    target[k] = target.get(k, 0) + int(v or 0)
        cursor.execute(
            f"SELECT x.day, SUM(x.received), SUM(x.resolved), SUM(x.resolved_within_sla), "
            f"SUM(x.breached) FROM ({inner}) x GROUP BY x.day",
            [lo, hi],
        )
        out["trend"] = sorted((str(r[0]), *map(int, r[1:])) for r in cursor.fetchall())
        cursor.execute(
            f"SELECT x.je, SUM(x.breached), SUM(x.resolution_rejected), SUM(x.resolved) "
            f"FROM ({inner}) x WHERE x.je <> 0 GROUP BY x.je",
            [lo, hi],
        )
        out["officers"] = sorted(tuple(map(int, r)) for r in cursor.fetchall())
    pending, overdue = stocks.total()
    out["total"] = figures_of(total, pending=pending, overdue=overdue)
    out["children"] = {k: figures_of(v) for k, v in children.items()}
    # The live parts are the same reads as the dashboard's.
    out["outages"] = outage_figures(view)
    out["calls"] = call_figures(view)
    out["officer_rows"] = officer_rows(view, stocks, limit=None)
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def child(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sampark.core import clock
    from sampark.review.rollup import rollup_refresh
    from sampark.review.scope import review_view
    from sampark.review.selectors import dashboard, figures_of

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    now = int(timezone.now().timestamp()) // 3600 * 3600
    discoms, subdivisions = network_build()
    md = staff_build(subdivisions, discoms[0])
    counts = history_write(n=args.complaints, days=args.days, now=now, subdivisions=subdivisions)
    outages = outages_write(days=args.days, now=now, subdivisions=subdivisions)
    analyze()
    setup_s = time.perf_counter() - started

    started = time.perf_counter()
    refreshed = rollup_refresh(batch=2_000_000)
    build_s = time.perf_counter() - started
    analyze()

    today = clock.local_today()
    start, end = today - timedelta(days=args.period - 1), today
    board_ms, board = timed(
        lambda: dashboard(user=md, org_unit=discoms[0], start=start, end=end), args.repeat
    )
    view = review_view(user=md, org_unit=discoms[0], start=start, end=end)
    raw_ms, raw = timed(lambda: raw_figures(view), max(1, min(args.repeat, 3)))

    # The same figures both ways (or the run fails).
    total = board.complaints.total
    paths = {c.code: c.path for c in view.children}
    children_equal = all(
        _flows(r.figures) == _flows(raw["children"].get(paths[r.key], figures_of({})))
        for r in board.complaints.rows
    )
    trend_equal = [
        (str(t.day), t.received, t.resolved, t.resolved_within_sla, t.breached)
        for t in board.trend
        if t.received or t.resolved or t.resolved_within_sla or t.breached
    ] == raw["trend"]
    officers_equal = (
        sorted(
            (o.user_id, o.breaches, o.resolution_rejected, o.resolved)
            for o in raw["officer_rows"]
            if o.breaches or o.resolution_rejected or o.resolved
        )
        == raw["officers"]
    )
    if not (_flows(total) == _flows(raw["total"]) and children_equal and trend_equal):
        raise SystemExit(f"figures differ: rollup {total} raw {raw['total']}")
    if not officers_equal:
        raise SystemExit("officer figures differ")
    return {
        "bench": "review_dashboard",
        "vendor": connection.vendor,
        "complaints": args.complaints,
        "events": counts["events"],
        "open_complaints": counts["open"],
        "outages": outages,
        "history_days": args.days,
        "period_days": args.period,
        "discom_complaints_in_period": total.received,
        "dashboard_ms": round(board_ms, 1),
        "raw_ms": round(raw_ms, 1),
        "ratio_raw_over_rollup": round(raw_ms / board_ms, 1),
        "rollup_build_s": round(build_s, 1),
        "rollup_events_per_s": round(counts["events"] / build_s),
        "rollup_hour_rows": refreshed.hour_rows,
        "setup_s": round(setup_s, 1),
        "figures_equal": True,
        "targets": f"dashboard < {TARGET_MS[connection.vendor]} ms and >= 20x faster than raw",
        "met": board_ms < TARGET_MS[connection.vendor] and raw_ms / board_ms >= 20,
    }


def _flows(figures) -> tuple | None:
    if figures is None:
        return None
    return (
        figures.received, figures.resolved, figures.resolved_within_sla, figures.closed_confirmed,
        figures.closed_unconfirmed, figures.reopened, figures.resolution_rejected,
        figures.breached, figures.escalations, figures.ratings_count, figures.ratings_sum,
        figures.resolution_seconds, figures.median_seconds, figures.p90_seconds,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--complaints", type=int, default=0, help="default: 5M PG, 1M SQLite")
    parser.add_argument("--days", type=int, default=365, help="history length")
    parser.add_argument("--period", type=int, default=30, help="dashboard period, days")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args), ensure_ascii=False), flush=True)
        return 0
    vendors = ["postgresql", "sqlite"] if args.vendor == "both" else [args.vendor]
    for vendor in vendors:
        print(json.dumps(parent(args, vendor), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
