"""Reading the query and form parameters of GeoReport v2 into checked values.

Every problem is collected and raised at once as ValidationFailed, keyed by the parameter's
name as the client sent it (`start_date`, `attribute[mobile]`), so one 400 lists them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from sampark.core.errors import ValidationFailed

from .catalogue import ACCOUNT_NUMBER, MOBILE, service_exists

MAX_SPAN = timedelta(days=90)  # the spec's default window, and the widest one allowed
MAX_IDS = 1000

REQUIRED = _("This field is required.")
UNKNOWN_SERVICE = _("No service has this code; see services.json for the list.")
BAD_DATE = _("Give a date and time in ISO 8601, e.g. 2025-06-01T10:00:00+05:30.")
END_BEFORE_START = _("end_date must be after start_date.")
SPAN_TOO_WIDE = _("start_date and end_date may be at most 90 days apart.")
BAD_STATUS = _("Use open, closed, or both separated by a comma.")
TOO_MANY_IDS = _("Ask for at most 1000 service requests at a time.")
BAD_NUMBER = _("Give a decimal number.")
LAT_RANGE = _("A latitude lies between -90 and 90.")
LONG_RANGE = _("A longitude lies between -180 and 180.")
LAT_LONG_PAIR = _("Give lat and long together.")
NO_LOCATION = _(
    "Give the place: lat and long, address_string or address_id "
    "(or attribute[account_number] of the consumer)."
)
BAD_EMAIL = _("Enter a valid e-mail address.")
BAD_URL = _("Enter a valid http or https address.")
TOO_LONG = _("At most %(limit)d characters.")

# Clients that forget to encode "+" in a query string send "+05:30" as " 05:30".
_LOST_PLUS = re.compile(r" (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class RequestQuery:
    ids: list[str]
    service_codes: list[str]
    statuses: list[str]  # "open", "closed"
    start: datetime
    end: datetime
    jurisdiction_id: str


@dataclass(frozen=True)
class Submission:
    service_code: str
    lat: Decimal | None
    long: Decimal | None
    address_string: str
    address_id: str
    account_number: str
    mobile: str
    mobile_field: str  # the parameter the mobile came in: attribute[mobile] or phone
    email: str
    device_id: str
    account_id: str
    first_name: str
    last_name: str
    description: str
    media_url: str

    @property
    def name(self) -> str:
        return " ".join(filter(None, [self.first_name, self.last_name]))


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _moment(raw: str) -> datetime | None:
    """An ISO 8601 date-time (naive ones are Indian time) or a bare date (its midnight)."""
    text = _LOST_PLUS.sub(r"+\1", raw.strip())
    try:
        found = parse_datetime(text)
        if found is None:
            day = parse_date(text)
            found = datetime.combine(day, time()) if isinstance(day, date) else None
    except ValueError:
        return None
    if found is not None and timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


def request_query_parse(params: QueryDict, *, now: datetime) -> RequestQuery:
    """GET requests: the filters, with the spec's default window (the last 90 days)."""
    errors: dict[str, Any] = {}
    ids = _list(params.get("service_request_id", ""))
    if len(ids) > MAX_IDS:
        errors["service_request_id"] = TOO_MANY_IDS
    codes = _list(params.get("service_code", ""))
    if any(not service_exists(code) for code in codes):
        errors["service_code"] = UNKNOWN_SERVICE
    statuses = [s.lower() for s in _list(params.get("status", ""))]
    if any(s not in ("open", "closed") for s in statuses):
        errors["status"] = BAD_STATUS
    given: dict[str, datetime | None] = {}
    for name in ("start_date", "end_date"):
        raw = params.get(name, "").strip()
        given[name] = _moment(raw) if raw else None
        if raw and given[name] is None:
            errors[name] = BAD_DATE
    start, end = given["start_date"], given["end_date"]
    if start and end and end < start:
        errors["end_date"] = END_BEFORE_START
    elif start and end and end - start > MAX_SPAN:
        errors["end_date"] = SPAN_TOO_WIDE
    if errors:
        raise ValidationFailed(fields=errors)
    if start is None:
        end = end or now
        start = end - MAX_SPAN
    elif end is None:
        end = min(now, start + MAX_SPAN)
    assert end is not None
    return RequestQuery(
        ids=ids,
        service_codes=codes,
        statuses=sorted(set(statuses)),
        start=start,
        end=end,
        jurisdiction_id=params.get("jurisdiction_id", "").strip(),
    )


def _text(params: QueryDict, name: str, limit: int, errors: dict[str, Any]) -> str:
    value = params.get(name, "").strip()
    if len(value) > limit:
        errors[name] = TOO_LONG % {"limit": limit}
    return value


def _coordinate(
    params: QueryDict, name: str, bound: int, message: Any, errors: dict[str, Any]
) -> Decimal | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = BAD_NUMBER
        return None
    if not value.is_finite() or abs(value) > bound:
        errors[name] = message
        return None
    return value.quantize(Decimal("0.000001"))


def submission_parse(params: QueryDict) -> Submission:
    """POST requests: the spec's fields and our two attributes."""
    errors: dict[str, Any] = {}
    code = params.get("service_code", "").strip()
    if not code:
        errors["service_code"] = REQUIRED
    elif not service_exists(code):
        errors["service_code"] = UNKNOWN_SERVICE
    lat = _coordinate(params, "lat", 90, LAT_RANGE, errors)
    long = _coordinate(params, "long", 180, LONG_RANGE, errors)
    if (lat is None) != (long is None) and not {"lat", "long"} & errors.keys():
        errors["lat" if lat is None else "long"] = LAT_LONG_PAIR
    address_string = _text(params, "address_string", 300, errors)
    address_id = _text(params, "address_id", 40, errors)
    account_number = _text(params, f"attribute[{ACCOUNT_NUMBER}]", 20, errors)
    has_place = lat is not None or address_string or address_id or account_number
    if not has_place and not {"lat", "long"} & errors.keys():
        errors["address_string"] = NO_LOCATION
    mobile_field = f"attribute[{MOBILE}]" if params.get(f"attribute[{MOBILE}]") else "phone"
    mobile = _text(params, mobile_field, 20, errors)
    email = _text(params, "email", 254, errors)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = BAD_EMAIL
    media_url = _text(params, "media_url", 500, errors)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = BAD_URL
    values = {
        name: _text(params, name, limit, errors)
        for name, limit in (
            ("device_id", 100),
            ("account_id", 100),
            ("first_name", 60),
            ("last_name", 60),
            ("description", 2000),
        )
    }
    if errors:
        raise ValidationFailed(fields=errors)
    return Submission(
        service_code=code,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        account_number=account_number,
        mobile=mobile,
        mobile_field=mobile_field,
        email=email,
        media_url=media_url,
        **values,
    )
