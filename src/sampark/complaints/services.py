"""Writes on complaints. Every change writes its audit event in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import Role, StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.db import chunked
from sampark.core.errors import NotFound, ValidationFailed
from sampark.network.models import DistributionTransformer, Feeder, OrgLevel, OrgUnit
from sampark.network.selectors import feeder_supply_area
from sampark.outages.models import Outage
from sampark.outages.selectors import consumer_out_exists, outages_active_for_consumer
from sampark.outages.services import outage_report_add

from .escalation import escalation_first_at, escalation_shift, explanations_request
from .informing import (
    complaint_assignee_tell,
    complaint_inform_assigned,
    complaint_inform_registered,
    complaint_inform_transition,
)
from .models import (
    OPEN_STATUSES,
    SLA_RUNNING_STATUSES,
    Category,
    Complaint,
    ComplaintEvent,
    EventKind,
    Priority,
    Status,
)
from .numbering import STATEWIDE_PREFIX, complaint_number_next
from .routing import complaint_route
from .sla import sla_terms
from .state_machine import ACTION_FOR_TARGET, transition_check


@dataclass(frozen=True)
class Registration:
    complaint: Complaint
    created: bool  # False: an open complaint for the same consumer and category was returned


@dataclass(frozen=True)
class Location:
    dt: DistributionTransformer | None
    feeder: Feeder | None
    subdivision: OrgUnit | None
    area_type: str
    a_class: bool


def complaint_event_add(
    *,
    complaint: Complaint,
    kind: str,
    at: datetime,
    actor: StaffUser | None,
    actor_label: str = "",
    from_status: str = "",
    to_status: str = "",
    assignee: StaffUser | None = None,
    note: str = "",
) -> ComplaintEvent:
    """Write one audit event; callers hold the complaint's row lock in the same transaction."""
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label or ("" if actor else "system"),
        assignee=assignee,
        note=note,
        created_at=at,
    )


def _location(
    *, consumer: Consumer | None, dt: DistributionTransformer | None, feeder: Feeder | None
) -> Location:
    if consumer is not None:
        return Location(
            dt=consumer.dt,
            feeder=consumer.feeder,
            subdivision=consumer.subdivision,
            area_type=consumer.area_type,
            a_class=consumer.is_a_class,
        )
    if dt is not None:
        feeder = dt.feeder
    if feeder is not None:
        area = feeder_supply_area(feeder=feeder)
        return Location(dt, feeder, area.subdivision, area.area_type, area.a_class)
    # Unknown place: hold it to the stricter urban limit rather than the lenient rural one.
    return Location(None, None, None, "URBAN", False)


def _open_duplicate(*, consumer: Consumer | None, mobile: str | None, category: str):
    if consumer is not None:
        found = Complaint.objects.filter(consumer=consumer, category=category)
    elif mobile:
        found = Complaint.objects.filter(
            consumer__isnull=True, contact_mobile=mobile, category=category
        )
    else:
        return None
    return found.filter(status__in=OPEN_STATUSES).first()


def _authorize(*, actor: StaffUser | None, complaint: Complaint, action: Action) -> None:
    """Staff may act only within their jurisdiction and role; `None` is the system itself."""
    if actor is None:
        return
    require(actor, action)
    if not staff_scope(actor).covers(complaint.org_unit.path):
        raise NotFound()


