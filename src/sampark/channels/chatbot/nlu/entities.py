"""Pull the facts the dialogue engine asks for out of one message, in any of the three scripts.

`entities_extract` returns only the keys it found:

- `complaint_number`: "MV-261128-00042" (2-4 letters, 6 digits, 5 digits; any case, spaces,
  dashes or nothing between), always upper case with dashes;
- `mobile`: "+91XXXXXXXXXX", for 10 digits starting 6-9 written with +91/91/0 in front, or a
  bare 10-digit number when the nearest cue word before it says mobile (mobile, phone, mob,
  मोबाइल, फोन; a plain "no"/"number"/"nambar" counts unless an account word comes first);
- `account_number`: any other bare 10-digit number (UP account numbers have exactly 10 digits);
- `numbers`: the other integers in the message (identifiers above excluded), as ints;
- `rating`: 1-5 when the whole message is that digit ("4", "४", "5 star", "⭐⭐⭐");
- `yes_no`: "yes"/"no" when the message is essentially that answer (at most 4 words, all of
  them yes/no words or fillers like "ji", "sir", "hai"); any "no" word wins ("theek nahi");
- `duration`: {"text", "minutes"} for "2 ghante se", "for 4 hours", "४ घंटे से", "30 minute
  se" (minutes counted) or "subah se", "since morning", "kal raat se" (minutes None);
- `abusive`: True when a word or phrase of the abuse lexicon (abuse.py) is present.

Numbers are read after Devanagari digits become ASCII, so "९८३९०१२३४५" is a number too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sampark.channels.chatbot.nlu.abuse import abuse_found
from sampark.channels.chatbot.nlu.normalize import digits_ascii, text_normalize

_NOT_WORD_BEFORE = r"(?<![\w\u0900-\u097F])"
_NOT_WORD_AFTER = r"(?![\w\u0900-\u097F])"

_COMPLAINT = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{2,4})[\s\-_/.#:]*(\d{6})[\s\-_/.]*(\d{5})(?!\d)"
)
# Words that stand before a number in "complaint no 261128 00042" but are no discom prefix.
_COMPLAINT_PREFIX_STOP = frozenset(
    {"no", "nr", "num", "nmbr", "nbr", "is", "id", "hai", "ka", "ki", "ke", "ko", "my", "mera",
     "meri", "mere", "ref", "sr", "the", "and", "he", "ye", "yeh"}
)  # fmt: skip
_MOBILE_PREFIXED = re.compile(r"(?<![\d+])(?:\+\s?91|91|0)[\s-]?([6-9]\d{4})[\s-]?(\d{5})(?!\d)")
_TEN_DIGITS = re.compile(r"(?<!\d)(\d{10})(?!\d)")
_INTEGER = re.compile(r"\d+")

# Cue words (normalised) read backwards from a bare 10-digit number, nearest first.
_MOBILE_CUES = frozenset(
    text_normalize(
        "mobile mob mobail phone fone ph cell whatsapp watsapp contact call मोबाइल फोन फ़ोन संपर्क"
    ).split()
)
_NUMBER_CUES = frozenset(text_normalize("no number nambar num nmbr नंबर नम्बर संख्या").split())
_ACCOUNT_CUES = frozenset(
    text_normalize(
        "account acc acct ac a/c khata connection consumer upbhokta sanyojan ca खाता अकाउंट "
        "एकाउंट कनेक्शन उपभोक्ता संयोजन bill"
    ).split()
)
_CUE_WINDOW = 4

_YES = frozenset(
    text_normalize(
        "haan ha han ji yes y yeah yep yup ok okay sahi theek thik bilkul sure correct right "
        "done haanji हाँ हां जी ठीक सही बिल्कुल"
    ).split()
)
_NO = frozenset(text_normalize("no nahi na nope nah galat mat never नहीं ना नही गलत मत").split())
_FILLER = frozenset(
    text_normalize("sir ji bhai bhaiya hai madam maam mam please ekdam है सर भैया").split()
)
_YES_NO_MAX_WORDS = 4

_RATING = re.compile(r"\s*([1-5])\s*(?:/\s*5|stars?|स्टार)?\s*[.!]?\s*", re.IGNORECASE)
_RATING_STARS = re.compile(r"\s*(⭐{1,5}|★{1,5})\s*")

_NUMBER_WORDS: dict[str, float | None] = {
    "an": 1, "a": 1, "one": 1, "ek": 1, "एक": 1, "two": 2, "do": 2, "दो": 2, "three": 3,
    "teen": 3, "तीन": 3, "four": 4, "char": 4, "chaar": 4, "चार": 4, "five": 5, "panch": 5,
    "paanch": 5, "पांच": 5, "पाँच": 5, "six": 6, "chhe": 6, "chah": 6, "छह": 6, "छः": 6,
    "seven": 7, "saat": 7, "सात": 7, "eight": 8, "aath": 8, "आठ": 8, "nine": 9, "nau": 9,
    "नौ": 9, "ten": 10, "das": 10, "दस": 10, "twelve": 12, "barah": 12, "बारह": 12,
    "twenty": 20, "bees": 20, "बीस": 20, "aadha": 0.5, "adha": 0.5, "आधा": 0.5,
    "dedh": 1.5, "डेढ़": 1.5, "dhai": 2.5, "ढाई": 2.5,
    "kai": None, "कई": None, "several": None, "few": None, "many": None,
}  # fmt: skip
_UNIT_MINUTES: dict[str, int] = {
    "minute": 1, "minutes": 1, "min": 1, "mins": 1, "mint": 1, "minat": 1, "मिनट": 1,
    "hour": 60, "hours": 60, "hr": 60, "hrs": 60, "ghante": 60, "ghanta": 60, "ghanton": 60,
    "ghantey": 60, "ghnte": 60, "घंटे": 60, "घंटा": 60, "घंटों": 60, "घण्टे": 60, "घण्टा": 60,
    "day": 1440, "days": 1440, "din": 1440, "dino": 1440, "dinon": 1440, "दिन": 1440,
    "दिनों": 1440, "week": 10080, "weeks": 10080, "hafte": 10080, "hafta": 10080,
    "हफ्ते": 10080, "हफ़्ते": 10080, "हफ्ता": 10080, "सप्ताह": 10080, "month": 43200,
    "months": 43200, "mahine": 43200, "mahina": 43200, "महीने": 43200, "महीना": 43200,
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_DURATION_AMOUNT = re.compile(
    _NOT_WORD_BEFORE
    + r"(?:(?P<pre>for|since|from|past|last|about|around|pichle|pichhle|पिछले|लगभग)\s+)?"
    + rf"(?P<num>\d+(?:\.\d+)?|{_alternation(_NUMBER_WORDS)})\s*"
    + rf"(?P<unit>{_alternation(_UNIT_MINUTES)})"
    + r"(?:\s+(?P<suf>se|sey|say|से|ho\s*gaye|ho\s*gye|ho\s*gae|हो\s*गए|हो\s*गये|ago|pehle|"
    + r"pahle|पहले|hua|hue|हुए|bit\s*gaye|बीत\s*गए))?"
    + _NOT_WORD_AFTER,
    re.IGNORECASE,
)
_DURATION_SINCE = re.compile(
    _NOT_WORD_BEFORE
    + r"(?:"
    + r"(?:(?:kal|कल)\s+)?(?:subah|subha|subeh|raat|rat|shaam|sham|dopahar|dopehar|dophar|"
    + r"सुबह|रात|शाम|दोपहर)\s*(?:se|sey|से)"
    + r"|(?:kal|parson|parso|कल|परसों|aaj\s+subah|आज\s+सुबह)\s*(?:se|sey|से)"
    + r"|\d{1,2}(?::\d\d)?\s*(?:baje|bje|बजे)\s*(?:se|sey|से)"
    + r"|(?:since|from)\s+(?:this\s+|the\s+|last\s+|yesterday\s+)?"
    + r"(?:morning|afternoon|evening|night|yesterday|last\s+night|\d{1,2}(?::\d\d)?\s*(?:am|pm))"
    + r")"
    + _NOT_WORD_AFTER,
    re.IGNORECASE,
)


def _complaints_take(text: str, found: dict[str, object]) -> str:
    def replace(match: re.Match[str]) -> str:
        letters = match.group(1)
        if letters.lower() in _COMPLAINT_PREFIX_STOP:
            return match.group()
        if "complaint_number" not in found:
            found["complaint_number"] = f"{letters.upper()}-{match.group(2)}-{match.group(3)}"
        return " " * len(match.group())

    return _COMPLAINT.sub(replace, text)


def _mobiles_take(text: str, found: dict[str, object]) -> str:
    def replace(match: re.Match[str]) -> str:
        found.setdefault("mobile", f"+91{match.group(1)}{match.group(2)}")
        return " " * len(match.group())

    return _MOBILE_PREFIXED.sub(replace, text)


def _cue_says_mobile(before: str) -> bool:
    """Whether the words just before a bare 10-digit number call it a mobile number."""
    words = text_normalize(before).split()[-_CUE_WINDOW:]
    number_cue = False
    for word in reversed(words):
        if word in _MOBILE_CUES:
            return True
        if word in _ACCOUNT_CUES:
            return False
        if word in _NUMBER_CUES:
            number_cue = True
    return number_cue


def _ten_digits_take(text: str, found: dict[str, object]) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = match.group(1)
        if digits[0] in "6789" and _cue_says_mobile(text[: match.start()]):
            found.setdefault("mobile", f"+91{digits}")
        else:
            found.setdefault("account_number", digits)
        return " " * len(digits)

    return _TEN_DIGITS.sub(replace, text)


def _rating(text: str) -> int | None:
    match = _RATING.fullmatch(text)
    if match:
        return int(match.group(1))
    stars = _RATING_STARS.fullmatch(text)
    return len(stars.group(1)) if stars else None


def _yes_no(words: list[str]) -> str | None:
    if not words or len(words) > _YES_NO_MAX_WORDS:
        return None
    if any(w not in _YES and w not in _NO and w not in _FILLER for w in words):
        return None
    if any(w in _NO for w in words):
        return "no"
    if any(w in _YES for w in words):
        return "yes"
    return None


def _duration(text: str, *, original: str) -> dict[str, object] | None:
    """The first duration phrase; its text is cut from `original` (same length as `text`, which
    has ASCII digits), so a Devanagari phrase keeps its own digits."""
    amount = _DURATION_AMOUNT.search(text)
    while amount and not (amount.group("pre") or amount.group("suf")):
        amount = _DURATION_AMOUNT.search(text, amount.end())
    since = _DURATION_SINCE.search(text)
    if amount and (since is None or amount.start() <= since.start()):
        number = amount.group("num").lower()
        value = _NUMBER_WORDS[number] if number in _NUMBER_WORDS else float(number)
        unit = _UNIT_MINUTES[amount.group("unit").lower()]
        minutes = None if value is None else round(value * unit)
        return {"text": original[amount.start() : amount.end()].strip(), "minutes": minutes}
    if since:
        return {"text": original[since.start() : since.end()].strip(), "minutes": None}
    return None


def entities_extract(text: str) -> dict[str, object]:
    """The entities found in one message; keys only for what is there (see the module doc)."""
    found: dict[str, object] = {}
    if not text or not text.strip():
        return found
    original = unicodedata.normalize("NFC", text)
    plain = digits_ascii(original)
    rest = _complaints_take(plain, found)
    rest = _mobiles_take(rest, found)
    rest = _ten_digits_take(rest, found)
    numbers = [int(digits) for digits in _INTEGER.findall(rest)]
    if numbers:
        found["numbers"] = numbers
    rating = _rating(plain)
    if rating is not None:
        found["rating"] = rating
    words = text_normalize(plain).split()
    answer = _yes_no(words)
    if answer is not None:
        found["yes_no"] = answer
    duration = _duration(plain, original=original)
    if duration is not None:
        found["duration"] = duration
    if abuse_found(words=words):
        found["abusive"] = True
    return found
