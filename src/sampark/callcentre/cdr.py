"""CDR import: a telephony platform's call detail records (one row per call) as call events.

Each row becomes the events it implies (offered, queued, answered, then how it ended): a call
not stored yet is written whole, with its events, in bulk (`calls_create`); a row about a call
already stored goes event by event through `call_event_record`. Either way a CDR and the live
events API land on the same call rows, a re-imported file changes nothing, and an unserved call
from the last SAMPARK_CALLBACK_MAX_AGE_HOURS is owed a callback exactly as a live one. Columns:
docs/callcentre.md.

All or nothing by default: every row is checked, and if any is bad nothing is written and each
problem is reported with its row number; `skip_invalid` records the good rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core import clock
from sampark.core.csvimport import (
    ImportReport,
    Record,
    RowError,
    RowReader,
    choices_of,
    columns_missing,
)
from sampark.core.errors import Conflict, ValidationFailed
from sampark.network.models import OrgLevel, OrgUnit

from .models import Call, CallEvent, CallEventKind, CallQueue, CallSource
from .services import (
    BAD_CALL_ID,
    CALL_ID_MAX,
    FUTURE_SLACK,
    CallRecord,
    RecordedEvent,
    call_event_record,
    call_mark_ivr_contained,
    calls_create,
    calls_known,
)

REQUIRED_COLUMNS = ("call_id", "offered_at")
KIND = "calls"

BAD_TIME = _("'%(value)s' is not a date and time (e.g. 2026-05-04 14:30:05, IST).")
BEFORE = _("Comes before %(other)s.")
IN_FUTURE = _("'%(value)s' is in the future.")
DUPLICATE = _("Call id '%(value)s' already appeared in row %(row)d.")
UNKNOWN_AGENT = _("No staff user has the username '%(value)s'.")
UNKNOWN_DISCOM = _("No discom has the code '%(value)s'.")
ANSWER_NEEDS_TIME = _("An answered disposition needs answered_at.")
UNANSWERED_WITH_TIME = _("A call with answered_at cannot be '%(value)s'.")

# How the call ended -> the closing event (ivr_contained is a completed call the IVR served).
DISPOSITIONS = {
    "answered": CallEventKind.COMPLETED,
    "completed": CallEventKind.COMPLETED,
    "abandoned": CallEventKind.ABANDONED,
    "dropped": CallEventKind.DROPPED,
    "transferred": CallEventKind.TRANSFERRED,
    "ivr_contained": CallEventKind.COMPLETED,
}
UNANSWERED = frozenset({"abandoned", "ivr_contained"})


@dataclass(frozen=True)
class CdrRow:
    row: int
    call_id: str
    calling_number: str
    offered_at: datetime
    queued_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    disposition: str
    agent: StaffUser | None
    queue: str
    discom: OrgUnit | None
    ivr_contained: bool


def _when(reader: RowReader, name: str, *, required: bool = False) -> datetime | None:
    value = reader.record.get(name) or ""
    if not value:
        if required:
            reader.error(name, _("This field is required."))
        return None
    try:
        parsed = parse_datetime(value.replace("/", "-"))
    except ValueError:
        parsed = None
    if parsed is None:
        reader.error(name, BAD_TIME % {"value": value})
        return None
    aware = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    if aware > clock.now() + FUTURE_SLACK:
        reader.error(name, IN_FUTURE % {"value": value})
        return None
    return aware


class _Lookups:
    """Agents and discoms named in the file, looked up once each."""

    def __init__(self) -> None:
        self.agents: dict[str, StaffUser | None] = {}
        self.discoms: dict[str, OrgUnit | None] = {}

    def agent(self, username: str) -> StaffUser | None:
        if username not in self.agents:
            self.agents[username] = StaffUser.objects.filter(username=username).first()
        return self.agents[username]

    def discom(self, code: str) -> OrgUnit | None:
        if code not in self.discoms:
            self.discoms[code] = OrgUnit.objects.filter(
                code__iexact=code, level=OrgLevel.DISCOM
            ).first()
        return self.discoms[code]


def cdr_row_read(
    row: int, record: Record, *, lookups: _Lookups, seen: dict[str, int]
) -> tuple[CdrRow | None, RowReader]:
    reader = RowReader(row, record)
    call_id = reader.text("call_id", required=True, max_length=CALL_ID_MAX)
    if call_id and not call_id.isprintable():
        reader.error("call_id", BAD_CALL_ID)
    elif call_id in seen:
        reader.error("call_id", DUPLICATE % {"value": call_id, "row": seen[call_id]})
    elif call_id:
        seen[call_id] = row
    number = reader.text("calling_number", max_length=40)
    offered = _when(reader, "offered_at", required=True)
    queued = _when(reader, "queued_at")
    answered = _when(reader, "answered_at")
    ended = _when(reader, "ended_at")
    disposition = reader.choice(
        "disposition", choices_of(DISPOSITIONS), default="answered" if answered else "abandoned"
    )
    queue = reader.choice("queue", choices_of(CallQueue.values))
    contained = reader.flag("ivr_contained") or disposition == "ivr_contained"
    agent = discom = None
    if username := reader.text("agent", max_length=150):
        agent = lookups.agent(username)
        if agent is None:
            reader.error("agent", UNKNOWN_AGENT % {"value": username})
    if code := reader.text("discom", max_length=40):
        discom = lookups.discom(code)
        if discom is None:
            reader.error("discom", UNKNOWN_DISCOM % {"value": code})
    _order_check(reader, offered=offered, queued=queued, answered=answered, ended=ended)
    if answered is None and disposition == "answered":
        reader.error("disposition", ANSWER_NEEDS_TIME)
    if answered is not None and disposition in UNANSWERED:
        reader.error("disposition", UNANSWERED_WITH_TIME % {"value": disposition})
    if reader.errors or offered is None:
        return None, reader
    return (
        CdrRow(
            row=row,
            call_id=call_id,
            calling_number=number,
            offered_at=offered,
            queued_at=queued or (offered if queue and not contained else None),
            answered_at=answered,
            ended_at=ended,
            disposition=disposition,
            agent=agent,
            queue=queue,
            discom=discom,
            ivr_contained=contained,
        ),
        reader,
    )


def _order_check(reader: RowReader, **times: datetime | None) -> None:
    """offered <= queued <= answered <= ended, for those given."""
    previous: tuple[str, datetime] | None = None
    for name, value in times.items():
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            reader.error(f"{name}_at", BEFORE % {"other": f"{previous[0]}_at"})
        previous = (name, value)


def cdr_row_record(cdr: CdrRow) -> bool:
    """Record one row's events; True when something new was learnt about the call."""
    events: list[tuple[str, datetime, dict[str, object]]] = [
        (CallEventKind.OFFERED, cdr.offered_at, {})
    ]
    if cdr.queued_at is not None:
        events.append((CallEventKind.QUEUED, cdr.queued_at, {"queue": cdr.queue}))
    if cdr.answered_at is not None:
        events.append((CallEventKind.ANSWERED, cdr.answered_at, {"agent": cdr.agent}))
    if cdr.ended_at is not None:
        events.append((DISPOSITIONS[cdr.disposition], cdr.ended_at, {}))
    before = CallEvent.objects.filter(call__call_id=cdr.call_id).count()
    call: Call | None = None
    for kind, at, extra in events:
        call = call_event_record(
            call_id=cdr.call_id,
            kind=kind,
            at=at,
            source=CallSource.CDR,
            calling_number=cdr.calling_number,
            discom=cdr.discom,
            detail={"cdr_row": cdr.row},
            **extra,  # type: ignore[arg-type]
        )
    if cdr.ivr_contained and call is not None and not call.ivr_contained:
        call_mark_ivr_contained(call=call, at=cdr.ended_at or cdr.offered_at)
    return CallEvent.objects.filter(call__call_id=cdr.call_id).count() != before


