"""The words and limits the engine matches on: commands in English, Hindi and Hinglish."""

from __future__ import annotations

import re

from sampark.complaints.models import Category
from sampark.core.models import Language
from sampark.public.normalize import text_key

from ..models import ChatChannel

MAX_TEXT = 4096
MISSES_BEFORE_AGENT = 2
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

CATEGORY_FOR_INTENT = {
    "no_supply": Category.NO_SUPPLY,
    "voltage": Category.VOLTAGE_FLUCTUATION,
    "transformer": Category.DT_FAILURE,
    "line_fault": Category.LINE_BREAKDOWN,
    "safety_hazard": Category.SAFETY_HAZARD,
    "billing": Category.BILL_READING,
    "meter": Category.METER,
    "new_connection": Category.NEW_CONNECTION,
}
MOBILE_CHANNELS = (ChatChannel.WHATSAPP, ChatChannel.SMS)


def _words(*words: str) -> frozenset[str]:
    return frozenset(text_key(word) for word in words)


MENU_WORDS = _words("menu", "मेनू", "मेन्यू", "start over", "restart", "help", "मदद", "madad", "0")
AGENT_WORDS = _words("agent", "एजेंट")
LANGUAGE_WORDS = {
    Language.HINDI: _words("hindi", "हिंदी", "हिन्दी"),
    Language.ENGLISH: _words("english", "angrezi", "अंग्रेजी", "अंग्रेज़ी", "इंग्लिश"),
}
NO_POWER_COMMANDS = _words("nopower", "nosupply", "बिजलीनहीं", "bijlinahi", "बिजली")
STATUS_COMMANDS = _words("status", "स्थिति", "sthiti", "स्टेटस")
STOP_COMMANDS = _words("stop", "बंद", "band", "रोकें")
START_COMMANDS = _words("start", "शुरू", "shuru", "चालू")
# YES <otp>: the consumer confirms a resolution with the code sent by SMS (closure.py).
CLOSURE_YES_COMMANDS = _words("yes", "haan", "han", "हाँ", "हां", "जी")
# REG <account>: register or change the mobile on an account (mobile.py).
REGISTER_COMMANDS = _words("reg", "mobile", "मोबाइल")
SKIP_ACCOUNT_WORDS = _words("no account", "pata nahi", "पता नहीं", "nahi pata", "dont know")
