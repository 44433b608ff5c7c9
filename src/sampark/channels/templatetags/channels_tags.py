"""Template helpers of the chat pages, public (web chat) and staff (the agents' desk)."""

from __future__ import annotations

import re
from typing import Any

from django import template

from sampark.notifications.selectors import recipient_mask

register = template.Library()

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@register.filter
def text_lang(text: str) -> str:
    """The lang attribute of a message: "hi" when it has Devanagari, else "en".

    Users write Hindi in both scripts; only the script is known for sure, and a screen reader
    or font fallback needs exactly that.
    """
    return "hi" if DEVANAGARI.search(text or "") else "en"


@register.filter
def user_shown(conversation: Any) -> str:
    """Who the user is, without exposing the full number or key: a mobile or chat id masked to
    its last digits; a web-chat key (random, meaningless) only as its last four characters."""
    key = str(getattr(conversation, "user_key", "") or "")
    if getattr(conversation, "channel", "") == "web":
        return f"…{key[-4:]}"
    return recipient_mask(key)
