"""The review page in Chromium: an MD signs in, opens the division, sorts the sub-divisions by
clicking a heading (in place, with JavaScript) and drills down into one; without JavaScript the
heading is a link that sorts on the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sampark.review.rollup import rollup_refresh

from .conftest import D1, D2

# Real transactions: the live server is another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")


def names(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#children tbody th").all_inner_texts()]


def period(net) -> str:
    return f"/staff/review/?unit={net.division.pk}&start={D1}&end={D2}"


@pytest.mark.browser(locale="en-IN")
def test_sort_in_place_and_drill_down(page: Page, history, net, staff):
    rollup_refresh()
    sign_in(page, staff["md"].username)
    page.goto(period(net))
    assert names(page) == ["Aminabad I", "Aminabad II"]
    pending = page.locator("#children thead th", has_text="Pending now")
    pending.locator("a").click()
    expect(pending).to_have_attribute("aria-sort", "descending")
    assert names(page) == ["Aminabad II", "Aminabad I"]
    assert "sort=" not in page.url  # sorted in the page, not reloaded
    page.locator("#children tbody th a", has_text="Aminabad II").click()
    expect(page.locator("h1")).to_contain_text("Aminabad II")
    assert page.locator("#children tbody th").first.inner_text().strip() == (
        staff["je2"].get_full_name()
    )


@pytest.mark.browser(locale="en-IN", javascript=False)
def test_sort_without_javascript(page: Page, history, net, staff):
    rollup_refresh()
    sign_in(page, staff["md"].username)
    page.goto(period(net))
    page.locator("#children thead th a", has_text="Pending now").click()
    page.wait_for_url("**sort=-pending")
    expect(page.locator("#children tbody th").first).to_have_text("Aminabad II")
    assert names(page) == ["Aminabad II", "Aminabad I"]
