"""Shapes of the outage API (staff and control-room integrations only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from sampark.consumers.api.schemas import ActiveOutageOut, LocalDateTime, NodeOut
from sampark.outages.models import (
    Outage,
    OutageEvent,
    OutageKind,
    OutageReason,
    OutageScope,
    OutageSource,
    OutageStatus,
)
from sampark.outages.selectors import OutageFilters, outage_is_overdue


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


BlankIsNone = BeforeValidator(_blank_is_none)
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]  # naive input is Indian time
Code = Annotated[str, Field(min_length=1, max_length=40)]


def _language() -> str:
    return "hi" if (get_language() or "hi").startswith("hi") else "en"


class DeclareIn(Schema):
    """At least one of `substation_codes`, `feeder_codes`, `dt_codes`. `starts_at` defaults to
    now; planned work needs 24 h notice unless `emergency`."""

    model_config = ConfigDict(str_strip_whitespace=True)

    kind: OutageKind
    substation_codes: list[Code] = Field(default_factory=list, max_length=200)
    feeder_codes: list[Code] = Field(default_factory=list, max_length=500)
    dt_codes: list[Code] = Field(default_factory=list, max_length=2000)
    reason_code: str = Field(..., min_length=1, max_length=40)
    reason_note: str = Field("", max_length=300)
    starts_at: Annotated[AwareDateTime | None, BlankIsNone] = None
    etr: AwareDateTime
    emergency: bool = False
    source: Annotated[OutageSource | None, BlankIsNone] = Field(
        None, description="Default: `scada` with an API token, `field` with a staff session."
    )


class EtrIn(Schema):
    etr: AwareDateTime
    note: str = Field("", max_length=300)


class RestoreIn(Schema):
    scope_ids: list[int] | None = Field(
        None, description="Scope element ids restored; omit to restore the whole outage."
    )
    note: str = Field("", max_length=300)


class CancelIn(Schema):
    note: str = Field("", max_length=300)


class OutageListQuery(Schema):
    status: Annotated[OutageStatus | None, BlankIsNone] = None
    kind: Annotated[OutageKind | None, BlankIsNone] = None
    org: Annotated[str | None, BlankIsNone] = Field(
        None, max_length=40, description="Org unit code: everything under it."
    )
    live: bool = Field(False, description="Scheduled or active only.")
    overdue: bool = False
    starts_from: Annotated[AwareDateTime | None, BlankIsNone] = None
    starts_to: Annotated[AwareDateTime | None, BlankIsNone] = None

    def as_filters(self) -> OutageFilters:
        return OutageFilters(
            status=self.status,
            kind=self.kind,
            org_code=self.org,
            live_only=self.live,
            overdue_only=self.overdue,
            starts_from=self.starts_from,
            starts_to=self.starts_to,
        )


class ReasonOut(Schema):
    code: str
    text: str

    @classmethod
    def of(cls, reason: OutageReason) -> ReasonOut:
        return cls(code=reason.code, text=reason.text_in(_language()))


class ScopeElementOut(Schema):
    id: int
    level: str = Field(description="substation, feeder or dt")
    code: str
    name: str
    restored_at: LocalDateTime | None

    @classmethod
    def of(cls, element: OutageScope) -> ScopeElementOut:
        if element.substation is not None:
            level, node = "substation", NodeOut.of(element.substation)
        elif element.feeder is not None:
            level, node = "feeder", NodeOut.of(element.feeder)
        else:
            assert element.dt is not None
            level, node = "dt", NodeOut(code=element.dt.code, name=element.dt.name)
        return cls(
            id=element.pk,
            level=level,
            code=node.code,
            name=node.name,
            restored_at=element.restored_at,
        )


class OutageOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    reason: ReasonOut
    reason_note: str
    source: str
    emergency: bool
    org_unit: NodeOut
    zone: NodeOut
    starts_at: LocalDateTime
    etr: LocalDateTime
    overdue: bool
    overdue_since: LocalDateTime | None
    restored_at: LocalDateTime | None
    cancelled_at: LocalDateTime | None
    declared_by: str | None = Field(None, description="Username of the declarer.")
    declared_via: str
    created_at: LocalDateTime
    scope: list[ScopeElementOut]

    @staticmethod
    def resolve_kind_label(obj: Outage) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Outage) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_reason(obj: Outage) -> ReasonOut:
        return ReasonOut.of(obj.reason)

    @staticmethod
    def resolve_org_unit(obj: Outage) -> NodeOut:
        return NodeOut.of(obj.org_unit)

    @staticmethod
    def resolve_zone(obj: Outage) -> NodeOut:
        return NodeOut.of(obj.zone)

    @staticmethod
    def resolve_overdue(obj: Outage) -> bool:
        return outage_is_overdue(obj)

    @staticmethod
    def resolve_declared_by(obj: Outage) -> str | None:
        return obj.declared_by.username if obj.declared_by is not None else None

    @staticmethod
    def resolve_scope(obj: Outage) -> list[ScopeElementOut]:
        return [ScopeElementOut.of(e) for e in obj.scope.all()]


class OutageEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    etr: LocalDateTime | None
    scope_ids: list[int]
    note: str
    actor: str | None
    actor_label: str
    at: LocalDateTime

    @staticmethod
    def resolve_kind_label(obj: OutageEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: OutageEvent) -> str | None:
        return obj.actor.username if obj.actor is not None else None

    @staticmethod
    def resolve_at(obj: OutageEvent) -> datetime:
        return obj.created_at


class OutageDetailOut(OutageOut):
    affected_consumers: int = Field(0, description="Consumers on the elements still off.")
    events: list[OutageEventOut] = []


def active_outage_out(outage: Outage) -> ActiveOutageOut:
    return ActiveOutageOut(
        id=outage.pk,
        kind=outage.kind,
        kind_label=str(outage.get_kind_display()),
        reason=outage.reason.text_in(_language()),
        reason_note=outage.reason_note,
        starts_at=outage.starts_at,
        etr=outage.etr,
        overdue=outage_is_overdue(outage),
    )
