"""/api/v1/callcentre: telephony events in (a single event or a batch), call KPIs out.

Both need a call-centre supervisor (or an officer above), by session or by an integration's
bearer token acting as its owner. A batch is all or nothing; a replayed event changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.errors import ValidationError
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from sampark.accounts.auth import STAFF, caller_of
from sampark.accounts.permissions import Action, require
from sampark.callcentre.kpis import call_kpis
from sampark.callcentre.models import Call, Callback
from sampark.callcentre.selectors import calls_for_staff, discom_for_staff
from sampark.callcentre.services import TelephonyEvent, call_events_record
from sampark.core import clock
from sampark.core.errors import SamparkError, ValidationFailed

from .schemas import CallOut, EventBatchIn, EventIn, EventsOut, KpiOut, KpiQuery

router = Router(tags=["call centre"])

BAD_BODY = _("The request body could not be read. Send a JSON object.")
TOO_LONG_RANGE = _("At most 31 days by the hour, or 400 days by the day.")
BAD_RANGE = _("The end must come after the start.")
MAX_RANGE = {"hour": timedelta(days=31), "day": timedelta(days=400)}
_EVENT = EventIn.model_json_schema()
EVENTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        _EVENT,
                        {
                            "type": "object",
                            "required": ["events"],
                            "properties": {
                                "events": {"type": "array", "items": _EVENT, "maxItems": 500}
                            },
                        },
                        {"type": "array", "items": _EVENT, "maxItems": 500},
                    ]
                }
            }
        },
    }
}


def _events_parse(body: bytes) -> tuple[list[EventIn], str]:
    """A single event, `{"events": [...]}` or a bare list; the prefix names batch fields."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise SamparkError(BAD_BODY, code="bad_request") from None
    try:
        if isinstance(data, list):
            return TypeAdapter(list[EventIn]).validate_python(data), "events"
        if isinstance(data, dict) and "events" in data:
            return EventBatchIn.model_validate(data).events, "events"
        if isinstance(data, dict):
            return [EventIn.model_validate(data)], ""
    except PydanticError as error:
        head = ("body", "payload", "events") if isinstance(data, list) else ("body", "payload")
        raise ValidationError(
            [{**e, "loc": (*head, *e["loc"])} for e in error.errors(include_url=False)]
        ) from None
    raise SamparkError(BAD_BODY, code="bad_request")


def _call_out(call: Call) -> CallOut:
    callback = Callback.objects.filter(call=call).values_list("pk", flat=True).first()
    return CallOut(
        call_id=call.call_id,
        outcome=call.outcome,
        offered_at=call.offered_at,
        queued_at=call.queued_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        discom=call.discom.code if call.discom_id and call.discom else None,
        agent=call.agent.username if call.agent_id and call.agent else None,
        ivr_contained=call.ivr_contained,
        callback_id=callback,
    )


@router.post(
    "/events",
    response=EventsOut,
    auth=STAFF,
    summary="Record telephony events",
    openapi_extra=EVENTS_BODY,
)
def events_post(request: HttpRequest) -> EventsOut:
    """One event object, `{"events": [...]}` or a list of up to 500 events, recorded in one
    transaction. Idempotent per (call_id, kind, at): a replayed event changes nothing."""
    user = caller_of(request).staff()
    require(user, Action.CALLCENTRE_SUPERVISE)
    events, prefix = _events_parse(request.body)
    if len(events) > 500:
        raise ValidationFailed(fields={"events": _("At most 500 events in one request.")})
    calls = call_events_record(
        events=[TelephonyEvent(**e.model_dump()) for e in events], actor=user, prefix=prefix
    )
    return EventsOut(received=len(events), calls=[_call_out(call) for call in calls])


@router.get("/kpis", response=list[KpiOut], auth=STAFF, summary="Call KPIs")
def kpis_get(request: HttpRequest, filters: Query[KpiQuery]) -> list[KpiOut]:
    """Offered, answered, abandoned, ASA, service level, AHT, IVR containment and callbacks
    per hour or day (IST), in total, per discom or per agent; your jurisdiction only."""
    user = caller_of(request).staff()
    require(user, Action.CALLCENTRE_SUPERVISE)
    now = clock.now()
    end = filters.end or now
    start = filters.start or timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    if end <= start:
        raise ValidationFailed(fields={"end": BAD_RANGE})
    if end - start > MAX_RANGE[filters.bucket]:
        raise ValidationFailed(fields={"start": TOO_LONG_RANGE})
    discom = discom_for_staff(user=user, code=filters.discom) if filters.discom else None
    rows = call_kpis(
        start=start,
        end=end,
        bucket=filters.bucket,
        by=filters.by,
        discom=discom,
        service_level_seconds=filters.service_level_seconds,
        calls=calls_for_staff(user=user),
    )
    return [KpiOut.of(row) for row in rows]
