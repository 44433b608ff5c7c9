"""The public outage feeds, rendered to bytes (cached by the views):

- Atom 1.0 (RFC 4287): the zone bulletins (`Bulletin`, both languages stored) and the daily
  press bulletins;
- GeoJSON (RFC 7946): current outages, one Feature per outage at its substations, lon/lat;
- iCalendar (RFC 5545): a zone's planned outages, written here (CRLF, folded at 75 octets).

No feed names a consumer: places, reasons, times and counts only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from sampark.network.models import OrgUnit
from sampark.outages.models import OutageStatus

from . import texts
from .models import Bulletin, PressBulletin
from .outage_selectors import Place, PublicOutage
from .texts import Phrase

ATOM_TYPE = "application/atom+xml; charset=utf-8"
GEOJSON_TYPE = "application/geo+json"
ICAL_TYPE = "text/calendar; charset=utf-8"
BULLETIN_DAYS = 7  # the Atom feed carries this many days of bulletins
BULLETINS_SHOWN = 100
PLACES_NAMED = 5

ALL_ZONES = Phrase("सभी ज़ोन", "all zones")
BULLETINS_TITLE = Phrase("बिजली कटौती बुलेटिन: {zone}", "Power cut bulletins: {zone}")
PRESS_TITLE = Phrase("दैनिक प्रेस बुलेटिन", "Daily press bulletins")
PRESS_ENTRY = Phrase("{discom}: प्रेस बुलेटिन {day}", "{discom}: press bulletin {day}")
CALENDAR_NAME = Phrase("नियोजित बिजली कटौती: {zone}", "Planned power cuts: {zone}")
PLANNED_SUMMARY = Phrase("नियोजित बिजली कटौती: {places}", "Planned power cut: {places}")
PLANNED_DESCRIPTION = Phrase(
    "कारण: {reason}। प्रभावित उपभोक्ता: {consumers}। शिकायत/जानकारी: 1912",
    "Reason: {reason}. Consumers affected: {consumers}. Complaints/information: 1912",
)


def base_url() -> str:
    return settings.SAMPARK_PUBLIC_URL.rstrip("/")


def places_text(places: Sequence[Place], language: str, *, named: int = PLACES_NAMED) -> str:
    """'Aminabad feeder, Hazratganj feeder +2 more' from an outage's places."""
    names = []
    for place in places[:named]:
        phrase = {"substation": texts.SUBSTATION, "feeder": texts.FEEDER}.get(
            place.level, texts.TRANSFORMER
        )
        names.append(phrase.text(language, name=place.name_in(language)))
    shown = ", ".join(names)
    if len(places) > named:
        shown += " " + texts.MORE_PLACES.text(language, count=len(places) - named)
    return shown


# --- GeoJSON -----------------------------------------------------------------------------------


def _geometry(outage: PublicOutage) -> dict[str, Any] | None:
    points = outage.points
    if not points:
        return None  # RFC 7946 3.2: an unlocated Feature has a null geometry
    if len(points) == 1:
        return {"type": "Point", "coordinates": list(points[0])}
    return {"type": "MultiPoint", "coordinates": [list(p) for p in points]}


