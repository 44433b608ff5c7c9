"""Fold the complaint audit trail into the rollup tables, incrementally and set-based.

Each run reads the audit events past the watermark (up to a settled id, below) into a
temporary table (one row per event: keys, 0/1 measures, resolution-time bucket), aggregates them
in SQL into a delta (local hour x unit x JE x category x channel) and adds it to ComplaintHour
(last HOUR_DAYS days), OfficerDay, and level by level up the org tree to ComplaintDay,
ChannelDay and ResolutionDay, with INSERT ... SELECT ... ON CONFLICT DO UPDATE SET
x = t.x + excluded.x, advancing the watermark in the same transaction. Running it twice changes
nothing; two workers queue on the watermark row.

What an event counts as (the complaint's row gives place, category, channel, due time):
registered -> received; transition to resolved -> resolved (+ within SLA when at or before the
due time, + its time since registration in the histogram); to closed -> closed confirmed or
unconfirmed (the complaint's `closure`); to reopened -> reopened; resolution_rejected,
sla_breached, escalated -> their counts; feedback -> a rating (ComplaintFeedback).
The JE is the complaint's assignee when folded (for a breach or a rejected resolution: the
event's assignee, who was responsible then).

Settled ids (PostgreSQL): an id is taken when a row is inserted but becomes visible at commit,
so a slow transaction can commit a lower id after a higher one. Before each run we take
`LOCK TABLE ... IN SHARE MODE` on the audit table (it waits for in-flight inserters, blocks new
ones for as long as the max(id) read takes) with a short lock_timeout: every id at or below the
max read then is final. If the lock is not granted in time (a long sweep is inserting) the run
does nothing and the next one retries. SQLite has one writer at a time, so there is no such gap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Model, UniqueConstraint

from sampark.complaints.models import Complaint, ComplaintEvent, ComplaintFeedback
from sampark.core import clock
from sampark.network.models import LEVEL_DEPTH, OrgUnit

from . import buckets
from .models import (
    MEASURES,
    ROLLED_UP,
    ChannelDay,
    ComplaintDay,
    ComplaintHour,
    OfficerDay,
    ResolutionDay,
    Watermark,
)

log = logging.getLogger(__name__)

WATERMARK = "complaint_events"
DELTA = "review_delta"
LOCK_TIMEOUT_MS = 500
HOUR_DAYS = 8  # ComplaintHour keeps this many local days


@dataclass(frozen=True)
class Refreshed:
    events_to: int  # the watermark after the run
    hour_rows: int  # ComplaintHour rows inserted or updated


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _local_parts(vendor: str) -> tuple[str, str, str]:
    """SQL for the event's local day and hour, and seconds from registration to the event."""
    if vendor == "postgresql":
        local = f"(e.created_at AT TIME ZONE '{settings.TIME_ZONE}')"
        return (
            f"CAST({local} AS date)",
            f"CAST(EXTRACT(HOUR FROM {local}) AS integer)",
            "EXTRACT(EPOCH FROM (e.created_at - c.registered_at))",
        )
    offset = ZoneInfo(settings.TIME_ZONE).utcoffset(datetime(2000, 1, 1))
    minutes = int(offset.total_seconds() // 60) if offset else 0
    shift = f"'{minutes:+d} minutes'"
    return (
        f"date(e.created_at, {shift})",
        f"CAST(strftime('%%H', e.created_at, {shift}) AS INTEGER)",
        "((julianday(e.created_at) - julianday(c.registered_at)) * 86400.0)",
    )


def events_sql(vendor: str, *, where: str = "e.id > %s AND e.id <= %s") -> str:
    """One row per relevant audit event matching `where` (by default ids in (lo, hi]): its
    keys, 0/1 measures and histogram bucket. The benchmark's raw baseline uses it too, with a
    time filter, so both paths compute the same figures."""
    day, hour, seconds = _local_parts(vendor)
    resolved = "(e.kind = 'transition' AND e.to_status = 'resolved')"
    closed = "(e.kind = 'transition' AND e.to_status = 'closed')"
    kinds = "'registered', 'sla_breached', 'escalated', 'resolution_rejected', 'feedback'"

    def flag(condition: str) -> str:
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    return f"""
        SELECT {day} AS day, {hour} AS hour, c.org_unit_id AS unit,
          CASE WHEN e.kind IN ('sla_breached', 'resolution_rejected')
               AND e.assignee_id IS NOT NULL THEN e.assignee_id
               ELSE COALESCE(c.assigned_to_id, 0) END AS je,
          c.category AS category, c.channel AS channel,
          {flag("e.kind = 'registered'")} AS received,
          {flag(resolved)} AS resolved,
          {flag(f"{resolved} AND e.created_at <= c.due_at")} AS resolved_within_sla,
          {flag(f"{closed} AND c.closure <> 'unconfirmed'")} AS closed_confirmed,
          {flag(f"{closed} AND c.closure = 'unconfirmed'")} AS closed_unconfirmed,
          {flag("e.kind = 'transition' AND e.to_status = 'reopened'")} AS reopened,
          {flag("e.kind = 'resolution_rejected'")} AS resolution_rejected,
          {flag("e.kind = 'sla_breached'")} AS breached,
          {flag("e.kind = 'escalated'")} AS escalations,
          {flag("e.kind = 'feedback' AND f.rating IS NOT NULL")} AS ratings_count,
          CASE WHEN e.kind = 'feedback' THEN COALESCE(f.rating, 0) ELSE 0 END AS ratings_sum,
          CASE WHEN {resolved} THEN CAST(ROUND({seconds}) AS BIGINT) ELSE 0 END
            AS resolution_seconds,
          CASE WHEN {resolved} THEN {buckets.bucket_sql(seconds, vendor=vendor)} END AS b
        FROM {_table(ComplaintEvent)} e
        JOIN {_table(Complaint)} c ON c.id = e.complaint_id
        LEFT JOIN {_table(ComplaintFeedback)} f
          ON e.kind = 'feedback' AND f.complaint_id = e.complaint_id
        WHERE {where}
          AND (e.kind IN ({kinds})
               OR (e.kind = 'transition' AND e.to_status IN ('resolved', 'closed', 'reopened')))
    """


def _temp() -> str:
    return "TEMPORARY TABLE" if connection.vendor == "postgresql" else "TEMP TABLE"


def _upsert(
    cursor: Any,
    model: type[Model],
    *,
    keys: list[str],
    exprs: list[str],
    source: str,
    columns: tuple[str, ...] = MEASURES,
) -> int:
    """Add the rows of `source` (aliased d), grouped by `exprs`, into `model`'s rows of `keys`."""
    group = ", ".join(exprs)
    sums = ", ".join(f"SUM(d.{c})" for c in columns)
    adds = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in columns)
    constraint = model._meta.constraints[0]
    assert isinstance(constraint, UniqueConstraint)  # plain fields: column = name
    cursor.execute(
        f"INSERT INTO {_table(model)} AS t ({', '.join(keys)}, {', '.join(columns)}) "
        f"SELECT {group}, {sums} {source} GROUP BY {group} "
        f"ON CONFLICT ({', '.join(constraint.fields)}) DO UPDATE SET {adds}"
    )
    return int(cursor.rowcount)


