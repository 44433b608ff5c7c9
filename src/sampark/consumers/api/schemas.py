"""Shapes of the consumer API. Staff-only: a consumer card carries personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Protocol

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import AfterValidator

from sampark.consumers.models import Consumer

# Times leave the API in Indian Standard Time, with their offset.
LocalDateTime = Annotated[datetime, AfterValidator(timezone.localtime)]


class Named(Protocol):
    code: str
    name_en: str
    name_hi: str


class LookupQuery(Schema):
    mobile: str | None = Field(None, max_length=20)
    account_number: str | None = Field(None, max_length=20)


class NodeOut(Schema):
    code: str
    name: str

    @classmethod
    def of(cls, node: Named) -> NodeOut:
        hindi = (get_language() or "").startswith("hi")
        return cls(code=node.code, name=node.name_hi if hindi and node.name_hi else node.name_en)


class NetworkOut(Schema):
    """Where the consumer hangs on the electrical tree, and the sub-division that serves them."""

    dt: NodeOut
    feeder: NodeOut
    substation: NodeOut
    subdivision: NodeOut


class OpenComplaintOut(Schema):
    number: str
    category: str
    category_label: str
    status: str
    status_label: str
    due_at: LocalDateTime


class ActiveOutageOut(Schema):
    """An outage over the consumer's supply, for the agent to read out before anything else."""

    id: int
    kind: str
    kind_label: str
    reason: str = Field(description="In the language of the request.")
    reason_note: str
    starts_at: LocalDateTime
    etr: LocalDateTime = Field(description="Estimated time of restoration.")
    overdue: bool = Field(description="The ETR has passed without restoration.")


class ConsumerCardOut(Schema):
    account_number: str
    name: str
    mobile: str | None
    language: str
    category: str
    category_label: str
    address: str
    area_type: str
    is_a_class: bool
    network: NetworkOut
    open_complaints: list[OpenComplaintOut]
    active_outages: list[ActiveOutageOut] = Field(
        default_factory=list, description="Outages on the consumer's supply now, latest ETR first."
    )

    @classmethod
    def of(
        cls,
        consumer: Consumer,
        *,
        open_complaints: list[OpenComplaintOut],
        active_outages: list[ActiveOutageOut] | None = None,
    ) -> ConsumerCardOut:
        dt, feeder = consumer.dt, consumer.feeder
        return cls(
            account_number=consumer.account_number,
            name=consumer.name,
            mobile=consumer.mobile,
            language=consumer.language,
            category=consumer.category,
            category_label=consumer.get_category_display(),
            address=consumer.address,
            area_type=consumer.area_type,
            is_a_class=consumer.is_a_class,
            network=NetworkOut(
                dt=NodeOut(code=dt.code, name=dt.name),
                feeder=NodeOut.of(feeder),
                substation=NodeOut.of(feeder.substation),
                subdivision=NodeOut.of(consumer.subdivision),
            ),
            open_complaints=open_complaints,
            active_outages=active_outages or [],
        )
