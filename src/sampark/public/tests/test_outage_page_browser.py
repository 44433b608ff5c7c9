"""The public outage page in Chromium: a visitor reads the active outage's reason and ETR in
Hindi, switches to English, checks their own supply by account number and, with JavaScript,
sees the outage on the map; without JavaScript the list and the look-up work the same.
Tiles are switched off (no traffic leaves the machine): the map draws on a plain background."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .outage_page_scene import REASON_EN, REASON_HI, SECRET_NAMES, scene_build

# Real transactions: the live server is another thread.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (375, 700)


@pytest.fixture
def scene(net, settings):
    settings.SAMPARK_MAP_TILE_URL = ""
    return scene_build(net)


def etr_text(scene, fmt: str = "%d/%m %H:%M") -> str:
    return timezone.localtime(scene.active.etr).strftime(fmt)


def check_supply(page: Page, account: str) -> None:
    page.locator("#id_account").fill(account)
    page.locator('form[action$="/supply/"] button[type="submit"]').click()


@pytest.mark.browser
def test_hindi_list_english_switch_own_supply_and_the_map(page: Page, net, scene):
    page.goto("/outages/")

    expect(page.locator("html")).to_have_attribute("lang", "hi")
    row = page.locator(f"#outage-{scene.active.pk}")
    expect(row.locator(".reason")).to_have_text(REASON_HI)
    expect(row.locator(".etr")).to_contain_text(etr_text(scene))
    box = page.locator("#outage-map")
    expect(box).to_be_visible()
    expect(box).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(box).to_have_attribute("data-features", "1")
    page.locator("#outage-map path.leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(REASON_HI)

    page.get_by_role("link", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Current outages")).to_be_visible()
    expect(page.locator(f"#outage-{scene.active.pk} .reason")).to_have_text(REASON_EN)

    check_supply(page, net.consumer1.account_number)

    answer = page.locator("#supply-answer")
    expect(answer).to_contain_text(f"Supply off: outage #{scene.active.pk}")
    expect(answer.locator(".reason")).to_have_text(REASON_EN)
    expect(answer.locator(".etr")).to_contain_text(etr_text(scene, "%d/%m/%Y %H:%M"))
    body = page.locator("body").inner_text()
    assert net.consumer1.name not in body and not any(n in body for n in SECRET_NAMES)


@pytest.mark.browser(viewport=PHONE, mobile=True, javascript=False)
def test_without_javascript_the_list_and_the_look_up_work(page: Page, net, scene):
    page.goto("/outages/?lang=en")

    expect(page.locator(f"#outage-{scene.active.pk} .reason")).to_have_text(REASON_EN)
    expect(page.locator(f"#outage-{scene.active.pk} .etr")).to_contain_text(etr_text(scene))
    expect(page.locator("#outage-map")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    check_supply(page, "9999999999")

    expect(page.locator("#supply-answer")).to_contain_text("No known outage on this supply.")
    page.get_by_role("link", name="हिन्दी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.locator("#supply-answer")).to_be_visible()
