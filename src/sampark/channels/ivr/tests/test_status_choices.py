"""Choosing which complaint a status call is about (the flow is the same on every provider, so
these run on Twilio only)."""

from __future__ import annotations

import pytest

from sampark.channels.ivr.prompts import prompt, spell_code
from sampark.channels.ivr.selectors import complaints_by_keyed_digits
from sampark.complaints.models import Channel
from sampark.complaints.services import complaint_register

pytestmark = pytest.mark.django_db

MOBILE = "+919839012345"


@pytest.fixture
def twilio(provider_phone):
    return provider_phone("twilio")


def test_a_caller_with_several_complaints_picks_one_by_key(net, twilio):
    first = complaint_register(category="no_supply", channel=Channel.API, consumer=net.consumer1)
    second = complaint_register(category="meter", channel=Channel.API, consumer=net.consumer1)
    caller = twilio(mobile=MOBILE)
    caller.dial()
    caller.press("1")

    choices = caller.press("4")
    newest, older = second.complaint, first.complaint
    assert prompt("choose_complaint", "hi", number=spell_code(newest.number), key=1) in choices.text
    assert prompt("choose_complaint", "hi", number=spell_code(older.number), key=2) in choices.text
    assert prompt("choose_other", "hi") in choices.text

    status = caller.press("2")
    assert f"शिकायत {spell_code(older.number)} " in status.text
    assert prompt("anything_else", "hi") in status.text


def test_the_same_digits_in_two_discoms_are_told_apart(net, twilio):
    mine = complaint_register(category="no_supply", channel=Channel.API, consumer=net.consumer1)
    other = complaint_register(category="no_supply", channel=Channel.API, consumer=net.consumer_p)
    digits = "".join(ch for ch in mine.complaint.number if ch.isdigit())
    assert other.complaint.number.endswith(mine.complaint.number[2:])  # PV-... and MV-...
    assert len(complaints_by_keyed_digits(digits=digits)) == 2

    caller = twilio(mobile="+919839077777")  # unknown number: neither is theirs
    caller.dial()
    caller.press("1")
    caller.press("1234567890")
    caller.press("1")  # consumer1's account, from another phone: not verified
    ask = caller.press("4")
    assert prompt("status_none", "hi") in ask.text  # nothing of this caller's own
    caller.press(digits)

    choices = caller.press("1")
    assert prompt("choose_complaint", "hi", number=spell_code(mine.complaint.number), key=1) in (
        choices.text
    )
    assert spell_code(other.complaint.number) in choices.text


def test_keyed_digits_with_a_short_serial_find_the_complaint(net):
    done = complaint_register(category="no_supply", channel=Channel.API, consumer=net.consumer1)
    number = done.complaint.number  # MV-YYMMDD-00001
    day = number.split("-")[1]

    assert [c.number for c in complaints_by_keyed_digits(digits=f"{day}1")] == [number]
    assert complaints_by_keyed_digits(digits="abc") == []
