from __future__ import annotations

import pytest

from sampark.channels.chatbot.nlu import entities_extract


def test_nothing_found_gives_no_keys() -> None:
    assert entities_extract("bijli nahi hai") == {}
    assert entities_extract("") == {}


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("mera account number 1234567890 hai", "1234567890"),
        ("मेरा खाता संख्या १२३४५६७८९० है", "1234567890"),
        ("9839012345", "9839012345"),  # bare 10 digits: an account, even starting 6-9
        ("account no 9839012345", "9839012345"),  # "no" after an account word stays account
    ],
)
def test_account_number(text: str, account: str) -> None:
    found = entities_extract(text)
    assert found["account_number"] == account
    assert "mobile" not in found


@pytest.mark.parametrize(
    "text",
    [
        "mobile 9839012345",
        "mera no 9839012345",
        "phone number: 9839012345",
        "मेरा मोबाइल नंबर ९८३९०१२३४५ है",
        "+91 98390 12345",
        "+91-9839012345",
        "919839012345",
        "09839012345 pe call karo",
    ],
)
def test_mobile(text: str) -> None:
    found = entities_extract(text)
    assert found["mobile"] == "+919839012345"
    assert "account_number" not in found


def test_mobile_cue_needs_a_mobile_like_number() -> None:
    found = entities_extract("mobile 1234567890")
    assert found == {"account_number": "1234567890"}


def test_account_and_mobile_together() -> None:
    found = entities_extract("account 1234567890, mobile 9839012345")
    assert found["account_number"] == "1234567890"
    assert found["mobile"] == "+919839012345"


@pytest.mark.parametrize(
    "text",
    [
        "MV-261128-00042",
        "complaint mv 261128 00042 ka status",
        "MV26112800042",
        "शिकायत संख्या mv-261128-00042",
        "status of Mv_261128_00042?",
    ],
)
def test_complaint_number(text: str) -> None:
    found = entities_extract(text)
    assert found["complaint_number"] == "MV-261128-00042"
    assert "account_number" not in found and "mobile" not in found
    assert "numbers" not in found


def test_complaint_number_needs_a_prefix() -> None:
    assert "complaint_number" not in entities_extract("complaint no 261128 00042")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("haan", "yes"),
        ("हाँ जी", "yes"),
        ("हां", "yes"),
        ("ji", "yes"),
        ("ok thik hai", "yes"),
        ("Yes sir", "yes"),
        ("नहीं", "no"),
        ("nahi ji", "no"),
        ("no", "no"),
        ("galat hai", "no"),
        ("ना", "no"),
    ],
)
def test_yes_no(text: str, answer: str) -> None:
    assert entities_extract(text)["yes_no"] == answer


@pytest.mark.parametrize(
    "text", ["no power since morning", "haan bijli abhi bhi nahi aayi hai bhai", "hello"]
)
def test_yes_no_only_for_short_answers(text: str) -> None:
    assert "yes_no" not in entities_extract(text)


def test_numbers_after_devanagari_digits() -> None:
    assert entities_extract("२ बार शिकायत की, 15 दिन हो गए")["numbers"] == [2, 15]


@pytest.mark.parametrize(("text", "rating"), [("4", 4), ("४", 4), ("5 star", 5), ("⭐⭐⭐", 3)])
def test_rating(text: str, rating: int) -> None:
    assert entities_extract(text)["rating"] == rating


@pytest.mark.parametrize("text", ["6", "4 ghante se", "45"])
def test_no_rating(text: str) -> None:
    assert "rating" not in entities_extract(text)


@pytest.mark.parametrize(
    ("text", "phrase", "minutes"),
    [
        ("2 ghante se bijli nahi", "2 ghante se", 120),
        ("४ घंटे से बिजली नहीं है", "४ घंटे से", 240),
        ("no power for 4 hours", "for 4 hours", 240),
        ("30 minute se light nahi", "30 minute se", 30),
        ("3 din se bill nahi aaya", "3 din se", 4320),
        ("teen din se", "teen din se", 4320),
        ("subah se light gayab", "subah se", None),
        ("सुबह से बिजली नहीं", "सुबह से", None),
        ("no power since morning", "since morning", None),
        ("kal raat se andhera hai", "kal raat se", None),
    ],
)
def test_duration(text: str, phrase: str, minutes: int | None) -> None:
    assert entities_extract(text)["duration"] == {"text": phrase, "minutes": minutes}


@pytest.mark.parametrize(
    "text", ["chutiya bijli vibhag", "चूतिया", "you idiots", "ullu ke patthe", "FUCKING useless"]
)
def test_abusive(text: str) -> None:
    assert entities_extract(text)["abusive"] is True


@pytest.mark.parametrize("text", ["class mein padhai", "kutte ne kaata", "bijli nahi hai"])
def test_not_abusive(text: str) -> None:
    assert "abusive" not in entities_extract(text)
