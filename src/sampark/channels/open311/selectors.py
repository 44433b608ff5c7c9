"""Reads for the Open311 endpoint: complaints as service requests, tokens, places."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import OPEN_STATUSES, Channel, Complaint
from sampark.complaints.numbering import complaint_number_normalize
from sampark.core.errors import NotFound
from sampark.network.models import DistributionTransformer, Feeder, OrgLevel, OrgUnit

from ..models import Open311Request
from .params import RequestQuery

MAX_RESULTS = 1000
# A point is taken to be on the nearest DT's supply only this close to it (degrees, ~550 m).
NEAR = Decimal("0.005")

UNKNOWN_JURISDICTION = _("No jurisdiction has this id; use the state's or a discom's code.")
UNKNOWN_REQUEST = _("No service request has this id.")
UNKNOWN_TOKEN = _("No service request has this token.")


def jurisdiction_get(*, code: str) -> OrgUnit | None:
    """The state or a discom named by `jurisdiction_id`; None when not given."""
    if not code:
        return None
    found = OrgUnit.objects.filter(
        code__iexact=code, level__in=[OrgLevel.STATE, OrgLevel.DISCOM]
    ).first()
    if found is None:
        raise NotFound(UNKNOWN_JURISDICTION, fields={"jurisdiction_id": UNKNOWN_JURISDICTION})
    return found


def _with_place(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("feeder__substation", "subdivision", "org_unit", "outage__reason")


def requests_find(*, query: RequestQuery, jurisdiction: OrgUnit | None) -> list[Complaint]:
    """GET requests: by id (which overrides every other filter, as the spec says), else by
    service, status and registration time; newest first, at most 1000."""
    qs = Complaint.objects.all()
    if jurisdiction is not None:
        qs = qs.filter(org_unit__path__startswith=jurisdiction.path)
    if query.ids:
        numbers = {complaint_number_normalize(raw) for raw in query.ids}
        qs = qs.filter(number__in=numbers)
    else:
        qs = qs.filter(registered_at__gte=query.start, registered_at__lte=query.end)
        if query.service_codes:
            qs = qs.filter(category__in=query.service_codes)
        if query.statuses == ["open"]:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif query.statuses == ["closed"]:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    # Walked backwards on the registered_at index: any window, however old, reads only its
    # newest 1000 rows (ordered by id, a window far back walked the whole primary key to it).
    return list(_with_place(qs).order_by("-registered_at", "-id")[:MAX_RESULTS])


def request_get(*, request_id: str) -> Complaint:
    found = _with_place(Complaint.objects.filter(number=complaint_number_normalize(request_id)))
    complaint = found.first()
    if complaint is None:
        raise NotFound(UNKNOWN_REQUEST)
    return complaint


def token_get(*, token: str) -> Open311Request:
    found = Open311Request.objects.select_related("complaint").filter(token=token).first()
    if found is None:
        raise NotFound(UNKNOWN_TOKEN)
    return found


def submissions_for(*, complaints: Iterable[Complaint]) -> dict[int, Open311Request]:
    """The POST that created each complaint registered through Open311 (one query)."""
    ids = [c.pk for c in complaints if c.channel == Channel.OPEN311]
    if not ids:
        return {}
    rows = Open311Request.objects.filter(complaint_id__in=ids, created=True)
    return {row.complaint_id: row for row in rows}


def dt_near(*, lat: Decimal, long: Decimal) -> DistributionTransformer | None:
    """The distribution transformer nearest to a point, if one is close enough to trust."""
    candidates = DistributionTransformer.objects.select_related(
        "feeder__substation__subdivision"
    ).filter(
        latitude__range=(lat - NEAR, lat + NEAR),
        longitude__range=(long - NEAR, long + NEAR),
    )[:200]
    best = min(
        candidates,
        key=lambda dt: (dt.latitude - lat) ** 2 + (dt.longitude - long) ** 2,  # type: ignore[operator]
        default=None,
    )
    return best


def place_by_code(*, code: str) -> DistributionTransformer | Feeder | None:
    """`address_id`: the code of a distribution transformer or of a feeder."""
    dt = (
        DistributionTransformer.objects.select_related("feeder__substation__subdivision")
        .filter(code__iexact=code)
        .first()
    )
    if dt is not None:
        return dt
    return (
        Feeder.objects.select_related("substation__subdivision").filter(code__iexact=code).first()
    )