def _cascade(
    cursor: Any,
    model: type[Model],
    *,
    keys: list[str],
    source: str,
    columns: tuple[str, ...],
    above: dict[str, str] | None = None,
) -> None:
    """Rows of `keys` (the first is "day", the second "unit") from `source` at the answerable
    units, then each level above from the level below (smaller each time: cheaper than adding
    every row under each ancestor). `above` replaces key values on the levels above."""
    # Two temporary tables used in turn (not one per level: each new table is one more lock
    # held to the end of the transaction).
    here, up = f"{DELTA}_level", f"{DELTA}_up"
    rest = keys[2:]
    sums = ", ".join(f"SUM({c}) AS {c}" for c in columns)
    cursor.execute(
        f"CREATE {_temp()} {here} AS SELECT {', '.join(keys)}, {sums} {source} "
        f"GROUP BY {', '.join(keys)}"
    )
    cursor.execute(f"CREATE {_temp()} {up} AS SELECT * FROM {here} WHERE 1 = 0")
    units = _table(OrgUnit)
    lifted = [f"{(above or {}).get(k, f'd.{k}')}" for k in rest]
    # Constants are not grouped by (SQLite reads an integer there as a column position).
    group = ", ".join(["d.day", "a.id", *(f"d.{k}" for k in rest if k not in (above or {}))])
    lifted_sums = ", ".join(f"SUM(d.{c})" for c in columns)
    for _depth in LEVEL_DEPTH:
        _upsert(
            cursor,
            model,
            keys=keys,
            exprs=[f"d.{k}" for k in keys],
            source=f"FROM {here} d WHERE true",
            columns=columns,
        )
        cursor.execute(f"DELETE FROM {up}")
        cursor.execute(
            f"INSERT INTO {up} ({', '.join(keys)}, {', '.join(columns)}) "
            f"SELECT d.day, a.id, {''.join(e + ', ' for e in lifted)}{lifted_sums} "
            f"FROM {here} d JOIN {units} u ON u.id = d.unit "
            f"JOIN {units} a ON a.path = substr(u.path, 1, (u.depth - 1) * {OrgUnit.steplen}) "
            f"WHERE u.depth > 1 GROUP BY {group}"
        )
        here, up = up, here
    cursor.execute(f"DROP TABLE {here}")
    cursor.execute(f"DROP TABLE {up}")


