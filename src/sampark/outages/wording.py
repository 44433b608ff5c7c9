"""What an outage message says: the area, the times and the reason, in Hindi or English.

Rendered once per event and language (never per consumer): the fan-out picks the text per
consumer with a CASE in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from sampark.notifications.templates import Rendered, template_get, template_render

from .models import Outage, OutageScope

MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
AREA_NAMES_SHOWN = 3  # SMS segments cost money: name three places, count the rest


def _name(element: OutageScope, language: str) -> str:
    hindi = language == "hi"
    if element.substation is not None:
        s = element.substation
        return f"{s.name_hi or s.name_en} उपकेंद्र" if hindi else f"{s.name_en} substation"
    if element.feeder is not None:
        f = element.feeder
        return f"{f.name_hi or f.name_en} फीडर" if hindi else f"{f.name_en} feeder"
    assert element.dt is not None
    return f"{element.dt.name} ट्रांसफार्मर क्षेत्र" if hindi else f"{element.dt.name} transformer area"


def area_text(elements: Sequence[OutageScope], language: str) -> str:
    names = [_name(e, language) for e in elements[:AREA_NAMES_SHOWN]]
    rest = len(elements) - len(names)
    if rest > 0:
        names.append(f"{rest} अन्य" if language == "hi" else f"{rest} more")
    return ", ".join(names)


def when_text(value: datetime, language: str) -> str:
    local = timezone.localtime(value)
    if language == "hi":
        return f"{local:%d/%m} को {local:%H:%M} बजे"
    return f"{local:%H:%M}, {local.day} {MONTHS_EN[local.month - 1]}"


def event_render(
    *,
    key: str,
    outage: Outage,
    elements: Sequence[OutageScope],
    etr: datetime,
    language: str,
) -> tuple[Rendered, dict[str, object]]:
    """The rendered text and the variables it was filled with (only those the template uses)."""
    values = {
        "area": area_text(elements, language),
        "reason": outage.reason.text_in(language),
        "etr": when_text(etr, language),
        "start": when_text(outage.starts_at, language),
        "outage_ref": f"#{outage.pk}",
    }
    wanted = template_get(key).variables() - {"sender"}
    variables: dict[str, object] = {name: value for name, value in values.items() if name in wanted}
    return template_render(key=key, language=language, variables=variables), variables