def complaint_register(
    *,
    category: str,
    channel: str,
    consumer: Consumer | None = None,
    contact_mobile: str | None = None,
    contact_name: str = "",
    location_text: str = "",
    dt: DistributionTransformer | None = None,
    feeder: Feeder | None = None,
    description: str = "",
    language: str | None = None,
    actor: StaffUser | None = None,
    actor_label: str = "",
) -> Registration:
    """Register a complaint, or return the open one for the same consumer and category.

    A new complaint gets its number, SLA due time and priority, and is routed to the JE
    responsible for its supply, all in one transaction with its audit events.
    """
    if category not in Category.values:
        raise ValidationFailed(fields={"category": _("Choose one of the listed categories.")})
    if consumer is None and not contact_mobile:
        raise ValidationFailed(
            fields={"consumer": _("Give the consumer's account number or a mobile number.")}
        )
    if actor is not None:
        require(actor, Action.COMPLAINT_REGISTER)
    contact_mobile = contact_mobile or (consumer.mobile if consumer else None)
    with transaction.atomic():
        existing = _open_duplicate(consumer=consumer, mobile=contact_mobile, category=category)
        if existing is not None:
            return _repeat_request(existing, channel=channel, actor=actor, actor_label=actor_label)
        try:
            with transaction.atomic():
                complaint = _complaint_create(
                    category=category,
                    channel=channel,
                    consumer=consumer,
                    contact_mobile=contact_mobile,
                    contact_name=contact_name,
                    location_text=location_text,
                    location=_location(consumer=consumer, dt=dt, feeder=feeder),
                    description=description,
                    language=language or (consumer.language if consumer else "hi"),
                    actor=actor,
                    actor_label=actor_label,
                )
        except IntegrityError:
            # A simultaneous identical request won the race; answer with its complaint.
            existing = _open_duplicate(consumer=consumer, mobile=contact_mobile, category=category)
            if existing is None:
                raise
            return _repeat_request(existing, channel=channel, actor=actor, actor_label=actor_label)
    return Registration(complaint=complaint, created=True)


def _repeat_request(
    complaint: Complaint, *, channel: str, actor: StaffUser | None, actor_label: str
) -> Registration:
    complaint_event_add(
        complaint=complaint,
        kind=EventKind.DUPLICATE_REQUEST,
        at=clock.now(),
        actor=actor,
        actor_label=actor_label,
        note=f"repeated via {channel}",
    )
    return Registration(complaint=complaint, created=False)


def _complaint_create(
    *,
    category: str,
    channel: str,
    consumer: Consumer | None,
    contact_mobile: str | None,
    contact_name: str,
    location_text: str,
    location: Location,
    description: str,
    language: str,
    actor: StaffUser | None,
    actor_label: str,
) -> Complaint:
    now = clock.now()
    terms = sla_terms(
        category=category, area_type=location.area_type, a_class=location.a_class, start=now
    )
    subdivision = location.subdivision
    if subdivision is not None:
        discom = subdivision.discom()
        prefix, org_unit = discom.complaint_prefix or discom.code[:2], subdivision
    else:
        state = OrgUnit.objects.filter(level=OrgLevel.STATE).first()
        if state is None:  # no network loaded yet: nobody could be answerable for it
            raise ValidationFailed(fields={"location": _("Give the feeder or DT of the place.")})
        prefix, org_unit = STATEWIDE_PREFIX, state
    outage = _outage_covering(category=category, consumer=consumer)
    complaint = Complaint.objects.create(
        number=complaint_number_next(prefix=prefix, day=clock.local_today()),
        channel=channel,
        category=category,
        priority=Priority.EMERGENCY if category == Category.SAFETY_HAZARD else Priority.NORMAL,
        language=language,
        description=description,
        consumer=consumer,
        contact_name=contact_name,
        contact_mobile=contact_mobile,
        location_text=location_text,
        dt=location.dt,
        feeder=location.feeder,
        subdivision=subdivision,
        org_unit=org_unit,
        area_type=location.area_type,
        is_a_class=location.a_class,
        outage=outage,
        registered_at=now,
        due_at=terms.due_at,
        sla_hours=terms.hours,
        next_escalation_at=escalation_first_at(due_at=terms.due_at, sla_hours=terms.hours),
    )
    complaint_event_add(
        complaint=complaint,
        kind=EventKind.REGISTERED,
        at=now,
        actor=actor,
        actor_label=actor_label,
        to_status=Status.REGISTERED,
        note=f"via {channel}; due in {terms.hours} h",
    )
    complaint_inform_registered(complaint=complaint)
    if outage is not None:
        _outage_link(complaint=complaint, outage=outage, at=now)
        return complaint
    assignee = complaint_route(complaint=complaint)
    if assignee is not None:
        _assign(complaint=complaint, assignee=assignee, actor=None, note="routed automatically")
    return complaint


