"""Complaint categories as Open311 services: groups, keywords, descriptions with the time limits
of the SLA policy, and the two attributes every service asks for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import Category, SlaPolicy
from sampark.core.models import AreaType

# The attribute codes of the service definition; POSTed as attribute[<code>].
ACCOUNT_NUMBER = "account_number"
MOBILE = "mobile"

GROUPS = {
    "supply": _("Power supply"),
    "safety": _("Safety"),
    "billing": _("Meter and bill"),
    "connection": _("Connections"),
    "service": _("Customer service"),
}


@dataclass(frozen=True)
class ServiceInfo:
    group: str
    description: object  # lazily translated
    keywords: object  # lazily translated, comma separated


SERVICES: dict[str, ServiceInfo] = {
    Category.NO_SUPPLY: ServiceInfo(
        "supply",
        _("No electricity at one connection or a few houses (fuse off, service line)."),
        _("power cut, no electricity, no light, fuse, bijli nahi"),
    ),
    Category.LINE_BREAKDOWN: ServiceInfo(
        "supply",
        _("An overhead line is broken or down and the area has no supply."),
        _("line broken, wire down, jumper, pole, tar toota"),
    ),
    Category.DT_FAILURE: ServiceInfo(
        "supply",
        _("The distribution transformer of the area has failed or is burnt."),
        _("transformer, burnt, blast, DT, transformer jal gaya"),
    ),
    Category.UG_CABLE: ServiceInfo(
        "supply",
        _("An underground cable has a fault."),
        _("cable fault, underground, cable"),
    ),
    Category.SUBSTATION_LOW_VOLTAGE: ServiceInfo(
        "supply",
        _("A substation has failed, or the voltage is too low to run appliances."),
        _("low voltage, substation, dim light, kam voltage"),
    ),
    Category.VOLTAGE_FLUCTUATION: ServiceInfo(
        "supply",
        _("The voltage goes up and down and damages appliances."),
        _("voltage fluctuation, high voltage, flickering"),
    ),
    Category.METER: ServiceInfo(
        "billing",
        _("The meter is defective, burnt, or needs replacing."),
        _("meter, faulty meter, meter burnt, meter kharab"),
    ),
    Category.BILL_READING: ServiceInfo(
        "billing",
        _("The meter reading or the bill is wrong."),
        _("wrong bill, reading, excess bill, bill galat"),
    ),
    Category.NEW_CONNECTION: ServiceInfo(
        "connection",
        _("A new connection where the network already exists."),
        _("new connection, naya connection, load"),
    ),
    Category.SAFETY_HAZARD: ServiceInfo(
        "safety",
        _("A wire snapped, sparking, a pole down or any danger to life. Call 1912 at once too."),
        _("danger, sparking, current, wire snapped, pole fallen, khatra"),
    ),
    Category.CALL_CENTRE_NO_RESPONSE: ServiceInfo(
        "service",
        _("The 1912 call centre did not respond to an earlier complaint."),
        _("no response, 1912, call centre"),
    ),
    Category.OTHER: ServiceInfo(
        "service",
        _("Anything else about electricity supply or service."),
        _("other, complaint, shikayat"),
    ),
}

AREA_ORDER = (AreaType.URBAN, AreaType.TEHSIL, AreaType.RURAL)


def _duration(hours: int) -> str:
    if hours % 24 == 0 and hours >= 48:
        return _g("%(days)d days") % {"days": hours // 24}
    return _g("%(hours)d h") % {"hours": hours}


def _limits() -> dict[str, str]:
    """'Time limit: urban 4 h, rural 8 h' per category, from the SLA policy rows."""
    hours: dict[str, dict[str, int]] = {}
    rows = SlaPolicy.objects.filter(a_class_city=False).values_list(
        "category", "area_type", "hours"
    )
    for category, area, value in rows:
        hours.setdefault(category, {})[area] = value
    texts: dict[str, str] = {}
    for category, by_area in hours.items():
        parts = [
            f"{AreaType(area).label} {_duration(by_area[area])}"
            for area in AREA_ORDER
            if area in by_area
        ]
        texts[category] = _g("Time limit: %(limits)s.") % {"limits": ", ".join(parts)}
    return texts


def service_list() -> list[dict[str, Any]]:
    """Every category as a service, in the active language."""
    limits = _limits()
    return [
        {
            "service_code": code,
            "service_name": str(Category(code).label),
            "description": " ".join(filter(None, [str(info.description), limits.get(code)])),
            "metadata": True,
            "type": "realtime",
            "keywords": str(info.keywords),
            "group": str(GROUPS[info.group]),
        }
        for code, info in SERVICES.items()
    ]


def service_exists(code: str) -> bool:
    return code in SERVICES


def service_definition(code: str) -> dict[str, Any]:
    """The attributes a client may send with a request of this service (the same for all)."""
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": ACCOUNT_NUMBER,
                "datatype": "string",
                "required": False,
                "datatype_description": _g("10 digits, as printed on the electricity bill."),
                "order": 1,
                "description": _g("Consumer account number"),
            },
            {
                "variable": True,
                "code": MOBILE,
                "datatype": "string",
                "required": False,
                "datatype_description": _g(
                    "10-digit mobile number. With an account number: the mobile registered "
                    "for it. Without: the number the field team should call."
                ),
                "order": 2,
                "description": _g("Mobile number"),
            },
        ],
    }
