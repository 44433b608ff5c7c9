"""Shapes of the complaint API.

Two views of a complaint: the consumer-safe one (anyone holding the number may read it: no
personal data, no staff usernames, no notes) and the staff one (scoped by jurisdiction).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints

from sampark.accounts.models import StaffUser
from sampark.complaints.models import Category, Channel, Complaint, ComplaintEvent, Status
from sampark.complaints.selectors import ComplaintFilters
from sampark.complaints.services import Registration
from sampark.consumers.api.schemas import LocalDateTime, NodeOut
from sampark.consumers.models import ACCOUNT_NUMBER_RE
from sampark.core.models import Language
from sampark.outages.models import Outage


def _blank_is_none(value: Any) -> Any:
    """Web forms send "" for fields left empty; treat that as not given."""
    return None if isinstance(value, str) and not value.strip() else value


def _compact(value: Any) -> Any:
    """People write account numbers with spaces or dashes: '12345 67890'."""
    return re.sub(r"[\s-]", "", value) if isinstance(value, str) else value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


AccountNumber = Annotated[
    str, BeforeValidator(_compact), StringConstraints(pattern=ACCOUNT_NUMBER_RE)
]
BlankIsNone = BeforeValidator(_blank_is_none)
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]  # naive input is Indian time


class RegisterIn(Schema):
    """A registered consumer by `account_number` or registered `mobile`; otherwise a caller by
    `contact_mobile`, `contact_name` and `location_text` (and `feeder_code`/`dt_code` if known)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    category: Category
    account_number: Annotated[AccountNumber | None, BlankIsNone] = None
    mobile: Annotated[str | None, BlankIsNone] = Field(None, max_length=20)
    contact_mobile: Annotated[str | None, BlankIsNone] = Field(None, max_length=20)
    contact_name: str = Field("", max_length=120)
    location_text: str = Field("", max_length=300)
    feeder_code: Annotated[str | None, BlankIsNone] = Field(None, max_length=40)
    dt_code: Annotated[str | None, BlankIsNone] = Field(None, max_length=40)
    description: str = Field("", max_length=2000)
    language: Annotated[Language | None, BlankIsNone] = None
    channel: Annotated[Channel | None, BlankIsNone] = Field(
        None, description="Ignored for anonymous requests (always `web`)."
    )


class ComplaintListQuery(Schema):
    status: Annotated[Status | None, BlankIsNone] = None
    category: Annotated[Category | None, BlankIsNone] = None
    channel: Annotated[Channel | None, BlankIsNone] = None
    org: Annotated[str | None, BlankIsNone] = Field(
        None, max_length=40, description="Org unit code: everything under it."
    )
    assigned_to_me: bool = False
    open: bool = False
    overdue: bool = False
    registered_from: Annotated[AwareDateTime | None, BlankIsNone] = None
    registered_to: Annotated[AwareDateTime | None, BlankIsNone] = None

    def as_filters(self) -> ComplaintFilters:
        return ComplaintFilters(
            status=self.status,
            category=self.category,
            channel=self.channel,
            org_code=self.org,
            assigned_to_me=self.assigned_to_me,
            open_only=self.open,
            overdue_only=self.overdue,
            registered_from=self.registered_from,
            registered_to=self.registered_to,
        )


class TransitionIn(Schema):
    status: Status
    note: str = Field("", max_length=1000)


class AssignIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    note: str = Field("", max_length=1000)


class OfficerOut(Schema):
    """The officer responsible, named as DESIGN.md asks; no username or phone."""

    name: str
    designation: str

    @classmethod
    def of(cls, user: StaffUser | None) -> OfficerOut | None:
        if user is None:
            return None
        return cls(name=user.get_full_name(), designation=user.get_role_display())


class StaffOfficerOut(OfficerOut):
    username: str

    @classmethod
    def of(cls, user: StaffUser | None) -> StaffOfficerOut | None:
        if user is None:
            return None
        return cls(
            name=user.get_full_name(),
            designation=user.get_role_display(),
            username=user.username,
        )


