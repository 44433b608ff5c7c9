"""The 1912 agent desk in headless Chromium at 1366x768, keyboard first: sign in, "/" to the
search box, an account number, the outage banner, a category by its number key, register,
read the complaint number off the screen; it is in the database. Then the same category again
warns of the open complaint before anything is posted, and Esc clears the search. The queues
panel refreshes itself without a reload."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from sampark.callcentre.models import Call, Callback
from sampark.complaints.models import Complaint
from sampark.core import clock
from sampark.outages.models import OutageReason
from sampark.outages.services import outage_declare
from sampark.testing.reference import reference_data_ensure

# Real transactions: the live server is another thread (see channels/web/tests/test_browser.py).
pytestmark = pytest.mark.django_db(transaction=True)

TRIP_HI = "11 केवी फीडर ट्रिप"


@pytest.fixture(autouse=True)
def _reference_data() -> None:
    reference_data_ensure()


@pytest.fixture
def outage(net, staff):
    # A transactional test's flush removed the reasons the migration loaded.
    OutageReason.objects.get_or_create(
        code="feeder_11kv_trip", defaults={"text_en": "11 kV feeder tripped", "text_hi": TRIP_HI}
    )
    return outage_declare(
        kind="unplanned",
        reason_code="feeder_11kv_trip",
        feeder_codes=[net.feeder1.code],
        etr=clock.now() + timedelta(hours=2),
        actor=staff["je"],
    )


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("test-pass-123")
    page.locator("#id_password").press("Enter")


@pytest.mark.browser  # 1366x768, Hindi browser
def test_an_agent_registers_a_complaint_from_the_keyboard(page, net, staff, outage):
    sign_in(page, "agent")
    expect(page).to_have_url(re.compile(r"/staff/desk/$"))  # the agent's landing page
    assert no_horizontal_scroll(page)

    page.locator("body").click(position={"x": 5, "y": 300})  # focus away from the search box
    page.keyboard.press("/")
    search = page.locator("#ad-search input[name=q]")
    expect(search).to_be_focused()
    page.keyboard.type("1234 567 890")
    page.keyboard.press("Enter")

    banner = page.locator("#ad-card .ad-outage")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(TRIP_HI)  # the reason, in the agent's language
    top = page.locator("#ad-card").bounding_box()
    box = banner.bounding_box()
    assert top is not None and box is not None and box["y"] - top["y"] < 40  # at the very top
    expect(page.locator("#ad-card")).to_be_focused()  # digits are quick-keys, not typing
    assert no_horizontal_scroll(page)

    page.keyboard.press("1")
    expect(page.locator("#ad-cat-no_supply")).to_be_checked()
    expect(page.locator("#ad-cat-no_supply")).to_be_focused()
    question = page.locator('.ad-script-lang[lang="hi"] [data-script-for="no_supply"] .ad-ask')
    expect(question).to_be_visible()  # the script shows what to ask for this category
    expect(page.locator('[data-script-for="meter"]').first).to_be_hidden()

    page.locator("#ad-description").fill("पूरे मोहल्ले की बिजली गई है")
    page.locator("#ad-submit").click()

    done = page.locator("#ad-done")
    expect(done).to_be_visible()
    expect(done).to_be_focused()
    complaint = Complaint.objects.get()
    assert (complaint.consumer, complaint.category, complaint.channel) == (
        net.consumer1,
        "no_supply",
        "agent",
    )
    assert complaint.outage == outage  # inside the outage: linked, no field visit
    expect(done.locator(".ad-number")).to_have_text(complaint.number)
    prefix, day, _seq = complaint.number.split("-")
    expect(done.locator(".ad-groups span").first).to_have_text(prefix)
    expect(done.locator(".ad-groups span").nth(1)).to_have_text(day[:3])
    assert no_horizontal_scroll(page)

    # The same category again: warned before anything is posted, "Register anyway" focused.
    page.keyboard.press("1")
    page.locator("#ad-submit").click()
    warning = page.locator('[data-dup-for="no_supply"]')
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(complaint.number)
    expect(warning.locator("button")).to_be_focused()
    assert Complaint.objects.count() == 1

    # Esc: the search box, emptied, for the next caller.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Escape")
    expect(search).to_be_focused()
    expect(search).to_have_value("")


@pytest.mark.browser
def test_the_queues_panel_refreshes_without_a_reload(page, net, staff):
    """A callback opened while the page is open shows up in the panel by itself; the search
    box keeps what the agent typed (no reload)."""
    page.clock.install()
    sign_in(page, "agent")
    page.locator("#ad-search input[name=q]").fill("98390")
    expect(page.locator("#ad-queues")).not_to_contain_text("+919839044444")

    call = Call.objects.create(
        call_id="late-1",
        source="api",
        calling_number="+919839044444",
        discom=net.mvvnl,
        offered_at=clock.now() - timedelta(minutes=3),
        ended_at=clock.now() - timedelta(minutes=2),
        outcome="abandoned",
    )
    Callback.objects.create(call=call, mobile="+919839044444", discom=net.mvvnl, due_at=clock.now())
    refreshed_until(page, "+919839044444")

    expect(page.locator("#ad-search input[name=q]")).to_have_value("98390")


def refreshed_until(page: Page, text: str) -> None:
    """Move the page's clock past the refresh interval until the queues panel shows `text`. The
    installed clock also runs on its own: on a loaded machine a refresh may already be on its
    way when we jump, leaving no timer to fire, so jump again rather than wait for it."""
    panel = page.locator("#ad-queues")
    for _ in range(4):
        page.clock.fast_forward(16_000)
        try:
            expect(panel).to_contain_text(text, timeout=5_000)
            return
        except AssertionError:
            continue
    expect(panel).to_contain_text(text)  # fails with Playwright's own message


@pytest.mark.browser(javascript=False)
def test_without_javascript_the_desk_works_through_links_and_posts(page, net, staff, outage):
    sign_in(page, "agent")
    page.locator("#ad-search input[name=q]").fill("1234567890")
    page.locator("#ad-search button[type=submit]").click()
    expect(page.locator("#ad-card .ad-outage")).to_contain_text(TRIP_HI)

    page.locator('label[for="ad-cat-meter"]').click()  # the key is a label for its radio
    page.locator("#ad-submit").click()

    complaint = Complaint.objects.get()
    expect(page.locator("#ad-done .ad-number")).to_have_text(complaint.number)
    assert complaint.category == "meter"
    assert no_horizontal_scroll(page)