def geojson_body(*, outages: Iterable[PublicOutage]) -> bytes:
    features = []
    for o in outages:
        features.append(
            {
                "type": "Feature",
                "id": o.id,
                "geometry": _geometry(o),
                "properties": {
                    "outage": o.id,
                    "kind": o.kind,
                    "reason_hi": o.reason.name_hi,
                    "reason_en": o.reason.name_en,
                    "discom_hi": o.discom.name_in("hi"),
                    "discom_en": o.discom.name_en,
                    "zone_hi": o.zone.name_in("hi"),
                    "zone_en": o.zone.name_en,
                    "places_hi": places_text(o.places, "hi"),
                    "places_en": places_text(o.places, "en"),
                    "starts_at": o.starts_at.isoformat(),
                    "etr": o.etr.isoformat(),
                    "overdue": o.overdue,
                    "consumers": o.consumers,
                    "places": [
                        {"level": p.level, "code": p.code, "consumers": p.consumers}
                        for p in o.places
                    ],
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


# --- Atom ----------------------------------------------------------------------------------------


class _Atom(Atom1Feed):
    """Atom1Feed whose <updated> stays put while nothing changes (the ETag follows the body)."""

    def __init__(self, *args: Any, quiet_since: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quiet_since = quiet_since

    def latest_post_date(self) -> datetime:
        if not self.items:
            return self.quiet_since
        return super().latest_post_date()


def _day_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _feed(*, title: str, page: str, self_url: str, language: str, now: datetime) -> _Atom:
    """An empty feed of ours: `page` is the HTML it mirrors, `self_url` its own address."""
    return _Atom(
        title=title,
        link=page,
        description="",
        language=language,
        feed_url=self_url,
        feed_guid=self_url,
        author_name=settings.SAMPARK_SENDER_NAME,
        quiet_since=_day_start(now),
    )


def bulletins_atom_body(*, zone: OrgUnit | None, language: str, now: datetime) -> bytes:
    """The zone's (or every zone's) bulletins of the last `BULLETIN_DAYS`, newest first."""
    rows = Bulletin.objects.filter(created_at__gte=now - timedelta(days=BULLETIN_DAYS))
    if zone is not None:
        rows = rows.filter(group__zone=zone)
    rows = rows.select_related("group__zone").order_by("-created_at", "-id")[:BULLETINS_SHOWN]
    zone_name = zone.name_in(language) if zone else ALL_ZONES.text(language)
    page = f"{base_url()}{reverse('public_outages:page')}?lang={language}"
    self_url = f"{base_url()}{reverse('public_outages:feed_bulletins')}?lang={language}"
    if zone is not None:
        self_url += f"&zone={zone.code}"
    feed = _feed(
        title=BULLETINS_TITLE.text(language, zone=zone_name),
        page=page,
        self_url=self_url,
        language=language,
        now=now,
    )
    for bulletin in rows:
        event = texts.EVENT_NAMES.get(bulletin.kind)
        heading = event.text(language) if event else bulletin.get_kind_display()
        feed.add_item(
            title=f"{heading}: {bulletin.group.zone.name_in(language)}",
            link=f"{page}#outage-{bulletin.outage_id}",
            description=bulletin.text_in(language),
            unique_id=f"{base_url()}/outages/bulletins/{bulletin.pk}",
            unique_id_is_permalink=False,
            pubdate=bulletin.created_at,
            updateddate=bulletin.created_at,
        )
    return feed.writeString("utf-8").encode()


def press_atom_body(*, language: str, now: datetime) -> bytes:
    rows = PressBulletin.objects.select_related("discom").order_by("-day", "discom__code")[:60]
    page = f"{base_url()}{reverse('public_outages:press_index')}?lang={language}"
    self_url = f"{base_url()}{reverse('public_outages:feed_press')}?lang={language}"
    feed = _feed(
        title=PRESS_TITLE.text(language), page=page, self_url=self_url, language=language, now=now
    )
    for press in rows:
        day = press.day.isoformat()
        url = reverse("public_outages:press_detail", args=[press.discom.code, day])
        feed.add_item(
            title=PRESS_ENTRY.text(
                language, discom=press.discom.name_in(language), day=press.day.strftime("%d/%m/%Y")
            ),
            link=f"{base_url()}{url}?lang={language}",
            description=press.text_in(language),
            unique_id=f"{base_url()}{url}",
            unique_id_is_permalink=True,
            pubdate=press.issued_at,
            updateddate=press.issued_at,
        )
    return feed.writeString("utf-8").encode()


# --- iCalendar -----------------------------------------------------------------------------------

ICAL_LINE_OCTETS = 75


def ical_escape(text: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ical_fold(line: str) -> bytes:
    """One content line, folded into lines of at most 75 octets (RFC 5545 3.1), never inside a
    UTF-8 sequence; continuation lines begin with one space."""
    data = line.encode()
    parts = []
    while len(data) > ICAL_LINE_OCTETS:
        cut = ICAL_LINE_OCTETS
        while (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back to the start
            cut -= 1
        parts.append(data[:cut])
        data = b" " + data[cut:]
    parts.append(data)
    return b"\r\n".join(parts)


def _ical_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ical_body(*, zone: OrgUnit, outages: Iterable[PublicOutage], language: str) -> bytes:
    host = urlsplit(base_url()).hostname or "localhost"
    page = f"{base_url()}{reverse('public_outages:page')}?lang={language}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{settings.SAMPARK_SENDER_NAME}//Sampark planned outages//{language.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(CALENDAR_NAME.text(language, zone=zone.name_in(language)))}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    ]
    for o in outages:
        status = "CANCELLED" if o.status == OutageStatus.CANCELLED else "CONFIRMED"
        summary = PLANNED_SUMMARY.text(language, places=places_text(o.places, language))
        description = PLANNED_DESCRIPTION.text(
            language, reason=o.reason.name_in(language), consumers=o.consumers
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:outage-{o.id}@{host}",
            f"DTSTAMP:{_ical_time(o.updated_at)}",
            f"DTSTART:{_ical_time(o.starts_at)}",
            f"DTEND:{_ical_time(o.etr)}",
            f"SUMMARY:{ical_escape(summary)}",
            f"DESCRIPTION:{ical_escape(description)}",
            f"LOCATION:{ical_escape(o.zone.name_in(language))}",
            f"STATUS:{status}",
            f"URL:{page}#outage-{o.id}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(ical_fold(line) + b"\r\n" for line in lines)
