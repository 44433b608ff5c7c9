"""Writes on the outage register: declare, revise the ETR, restore (wholly or in parts), cancel.

Every change writes an `OutageEvent` in the same transaction; the fan-out of that event runs in
a task enqueued on commit. Bad input raises before anything is written: unknown network codes
and impossible times are 422, acting outside one's role 403, outside one's jurisdiction 403 on
declaration and 404 on an existing outage (its existence is not revealed), a change the outage's
state does not allow 409.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.core.phones import mobile_or_none
from sampark.network.models import (
    LEVEL_DEPTH,
    DistributionTransformer,
    Feeder,
    OrgLevel,
    OrgUnit,
    Substation,
)

from .events import outage_event_write
from .models import (
    Outage,
    OutageEventKind,
    OutageKind,
    OutageReason,
    OutageReport,
    OutageScope,
    OutageSource,
    OutageStatus,
    ReportKind,
)

UNKNOWN = {
    "substation_codes": _("No substation has the code(s): %(codes)s."),
    "feeder_codes": _("No feeder has the code(s): %(codes)s."),
    "dt_codes": _("No distribution transformer has the code(s): %(codes)s."),
}
EMPTY_SCOPE = _("Name at least one substation, feeder or distribution transformer.")
ONE_ZONE = _("An outage lies within one zone: declare one outage per zone.")
OUTSIDE = _("Outside your jurisdiction: %(codes)s.")
OUTSIDE_MESSAGE = _("Part of this scope lies outside your jurisdiction.")
UNKNOWN_REASON = _("Choose one of the listed reasons.")
ETR_PAST = _("The restoration time must be in the future.")
ETR_BEFORE_START = _("The restoration time must be after the start.")
SHORT_NOTICE = _(
    "Planned work needs at least %(hours)s hours' notice to consumers; "
    "mark it an emergency to declare it sooner."
)
NOT_LIVE = _("This outage is already %(status)s.")
NOT_STARTED = _("This outage has not started yet; cancel it instead.")
ONLY_SCHEDULED = _("Only an outage that has not started can be cancelled.")
NOT_IN_OUTAGE = _("Not part of this outage: %(ids)s.")
ALREADY_RESTORED = _("Already restored: %(ids)s.")
CHOOSE_ELEMENTS = _("Choose at least one feeder, substation or transformer to restore.")


class OutageConflict(Conflict):
    code = "outage_state"


@dataclass(frozen=True)
class _Scope:
    substations: list[Substation]
    feeders: list[Feeder]
    dts: list[DistributionTransformer]

    def subdivisions(self) -> dict[str, OrgUnit]:
        """Code of each element -> its sub-division."""
        found: dict[str, OrgUnit] = {s.code: s.subdivision for s in self.substations}
        found |= {f.code: f.substation.subdivision for f in self.feeders}
        found |= {d.code: d.feeder.substation.subdivision for d in self.dts}
        return found


def _codes(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _scope_resolve(
    *, substation_codes: Sequence[str], feeder_codes: Sequence[str], dt_codes: Sequence[str]
) -> _Scope:
    wanted = {
        "substation_codes": _codes(substation_codes),
        "feeder_codes": _codes(feeder_codes),
        "dt_codes": _codes(dt_codes),
    }
    if not any(wanted.values()):
        raise ValidationFailed(fields={"scope": EMPTY_SCOPE})
    found: dict[str, dict[str, Any]] = {
        "substation_codes": {
            s.code: s
            for s in Substation.objects.select_related("subdivision").filter(
                code__in=wanted["substation_codes"]
            )
        },
        "feeder_codes": {
            f.code: f
            for f in Feeder.objects.select_related("substation__subdivision").filter(
                code__in=wanted["feeder_codes"]
            )
        },
        "dt_codes": {
            d.code: d
            for d in DistributionTransformer.objects.select_related(
                "feeder__substation__subdivision"
            ).filter(code__in=wanted["dt_codes"])
        },
    }
    problems: dict[str, Any] = {}
    for field, codes in wanted.items():
        missing = [c for c in codes if c not in found[field]]
        if missing:
            problems[field] = UNKNOWN[field] % {"codes": ", ".join(missing)}
    if problems:
        raise ValidationFailed(fields=problems)
    return _Scope(
        substations=[found["substation_codes"][c] for c in wanted["substation_codes"]],
        feeders=[found["feeder_codes"][c] for c in wanted["feeder_codes"]],
        dts=[found["dt_codes"][c] for c in wanted["dt_codes"]],
    )


def _common_prefix(texts: Sequence[str]) -> str:
    first, last = min(texts), max(texts)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _answerable(subdivisions: Sequence[OrgUnit]) -> tuple[OrgUnit, OrgUnit]:
    """The org unit answerable for the outage (the sub-division, or the lowest common ancestor
    of several) and its zone."""
    paths = sorted({sd.path for sd in subdivisions})
    step = OrgUnit.steplen
    common = _common_prefix(paths)
    common = common[: len(common) - len(common) % step]
    zone_length = step * LEVEL_DEPTH[OrgLevel.ZONE]
    if len(common) < zone_length:
        raise ValidationFailed(fields={"scope": ONE_ZONE})
    org_unit = subdivisions[0] if len(paths) == 1 else OrgUnit.objects.get(path=common)
    return org_unit, OrgUnit.objects.get(path=common[:zone_length])


def _check_jurisdiction(actor: StaffUser | None, scope: _Scope) -> None:
    if actor is None:
        return
    covered = staff_scope(actor)
    outside = [code for code, sd in scope.subdivisions().items() if not covered.covers(sd.path)]
    if outside:
        raise NotAllowed(
            OUTSIDE_MESSAGE,
            code="out_of_jurisdiction",
            fields={"scope": OUTSIDE % {"codes": ", ".join(outside)}},
        )


def _check_times(
    *, kind: str, starts_at: datetime, etr: datetime, now: datetime, emergency: bool
) -> None:
    problems: dict[str, Any] = {}
    if etr <= now:
        problems["etr"] = ETR_PAST
    elif etr <= starts_at:
        problems["etr"] = ETR_BEFORE_START
    notice = timedelta(hours=settings.SAMPARK_PLANNED_NOTICE_HOURS)
    if kind == OutageKind.PLANNED and not emergency and starts_at - now < notice:
        problems["starts_at"] = SHORT_NOTICE % {"hours": settings.SAMPARK_PLANNED_NOTICE_HOURS}
    if problems:
        raise ValidationFailed(fields=problems)


def outage_declare(
    *,
    kind: str,
    reason_code: str,
    etr: datetime,
    substation_codes: Sequence[str] = (),
    feeder_codes: Sequence[str] = (),
    dt_codes: Sequence[str] = (),
    reason_note: str = "",
    starts_at: datetime | None = None,
    source: str = OutageSource.FIELD,
    actor: StaffUser | None,
    actor_label: str = "",
    emergency: bool = False,
) -> Outage:
    """Record an outage. Starting now or earlier: ACTIVE ("declared" to consumers). Starting
    later: SCHEDULED (planned work is announced to consumers; it becomes ACTIVE when the start
    sweep reaches `starts_at`). `actor=None` is the system itself (inference, imports)."""
    if actor is not None:
        require(actor, Action.OUTAGE_DECLARE)
    problems: dict[str, Any] = {}
    if kind not in OutageKind.values:
        problems["kind"] = _("Choose planned, unplanned or load_shedding.")
    if source not in OutageSource.values:
        problems["source"] = _("Choose field, scada or inferred.")
    reason = OutageReason.objects.filter(code=reason_code, active=True).first()
    if reason is None:
        problems["reason_code"] = UNKNOWN_REASON
    if problems:
        raise ValidationFailed(fields=problems)
    assert reason is not None
    scope = _scope_resolve(
        substation_codes=substation_codes, feeder_codes=feeder_codes, dt_codes=dt_codes
    )
    org_unit, zone = _answerable(list(scope.subdivisions().values()))
    _check_jurisdiction(actor, scope)
    now = clock.now()
    starts = starts_at or now
    _check_times(kind=kind, starts_at=starts, etr=etr, now=now, emergency=emergency)
    active = starts <= now
    with transaction.atomic():
        outage = Outage.objects.create(
            kind=kind,
            status=OutageStatus.ACTIVE if active else OutageStatus.SCHEDULED,
            reason=reason,
            reason_note=reason_note[:300],
            source=source,
            emergency=emergency,
            org_unit=org_unit,
            zone=zone,
            starts_at=starts,
            etr=etr,
            declared_by=actor,
            declared_via=(actor_label or ("staff" if actor else "system"))[:80],
            created_at=now,
        )
        OutageScope.objects.bulk_create(
            [OutageScope(outage=outage, substation=s) for s in scope.substations]
            + [OutageScope(outage=outage, feeder=f) for f in scope.feeders]
            + [OutageScope(outage=outage, dt=d) for d in scope.dts]
        )
        outage_event_write(
            outage=outage,
            kind=OutageEventKind.DECLARED if active else OutageEventKind.ANNOUNCED,
            at=now,
            actor=actor,
            actor_label=actor_label,
            etr=etr,
            scope_ids=outage.scope.values_list("id", flat=True),
            note=reason_note,
        )
    return outage


# --- changes to an existing outage -----------------------------------------------------------


def _authorize(*, actor: StaffUser | None, outage: Outage) -> None:
    if actor is None:
        return
    require(actor, Action.OUTAGE_DECLARE)
    if not staff_scope(actor).covers(outage.org_unit.path):
        raise NotFound()


def outage_lock(*, outage_id: int) -> Outage:
    """Re-read under a row lock (the outage row only; a no-op on SQLite, whose writes
    serialize)."""
    return Outage.objects.select_for_update(of=("self",)).get(pk=outage_id)


def _closed(outage: Outage) -> OutageConflict:
    return OutageConflict(NOT_LIVE % {"status": outage.get_status_display().lower()})


def outage_etr_revise(
    *,
    outage: Outage,
    etr: datetime,
    actor: StaffUser | None,
    actor_label: str = "",
    note: str = "",
) -> Outage:
    """A new ETR (the history is the events' `etr`); clears the overdue flag."""
    _authorize(actor=actor, outage=outage)
    with transaction.atomic():
        locked = outage_lock(outage_id=outage.pk)
        if locked.status not in (OutageStatus.ACTIVE, OutageStatus.SCHEDULED):
            raise _closed(locked)
        now = clock.now()
        if etr <= now:
            raise ValidationFailed(fields={"etr": ETR_PAST})
        if etr <= locked.starts_at:
            raise ValidationFailed(fields={"etr": ETR_BEFORE_START})
        locked.etr = etr
        locked.overdue_since = None
        locked.save(update_fields=["etr", "overdue_since", "updated_at"])
        outage_event_write(
            outage=locked,
            kind=OutageEventKind.ETR_REVISED,
            at=now,
            actor=actor,
            actor_label=actor_label,
            etr=etr,
            note=note,
        )
    return locked


def outage_restore(
    *,
    outage: Outage,
    scope_ids: Sequence[int] | None = None,
    actor: StaffUser | None,
    actor_label: str = "",
    note: str = "",
) -> Outage:
    """Supply is back on the whole outage (`scope_ids=None`) or on some of its elements."""
    _authorize(actor=actor, outage=outage)
    if scope_ids is not None and not scope_ids:
        raise ValidationFailed(fields={"scope_ids": CHOOSE_ELEMENTS})
    with transaction.atomic():
        locked = outage_lock(outage_id=outage.pk)
        if locked.status == OutageStatus.SCHEDULED:
            raise OutageConflict(NOT_STARTED)
        if locked.status != OutageStatus.ACTIVE:
            raise _closed(locked)
        elements = {e.pk: e for e in locked.scope.all()}
        off = {pk for pk, e in elements.items() if e.restored_at is None}
        if scope_ids is None:
            targets = off
        else:
            targets = set(scope_ids)
            strangers = sorted(targets - elements.keys())
            if strangers:
                raise OutageConflict(
                    fields={"scope_ids": NOT_IN_OUTAGE % {"ids": ", ".join(map(str, strangers))}}
                )
            done = sorted(targets - off)
            if done:
                raise OutageConflict(
                    fields={"scope_ids": ALREADY_RESTORED % {"ids": ", ".join(map(str, done))}}
                )
        now = clock.now()
        OutageScope.objects.filter(pk__in=targets).update(restored_at=now)
        whole = not (off - targets)
        if whole:
            locked.status = OutageStatus.RESTORED
            locked.restored_at = now
            locked.save(update_fields=["status", "restored_at", "updated_at"])
        outage_event_write(
            outage=locked,
            kind=OutageEventKind.RESTORED if whole else OutageEventKind.PARTLY_RESTORED,
            at=now,
            actor=actor,
            actor_label=actor_label,
            scope_ids=targets,
            note=note,
        )
    return locked


def outage_cancel(
    *, outage: Outage, actor: StaffUser | None, actor_label: str = "", note: str = ""
) -> Outage:
    """Call off an outage that has not started (planned work); announced consumers are told."""
    _authorize(actor=actor, outage=outage)
    with transaction.atomic():
        locked = outage_lock(outage_id=outage.pk)
        if locked.status != OutageStatus.SCHEDULED:
            raise OutageConflict(ONLY_SCHEDULED)
        now = clock.now()
        locked.status = OutageStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        outage_event_write(
            outage=locked,
            kind=OutageEventKind.CANCELLED,
            at=now,
            actor=actor,
            actor_label=actor_label,
            note=note,
        )
    return locked


def outage_report_add(
    *, outage: Outage, consumer: Consumer, complaint_number: str, mobile: str | None = None
) -> None:
    """Note a consumer who complained of no supply inside `outage` (once per consumer): they
    are told of restoration whatever their broadcast consent."""
    OutageReport.objects.bulk_create(
        [
            OutageReport(
                outage=outage,
                consumer=consumer,
                complaint_number=complaint_number,
                mobile=mobile or "",
                created_at=clock.now(),
            )
        ],
        ignore_conflicts=True,
    )


def outage_restoration_request(
    *, outage: Outage, consumer: Consumer, mobile: str | None = None, at: datetime | None = None
) -> bool:
    """A consumer on the outage's supply asks to be told when it is restored (the IVR's "SMS me
    when restored"): noted as an outage report, so the restoration fan-out sends them the
    restoration SMS whatever their broadcast consent, once (to `mobile` when it is not their
    registered one). False when they are noted already (an earlier request, a complaint).
    Only a live outage takes requests: a restored or cancelled one is a Conflict."""
    if outage.status != OutageStatus.ACTIVE:
        raise _closed(outage)
    given = mobile_or_none(mobile) if mobile else None
    report = OutageReport(
        outage=outage,
        consumer=consumer,
        kind=ReportKind.REQUEST,
        mobile=given if given and given != consumer.mobile else "",
        created_at=at or clock.now(),
    )
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        return False
    return True
