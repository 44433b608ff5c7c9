"""The agent desk's pure parts: what a query is, the complaint number grouped and spelled for
reading out, time limits as said, and the script in Hindi and English."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sampark.channels.desk.desk_selectors import Kind, desk_query_kinds
from sampark.channels.desk.scripts import (
    closing_line,
    desk_script,
    limit_text,
    number_groups,
    number_spoken,
)
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.outages.models import Outage, OutageReason

IST = ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize(
    ("query", "kinds", "cleaned"),
    [
        ("1234567890", (Kind.ACCOUNT,), "1234567890"),
        (" 12345-67890 ", (Kind.ACCOUNT,), "1234567890"),
        ("9839012345", (Kind.ACCOUNT, Kind.MOBILE), "9839012345"),  # both are looked up
        ("+91 98390 12345", (Kind.MOBILE,), "+919839012345"),
        ("098390 12345", (Kind.MOBILE,), "09839012345"),
        ("mv 261128 42", (Kind.COMPLAINT,), "MV-261128-00042"),
        ("MV-261128-00042", (Kind.COMPLAINT,), "MV-261128-00042"),
    ],
)
def test_query_kinds(query, kinds, cleaned):
    assert desk_query_kinds(query) == (kinds, cleaned)


@pytest.mark.parametrize("query", ["12345", "", "1234567890123", "@#!"])
def test_unreadable_queries_are_refused_naming_the_field(query):
    with pytest.raises(ValidationFailed) as error:
        desk_query_kinds(query)
    assert set(error.value.fields) == {"q"}


def test_complaint_number_is_grouped_and_spelled_digit_by_digit():
    assert number_groups("MV-261128-00042") == ["MV", "261", "128", "000", "42"]
    assert number_spoken("MV-261128-00042", "en") == (
        "M V, two six one, one two eight, zero zero zero, four two"
    )
    assert number_spoken("UP-261128-00042", "hi") == (
        "यू पी, दो छह एक, एक दो आठ, शून्य शून्य शून्य, चार दो"
    )


@pytest.mark.parametrize(
    ("hours", "language", "said"),
    [
        (1, "en", "1 hour"),
        (4, "en", "4 hours"),
        (24, "en", "24 hours"),
        (168, "en", "7 days"),
        (6, "hi", "6 घंटे"),
        (240, "hi", "10 दिन"),
    ],
)
def test_time_limits_are_said_in_hours_or_whole_days(hours, language, said):
    assert limit_text(hours, language) == said


def test_closing_line_reads_the_number_limit_and_due_time():
    due = datetime(2026, 11, 28, 16, 30, tzinfo=IST)
    english = closing_line(language="en", number="MV-261128-00042", hours=4, due=due)
    hindi = closing_line(language="hi", number="MV-261128-00042", hours=4, due=due)
    assert "Your complaint number is MV 261 128 000 42" in english
    assert "within 4 hours, by 16:30, 28 Nov" in english
    assert "MV 261 128 000 42 है" in hindi and "4 घंटे के भीतर, 28/11 को 16:30 बजे तक" in hindi


def test_the_script_gives_the_outage_safety_advice_and_limits_in_each_language():
    reason = OutageReason(code="x", text_en="11 kV feeder tripped", text_hi="11 केवी फीडर ट्रिप")
    etr = clock.now() + timedelta(hours=2)
    late = Outage(reason=reason, etr=clock.now() - timedelta(hours=1), status="active")
    for language, said, advice in (
        ("en", "11 kV feeder tripped", "at least 10 metres away"),
        ("hi", "11 केवी फीडर ट्रिप", "कम से कम 10 मीटर दूर"),
    ):
        script = desk_script(
            language=language,
            agent_name="Sunita",
            consumer_name="Ram",
            caller_known=True,
            outages=[Outage(reason=reason, etr=etr, status="active"), late],
            limits={"no_supply": 4, "safety_hazard": 1},
        )
        assert "Sunita" in script.greeting and "Ram" in script.identify
        assert said in script.outage[0]
        assert len(script.outage) == 3  # the late outage adds "taking longer than estimated"
        hazard = script.categories["safety_hazard"]
        assert advice in hazard.safety and hazard.emergency
        assert script.categories["meter"].safety == ""
        assert limit_text(4, language) in script.categories["no_supply"].closing
        assert "____" in script.categories["no_supply"].closing  # no number yet


def test_an_unknown_caller_is_asked_for_an_account_then_for_mobile_and_place():
    first = desk_script(language="en", agent_name="A")
    missed = desk_script(language="en", agent_name="A", searched=True)
    assert "account number" in first.identify
    assert "landmark" in missed.identify and "account number" not in missed.identify
