"""Reads of the 1912 agent desk: what the search box was given (mobile, account number or
complaint number) and the consumer card, composed from the domain selectors.

Scoping stays in those selectors (`consumers_for_staff`, `complaints_for_staff`): a consumer or
complaint outside the user's jurisdiction is simply not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import Role, StaffUser
from sampark.callcentre.models import AgentState
from sampark.complaints.models import Complaint, SlaPolicy
from sampark.complaints.numbering import complaint_number_normalize
from sampark.complaints.selectors import (
    ComplaintFilters,
    complaint_get_for_staff,
    complaints_for_staff,
)
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumers_for_staff
from sampark.core.errors import NotFound, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.notifications.models import Notification
from sampark.notifications.selectors import notifications_for_consumer
from sampark.outages.models import Outage
from sampark.outages.selectors import outages_active_for_consumers

MATCHES_SHOWN = 20  # one phone serves a family's connections; more is a data problem
MESSAGES_SHOWN = 3
ENGINEERS_SHOWN = 3
UNREADABLE = _("Enter a mobile number, a 10-digit account number or a complaint number.")


class Kind(StrEnum):
    ACCOUNT = "account"
    MOBILE = "mobile"
    COMPLAINT = "complaint"


@dataclass(frozen=True)
class Found:
    """What a search found: consumers (one: the card; several: a pick list), and the complaint
    when a complaint number was given. `mobile` is the caller's number when the query was one,
    to register an unregistered caller with."""

    query: str
    kinds: tuple[Kind, ...]
    consumers: list[Consumer] = field(default_factory=list)
    complaint: Complaint | None = None
    mobile: str | None = None


def _mobile_or_none(text: str) -> str | None:
    try:
        return mobile_to_e164(text)
    except ValidationFailed:
        return None


def desk_query_kinds(text: str) -> tuple[tuple[Kind, ...], str]:
    """What the query may be, and its cleaned form. Letters make it a complaint number (any
    spacing or case: 'mv 261128 42'); ten digits may be an account number and a mobile at once;
    a +91/0-prefixed number is a mobile. ValidationFailed for anything else."""
    raw = (text or "").strip()
    compact = re.sub(r"[\s\-./]", "", raw)
    if re.search(r"[A-Za-z]", compact):
        return (Kind.COMPLAINT,), complaint_number_normalize(compact)
    digits = compact.removeprefix("+")
    kinds: list[Kind] = []
    if re.fullmatch(r"\d{10}", compact):
        kinds.append(Kind.ACCOUNT)
    if digits.isdigit() and _mobile_or_none(compact) is not None:
        kinds.append(Kind.MOBILE)
    if not kinds:
        raise ValidationFailed(fields={"q": UNREADABLE})
    return tuple(kinds), compact


def desk_search(*, user: StaffUser, text: str) -> Found:
    """Consumers (and the complaint) the query names, within the user's jurisdiction. A miss
    is an empty `Found`, not NotFound: the page still needs the caller's mobile from it, to
    register an unregistered caller. ValidationFailed when the query is none of the three."""
    kinds, cleaned = desk_query_kinds(text)
    if Kind.COMPLAINT in kinds:
        try:
            complaint = complaint_get_for_staff(user=user, number=cleaned)
        except NotFound:
            return Found(query=cleaned, kinds=kinds)
        consumers = []
        if complaint.consumer_id is not None:
            consumers = list(consumers_for_staff(user=user).filter(pk=complaint.consumer_id))
        return Found(query=cleaned, kinds=kinds, consumers=consumers, complaint=complaint)
    mobile = _mobile_or_none(cleaned) if Kind.MOBILE in kinds else None
    matches = Q()
    if Kind.ACCOUNT in kinds:
        matches |= Q(account_number=cleaned)
    if mobile:
        matches |= Q(mobile=mobile)
    consumers = list(consumers_for_staff(user=user).filter(matches).order_by("id")[:MATCHES_SHOWN])
    return Found(query=cleaned, kinds=kinds, consumers=consumers, mobile=mobile)


@dataclass(frozen=True)
class Card:
    """Everything the agent needs on screen about one consumer, outages first."""

    consumer: Consumer
    outages: list[Outage]
    open_complaints: list[Complaint]
    messages: list[Notification]
    engineers: list[StaffUser]  # the JE of the consumer's substation first, then the SDO
    limits: dict[str, int]  # category -> time limit in hours for this consumer's area

    def open_by_category(self) -> dict[str, Complaint]:
        return {c.category: c for c in self.open_complaints}


def sla_limits(*, area_type: str, a_class: bool) -> dict[str, int]:
    """Hours per category for an area (one query); the A-class row wins where there is one."""
    rows = SlaPolicy.objects.filter(area_type=area_type, a_class_city__in=[a_class, False])
    limits: dict[str, int] = {}
    for category, hours, is_a_class in rows.values_list("category", "hours", "a_class_city"):
        if is_a_class or category not in limits:
            limits[category] = hours
    return limits


def engineers_for_consumer(*, consumer: Consumer) -> list[StaffUser]:
    """Who answers for the consumer's supply: the JE(s) of their substation first, then the
    sub-division's JEs, then its SDO (one query)."""
    station = consumer.feeder.substation_id
    at_station = StaffUser.substations.through.objects.filter(
        staffuser_id=OuterRef("pk"), substation_id=station
    )
    return list(
        StaffUser.objects.filter(is_active=True, role__in=(Role.JE, Role.SDO))
        .annotate(at_station=Exists(at_station))
        .filter(Q(at_station=True) | Q(jurisdiction=consumer.subdivision_id))
        .order_by("-at_station", "role", "id")[:ENGINEERS_SHOWN]
    )


def consumer_card(*, user: StaffUser, consumer: Consumer) -> Card:
    """The card of a consumer already found through the user's scope."""
    open_complaints = list(
        complaints_for_staff(user=user, filters=ComplaintFilters(open_only=True))
        .filter(consumer=consumer)
        .select_related("compensation_claim")
    )
    told = notifications_for_consumer(user=user, account_number=consumer.account_number)
    return Card(
        consumer=consumer,
        outages=outages_active_for_consumers(consumers=[consumer]).get(consumer.pk, []),
        open_complaints=open_complaints,
        messages=list(told.notifications[:MESSAGES_SHOWN]),
        engineers=engineers_for_consumer(consumer=consumer),
        limits=sla_limits(area_type=consumer.area_type, a_class=consumer.is_a_class),
    )


def open_duplicate(
    *, user: StaffUser, consumer: Consumer | None, mobile: str | None, category: str
) -> Complaint | None:
    """The open complaint of the same category that registering would repeat (the service
    returns it instead of a new one), for the warning before submit."""
    found = complaints_for_staff(user=user, filters=ComplaintFilters(open_only=True)).filter(
        category=category
    )
    if consumer is not None:
        return found.filter(consumer=consumer).first()
    if mobile:
        return found.filter(consumer__isnull=True, contact_mobile=mobile).first()
    return None


def agent_state_of(*, agent: StaffUser) -> AgentState | None:
    """What the agent last set (or the telephony said); None: never signed in to the desk."""
    return AgentState.objects.filter(agent=agent).first()