class _ComplaintOut(Schema):
    number: str
    status: str
    status_label: str
    category: str
    category_label: str
    registered_at: LocalDateTime
    due_at: LocalDateTime
    assigned_officer: OfficerOut | None

    @staticmethod
    def resolve_status_label(obj: Complaint) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_category_label(obj: Complaint) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_assigned_officer(obj: Complaint) -> OfficerOut | None:
        return OfficerOut.of(obj.assigned_to)


class LinkedOutageOut(Schema):
    """The known outage a no-supply complaint was linked to: why, and until when."""

    id: int
    status: str
    reason: str = Field(description="In the language of the request.")
    reason_note: str
    etr: LocalDateTime = Field(description="Estimated time of restoration.")

    @classmethod
    def of(cls, outage: Outage | None) -> LinkedOutageOut | None:
        if outage is None:
            return None
        language = "hi" if (get_language() or "hi").startswith("hi") else "en"
        return cls(
            id=outage.pk,
            status=outage.status,
            reason=outage.reason.text_in(language),
            reason_note=outage.reason_note,
            etr=outage.etr,
        )


class ComplaintReceiptOut(_ComplaintOut):
    priority: str
    sla_hours: int
    duplicate: bool = Field(
        False, description="True: an open complaint of this consumer and category existed."
    )
    outage: LinkedOutageOut | None = Field(
        None,
        description="Set when the complaint lies inside a known outage: no field visit is "
        "needed, supply returns by the ETR and the complaint is then resolved.",
    )

    @staticmethod
    def resolve_outage(obj: Complaint) -> LinkedOutageOut | None:
        return LinkedOutageOut.of(obj.outage)

    @classmethod
    def of(cls, registration: Registration) -> ComplaintReceiptOut:
        receipt = cls.model_validate(registration.complaint)
        return receipt.model_copy(update={"duplicate": not registration.created})


class TimelineEntryOut(Schema):
    status: str
    status_label: str
    at: LocalDateTime


class ComplaintPublicOut(_ComplaintOut):
    resolved_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    outage: LinkedOutageOut | None = None
    timeline: list[TimelineEntryOut] = []

    @staticmethod
    def resolve_outage(obj: Complaint) -> LinkedOutageOut | None:
        return LinkedOutageOut.of(obj.outage)

    @classmethod
    def of(cls, complaint: Complaint, *, events: Iterable[ComplaintEvent]) -> ComplaintPublicOut:
        timeline = [
            TimelineEntryOut(
                status=e.to_status, status_label=e.get_to_status_display(), at=e.created_at
            )
            for e in events
            if e.to_status and e.to_status != e.from_status  # status changes only
        ]
        return cls.model_validate(complaint).model_copy(update={"timeline": timeline})


class ConsumerBriefOut(Schema):
    account_number: str
    name: str


class ComplaintStaffOut(_ComplaintOut):
    channel: str
    priority: str
    language: str
    description: str
    sla_hours: int
    resolved_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    overdue: bool
    consumer: ConsumerBriefOut | None
    contact_name: str
    mobile: str | None
    location_text: str
    subdivision: NodeOut | None
    assigned_officer: StaffOfficerOut | None

    @staticmethod
    def resolve_assigned_officer(obj: Complaint) -> StaffOfficerOut | None:
        return StaffOfficerOut.of(obj.assigned_to)

    @staticmethod
    def resolve_overdue(obj: Complaint) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_mobile(obj: Complaint) -> str | None:
        return obj.contact_mobile

    @staticmethod
    def resolve_subdivision(obj: Complaint) -> NodeOut | None:
        return NodeOut.of(obj.subdivision) if obj.subdivision is not None else None


class EventOut(Schema):
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    actor: str | None = Field(None, description="Username of the staff member who acted.")
    actor_label: str
    assignee: str | None
    note: str
    at: LocalDateTime

    @staticmethod
    def resolve_kind_label(obj: ComplaintEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj: ComplaintEvent) -> str | None:
        return obj.actor.username if obj.actor is not None else None

    @staticmethod
    def resolve_assignee(obj: ComplaintEvent) -> str | None:
        return obj.assignee.username if obj.assignee is not None else None

    @staticmethod
    def resolve_at(obj: ComplaintEvent) -> datetime:
        return obj.created_at
