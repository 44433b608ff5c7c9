"""The escalation ladder and the "responsibility fixed" register (issue 6).

An open complaint climbs EscalationRule rungs (SDO at 1x its time limit, XEN at 1.5x, ...): each
rung is recorded once (ComplaintEscalation), written to the audit trail, its officer is asked to
explain the delay (Explanation) and told by one SMS digest per sweep, not one per complaint.

The sweep runs every minute over what may be a million open complaints, so it is set-based: due
rows come from the partial index on `next_escalation_at`, and each chunk costs a fixed number of
statements (`INSERT ... SELECT` per rung, `UPDATE` per (rung, time limit)), never one per
complaint. Rung times are `due_at + (multiple - 1) x limit`: `due_at` already carries the time
the clock stood paused, so the ladder moves with it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Model
from django.db.models.constants import OnConflict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core import clock
from sampark.core.errors import Conflict, NotAllowed, ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgUnit
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue

from .models import (
    SLA_RUNNING_STATUSES,
    Complaint,
    ComplaintEscalation,
    ComplaintEvent,
    EscalationRule,
    EventKind,
    Explanation,
    Status,
)

log = logging.getLogger(__name__)

# Complaints handled per transaction: bounds lock time and statement size, not the work.
CHUNK = 20_000
# Hours the assignee has to explain a breach when no rung says otherwise.
EXPLANATION_HOURS_DEFAULT = 24
REPLY_MAX = 2000
DIGEST_TEMPLATE = "escalation_digest"
# These never run again: their ladder times are dropped so the partial index stays small.
FINISHED_STATUSES = (Status.CLOSED, Status.CANCELLED, Status.DUPLICATE)


@dataclass(frozen=True)
class Rung:
    level: int
    role: str
    multiple: Decimal
    explanation_hours: int

    def offset(self, *, sla_hours: int) -> timedelta:
        """From `due_at` (registered + limit + paused time) to this rung."""
        return timedelta(seconds=int((self.multiple - 1) * sla_hours * 3600))


@dataclass
class Ladder:
    """The rules and, per rung role, which officer answers for each org unit."""

    rungs: list[Rung]
    officers: dict[str, dict[int, int]]  # role -> org unit id -> officer id
    _ahead: dict[int, list[Rung]] = field(default_factory=dict)

    def ahead(self, level: int) -> list[Rung]:
        if level not in self._ahead:
            self._ahead[level] = [rung for rung in self.rungs if rung.level > level]
        return self._ahead[level]


def escalation_first_at(*, due_at: datetime, sla_hours: int) -> datetime | None:
    """When a new complaint reaches rung 1 (None without a ladder): set at registration."""
    rule = EscalationRule.objects.order_by("level").first()
    if rule is None:
        return None
    return due_at + _rung(rule).offset(sla_hours=sla_hours)


def escalation_shift(*, at: datetime | None, by: timedelta) -> datetime | None:
    """The next rung moves with `due_at` when paused time is added back."""
    return None if at is None else at + by


def _rung(rule: EscalationRule) -> Rung:
    return Rung(rule.level, rule.role, Decimal(rule.multiple), rule.explanation_hours)


def _ladder_load() -> Ladder:
    """Three queries per sweep: the rules, the rung officers, the org units' paths."""
    rungs = [_rung(rule) for rule in EscalationRule.objects.order_by("level")]
    roles = {rung.role for rung in rungs}
    # Deepest jurisdiction first is decided per unit below; lowest id wins within one node.
    by_path: dict[str, dict[str, int]] = defaultdict(dict)
    officers = (
        StaffUser.objects.filter(is_active=True, role__in=roles, jurisdiction__isnull=False)
        .order_by("-id")
        .values_list("id", "role", "jurisdiction__path")
    )
    for pk, role, path in officers:
        by_path[role][path] = pk  # descending ids: the lowest is written last
    mapping: dict[str, dict[int, int]] = {role: {} for role in roles}
    step = OrgUnit.steplen
    for unit_id, path in OrgUnit.objects.values_list("id", "path"):
        for role in roles:
            paths = by_path.get(role)
            if not paths:
                continue
            for end in range(len(path), 0, -step):  # self, then each ancestor upwards
                officer = paths.get(path[:end])
                if officer is not None:
                    mapping[role][unit_id] = officer
                    break
    return Ladder(rungs=rungs, officers=mapping)


