"""The website's complaint form in Chromium, through Playwright against the live server: on a
phone with JavaScript (the resend button counts down) and without it (plain form posts), and
the tracking page. The OTP is read from its outbox row, as the console SMS provider leaves it:
verification is never bypassed."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from sampark.complaints.models import Complaint
from sampark.notifications.models import Notification
from sampark.testing.reference import reference_data_ensure

# Real transactions (the live server is another thread); see channels/web/tests/test_browser.py.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (375, 700)
MOBILE = "+919839055555"


@pytest.fixture(autouse=True)
def _reference_data() -> None:
    reference_data_ensure()
    cache.clear()  # the per-address limits: the live server shares this process's cache


def the_otp() -> str:
    return (
        Notification.objects.filter(template_key="web_complaint_otp").latest("id").variables["otp"]
    )


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def ask_for_otp(page: Page) -> None:
    page.goto("/complaint/")
    page.locator("#id_mobile").fill("98390 55555")
    page.locator("#send-otp").click()
    expect(page).to_have_url(re.compile(r"/complaint/details/$"))
    expect(page.locator("#otp-sent")).to_contain_text("5555")


@pytest.mark.browser(viewport=PHONE, mobile=True)
def test_on_a_phone_with_javascript_a_complaint_gets_its_number(page, net):
    ask_for_otp(page)
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    resend = page.locator("#resend")
    expect(resend).to_be_disabled()  # the script counts the cool-down down
    expect(resend).to_contain_text(re.compile(r"\(\d+\)"))
    assert no_horizontal_scroll(page)

    page.locator("#id_otp").fill(the_otp())
    page.locator("#id_category").select_option("no_supply")
    page.locator("#id_account_number").fill(net.consumer1.account_number)
    page.locator("#id_description").fill("सुबह 6 बजे से बिजली नहीं है")
    page.locator("#submit-complaint").tap()

    expect(page).to_have_url(re.compile(r"/complaint/done/$"))
    complaint = Complaint.objects.get()
    expect(page.locator("#complaint-number")).to_have_text(complaint.number)
    expect(page.locator("#complaint-due")).to_be_visible()
    assert (complaint.channel, complaint.consumer, complaint.contact_mobile) == (
        "web",
        net.consumer1,
        MOBILE,
    )
    expect(page.locator("html")).to_have_attribute("lang", "hi")  # still the visitor's language
    assert no_horizontal_scroll(page)


@pytest.mark.browser(viewport=PHONE, mobile=True, javascript=False)
def test_without_javascript_errors_show_beside_the_fields_and_the_form_still_works(page, net):
    page.goto("/complaint/")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    page.locator("button[value=en]").click()  # the language switch, a plain form post
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#id_mobile").fill("12345")
    page.locator("#send-otp").click()
    expect(page.locator("#id_mobile_error")).to_have_text(
        re.compile("Enter a valid 10-digit mobile number")
    )
    page.locator("#id_mobile").fill("9839055555")
    page.locator("#send-otp").click()
    expect(page).to_have_url(re.compile(r"/complaint/details/$"))
    expect(page.locator("#resend")).to_be_enabled()  # no script: the server judges the wait

    code = the_otp()
    page.locator("#id_otp").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.locator("#id_category").select_option("line_breakdown")
    page.locator("#id_location_text").fill("Near the Hanuman mandir, Aminabad")
    page.locator("#submit-complaint").click()

    expect(page.locator("#id_otp_error")).to_have_text(re.compile("2 attempts left"))
    expect(page.locator("#id_location_text")).to_have_value("Near the Hanuman mandir, Aminabad")
    assert not Complaint.objects.exists()
    page.locator("#id_otp").fill(code)
    page.locator("#submit-complaint").click()

    expect(page).to_have_url(re.compile(r"/complaint/done/$"))
    complaint = Complaint.objects.get()
    expect(page.locator("#complaint-number")).to_have_text(complaint.number)
    assert complaint.consumer is None and complaint.category == "line_breakdown"


@pytest.mark.browser(locale="en-IN")
def test_tracking_shows_the_timeline_for_the_right_pair_only(page, net):
    ask_for_otp(page)
    page.locator("#id_otp").fill(the_otp())
    page.locator("#id_category").select_option("meter")
    page.locator("#id_account_number").fill(net.consumer1.account_number)
    page.locator("#submit-complaint").click()
    expect(page).to_have_url(re.compile(r"/complaint/done/$"))
    number = Complaint.objects.get().number

    page.goto("/complaint/track/")
    page.locator("#id_number").fill(number)
    page.locator("#id_mobile").fill("9839077777")  # not this complaint's
    page.locator("#track-submit").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#tracked")).to_have_count(0)

    page.locator("#id_mobile").fill("9839055555")
    page.locator("#track-submit").click()

    expect(page.locator("#tracked #complaint-number")).to_have_text(number)
    expect(page.locator(".wf-timeline li")).not_to_have_count(0)
    expect(page.locator("#tracked")).not_to_contain_text(net.consumer1.name)
