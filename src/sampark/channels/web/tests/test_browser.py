"""A consumer on a phone reports a power cut in Hindi through the web chat and gets a complaint
number: once with JavaScript (no reloads) and once without (form posts); an agent's reply after
a handover appears without a reload. Chromium, through Playwright, against the live server
(`make browser` installs it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sampark.channels.models import Conversation
from sampark.channels.services import chat_agent_reply
from sampark.complaints.models import Complaint
from sampark.testing.reference import reference_data_ensure

# Real transactions (the live server is another thread). Not serialized_rollback: restoring
# its copy collides with content types that other transactional tests re-create after their
# flush; the reference rows the flush removes are loaded again instead.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data() -> None:
    reference_data_ensure()


PHONE = (375, 700)
NO_POWER = "बिजली नहीं आ रही है"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def bot_says(page: Page, count: int) -> str:
    """Wait until the transcript has `count` messages from the bot; the last one's text."""
    replies = page.locator("#wc-messages .wc-bot .wc-text")
    expect(replies).to_have_count(count)
    return replies.nth(count - 1).inner_text()


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def send(page: Page, text: str) -> None:
    page.locator("#wc-text").fill(text)
    page.locator("#wc-text").press("Enter")


@pytest.mark.browser(viewport=PHONE, mobile=True)
def test_on_a_phone_a_hindi_power_cut_report_ends_with_a_complaint_number(page, net):
    page.goto("/chat/")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    assert no_horizontal_scroll(page)

    send(page, NO_POWER)

    expect(page.locator("#wc-messages .wc-user .wc-text").first).to_have_text(NO_POWER)
    asked = bot_says(page, 1)
    assert DEVANAGARI.search(asked), asked  # the bot answers in Hindi
    expect(page.locator("#wc-messages .wc-bot .wc-text").first).to_have_attribute("lang", "hi")
    expect(page.locator("#wc-text")).to_be_focused()
    expect(page.locator("#wc-text")).to_have_value("")

    send(page, net.consumer1.account_number)  # the bot asks for the account number first
    bot_says(page, 2)
    send(page, "9839012345")  # ... then for a mobile: the consumer's registered one
    bot_says(page, 3)
    yes = page.locator('#wc-option-list button[value="yes"]')
    expect(yes).to_be_visible()
    box = yes.bounding_box()
    assert box is not None and box["height"] >= 44  # big enough to tap
    assert no_horizontal_scroll(page)
    yes.tap()

    done = bot_says(page, 4)
    complaint = Complaint.objects.get()
    assert complaint.number in done
    expect(page.locator("#wc-messages")).to_contain_text(complaint.number)
    assert (complaint.consumer, complaint.channel) == (net.consumer1, "chatbot_web")
    expect(page.locator("#wc-options")).to_be_hidden()  # no buttons left to tap
    expect(page.locator("#wc-text")).to_be_focused()
    # The tap shows as the button's title, as the page rendered by the server shows it too.
    tapped = page.locator("#wc-messages .wc-user .wc-text").last.inner_text()
    page.reload()
    expect(page.locator("#wc-messages .wc-user .wc-text").last).to_have_text(tapped)
    assert tapped != "yes"
    assert no_horizontal_scroll(page)


@pytest.mark.browser(viewport=PHONE, mobile=True, javascript=False)
def test_without_javascript_the_same_chat_works_through_form_posts(page, net):
    page.goto("/chat/")

    page.locator("#wc-text").fill(NO_POWER)
    page.locator("#wc-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/chat/$"))  # posted, redirected, shown
    assert DEVANAGARI.search(bot_says(page, 1))
    for answer in (net.consumer1.account_number, "9839012345"):
        page.locator("#wc-text").fill(answer)
        page.locator("#wc-form button[type=submit]").click()
    bot_says(page, 3)
    page.locator('#wc-option-list button[value="yes"]').click()

    bot_says(page, 4)
    complaint = Complaint.objects.get()
    expect(page.locator("#wc-messages")).to_contain_text(complaint.number)
    expect(page.locator("#wc-text")).to_be_focused()  # autofocus: ready for the next message
    assert no_horizontal_scroll(page)


@pytest.mark.browser
def test_an_agents_reply_appears_without_a_reload(page, net, staff):
    page.goto("/chat/")
    with page.expect_response(lambda response: "/chat/api/messages?after=" in response.url):
        send(page, "agent")  # handed over; the page starts polling
    bot_says(page, 1)
    reply = "नमस्ते, मैं सुनीता, 1912 से। आपकी शिकायत देख रही हूँ।"

    # Written right after a poll: the next is seconds away, so the page reads nothing meanwhile
    # (SQLite's in-memory test database is shared by the server's connection and this one).
    chat_agent_reply(
        conversation=Conversation.objects.get(channel="web"), agent=staff["agent"], text=reply
    )

    agent = page.locator("#wc-messages .wc-agent .wc-text")
    expect(agent).to_have_text(reply)
    expect(agent).to_have_attribute("lang", "hi")
    expect(page.locator("[role=log] #wc-messages")).to_contain_text(reply)  # announced
    expect(page.locator("#wc-text")).to_be_focused()
