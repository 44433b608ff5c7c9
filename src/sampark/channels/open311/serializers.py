"""Complaints as GeoReport v2 rows, in the active language, without personal data.

Anyone may read service requests, so a row never carries a name, mobile, e-mail, account
number or the caller's own words about where they live: the place is the feeder and
sub-division (or the substation's coordinates), the description only what an Open311 client
itself published, with long digit runs and e-mail addresses blanked.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _g

from sampark.complaints.models import Category, Closure, Complaint, Status
from sampark.network.models import OrgLevel, OrgUnit
from sampark.outages.models import OutageStatus

from ..models import Open311Request

SPEC = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed in a way clients could notice (discovery's `changeset`).
CHANGESET = "2025-06-01T00:00:00+05:30"

_DIGITS = re.compile(r"\d[\d\s-]{6,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
COARSE = Decimal("0.01")  # ~1 km: a point a client gave, shown no finer than this


def _lang() -> str:
    return "hi" if (get_language() or "hi").startswith("hi") else "en"


def _name(hi: str, en: str) -> str:
    return hi if _lang() == "hi" and hi else en


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def public_text(text: str) -> str:
    """A client's description with phone/account numbers and e-mail addresses blanked."""
    return _EMAIL.sub("…", _DIGITS.sub("…", text)).strip()


def open_or_closed(complaint: Complaint) -> str:
    return "open" if complaint.is_open else "closed"


# Catalog look-ups are most of the cost of a 1000-row answer; these depend only on the
# language and the arguments (catalogs do not change while a process runs), so keep them.
@lru_cache(maxsize=256)
def _state_notes(language: str, status: str, closure: str) -> list[str]:
    with translation.override(language):
        notes = [str(Status(status).label)]
        if status == Status.CLOSED and closure:
            notes.append(str(Closure(closure).label))
        return notes


@lru_cache(maxsize=64)
def _word(language: str, key: str, count: int = 0) -> str:
    with translation.override(language):
        if key == "notice":
            return ngettext(
                "To be resolved within %(hours)d hour of registration, by %(due)s.",
                "To be resolved within %(hours)d hours of registration, by %(due)s.",
                count,
            )
        return {
            "outage": _g("Power cut in the area: %(reason)s. Supply expected back by %(etr)s."),
            "danger": _g("If there is danger to life, keep away and call 1912 now."),
            "feeder": _g("%(name)s feeder"),
        }[key]


@lru_cache(maxsize=64)
def _label(language: str, choices: type[TextChoices], value: str) -> str:
    with translation.override(language):
        return str(choices(value).label)


def status_notes(complaint: Complaint) -> str:
    language = _lang()
    notes = list(_state_notes(language, complaint.status, complaint.closure))
    outage = complaint.outage
    if complaint.is_open and outage is not None and outage.status == OutageStatus.ACTIVE:
        notes.append(
            _word(language, "outage")
            % {"reason": outage.reason.text_in(language), "etr": _when(outage.etr)}
        )
    stop = "।" if language == "hi" else "."  # Hindi ends a sentence with a danda
    return " ".join(note if note[-1:] in ".।" else f"{note}{stop}" for note in notes)


def service_notice(complaint: Complaint) -> str | None:
    """What the utility undertakes: the time limit while the complaint is open."""
    if not complaint.is_open:
        return None
    language = _lang()
    notice = _word(language, "notice", complaint.sla_hours) % {
        "hours": complaint.sla_hours,
        "due": _when(complaint.due_at),
    }
    if complaint.category == Category.SAFETY_HAZARD:
        notice = f"{_word(language, 'danger')} {notice}"
    return notice


def _agency(unit: OrgUnit) -> str:
    level = _label(_lang(), OrgLevel, unit.level)
    return f"{_name(unit.name_hi, unit.name_en)} ({level})"


def _address(complaint: Complaint) -> str:
    parts = []
    if complaint.feeder is not None:
        feeder = complaint.feeder
        name = _name(feeder.name_hi, feeder.name_en)
        parts.append(_word(_lang(), "feeder") % {"name": name})
    if complaint.subdivision is not None:
        parts.append(_agency(complaint.subdivision))
    return ", ".join(parts)


def _point(complaint: Complaint, posted: Open311Request | None) -> tuple[Any, Any]:
    substation = complaint.feeder.substation if complaint.feeder is not None else None
    if substation is not None and substation.latitude is not None:
        return substation.latitude, substation.longitude
    if posted is not None and posted.lat is not None and posted.long is not None:
        return posted.lat.quantize(COARSE), posted.long.quantize(COARSE)
    return None, None


def request_row(complaint: Complaint, posted: Open311Request | None = None) -> dict[str, Any]:
    """One service request as GET requests shows it. `posted`: the Open311 POST that created
    it, if any (its description and media are public by the client's choice)."""
    lat, long = _point(complaint, posted)
    return {
        "service_request_id": complaint.number,
        "status": open_or_closed(complaint),
        "status_notes": status_notes(complaint),
        "service_name": _label(_lang(), Category, complaint.category),
        "service_code": complaint.category,
        "description": (public_text(posted.description) or None) if posted else None,
        "agency_responsible": _agency(complaint.org_unit),
        "service_notice": service_notice(complaint),
        "requested_datetime": complaint.registered_at,
        "updated_datetime": complaint.updated_at,
        "expected_datetime": complaint.due_at,
        "address": _address(complaint) or None,
        "address_id": complaint.feeder.code if complaint.feeder is not None else None,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": (posted.media_url or None) if posted else None,
    }


def submitted_row(posted: Open311Request) -> dict[str, Any]:
    """The answer to a POST: the id at once (and the token, which tokens/ also answers)."""
    complaint = posted.complaint
    notice = service_notice(complaint) or ""
    if not posted.created:
        joined = _g(
            "An open complaint of this kind already exists (%(number)s); "
            "this request was added to it."
        ) % {"number": complaint.number}
        notice = f"{joined} {notice}".strip()
    return {
        "service_request_id": complaint.number,
        "token": posted.token,
        "service_notice": notice or None,
        "account_id": posted.account_id or None,
    }


def token_row(posted: Open311Request) -> dict[str, Any]:
    return {"service_request_id": posted.complaint.number, "token": posted.token}


def discovery(*, endpoint_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _g("UPPCL 1912 consumer care: call 1912"),
        "key_service": _g(
            "api_key values are issued to integrations by the administrator of Sampark."
        ),
        "endpoints": [
            {
                "specification": SPEC,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
