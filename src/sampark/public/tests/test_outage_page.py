"""The public outage page at /outages/: current outages discom > zone > feeder with reason, start,
ETR and consumers affected; planned work of the next 30 days; what came back in the last 24 h.
Hindi first, English on ?lang=en; served from the cache with validators; nobody's data shown."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sampark.core import clock
from sampark.network.models import Feeder
from sampark.outages.models import OutageKind, OutageScope
from sampark.public import outage_cache, outage_views
from sampark.testing.factories import ConsumerFactory, FeederFactory, TransformerFactory

from .conftest import outage_make
from .outage_page_scene import (
    MAINTENANCE_EN,
    MAINTENANCE_HI,
    REASON_EN,
    REASON_HI,
    SECRET_ADDRESS,
    SECRET_NAMES,
    scene_build,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("public_outages:page")


@pytest.fixture
def scene(net):
    return scene_build(net)


def row(html: str, outage_id: int) -> str:
    """The page's table row of one outage."""
    found = re.search(rf'<tr id="outage-{outage_id}".*?</tr>', html, re.S)
    assert found, f"no row for outage {outage_id}"
    return found.group(0)


def local(at) -> str:
    return timezone.localtime(at).strftime("%d/%m %H:%M")


def test_hindi_by_default_with_each_current_outage_under_its_discom_and_zone(client, net, scene):
    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hi">' in html
    active = row(html, scene.active.pk)
    assert REASON_HI in active and REASON_EN not in active
    assert local(scene.active.starts_at) in active and local(scene.active.etr) in active
    assert "अमीनाबाद टाउन" in active  # the feeder, by its Hindi name
    assert re.search(r'class="count">4</td>', active)  # consumer1 and the three neighbours
    # Discom > zone > outage, in that order on the page.
    assert html.index("मध्यांचल") < html.index("लखनऊ मध्य") < html.index(f"outage-{scene.active.pk}")


def test_english_by_address_only_so_caches_need_not_vary(client, net, scene):
    english = client.get(PAGE, {"lang": "en"})
    english_browser = client.get(PAGE, headers={"accept-language": "en"})

    html = english.content.decode()
    assert '<html lang="en">' in html
    assert REASON_EN in row(html, scene.active.pk)
    assert "Current outages" in html and "Madhyanchal" in html
    assert 'href="?lang=hi"' in html  # the switch back
    # The browser's language does not pick the page's: Hindi first, the switch is a link.
    assert '<html lang="hi">' in english_browser.content.decode()
    assert "Cookie" not in english.headers.get("Vary", "")


def test_planned_work_of_the_next_30_days_and_restorations_of_the_last_day(client, net, scene):
    html = client.get(PAGE, {"lang": "en"}).content.decode()

    planned = row(html, scene.planned.pk)
    assert MAINTENANCE_EN in planned
    assert timezone.localtime(scene.planned.starts_at).strftime("%d/%m/%Y %H:%M") in planned
    assert f"outage-{scene.planned_far.pk}" not in html  # 40 days ahead: not yet
    restored = row(html, scene.restored.pk)
    assert local(scene.restored.restored_at) in restored
    assert "3:00" in restored  # off from 5 h ago until 2 h ago
    assert f"outage-{scene.restored_old.pk}" not in html  # 30 hours ago: gone
    assert MAINTENANCE_HI not in html


def test_places_still_off_only_and_a_substation_counts_all_its_feeders(client, net, scene):
    second = cast(Feeder, FeederFactory(substation=net.ss1, name_en="Hazratganj"))
    ConsumerFactory.create_batch(2, dt=TransformerFactory(feeder=second))
    partly = outage_make(
        subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1, second], etr_in=timedelta(hours=5)
    )
    partly.scope.filter(feeder=net.feeder1).update(restored_at=clock.now())
    whole = outage_make(subdivision=net.sd1, zone=net.zone, feeders=[])
    OutageScope.objects.create(outage=whole, substation=net.ss1)

    html = client.get(PAGE, {"lang": "en"}).content.decode()

    partly_row = row(html, partly.pk)
    assert "Hazratganj" in partly_row and "Aminabad Town" not in partly_row
    assert re.search(r'class="count">2</td>', partly_row)
    assert re.search(r'class="count">6</td>', row(html, whole.pk))  # 4 + 2 on its two feeders


def test_an_overdue_outage_says_so(client, net, scene):
    late = outage_make(
        subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1], etr_in=-timedelta(minutes=10)
    )

    html = client.get(PAGE, {"lang": "en"}).content.decode()

    assert "Restoration time passed" in row(html, late.pk)
    assert "Restoration time passed" not in row(html, scene.active.pk)


def test_nobody_is_named_on_the_page(client, net, scene):
    html = client.get(PAGE).content.decode() + client.get(PAGE, {"lang": "en"}).content.decode()

    for consumer in [net.consumer1, *scene.neighbours]:
        assert consumer.name not in html
        assert consumer.account_number not in html
        assert consumer.mobile not in html
    assert SECRET_ADDRESS not in html
    assert not any(name in html for name in SECRET_NAMES)