def _fold(*, lo: int, hi: int) -> int:
    vendor = connection.vendor
    events, delta = f"{DELTA}_events", DELTA
    keys = "day, hour, unit, je, category, channel"
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '64MB'")  # group in memory, not on disk
        for name in (events, delta, f"{DELTA}_level", f"{DELTA}_up"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE {_temp()} {events} AS {events_sql(vendor)}", [lo, hi])
        sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
        cursor.execute(
            f"CREATE {_temp()} {delta} AS SELECT {keys}, {sums} FROM {events} GROUP BY {keys}"
        )
        since = clock.local_today() - timedelta(days=HOUR_DAYS - 1)
        rows = _upsert(
            cursor,
            ComplaintHour,
            keys=keys.split(", "),
            exprs=[f"d.{k}" for k in keys.split(", ")],
            source=f"FROM {delta} d WHERE d.day >= '{since.isoformat()}'",
        )
        _upsert(
            cursor,
            OfficerDay,
            keys=["day", "unit", "je"],
            exprs=["d.day", "d.unit", "d.je"],
            source=f"FROM {delta} d WHERE true",
        )
        _cascade(
            cursor,
            ComplaintDay,
            keys=["day", "unit", "category"],
            source=f"FROM {delta} WHERE true",
            columns=MEASURES,
        )
        _cascade(
            cursor,
            ChannelDay,
            keys=["day", "unit", "channel"],
            source=f"FROM {delta} WHERE received > 0",
            columns=("received",),
        )
        _cascade(
            cursor,
            ResolutionDay,
            keys=["day", "unit", "je", "bucket"],
            source=f"FROM (SELECT day, unit, je, b AS bucket, 1 AS count FROM {events} "
            "WHERE b IS NOT NULL) r",
            columns=("count",),
            above={"je": str(ROLLED_UP)},
        )
        cursor.execute(f"DROP TABLE {delta}")
        cursor.execute(f"DROP TABLE {events}")
        ComplaintHour.objects.filter(day__lt=since).delete()
    return rows


def _settled_upper() -> int | None:
    """The highest audit-event id below which nothing can still appear (None: try later)."""
    table = _table(ComplaintEvent)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            except OperationalError:
                log.info("rollup: audit trail busy, retrying at the next run")
                return None
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        return int(cursor.fetchone()[0] or 0)


def rollup_refresh(*, batch: int = 500_000) -> Refreshed:
    """Fold every settled audit event past the watermark into the rollups, `batch` ids per
    transaction (the first run over a large history commits as it goes)."""
    Watermark.objects.get_or_create(name=WATERMARK)
    upper = _settled_upper()
    rows = 0
    while True:
        with transaction.atomic():
            # Writing first takes the row lock (PostgreSQL) or the write lock (SQLite): a
            # second worker waits here and then sees this one's watermark.
            Watermark.objects.filter(name=WATERMARK).update(updated_at=clock.now())
            mark = Watermark.objects.select_for_update().get(name=WATERMARK)
            if upper is None or mark.last_id >= upper:
                return Refreshed(events_to=mark.last_id, hour_rows=rows)
            hi = min(mark.last_id + batch, upper)
            rows += _fold(lo=mark.last_id, hi=hi)
            mark.last_id = hi
            mark.save(update_fields=["last_id"])
