"""The spoken words: Hindi prompts are Hindi, both languages carry the same values, numbers and
times are said the way a caller can follow."""

from __future__ import annotations

import re
import string
from datetime import datetime

import pytest

from sampark.channels.ivr.prompts import (
    PROMPTS,
    STATUS_SPOKEN,
    prompt,
    spell_code,
    spell_digits,
    when_spoken,
)

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(PROMPTS))
def test_each_prompt_is_written_in_both_languages_with_the_same_values(key):
    texts = PROMPTS[key]

    assert set(texts) == {"hi", "en"}
    assert DEVANAGARI.search(texts["hi"]), f"{key}: the Hindi prompt is not in Devanagari"
    assert not DEVANAGARI.search(texts["en"])
    assert _placeholders(texts["hi"]) == _placeholders(texts["en"])


def test_complaint_statuses_are_spoken_in_both_languages():
    for status, texts in STATUS_SPOKEN.items():
        assert DEVANAGARI.search(texts["hi"]) and not DEVANAGARI.search(texts["en"]), status


def test_numbers_are_spelled_digit_by_digit():
    assert spell_digits("3004") == "3 0 0 4"
    assert spell_digits("12#") == "1 2"
    assert spell_code("MV-261128-00042") == "M V, 2 6 1 1 2 8, 0 0 0 4 2"
    assert spell_code("CC-MV-261128-00042") == "C C, M V, 2 6 1 1 2 8, 0 0 0 4 2"


def test_times_are_said_relative_to_today():
    today = datetime(2026, 11, 28, 10, 0)

    assert when_spoken(datetime(2026, 11, 28, 18, 30), today=today, language="hi") == (
        "आज शाम 6:30 बजे"
    )
    assert when_spoken(datetime(2026, 11, 29, 9, 0), today=today, language="hi") == ("कल सुबह 9 बजे")
    assert when_spoken(datetime(2026, 12, 2, 22, 15), today=today, language="hi") == (
        "2 दिसंबर को रात 10:15 बजे"
    )
    assert when_spoken(datetime(2026, 11, 28, 14, 0), today=today, language="en") == (
        "by 2 PM today"
    )
    assert when_spoken(datetime(2026, 12, 2, 0, 5), today=today, language="en") == (
        "by 12:05 AM on 2 December"
    )


def test_prompts_fill_their_values():
    assert prompt("wait_offer", "hi", minutes=7).count("7 मिनट") == 1
    assert prompt("read_back", "en", digits="1 2").startswith("You entered 1 2.")
