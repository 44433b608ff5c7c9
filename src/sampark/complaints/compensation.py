"""Compensation claims under the UPERC Standards of Performance.

A claim can be lodged for a complaint that passed its time limit in a category the SLA policy
compensates (a per-day amount above zero). One claim per complaint: lodging again returns it.

The amount is days of delay (started days count) x the policy's rate, capped at 30% of the
consumer's annual fixed charges. When the cap is not known (no consumer on the complaint, or no
fixed charges on file) the amount is left uncapped and the claim is flagged for the officer to
check before approving (`Computation.cap_known`, shown in the register): refusing to compute
would hide what is owed, guessing a cap would shortchange the consumer.

Claims are raised automatically for closed, late, compensable complaints; an officer of the
complaint's area approves or rejects them and records the payment, due within 60 days.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue

from .informing import complaint_consumer_address
from .models import (
    Channel,
    ClaimSource,
    ClaimStatus,
    CompensationClaim,
    Complaint,
    ComplaintEvent,
    EventKind,
    SlaPolicy,
    Status,
)
from .services import complaint_event_add, complaint_lock
from .sla import sla_policy_for

log = logging.getLogger(__name__)

CAP_SHARE = Decimal("0.30")  # of the annual fixed charges (SoP regulations)
PAY_WITHIN = timedelta(days=60)  # from lodging (SoP regulations)
CENTS = Decimal("0.01")
DAY_SECONDS = 86_400
# Automatic claims raised per sweep run: a first run over years of history catches up in steps
# instead of one long transaction.
RAISE_BATCH = 2000
RAISED_TEMPLATE = "compensation_claim_raised"

Rates = dict[tuple[str, str, bool], Decimal]  # (category, area type, A-class) -> Rs per day


@dataclass(frozen=True)
class Lodged:
    claim: CompensationClaim
    created: bool


@dataclass(frozen=True)
class Computation:
    days_late: int
    rate_per_day: Decimal
    cap: Decimal | None  # None: the consumer's fixed charges are not known
    amount: Decimal

    @property
    def cap_known(self) -> bool:
        return self.cap is not None


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def _policy_rate(*, category: str, area_type: str, a_class: bool) -> Decimal:
    """Rupees per day from the most specific policy row (the rule of `sla.sla_terms`)."""
    policy = sla_policy_for(category=category, area_type=area_type, a_class=a_class)
    return Decimal(policy.compensation_per_day if policy else 0)


def _rates() -> Rates:
    """Every policy cell's rate, for the sweep: (category, area type, A-class) -> rupees."""
    rows = SlaPolicy.objects.values_list(
        "category", "area_type", "a_class_city", "compensation_per_day"
    )
    return {(c, a, x): Decimal(r) for c, a, x, r in rows}


def _rate_of(rates: Rates, complaint: Complaint) -> Decimal:
    key = (complaint.category, complaint.area_type, complaint.is_a_class)
    if complaint.is_a_class and key in rates:
        return rates[key]
    return rates.get((complaint.category, complaint.area_type, False), Decimal(0))


def _delay_end(complaint: Complaint, at: datetime | None) -> datetime:
    """Delay runs to the field's resolution; a complaint closed without one ends at closure."""
    return complaint.resolved_at or complaint.closed_at or at or clock.now()


def _compute(*, complaint: Complaint, rate: Decimal, at: datetime | None) -> Computation:
    late = (_delay_end(complaint, at) - complaint.due_at).total_seconds()
    days = max(0, math.ceil(late / DAY_SECONDS))  # a started day counts as a day
    cap = None
    consumer = complaint.consumer
    if consumer is not None and consumer.annual_fixed_charges > 0:
        cap = _money(Decimal(consumer.annual_fixed_charges) * CAP_SHARE)
    amount = Decimal(days) * rate
    if cap is not None:
        amount = min(amount, cap)
    return Computation(days_late=days, rate_per_day=_money(rate), cap=cap, amount=_money(amount))


