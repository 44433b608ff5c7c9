from __future__ import annotations

import pytest

from sampark.channels.chatbot.nlu import text_normalize


@pytest.mark.parametrize(
    ("devanagari", "romanised"),
    [
        ("बिजली नहीं है", "bjli nhi h"),
        ("बिजली नहीं है", "Bijlee nahiii hai!!"),
        ("लाइट कब आएगी", "lite kab aayegi"),
        ("ट्रांसफार्मर जल गया", "transformer jal gya"),
        ("मीटर तेज़ चल रहा है", "meter tez chal rha he"),
        ("धन्यवाद", "dhanyawad"),
        ("नमस्ते", "namastey"),
        ("शिकायत नंबर", "shikayat nambar"),
        ("सर्विस केबल", "service cable"),
    ],
)
def test_devanagari_and_romanised_converge(devanagari: str, romanised: str) -> None:
    assert text_normalize(devanagari) == text_normalize(romanised)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("बिजली नहीं है", "bijli nahi hai"),
        ("bjli nhi h", "bijli nahi hai"),
        ("४ घंटे से बिजली नहीं", "4 ghante se bijli nahi"),
        ("2ghante se", "2 ghante se"),
        ("plzzzz jaldi", "please jaldi"),
        ("@PowerCo_Care no power!! https://t.co/abc", "no power"),
        ("wires &amp; pole &gt;5 houses", "wire pole 5 house"),  # entities as tweets carry them
        ("सुबह से लाइट गायब 😡😡", "subah se light gayab"),
        ("कब", "kab"),  # final inherent vowel dropped
        ("आपका", "apka"),  # medial inherent vowel dropped
        ("करंट", "current"),  # nasalised vowel kept, then the loanword map
        ("ऑफिस", "office"),
        ("ज़्यादा", "zyada"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert text_normalize(text) == expected


def test_devanagari_digits_become_ascii() -> None:
    assert text_normalize("खाता १२३४५६७८९०") == "khata 1234567890"


@pytest.mark.parametrize("text", ["", "   ", "😀🙏", "!!!???", "\x00\x01\x02", "।॥"])
def test_nothing_readable_gives_empty(text: str) -> None:
    assert text_normalize(text) == ""


def test_idempotent() -> None:
    once = text_normalize("मेरे घर की बिजली 3 दिन से नहीं आ रही, plz help!!")
    assert text_normalize(once) == once