BATCH = 1000


def cdr_record(cdr: CdrRow) -> CallRecord:
    """The row as a whole call, for calls_create."""
    events = [RecordedEvent(CallEventKind.OFFERED, cdr.offered_at)]
    if cdr.queued_at is not None:
        events.append(RecordedEvent(CallEventKind.QUEUED, cdr.queued_at, queue=cdr.queue))
    if cdr.answered_at is not None:
        events.append(RecordedEvent(CallEventKind.ANSWERED, cdr.answered_at, agent=cdr.agent))
    if cdr.ended_at is not None:
        events.append(RecordedEvent(DISPOSITIONS[cdr.disposition], cdr.ended_at))
    return CallRecord(
        call_id=cdr.call_id,
        source=CallSource.CDR,
        calling_number=cdr.calling_number,
        discom=cdr.discom,
        events=events,
        ivr_contained_at=(cdr.ended_at or cdr.offered_at) if cdr.ivr_contained else None,
        detail={"cdr_row": cdr.row},
    )


def cdr_import(*, rows: Iterable[tuple[int, Record]], skip_invalid: bool = False) -> ImportReport:
    """Import CDR rows; one transaction, nothing written when a row is bad (unless
    `skip_invalid`). Counts: calls created (new), updated (new events), unchanged (replayed).

    Rows are written a batch at a time: calls not stored yet in a few bulk statements
    (calls_create), rows about known calls event by event (cdr_row_record)."""
    report = ImportReport()
    report.counts(KIND)  # reported even when the file has no rows
    lookups = _Lookups()
    seen: dict[str, int] = {}
    batch: list[CdrRow] = []
    header_checked = False
    with transaction.atomic():
        for row, record in rows:
            if not header_checked:
                header_checked = True
                missing = columns_missing(record=record, required=REQUIRED_COLUMNS)
                if missing:
                    report.row_rejected(missing)
                    report.refused = True
                    return report
            cdr, reader = cdr_row_read(row, record, lookups=lookups, seen=seen)
            if cdr is None:
                report.row_rejected(reader.errors)
            elif skip_invalid or not report.bad_rows:  # else the file is refused: only check
                batch.append(cdr)
            if len(batch) >= BATCH:
                _batch_record(batch, report=report)
                batch = []
        if skip_invalid or not report.bad_rows:
            _batch_record(batch, report=report)
        if report.bad_rows and not skip_invalid:
            report.refused = True
            report.kinds.clear()
            transaction.set_rollback(True)
    return report


def _batch_record(batch: list[CdrRow], *, report: ImportReport) -> None:
    if not batch:
        return
    known = calls_known(call_ids=[cdr.call_id for cdr in batch])
    fresh = [cdr for cdr in batch if cdr.call_id not in known]
    try:
        calls_create(records=[cdr_record(cdr) for cdr in fresh])
        report.counts(KIND).created += len(fresh)
    except Conflict:  # a live event stored one of these calls meanwhile: go row by row
        known.update(cdr.call_id for cdr in fresh)
    for cdr in batch:
        if cdr.call_id in known:
            _row_record(cdr, report=report)


def _row_record(cdr: CdrRow, *, report: ImportReport) -> None:
    counts = report.counts(KIND)
    existed = Call.objects.filter(call_id=cdr.call_id).exists()
    try:
        with transaction.atomic():
            changed = cdr_row_record(cdr)
    except ValidationFailed as error:  # e.g. a time in the future
        report.row_rejected(
            [RowError(cdr.row, name, str(text)) for name, text in error.fields.items()]
        )
        return
    if not existed:
        counts.created += 1
    elif changed:
        counts.updated += 1
    else:
        counts.unchanged += 1