def compensation_compute(*, complaint: Complaint, at: datetime | None = None) -> Computation:
    """What the regulations owe on this complaint, resolved or (if still open) as of `at`."""
    rate = _policy_rate(
        category=complaint.category, area_type=complaint.area_type, a_class=complaint.is_a_class
    )
    return _compute(complaint=complaint, rate=rate, at=at)


def _apply(claim: CompensationClaim, computation: Computation) -> bool:
    """Store a computation on the claim; whether anything changed."""
    before = (claim.days_late, claim.rate_per_day, claim.cap, claim.amount)
    claim.days_late = computation.days_late
    claim.rate_per_day = computation.rate_per_day
    claim.cap = computation.cap
    claim.amount = computation.amount
    return before != (claim.days_late, claim.rate_per_day, claim.cap, claim.amount)


def complaint_compensable(*, complaint: Complaint) -> bool:
    """Whether the complaint's category and area carry compensation per day of delay."""
    rate = _policy_rate(
        category=complaint.category, area_type=complaint.area_type, a_class=complaint.is_a_class
    )
    return rate > 0


def complaint_late(complaint: Complaint) -> bool:
    """Marked by the SLA sweep, or resolved after its due time before the sweep came by."""
    if complaint.sla_breached_at is not None:
        return True
    end = complaint.resolved_at or complaint.closed_at
    return end is not None and end > complaint.due_at


def compensation_claim_lodge(*, complaint: Complaint, channel: str) -> Lodged:
    """Lodge the consumer's claim on a late complaint (or return the one already lodged).

    A claim on a complaint still open is computed as of now and recomputed once it closes.
    """
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        existing = CompensationClaim.objects.filter(complaint=locked).first()
        if existing is not None:
            return Lodged(claim=existing, created=False)
        if not complaint_late(locked):
            raise Conflict(
                _("Complaint %(number)s has not passed its time limit, so no compensation is due.")
                % {"number": locked.number},
                code="not_breached",
            )
        if not complaint_compensable(complaint=locked):
            raise Conflict(
                _("Complaints of this kind do not carry compensation under the regulations."),
                code="not_compensable",
            )
        now = clock.now()
        claim = CompensationClaim(
            number=_claim_number(locked),
            complaint=locked,
            channel=channel,
            source=ClaimSource.CONSUMER,
            lodged_at=now,
            pay_by=now + PAY_WITHIN,
        )
        _apply(claim, compensation_compute(complaint=locked, at=now))
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
        except IntegrityError:
            return Lodged(claim=CompensationClaim.objects.get(complaint=locked), created=False)
        complaint_event_add(
            complaint=locked,
            kind=EventKind.COMPENSATION_CLAIMED,
            at=now,
            actor=None,
            actor_label=f"consumer via {channel}",
            note=f"{claim.number}: {_how(claim)}",
        )
    return Lodged(claim=claim, created=True)


def _claim_number(complaint: Complaint) -> str:
    return f"CC-{complaint.number}"


def _how(claim: CompensationClaim) -> str:
    """The computation in one line, for the audit trail."""
    cap = f"cap Rs {claim.cap}" if claim.cap is not None else "cap unknown, check fixed charges"
    return f"{claim.days_late} day(s) late x Rs {claim.rate_per_day} = Rs {claim.amount} ({cap})"


# --- the sweep --------------------------------------------------------------------------------


def _compensable_cells(rates: Rates) -> Q:
    """Complaints whose policy cell (most specific row first) pays per day, as one filter."""
    cells = Q(pk__in=[])
    for (category, area, a_class), rate in rates.items():
        if a_class:
            if rate > 0:
                cells |= Q(category=category, area_type=area, is_a_class=True)
            continue
        if rate > 0:
            # The plain row covers A-class complaints too unless an A-class row overrides it.
            row = Q(category=category, area_type=area)
            if (category, area, True) in rates:
                row &= Q(is_a_class=False)
            cells |= row
    return cells