def test_an_empty_register_says_nothing_is_known(client, net):
    html = client.get(PAGE, {"lang": "en"}).content.decode()

    assert "No known outage right now." in html
    assert "No planned outage in the next 30 days." in html


def test_repeated_requests_cost_no_query_until_the_cache_expires(
    client, net, scene, django_assert_num_queries, monkeypatch
):
    first = client.get(PAGE)
    with django_assert_num_queries(0):
        second = client.get(PAGE)
    newer = outage_make(subdivision=net.sd2, zone=net.zone, feeders=[net.feeder2_rural])

    within_ttl = client.get(PAGE).content.decode()
    now = outage_cache.time.time()
    monkeypatch.setattr(outage_cache.time, "time", lambda: now + 21)
    after_ttl = client.get(PAGE).content.decode()

    assert second.content == first.content
    assert f"outage-{newer.pk}" not in within_ttl  # at most 20 s old: the price of a storm
    assert f"outage-{newer.pk}" in after_ttl


def test_language_variants_are_cached_apart(client, net, scene, django_assert_num_queries):
    client.get(PAGE)
    client.get(PAGE, {"lang": "en"})

    with django_assert_num_queries(0):
        hindi = client.get(PAGE, {"lang": "hi"}).content.decode()
        english = client.get(PAGE, {"lang": "en"}).content.decode()

    assert REASON_HI in hindi and REASON_EN in english


@override_settings(SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS=0)
def test_with_the_cache_off_every_request_reads_the_register(client, net, scene):
    client.get(PAGE)
    newer = outage_make(subdivision=net.sd2, zone=net.zone, feeders=[net.feeder2_rural])

    response = client.get(PAGE)

    assert f"outage-{newer.pk}" in response.content.decode()
    assert response.headers["Cache-Control"] == "public, max-age=0"


def test_validators_answer_a_current_copy_with_304(client, net, scene):
    first = client.get(PAGE, {"lang": "en"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    by_etag = client.get(PAGE, {"lang": "en"}, headers={"if-none-match": etag})
    by_date = client.get(PAGE, {"lang": "en"}, headers={"if-modified-since": modified})
    other_language = client.get(PAGE, {"lang": "hi"}, headers={"if-none-match": etag})

    assert first.headers["Cache-Control"] == "public, max-age=20"
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_etag.headers["ETag"] == etag
    assert by_date.status_code == 304
    assert other_language.status_code == 200


def test_last_modified_moves_only_when_the_content_does(client, net, scene, monkeypatch):
    first = client.get(PAGE, {"lang": "en"})
    now = outage_cache.time.time()
    monkeypatch.setattr(outage_cache.time, "time", lambda: now + 30)
    same = client.get(PAGE, {"lang": "en"})
    outage_make(subdivision=net.sd2, zone=net.zone, feeders=[net.feeder2_rural])
    monkeypatch.setattr(outage_cache.time, "time", lambda: now + 60)
    changed = client.get(PAGE, {"lang": "en"})

    assert same.headers["ETag"] == first.headers["ETag"]
    assert same.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.headers["Last-Modified"] != first.headers["Last-Modified"]


def test_a_stale_page_is_served_while_another_request_renders(client, net, scene, monkeypatch):
    client.get(PAGE)
    newer = outage_make(subdivision=net.sd2, zone=net.zone, feeders=[net.feeder2_rural])
    now = outage_cache.time.time()
    monkeypatch.setattr(outage_cache.time, "time", lambda: now + 25)
    outage_cache.cache.add("public-outages:page:hi:lock", 1, timeout=20)  # someone is rendering

    response = client.get(PAGE)

    assert response.status_code == 200
    assert f"outage-{newer.pk}" not in response.content.decode()


def test_a_database_failure_serves_the_last_good_copy(client, net, scene, monkeypatch):
    good = client.get(PAGE).content
    now = outage_cache.time.time()
    monkeypatch.setattr(outage_cache.time, "time", lambda: now + 25)

    def failing(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(outage_views, "outage_page", failing)

    response = client.get(PAGE)

    assert (response.status_code, response.content) == (200, good)


def test_head_requests_are_answered_like_get(client, net, scene):
    get = client.get(PAGE)
    head = client.head(PAGE)

    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == get.headers["ETag"]


def test_the_map_is_an_enhancement_with_tiles_from_the_settings(client, net, scene, settings):
    settings.SAMPARK_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    html = client.get(PAGE).content.decode()

    assert re.search(r'<div id="outage-map"[^>]*\bhidden\b', html, re.S)  # shown by its script
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-geojson="/outages/feeds/current.geojson"' in html
    assert "/static/js_lib_leaflet/leaflet.js" in html
    assert "cdn" not in html.lower()


def test_only_get(client, net):
    assert client.post(PAGE).status_code == 405


def test_planned_outage_kinds_are_labelled(client, net, scene):
    shed = outage_make(
        subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1], kind=OutageKind.LOAD_SHEDDING
    )

    html = client.get(PAGE, {"lang": "en"}).content.decode()

    assert "Load-shedding (rostering)" in row(html, shed.pk)
