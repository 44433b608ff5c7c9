"""/api/v1/complaints: register (public), track (public), and the staff work list and actions.

Endpoints stay thin: parse, call a selector/service, render. Out-of-scope complaints answer
404 exactly like unknown ones, so staff cannot probe other jurisdictions.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status as Answer

from sampark.accounts.auth import PUBLIC, STAFF, Caller, caller_of
from sampark.accounts.models import StaffUser
from sampark.accounts.throttling import PUBLIC_THROTTLE
from sampark.complaints.models import Channel
from sampark.complaints.selectors import (
    ComplaintFilters,
    complaint_events,
    complaint_get_for_staff,
    complaint_get_public,
    complaints_for_staff,
)
from sampark.complaints.services import complaint_assign, complaint_register, complaint_transition
from sampark.consumers.api.schemas import OpenComplaintOut
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_by_account, consumers_by_mobile
from sampark.core.errors import ValidationFailed
from sampark.core.paginators import ApiPage
from sampark.core.phones import mobile_or_none, mobile_to_e164
from sampark.network.models import DistributionTransformer, Feeder

from .schemas import (
    AssignIn,
    ComplaintListQuery,
    ComplaintPublicOut,
    ComplaintReceiptOut,
    ComplaintStaffOut,
    EventOut,
    RegisterIn,
    TransitionIn,
)

REQUIRED = _("This field is required.")
IDENTIFY = _(
    "Give the consumer's account number or registered mobile number, or your name, "
    "mobile number and location."
)
SEVERAL_ON_MOBILE = _(
    "Several consumers are registered on this mobile number. Give the account number."
)
UNKNOWN_FEEDER = _("No feeder has this code.")
UNKNOWN_DT = _("No distribution transformer has this code.")
UNKNOWN_STAFF = _("No active staff user has this username.")

router = Router(tags=["complaints"])


@router.post(
    "",
    response={200: ComplaintReceiptOut, 201: ComplaintReceiptOut},
    auth=PUBLIC,
    throttle=PUBLIC_THROTTLE,
    summary="Register a complaint",
)
def complaint_create(request: HttpRequest, payload: RegisterIn) -> Answer[ComplaintReceiptOut]:
    """Open to the public (the website form). 201 with a new number; 200 with the number of
    the open complaint of the same consumer and category (`duplicate: true`)."""
    caller = caller_of(request)
    registration = complaint_register(
        **_complainant(payload),
        category=payload.category.value,
        channel=_channel(caller, payload.channel),
        description=payload.description,
        language=payload.language.value if payload.language else None,
        actor=caller.user,
        actor_label=caller.label,
    )
    status = 201 if registration.created else 200
    return Answer(status, ComplaintReceiptOut.of(registration))


@router.get("", response=list[ComplaintStaffOut], auth=STAFF, summary="Complaints in your area")
@paginate(ApiPage)
def complaint_list(request: HttpRequest, filters: Query[ComplaintListQuery]) -> Any:
    """Staff only; your jurisdiction only; earliest due first. `limit` is at most 200."""
    user = caller_of(request).staff()
    return complaints_for_staff(user=user, filters=filters.as_filters())


@router.get(
    "/{number}",
    response=ComplaintPublicOut,
    auth=PUBLIC,
    throttle=PUBLIC_THROTTLE,
    summary="Track a complaint",
)
def complaint_track(request: HttpRequest, number: str) -> ComplaintPublicOut:
    """Anyone with the number (typed loosely: `mv 261128 42`). No personal data."""
    complaint = complaint_get_public(number=number)
    return ComplaintPublicOut.of(complaint, events=complaint_events(complaint=complaint))


@router.get("/{number}/events", response=list[EventOut], auth=STAFF, summary="Audit trail")
def complaint_event_list(request: HttpRequest, number: str) -> Any:
    complaint = complaint_get_for_staff(user=caller_of(request).staff(), number=number)
    return complaint_events(complaint=complaint)


@router.post(
    "/{number}/transition", response=ComplaintStaffOut, auth=STAFF, summary="Change status"
)
def complaint_move(request: HttpRequest, number: str, payload: TransitionIn) -> Any:
    """A move the lifecycle does not allow answers 409 `illegal_transition`."""
    caller = caller_of(request)
    complaint = complaint_get_for_staff(user=caller.staff(), number=number)
    return complaint_transition(
        complaint=complaint,
        to_status=payload.status.value,
        actor=caller.user,
        actor_label=caller.label,
        note=payload.note,
    )


@router.post("/{number}/assign", response=ComplaintStaffOut, auth=STAFF, summary="Reassign")
def complaint_reassign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    """Supervisors, SDOs and above: give the complaint to a JE or SDO of its area."""
    user = caller_of(request).staff()
    complaint = complaint_get_for_staff(user=user, number=number)
    assignee = StaffUser.objects.filter(username=payload.username, is_active=True).first()
    if assignee is None:
        raise ValidationFailed(fields={"username": UNKNOWN_STAFF})
    try:
        return complaint_assign(
            complaint=complaint, assignee=assignee, actor=user, note=payload.note
        )
    except ValidationFailed as error:
        # The service names its argument; clients sent `username`.
        if "assignee" in error.fields:
            error.fields["username"] = error.fields.pop("assignee")
        raise


def open_complaints_for(
    *, user: StaffUser, consumers: list[Consumer]
) -> dict[int, list[OpenComplaintOut]]:
    """Open complaints of each consumer, for the consumer card (one query)."""
    found: dict[int, list[OpenComplaintOut]] = {}
    if not consumers:
        return found
    rows = complaints_for_staff(user=user, filters=ComplaintFilters(open_only=True)).filter(
        consumer__in=consumers
    )
    for c in rows:
        assert c.consumer_id is not None
        found.setdefault(c.consumer_id, []).append(
            OpenComplaintOut(
                number=c.number,
                category=c.category,
                category_label=c.get_category_display(),
                status=c.status,
                status_label=c.get_status_display(),
                due_at=c.due_at,
            )
        )
    return found


def _channel(caller: Caller, asked: Channel | None) -> str:
    if not caller.is_staff:
        return Channel.WEB  # the public form cannot claim to be the IVR or an agent
    if asked is not None:
        return asked.value
    return Channel.API if caller.token is not None else Channel.AGENT


def _complainant(payload: RegisterIn) -> dict[str, Any]:
    """Who the complaint is about: a registered consumer, or an unregistered caller and place."""
    if payload.account_number:
        return {
            "consumer": consumer_by_account(account_number=payload.account_number),
            "contact_mobile": mobile_or_none(payload.contact_mobile, field="contact_mobile"),
        }
    if payload.mobile:
        found = consumers_by_mobile(mobile=payload.mobile)
        if len(found) > 1:
            raise ValidationFailed(fields={"account_number": SEVERAL_ON_MOBILE})
        return {"consumer": found[0]}
    given = {
        "contact_mobile": payload.contact_mobile or "",
        "contact_name": payload.contact_name,
        "location_text": payload.location_text,
    }
    if not any(given.values()):
        raise ValidationFailed(IDENTIFY, fields={"account_number": IDENTIFY})
    missing = {name: REQUIRED for name, value in given.items() if not value}
    if missing:
        raise ValidationFailed(fields=missing)
    return {
        "contact_mobile": mobile_to_e164(given["contact_mobile"], field="contact_mobile"),
        "contact_name": payload.contact_name,
        "location_text": payload.location_text,
        **_place(feeder_code=payload.feeder_code, dt_code=payload.dt_code),
    }


def _place(*, feeder_code: str | None, dt_code: str | None) -> dict[str, Any]:
    """The network element a caller named, if any; an unknown code is an input error."""
    place: dict[str, Any] = {}
    if dt_code:
        place["dt"] = (
            DistributionTransformer.objects.select_related("feeder__substation__subdivision")
            .filter(code=dt_code)
            .first()
        )
        if place["dt"] is None:
            raise ValidationFailed(fields={"dt_code": UNKNOWN_DT})
    if feeder_code:
        place["feeder"] = (
            Feeder.objects.select_related("substation__subdivision")
            .filter(code=feeder_code)
            .first()
        )
        if place["feeder"] is None:
            raise ValidationFailed(fields={"feeder_code": UNKNOWN_FEEDER})
    return place