def complaints_escalate(*, now: datetime | None = None) -> int:
    """Move every due complaint up the ladder; returns the number of rungs recorded.

    A complaint that passed several rungs since the last sweep (scheduler down) gets each of
    them, once: rows are unique per (complaint, level) and `next_escalation_at` moves past
    `now`, so re-running the sweep changes nothing. Officers get one digest each afterwards.
    """
    now = now or clock.now()
    Complaint.objects.filter(next_escalation_at__lte=now, status__in=FINISHED_STATUSES).update(
        next_escalation_at=None
    )
    ladder: Ladder | None = None
    escalated = 0
    touched: set[int] = set()
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                Complaint.objects.filter(
                    next_escalation_at__lte=now, status__in=SLA_RUNNING_STATUSES, id__gt=last_id
                )
                .order_by("id")
                .select_for_update()
                .values_list("id", "escalation_level", "due_at", "sla_hours", "org_unit_id")[:CHUNK]
            )
            if not rows:
                break
            last_id = rows[-1][0]
            ladder = ladder or _ladder_load()
            escalated += _chunk_escalate(rows=rows, ladder=ladder, now=now, touched=touched)
        if len(rows) < CHUNK:
            break
    if touched:
        escalation_digests_send(officer_ids=touched, now=now)
    return escalated


Row = tuple[int, int, datetime, int, int]


def _chunk_escalate(
    *, rows: Sequence[Row], ladder: Ladder, now: datetime, touched: set[int]
) -> int:
    reaching: dict[int, list[Row]] = defaultdict(list)
    # (level reached, time limit) -> complaint ids: one UPDATE each, the next time in SQL.
    moves: dict[tuple[int, int], list[int]] = defaultdict(list)
    thresholds: dict[tuple[int, int], list[tuple[datetime, Rung]]] = {}
    for row in rows:
        pk, level, due_at, sla_hours, _unit = row
        ahead = ladder.ahead(level)
        final = level
        if ahead:
            # The first rung ahead is due: the index said so. Later ones if their time passed.
            reaching[ahead[0].level].append(row)
            final = ahead[0].level
            key = (level, sla_hours)
            if key not in thresholds:
                thresholds[key] = [
                    (now - rung.offset(sla_hours=sla_hours), rung) for rung in ahead[1:]
                ]
            for latest_due, rung in thresholds[key]:
                if due_at > latest_due:
                    break
                reaching[rung.level].append(row)
                final = rung.level
        moves[(final, sla_hours)].append(pk)
    escalated = 0
    for rung in ladder.rungs:
        if rung.level in reaching:
            escalated += _rung_record(
                rung=rung, rows=reaching[rung.level], ladder=ladder, now=now, touched=touched
            )
    for (final, sla_hours), ids in moves.items():
        following = ladder.ahead(final)
        next_at = F("due_at") + following[0].offset(sla_hours=sla_hours) if following else None
        Complaint.objects.filter(id__in=ids).update(
            escalation_level=final, next_escalation_at=next_at, updated_at=now
        )
    return escalated


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ids_sql(ids: Iterable[int]) -> str:
    """Ids read from the database, inlined as integers: no parameter-count limits."""
    return ",".join(str(int(pk)) for pk in ids)


def _insert_ignoring(table: str, columns: str) -> tuple[str, str]:
    ops = connection.ops
    head = ops.insert_statement(on_conflict=OnConflict.IGNORE)
    tail = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], []) or ""
    return f"{head} {table} ({columns})", tail


def _rung_record(
    *, rung: Rung, rows: Sequence[Row], ladder: Ladder, now: datetime, touched: set[int]
) -> int:
    """Three statements for every complaint reaching this rung in the chunk: escalation rows
    (officer from the unit -> officer map), their audit events, the officers' explanations."""
    ids = _ids_sql(row[0] for row in rows)
    officers = ladder.officers.get(rung.role, {})
    pairs = {row[4]: officers[row[4]] for row in rows if row[4] in officers}
    touched.update(pairs.values())
    at = connection.ops.adapt_datetimefield_value(now)
    complaint, escalation = _table(Complaint), _table(ComplaintEscalation)
    if pairs:
        values = ",".join(f"({int(unit)},{int(officer)})" for unit, officer in pairs.items())
        officer_sql = "m.officer_id"
        join = (
            "LEFT JOIN (SELECT column1 AS unit_id, column2 AS officer_id "
            f"FROM (VALUES {values}) AS v) m ON m.unit_id = c.org_unit_id"
        )
    else:
        officer_sql, join = "NULL", ""
    head, tail = _insert_ignoring(
        escalation, "complaint_id, level, role, officer_id, escalated_at, notified_at"
    )
    note = f"level {rung.level}: {rung.role.upper()}"
    due = connection.ops.adapt_datetimefield_value(now + timedelta(hours=rung.explanation_hours))
    ex_head, ex_tail = _insert_ignoring(
        _table(Explanation),
        "complaint_id, officer_id, level, requested_at, due_at, reply, replied_at",
    )
    reached = f"e.complaint_id IN ({ids}) AND e.level = %s AND e.escalated_at = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{head} SELECT c.id, %s, %s, {officer_sql}, %s, NULL FROM {complaint} c {join} "
            f"WHERE c.id IN ({ids}) {tail}",
            [rung.level, rung.role, at],
        )
        inserted = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {_table(ComplaintEvent)} (complaint_id, kind, from_status, to_status, "
            "actor_id, actor_label, assignee_id, note, created_at) "
            f"SELECT e.complaint_id, %s, c.status, c.status, NULL, 'system', e.officer_id, %s, %s "
            f"FROM {escalation} e JOIN {complaint} c ON c.id = e.complaint_id WHERE {reached}",
            [EventKind.ESCALATED.value, note, at, rung.level, at],
        )
        cursor.execute(
            f"{ex_head} SELECT e.complaint_id, e.officer_id, %s, %s, %s, '', NULL "
            f"FROM {escalation} e WHERE {reached} AND e.officer_id IS NOT NULL {ex_tail}",
            [rung.level, at, due, rung.level, at],
        )
    return inserted