def compensation_claims_raise(*, now: datetime | None = None) -> int:
    """Raise a claim for every closed complaint resolved late in a compensable category that has
    none, tell the consumer once, and recompute lodged claims whose complaint closed since.

    Returns the number of claims raised. Set-based: one SELECT of the complaints, one bulk
    INSERT of claims and one of events; the consumer messages go into the outbox (idempotent).
    """
    now = now or clock.now()
    rates = _rates()
    claimed = CompensationClaim.objects.filter(complaint=OuterRef("pk"))
    late = Q(sla_breached_at__isnull=False) | Q(resolved_at__gt=F("due_at"))
    due = (
        Complaint.objects.filter(late, _compensable_cells(rates), status=Status.CLOSED)
        .filter(~Exists(claimed))
        .select_related("consumer")
        .order_by("closed_at", "id")
    )
    with transaction.atomic():
        complaints = list(due[:RAISE_BATCH])
        raised = _raise(complaints=complaints, rates=rates, now=now)
        _recompute_closed(rates=rates)
    return raised


def _raise(*, complaints: list[Complaint], rates: Rates, now: datetime) -> int:
    if not complaints:
        return 0
    claims = []
    for complaint in complaints:
        claim = CompensationClaim(
            number=_claim_number(complaint),
            complaint=complaint,
            channel=Channel.API,
            source=ClaimSource.AUTOMATIC,
            lodged_at=now,
            pay_by=now + PAY_WITHIN,
        )
        _apply(claim, _compute(complaint=complaint, rate=_rate_of(rates, complaint), at=now))
        claims.append(claim)
    # A consumer lodging at the same moment wins; theirs is kept and this one skipped.
    CompensationClaim.objects.bulk_create(claims, ignore_conflicts=True)
    by_complaint = {c.pk: c for c in complaints}
    created = list(
        CompensationClaim.objects.filter(
            complaint_id__in=list(by_complaint),
            source=ClaimSource.AUTOMATIC,
            lodged_at=now,
            status=ClaimStatus.LODGED,
        )
    )
    ComplaintEvent.objects.bulk_create(
        ComplaintEvent(
            complaint_id=claim.complaint_id,
            kind=EventKind.COMPENSATION_CLAIMED,
            actor_label="system",
            note=f"{claim.number} raised automatically: {_how(claim)}",
            created_at=now,
        )
        for claim in created
    )
    for claim in created:
        claim.complaint = by_complaint[claim.complaint_id]
        _consumer_tell(claim=claim)
    return len(created)


def _consumer_tell(*, claim: CompensationClaim) -> None:
    """One message per claim (topic `claim:<id>`): WhatsApp if they opted in, else SMS, which
    as a message about their own complaint needs no marketing consent."""
    address = complaint_consumer_address(claim.complaint)
    if address is None:
        log.info("claim %s: no mobile on file, consumer not told", claim.number)
        return
    channel, mobile = address
    try:
        _enqueue(claim=claim, mobile=mobile, whatsapp=channel == NotificationChannel.WHATSAPP)
    except ValidationFailed as error:  # a stored number gone bad must not stop the sweep
        log.warning("claim %s: consumer not told: %s", claim.number, error.text())


def _enqueue(*, claim: CompensationClaim, mobile: str, whatsapp: bool) -> None:
    complaint = claim.complaint
    pay_by = timezone.localtime(claim.pay_by) if claim.pay_by else None
    notification_enqueue(
        topic=f"claim:{claim.pk}",
        event="raised",
        channel=NotificationChannel.WHATSAPP if whatsapp else NotificationChannel.SMS,
        recipient=mobile,
        template_key=RAISED_TEMPLATE,
        language=complaint.language,
        variables={
            "claim": claim.number,
            "number": complaint.number,
            "amount": claim.amount,
            "pay_by": f"{pay_by:%d-%m-%Y}" if pay_by else "-",
        },
        consumer=complaint.consumer,
        urgent=False,
    )


