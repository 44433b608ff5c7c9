"""/api/v1/outages: declare (staff session or a control-room token for SCADA feeds), list,
read, revise the ETR, restore (wholly or in parts), cancel.

Endpoints stay thin: parse, call a selector/service, render. Another jurisdiction's outage
answers 404 exactly like an unknown one.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from sampark.accounts.auth import STAFF, Caller, caller_of
from sampark.consumers.api.schemas import ActiveOutageOut
from sampark.consumers.models import Consumer
from sampark.core.paginators import ApiPage
from sampark.outages.models import OutageReason, OutageSource
from sampark.outages.selectors import (
    consumers_affected_count,
    outage_events,
    outage_get_for_staff,
    outages_active_for_consumers,
    outages_for_staff,
)
from sampark.outages.services import (
    outage_cancel,
    outage_declare,
    outage_etr_revise,
    outage_restore,
)

from .schemas import (
    CancelIn,
    DeclareIn,
    EtrIn,
    OutageDetailOut,
    OutageEventOut,
    OutageListQuery,
    OutageOut,
    ReasonOut,
    RestoreIn,
    active_outage_out,
)

router = Router(tags=["outages"])


def _label(caller: Caller) -> str:
    return caller.label or "staff"


def _detail(request: HttpRequest, outage_id: int) -> OutageDetailOut:
    outage = outage_get_for_staff(user=caller_of(request).staff(), outage_id=outage_id)
    detail = OutageDetailOut.model_validate(outage)
    return detail.model_copy(
        update={
            "affected_consumers": consumers_affected_count(outage=outage),
            "events": [OutageEventOut.model_validate(e) for e in outage_events(outage=outage)],
        }
    )


@router.post("", response={201: OutageDetailOut}, auth=STAFF, summary="Declare an outage")
def outage_create(request: HttpRequest, payload: DeclareIn) -> Answer[OutageDetailOut]:
    """JEs, SDOs and officers within their jurisdiction; control-room tokens act as their
    owner. Affected consumers are notified in the background."""
    caller = caller_of(request)
    user = caller.staff()
    source = payload.source or (
        OutageSource.SCADA if caller.token is not None else OutageSource.FIELD
    )
    outage = outage_declare(
        kind=payload.kind.value,
        substation_codes=payload.substation_codes,
        feeder_codes=payload.feeder_codes,
        dt_codes=payload.dt_codes,
        reason_code=payload.reason_code,
        reason_note=payload.reason_note,
        starts_at=payload.starts_at,
        etr=payload.etr,
        source=source.value if isinstance(source, OutageSource) else source,
        actor=user,
        actor_label=_label(caller),
        emergency=payload.emergency,
    )
    return Answer(201, _detail(request, outage.pk))


@router.get("", response=list[OutageOut], auth=STAFF, summary="Outages in your area")
@paginate(ApiPage)
def outage_list(request: HttpRequest, filters: Query[OutageListQuery]) -> Any:
    """Your jurisdiction only; by status, then earliest ETR."""
    return outages_for_staff(user=caller_of(request).staff(), filters=filters.as_filters())


@router.get("/reasons", response=list[ReasonOut], auth=STAFF, summary="Reason codes")
def reason_list(request: HttpRequest) -> Any:
    return [ReasonOut.of(r) for r in OutageReason.objects.filter(active=True).order_by("id")]


@router.get("/{int:outage_id}", response=OutageDetailOut, auth=STAFF, summary="One outage")
def outage_read(request: HttpRequest, outage_id: int) -> OutageDetailOut:
    return _detail(request, outage_id)


@router.post("/{int:outage_id}/etr", response=OutageDetailOut, auth=STAFF, summary="Revise ETR")
def outage_etr(request: HttpRequest, outage_id: int, payload: EtrIn) -> OutageDetailOut:
    caller = caller_of(request)
    outage = outage_get_for_staff(user=caller.staff(), outage_id=outage_id)
    outage_etr_revise(
        outage=outage,
        etr=payload.etr,
        actor=caller.user,
        actor_label=_label(caller),
        note=payload.note,
    )
    return _detail(request, outage_id)


@router.post(
    "/{int:outage_id}/restore", response=OutageDetailOut, auth=STAFF, summary="Restore supply"
)
def outage_restore_post(
    request: HttpRequest, outage_id: int, payload: RestoreIn
) -> OutageDetailOut:
    """Without `scope_ids` the whole outage; with them, those elements (409 if one is not in
    this outage or already restored)."""
    caller = caller_of(request)
    outage = outage_get_for_staff(user=caller.staff(), outage_id=outage_id)
    outage_restore(
        outage=outage,
        scope_ids=payload.scope_ids,
        actor=caller.user,
        actor_label=_label(caller),
        note=payload.note,
    )
    return _detail(request, outage_id)


@router.post(
    "/{int:outage_id}/cancel", response=OutageDetailOut, auth=STAFF, summary="Cancel planned work"
)
def outage_cancel_post(request: HttpRequest, outage_id: int, payload: CancelIn) -> OutageDetailOut:
    caller = caller_of(request)
    outage = outage_get_for_staff(user=caller.staff(), outage_id=outage_id)
    outage_cancel(outage=outage, actor=caller.user, actor_label=_label(caller), note=payload.note)
    return _detail(request, outage_id)


def active_outages_for(*, consumers: list[Consumer]) -> dict[int, list[ActiveOutageOut]]:
    """Outages on each consumer's supply, for the agent's consumer card (one query)."""
    found = outages_active_for_consumers(consumers=consumers)
    return {pk: [active_outage_out(o) for o in outages] for pk, outages in found.items()}