def escalation_link() -> str:
    """Where the digest sends the officer: the explanations register."""
    base = str(getattr(settings, "SAMPARK_PUBLIC_URL", "") or "").rstrip("/")
    return base + reverse("staff:explanations")


def escalation_digests_send(*, officer_ids: Iterable[int], now: datetime) -> int:
    """One SMS per officer with un-notified escalations: their count, rung and the register's
    link; then `notified_at`. Officers without a usable phone keep their rows un-notified (the
    register shows them). Idempotent per sweep: the outbox key is (officer, sweep time)."""
    officers = StaffUser.objects.filter(id__in=list(officer_ids)).exclude(phone="")
    phones = {officer.pk: officer.phone for officer in officers.only("id", "phone")}
    if not phones:
        return 0
    pending = (
        ComplaintEscalation.objects.filter(
            officer_id__in=list(phones), notified_at__isnull=True, escalated_at__lte=now
        )
        .values("officer_id")
        .annotate(count=Count("id"), level=Max("level"))
        .order_by("officer_id")
    )
    levels = {rung.level: rung.role for rung in map(_rung, EscalationRule.objects.all())}
    link, stamp, told = escalation_link(), now.strftime("%Y%m%dT%H%M%S"), []
    with transaction.atomic():
        for row in pending:
            officer_id = row["officer_id"]
            try:
                phone = mobile_to_e164(phones[officer_id])
            except ValidationFailed:
                log.warning("officer %s has no valid mobile: escalations not sent", officer_id)
                continue
            notification_enqueue(
                topic=f"escalation:{officer_id}",
                event=f"sweep:{stamp}",
                channel=NotificationChannel.SMS,
                recipient=phone,
                template_key=DIGEST_TEMPLATE,
                language=Language.HINDI,
                variables={
                    "count": row["count"],
                    "level": row["level"],
                    "role": levels.get(row["level"], "").upper(),
                    "link": link,
                },
            )
            told.append(officer_id)
        ComplaintEscalation.objects.filter(
            officer_id__in=told, notified_at__isnull=True, escalated_at__lte=now
        ).update(notified_at=now)
    return len(told)


def explanations_request(
    *, pairs: Iterable[tuple[int, int | None]], level: int, now: datetime
) -> int:
    """Ask these (complaint, officer) pairs to explain; a pair already asked keeps its request.

    Used at breach for the assignee (level 0). The reply window is rung 1's (or 24 h).
    """
    rows = [(pk, officer) for pk, officer in pairs if officer is not None]
    if not rows:
        return 0
    first = EscalationRule.objects.order_by("level").first()
    hours = first.explanation_hours if first else EXPLANATION_HOURS_DEFAULT
    due = now + timedelta(hours=hours)
    created = Explanation.objects.bulk_create(
        (
            Explanation(
                complaint_id=pk, officer_id=officer, level=level, requested_at=now, due_at=due
            )
            for pk, officer in rows
        ),
        ignore_conflicts=True,
        batch_size=5000,
    )
    return len(created)


def explanation_reply(*, explanation: Explanation, officer: StaffUser, text: str) -> Explanation:
    """The asked officer, and only they, gives the explanation, once; it joins the audit trail."""
    if not officer.is_authenticated or not officer.is_active:
        raise NotAllowed()
    if explanation.officer_id != officer.pk:
        raise NotAllowed(_("Only the officer asked can explain this delay."))
    text = (text or "").strip()
    with transaction.atomic():
        locked = Explanation.objects.select_for_update().get(pk=explanation.pk)
        if locked.replied_at is not None:
            raise Conflict(_("This explanation has already been given."), code="already_replied")
        if not text:
            raise ValidationFailed(fields={"reply": _("Write the explanation.")})
        if len(text) > REPLY_MAX:
            raise ValidationFailed(
                fields={"reply": _("Keep the explanation within 2,000 characters.")}
            )
        now = clock.now()
        locked.reply, locked.replied_at = text, now
        locked.save(update_fields=["reply", "replied_at"])
        ComplaintEvent.objects.create(
            complaint_id=locked.complaint_id,
            kind=EventKind.EXPLANATION,
            actor=officer,
            note=text,
            created_at=now,
        )
    return locked
