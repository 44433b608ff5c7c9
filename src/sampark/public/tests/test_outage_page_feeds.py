"""The feeds: GeoJSON of current outages (RFC 7946), Atom of the zone bulletins and the press
bulletins (RFC 4287), iCalendar of a zone's planned work (RFC 5545). Cacheable, with validators,
and naming nobody."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from sampark.outages.models import Outage, OutageEventKind, OutageKind, OutageStatus
from sampark.public.bulletins import stakeholder_bulletins_send
from sampark.public.outage_feeds import ical_escape, ical_fold
from sampark.public.press import Via, press_bulletin_issue

from .conftest import event_add, outage_make
from .outage_page_scene import (
    LUCKNOW,
    MAINTENANCE_EN,
    MAINTENANCE_HI,
    REASON_EN,
    REASON_HI,
    SECRET_NAMES,
    scene_build,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
GEOJSON = reverse("public_outages:feed_geojson")
BULLETINS = reverse("public_outages:feed_bulletins")


@pytest.fixture
def scene(net):
    return scene_build(net)


def no_one_named(body: str, net, scene) -> bool:
    people = [net.consumer1, net.consumer2, net.consumer_p, *scene.neighbours]
    return not any(
        value in body for c in people for value in (c.name, c.account_number, c.mobile or "-none-")
    ) and not any(name in body for name in SECRET_NAMES)


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_has_each_current_outage_at_its_substation_in_lon_lat_order(client, net, scene):
    unlocated = outage_make(subdivision=net.sd2, zone=net.zone, feeders=[net.feeder2_rural])

    response = client.get(GEOJSON)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in data["features"]}
    assert set(features) == {scene.active.pk, unlocated.pk}  # not planned, not restored
    active = features[scene.active.pk]
    assert active["type"] == "Feature"
    assert active["geometry"] == {
        "type": "Point",
        "coordinates": [float(LUCKNOW[1]), float(LUCKNOW[0])],  # longitude first
    }
    props = active["properties"]
    assert (props["reason_hi"], props["reason_en"]) == (REASON_HI, REASON_EN)
    assert props["consumers"] == 4 and props["overdue"] is False
    assert props["places_en"] == "Aminabad Town feeder"
    assert parse_datetime(props["etr"]) == scene.active.etr
    assert features[unlocated.pk]["geometry"] is None  # RFC 7946: an unlocated feature
    assert no_one_named(response.content.decode(), net, scene)


def test_geojson_is_cached_with_validators(client, net, scene, django_assert_num_queries):
    first = client.get(GEOJSON)
    with django_assert_num_queries(0):
        again = client.get(GEOJSON, headers={"if-none-match": first.headers["ETag"]})

    assert first.headers["Cache-Control"] == "public, max-age=20"
    assert "Last-Modified" in first.headers
    assert again.status_code == 304


# --- Atom --------------------------------------------------------------------------------------


def atom(client, **params) -> ET.Element:
    response = client.get(BULLETINS, params)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def rfc3339(text: str | None) -> datetime:
    assert text
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed


def assert_atom_basics(feed: ET.Element) -> None:
    """RFC 4287 4.1.1/4.1.2: a feed has id, title, updated and an author (or every entry does);
    each entry has id, title, updated and a link or content; ids are unique."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    rfc3339(feed.findtext(f"{ATOM}updated"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        rfc3339(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link") is not None or entry.find(f"{ATOM}content") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))


def test_atom_carries_the_zone_bulletins_in_the_asked_language(client, net, scene):
    event_add(scene.active, OutageEventKind.DECLARED)
    meerut = outage_make(subdivision=net.sd_p, zone=scene.zone_meerut, feeders=[net.feeder_p])
    event_add(meerut, OutageEventKind.DECLARED)
    stakeholder_bulletins_send()

    everywhere = atom(client, lang="en")
    lucknow = atom(client, lang="hi", zone=net.zone.code)

    assert_atom_basics(everywhere)
    assert_atom_basics(lucknow)
    assert len(everywhere.findall(f"{ATOM}entry")) == 2
    entries = lucknow.findall(f"{ATOM}entry")
    assert len(entries) == 1
    text = ET.tostring(entries[0], encoding="unicode")
    assert REASON_HI in text and REASON_EN not in text
    assert lucknow.get("{http://www.w3.org/XML/1998/namespace}lang") == "hi"
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and f"#outage-{scene.active.pk}" in link.get("href", "")
    english = ET.tostring(everywhere, encoding="unicode")
    assert REASON_EN in english and "Power supply off" in english
    assert no_one_named(english + text, net, scene)


