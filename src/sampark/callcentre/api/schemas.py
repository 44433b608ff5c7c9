"""Shapes of the call-centre API: telephony events and KPI rows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from sampark.callcentre.kpis import KpiRow


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


BlankIsNone = BeforeValidator(_blank_is_none)
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]  # naive input is Indian time
LocalDateTime = Annotated[datetime, AfterValidator(timezone.localtime)]


class EventIn(Schema):
    """One telephony event. `kind` and `source` are checked by the service (its messages name
    the allowed values); `agent` is a staff username, `discom` a discom code."""

    call_id: str = Field(..., min_length=1, max_length=64, description="The provider's call id.")
    kind: str = Field(
        ...,
        max_length=20,
        description="offered, queued, answered, abandoned, transferred, completed, dropped, ivr",
    )
    at: AwareDateTime = Field(..., description="When it happened; without an offset: IST.")
    source: str = Field("api", max_length=10, description="api, twilio, plivo, exotel")
    calling_number: str = Field("", max_length=40)
    agent: str = Field("", max_length=150, description="Username of the answering agent.")
    queue: str = Field("", max_length=20, description="emergency, general or english")
    discom: str = Field("", max_length=40, description="Code of the discom whose line rang.")
    detail: dict[str, Any] = Field(default_factory=dict)


class EventBatchIn(Schema):
    events: list[EventIn] = Field(..., min_length=1, max_length=500)


class CallOut(Schema):
    call_id: str
    outcome: str
    offered_at: LocalDateTime
    queued_at: LocalDateTime | None
    answered_at: LocalDateTime | None
    ended_at: LocalDateTime | None
    discom: str | None
    agent: str | None
    ivr_contained: bool
    callback_id: int | None


class EventsOut(Schema):
    received: int = Field(description="Events in the request (replays included).")
    calls: list[CallOut]


class KpiQuery(Schema):
    start: Annotated[AwareDateTime | None, BlankIsNone] = Field(
        None, description="Default: midnight today (IST)."
    )
    end: Annotated[AwareDateTime | None, BlankIsNone] = Field(None, description="Default: now.")
    bucket: Literal["hour", "day"] = "hour"
    by: Literal["total", "discom", "agent"] = "total"
    discom: Annotated[str | None, BlankIsNone] = Field(None, max_length=40)
    service_level_seconds: int | None = Field(None, ge=1, le=3600)


class KpiOut(Schema):
    period: LocalDateTime
    discom: str | None
    agent: str | None
    offered: int
    answered: int
    abandoned: int
    dropped: int
    callback_requested: int
    abandonment_rate: float | None
    asa_seconds: float | None
    service_level: float | None
    aht_seconds: float | None
    ivr_contained: int
    containment_rate: float | None
    outage_contained: int
    outage_containment_rate: float | None
    callbacks_owed: int
    not_called_back: int

    @classmethod
    def of(cls, row: KpiRow) -> KpiOut:
        return cls(**row.as_dict())