def _recompute_closed(*, rates: Rates) -> int:
    """Lodged claims on complaints that closed after lodging: the delay is now final. Only
    undecided claims move, and only rows whose figures change are written."""
    claims = CompensationClaim.objects.filter(
        status=ClaimStatus.LODGED,
        complaint__status=Status.CLOSED,
        complaint__closed_at__gt=F("lodged_at"),
    ).select_related("complaint__consumer")
    changed = [
        claim
        for claim in claims
        if _apply(
            claim,
            _compute(complaint=claim.complaint, rate=_rate_of(rates, claim.complaint), at=None),
        )
    ]
    if changed:
        CompensationClaim.objects.bulk_update(
            changed, ["days_late", "rate_per_day", "cap", "amount"], batch_size=1000
        )
    return len(changed)


# --- decisions and payment --------------------------------------------------------------------


def _claim_lock(*, claim: CompensationClaim, actor: StaffUser) -> CompensationClaim:
    """Re-read the claim under a row lock, after checking the actor may act on its area."""
    require(actor, Action.COMPENSATION_DECIDE)
    locked = (
        CompensationClaim.objects.select_for_update(of=("self",))
        .select_related("complaint__org_unit", "complaint__consumer")
        .get(pk=claim.pk)
    )
    if not staff_scope(actor).covers(locked.complaint.org_unit.path):
        raise NotFound()
    return locked


def compensation_claim_decide(
    *, claim: CompensationClaim, approved: bool, actor: StaffUser, note: str = ""
) -> CompensationClaim:
    """An officer of the complaint's area approves (amount fixed from the closed complaint) or
    rejects (with a reason) a lodged claim. Deciding twice is a Conflict."""
    note = note.strip()
    if not approved and not note:
        raise ValidationFailed(fields={"note": _("Give the reason for rejecting the claim.")})
    with transaction.atomic():
        locked = _claim_lock(claim=claim, actor=actor)
        if locked.status != ClaimStatus.LODGED:
            raise Conflict(
                _("Claim %(claim)s is already %(status)s.")
                % {"claim": locked.number, "status": locked.get_status_display()},
                code="claim_decided",
            )
        complaint = locked.complaint
        now = clock.now()
        if approved:
            if complaint.status != Status.CLOSED:
                raise Conflict(
                    _("Complaint %(number)s is not closed yet; the delay is not final.")
                    % {"number": complaint.number},
                    code="complaint_not_closed",
                )
            _apply(locked, compensation_compute(complaint=complaint))
            locked.status = ClaimStatus.APPROVED
            text = f"compensation claim {locked.number} approved: {_how(locked)}"
        else:
            locked.status = ClaimStatus.REJECTED
            text = f"compensation claim {locked.number} rejected"
        locked.save(update_fields=["status", "days_late", "rate_per_day", "cap", "amount"])
        complaint_event_add(
            complaint=complaint,
            kind=EventKind.NOTE,
            at=now,
            actor=actor,
            note=f"{text}. {note}".strip() if note else text,
        )
    return locked


def compensation_claim_pay(
    *, claim: CompensationClaim, reference: str, actor: StaffUser
) -> CompensationClaim:
    """Record the payment of an approved claim (the bill credit or transfer reference)."""
    reference = reference.strip()
    if not reference or len(reference) > 60:
        raise ValidationFailed(
            fields={"reference": _("Give the payment reference (up to 60 characters).")}
        )
    with transaction.atomic():
        locked = _claim_lock(claim=claim, actor=actor)
        if locked.status != ClaimStatus.APPROVED:
            raise Conflict(
                _("Only an approved claim can be paid; claim %(claim)s is %(status)s.")
                % {"claim": locked.number, "status": locked.get_status_display()},
                code="claim_not_approved",
            )
        now = clock.now()
        locked.status = ClaimStatus.PAID
        locked.paid_at = now
        locked.payment_reference = reference
        locked.save(update_fields=["status", "paid_at", "payment_reference"])
        late = " (after the 60-day limit)" if locked.pay_by and now > locked.pay_by else ""
        complaint_event_add(
            complaint=locked.complaint,
            kind=EventKind.NOTE,
            at=now,
            actor=actor,
            note=f"compensation claim {locked.number} paid{late}: Rs {locked.amount}, "
            f"reference {reference}",
        )
    return locked