def _outage_covering(*, category: str, consumer: Consumer | None) -> Outage | None:
    """The active outage a no-supply complaint is about (the one expected to end last)."""
    if category != Category.NO_SUPPLY or consumer is None:
        return None
    outages = outages_active_for_consumer(consumer=consumer)
    return outages[0] if outages else None


def _outage_link(*, complaint: Complaint, outage: Outage, at: datetime) -> None:
    """No field visit: the outage is being worked. The complainant is told of restoration
    (an outage report) and the complaint is resolved when supply returns."""
    assert complaint.consumer is not None
    etr = timezone.localtime(outage.etr)
    complaint_event_add(
        complaint=complaint,
        kind=EventKind.NOTE,
        at=at,
        actor=None,
        note=(
            f"linked to outage #{outage.pk} ({outage.reason.text_en}), ETR {etr:%d %b %H:%M}; "
            "no field visit"
        ),
    )
    given = complaint.contact_mobile
    outage_report_add(
        outage=outage,
        consumer=complaint.consumer,
        complaint_number=complaint.number,
        mobile=given if given and given != complaint.consumer.mobile else None,
    )


def _assign(
    *, complaint: Complaint, assignee: StaffUser, actor: StaffUser | None, note: str
) -> None:
    now = clock.now()
    from_status = complaint.status
    complaint.assigned_to = assignee
    if from_status in (Status.REGISTERED, Status.REOPENED):
        complaint.status = Status.ASSIGNED
    complaint.save(update_fields=["assigned_to", "status", "updated_at"])
    complaint_event_add(
        complaint=complaint,
        kind=EventKind.ASSIGNED,
        at=now,
        actor=actor,
        from_status=from_status,
        to_status=complaint.status,
        assignee=assignee,
        note=note,
    )
    complaint_assignee_tell(complaint=complaint, assignee=assignee)
    complaint_inform_assigned(complaint=complaint, assignee=assignee)


def complaint_lock(*, complaint_id: int) -> Complaint:
    """Re-read a complaint under a row lock (no-op lock on SQLite, whose writes serialize)."""
    return Complaint.objects.select_for_update().get(pk=complaint_id)


def complaint_assign(
    *, complaint: Complaint, assignee: StaffUser, actor: StaffUser | None, note: str = ""
) -> Complaint:
    """Give a complaint to an engineer whose jurisdiction covers it (SDO reassignment)."""
    _authorize(actor=actor, complaint=complaint, action=Action.COMPLAINT_ASSIGN)
    if assignee.role not in (Role.JE, Role.SDO) or not staff_scope(assignee).covers(
        complaint.org_unit.path
    ):
        raise ValidationFailed(
            fields={"assignee": _("Choose a JE or SDO responsible for this area.")}
        )
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        if not locked.is_open or locked.status == Status.RESOLVED:
            transition_check(from_status=locked.status, to_status=Status.ASSIGNED)
        _assign(complaint=locked, assignee=assignee, actor=actor, note=note)
    return locked