def test_an_empty_atom_feed_is_still_valid_and_stable(client, net):
    first = client.get(BULLETINS)
    feed = ET.fromstring(first.content)
    cache.clear()  # rendered again, later, with nothing new
    again = client.get(BULLETINS)

    assert_atom_basics(feed)
    assert feed.findall(f"{ATOM}entry") == []
    assert again.headers["ETag"] == first.headers["ETag"]


def test_atom_of_an_unknown_zone_is_404(client, net):
    assert client.get(BULLETINS, {"zone": "Z-NOWHERE"}).status_code == 404


def test_press_bulletins_have_their_own_atom_feed(client, net, scene):
    press_bulletin_issue(discom=net.mvvnl, day=datetime.now(UTC).date(), via=Via.COMMAND)

    response = client.get(reverse("public_outages:feed_press"), {"lang": "en"})

    feed = ET.fromstring(response.content)
    assert_atom_basics(feed)
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    assert "Madhyanchal" in entry.findtext(f"{ATOM}title", "")
    link = entry.find(f"{ATOM}link")
    assert link is not None and "/outages/press/MVVNL/" in link.get("href", "")


# --- iCalendar ---------------------------------------------------------------------------------


def unfolded(body: bytes) -> list[str]:
    """Content lines: CRLF-separated physical lines, continuation lines joined (RFC 5545 3.1)."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)  # no bare LF/CR
    assert all(len(line) <= 75 for line in physical)
    for line in physical:
        line.decode()  # never folded inside a UTF-8 sequence
    lines: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode() for line in lines]


def events(lines: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def ical_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def test_a_zones_planned_work_as_an_icalendar(client, net, scene):
    cancelled = outage_make(
        subdivision=net.sd2,
        zone=net.zone,
        feeders=[net.feeder2_rural],
        kind=OutageKind.PLANNED,
        status=OutageStatus.CANCELLED,
        started=-timedelta(days=5),
    )
    url = reverse("public_outages:feed_planned", args=[net.zone.code])

    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    lines = unfolded(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found = {e["UID"]: e for e in events(lines)}
    uid, cancelled_uid = f"outage-{scene.planned.pk}@127.0.0.1", f"outage-{cancelled.pk}@127.0.0.1"
    assert set(found) == {uid, cancelled_uid}
    planned = found[uid]
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert planned[name], name
    assert planned["DTSTART"] == ical_utc(scene.planned.starts_at)
    assert planned["DTEND"] == ical_utc(scene.planned.etr)
    assert MAINTENANCE_HI in planned["DESCRIPTION"]
    assert planned["STATUS"] == "CONFIRMED"
    assert found[cancelled_uid]["STATUS"] == "CANCELLED"
    assert no_one_named(response.content.decode(), net, scene)


def test_icalendar_in_english_and_unknown_zone(client, net, scene):
    url = reverse("public_outages:feed_planned", args=[net.zone.code])

    english = unfolded(client.get(url, {"lang": "en"}).content)
    missing = client.get(reverse("public_outages:feed_planned", args=["Z-NOWHERE"]))

    (event,) = events(english)
    assert event["SUMMARY"].startswith("Planned power cut: ")
    assert MAINTENANCE_EN in event["DESCRIPTION"]
    assert missing.status_code == 404


def test_a_long_hindi_line_folds_at_75_octets_without_splitting_a_letter():
    line = "SUMMARY:" + ical_escape("नियोजित बिजली कटौती: अमीनाबाद टाउन फीडर, हज़रतगंज फीडर, चारबाग")

    folded = ical_fold(line)

    physical = folded.split(b"\r\n")
    assert len(physical) > 1
    assert all(len(p) <= 75 for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:])
    assert b"".join([physical[0], *(p[1:] for p in physical[1:])]).decode() == line
    assert ical_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_icalendar_events_keep_their_uid_when_an_outage_changes(client, net, scene):
    url = reverse("public_outages:feed_planned", args=[net.zone.code])
    before = events(unfolded(client.get(url).content))
    Outage.objects.filter(pk=scene.planned.pk).update(etr=scene.planned.etr + timedelta(hours=1))
    cache.clear()

    after = events(unfolded(client.get(url).content))

    assert [e["UID"] for e in before] == [e["UID"] for e in after]
    assert after[0]["DTEND"] == ical_utc(scene.planned.etr + timedelta(hours=1))