def complaint_transition(
    *,
    complaint: Complaint,
    to_status: str,
    actor: StaffUser | None,
    actor_label: str = "",
    note: str = "",
) -> Complaint:
    """Move a complaint along the lifecycle table; illegal moves raise IllegalTransition."""
    action = ACTION_FOR_TARGET.get(to_status, Action.COMPLAINT_WORK)
    _authorize(actor=actor, complaint=complaint, action=action)
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        from_status = locked.status
        transition_check(from_status=from_status, to_status=to_status)
        now = clock.now()
        if from_status == Status.WAITING_CONSUMER and locked.paused_since is not None:
            # The clock stood still while the utility waited on the consumer.
            paused = now - locked.paused_since
            locked.paused_seconds += int(paused.total_seconds())
            locked.due_at += paused
            locked.next_escalation_at = escalation_shift(at=locked.next_escalation_at, by=paused)
            locked.paused_since = None
        if to_status == Status.WAITING_CONSUMER:
            locked.paused_since = now
        if to_status == Status.RESOLVED:
            locked.resolved_at = now
        if to_status == Status.CLOSED:
            locked.closed_at = now
        if to_status == Status.REOPENED:
            locked.resolved_at = None
        locked.status = to_status
        locked.save()
        complaint_event_add(
            complaint=locked,
            kind=EventKind.TRANSITION,
            at=now,
            actor=actor,
            actor_label=actor_label,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
        complaint_inform_transition(complaint=locked, to_status=to_status)
        if to_status == Status.RESOLVED:
            from .closure import closures_request  # closure builds on this module

            closures_request(complaint_ids=[locked.pk], resolved_by=actor, now=now)
    return locked


def complaints_mark_breached(*, now: datetime | None = None) -> int:
    """Stamp open complaints that have passed their due time, once each, with an audit event.

    Set-based: one SELECT of the newly breached ids, one bulk INSERT of events, one UPDATE.
    """
    now = now or clock.now()
    with transaction.atomic():
        newly = Complaint.objects.filter(
            status__in=SLA_RUNNING_STATUSES, due_at__lt=now, sla_breached_at__isnull=True
        )
        rows = list(newly.select_for_update().values_list("id", "status", "assigned_to_id"))
        if not rows:
            return 0
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                kind=EventKind.SLA_BREACHED,
                from_status=status,
                to_status=status,
                assignee_id=assignee_id,
                actor_label="system",
                created_at=now,
            )
            for pk, status, assignee_id in rows
        )
        explanations_request(pairs=[(pk, a) for pk, _s, a in rows], level=0, now=now)
        for batch in chunked((pk for pk, _s, _a in rows), 5000):
            Complaint.objects.filter(id__in=batch).update(sla_breached_at=now)
    return len(rows)


# Complaints linked to an outage are worked by the outage, not by a field visit.
LINKED_WORKING = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS)


def complaints_resolve_restored(*, now: datetime | None = None) -> int:
    """Move open complaints linked to an outage to RESOLVED (awaiting the consumer's word) once
    the consumer is no longer covered by any active outage, with an audit event each.

    A complaint already resolved once (and reopened by the consumer) is left to the field.
    Set-based: one SELECT of the ids, one bulk INSERT of events, one UPDATE per 5,000.
    """
    now = now or clock.now()
    resolved_before = ComplaintEvent.objects.filter(
        complaint=OuterRef("pk"), to_status=Status.RESOLVED
    )
    with transaction.atomic():
        due = (
            Complaint.objects.filter(
                outage__isnull=False, consumer__isnull=False, status__in=LINKED_WORKING
            )
            .filter(~consumer_out_exists(prefix="consumer__"), ~Exists(resolved_before))
            .select_for_update(of=("self",))
        )
        rows = list(due.values_list("id", "status", "outage_id"))
        if not rows:
            return 0
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                kind=EventKind.TRANSITION,
                from_status=status,
                to_status=Status.RESOLVED,
                actor_label="system",
                note=f"supply restored (outage #{outage_id}); awaiting the consumer's confirmation",
                created_at=now,
            )
            for pk, status, outage_id in rows
        )
        for batch in chunked((pk for pk, _s, _o in rows), 5000):
            Complaint.objects.filter(id__in=batch).update(
                status=Status.RESOLVED, resolved_at=now, updated_at=now
            )
        from .closure import closures_request  # closure builds on this module

        closures_request(complaint_ids=[pk for pk, _s, _o in rows], resolved_by=None, now=now)
    return len(rows)
