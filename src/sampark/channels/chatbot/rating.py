"""The consumer's 1-5 rating of a closed complaint, sent back as an ordinary message.

A closure confirmed outside a chat (the field entered the consumer's OTP) asks for a rating by
the outbox (template `complaint_rating_request`, sampark.complaints.informing): "reply with a
number 1 to 5 and, if you like, a comment". The answer arrives here like any message, so the
engine checks for it itself, with no state set from outside, as for closure answers
(closure.py): a message that starts with a digit 1-5 (ASCII or Devanagari: "4", "4 lineman was
polite", "५ धन्यवाद"), from a user with a complaint closed in the last `WINDOW_DAYS`, while no
question of the bot's own is open, rates their most recent unrated one; the rest of the text is
the comment. A rating for a complaint rated already is refused politely.

Not a rating: a longer number ("12", an account number), a duration ("2 ghante se ..."), a
digit choosing one of the options the bot offered after the complaint was closed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from sampark.complaints.models import Complaint, Status
from sampark.core import clock

from ..models import Author, ChatMessage, Conversation
from . import actions
from .nlu.entities import entities_extract
from .words import DIGITS

if TYPE_CHECKING:
    from .dialogue import Step

WINDOW_DAYS = 7
# The digit, not followed by another digit; separators before the comment are dropped.
_RATING = re.compile(r"([1-5])(?![0-9])[\s.,:;!/)*\-\u2013\u2014]*(.*)", re.DOTALL)
NO_QUESTION = ("", "start")  # "start": a conversation the bot has not answered yet


def rating_parse(text: str) -> tuple[int, str] | None:
    """(rating, comment) when the message starts with a digit 1-5; the `rate:<n>` option too."""
    text = text.strip()
    if text.startswith("rate:") and text[5:].isdigit():
        return (int(text[5:]), "") if 1 <= int(text[5:]) <= 5 else None
    match = _RATING.fullmatch(text[:1].translate(DIGITS) + text[1:2].translate(DIGITS) + text[2:])
    if match is None:
        return None
    return int(match.group(1)), match.group(2).strip()


def _recently_closed(conversation: Conversation) -> list[Complaint]:
    """The user's complaints closed in the window, latest first (the same owners as
    `actions.complaint_entitled`: the verified consumer's, or those from this mobile)."""
    mine = Q()
    if conversation.verified and conversation.consumer_id is not None:
        mine |= Q(consumer_id=conversation.consumer_id)
    if conversation.mobile:
        mine |= Q(contact_mobile=conversation.mobile)
    if not mine:
        return []
    since = clock.now() - timedelta(days=WINDOW_DAYS)
    rows = Complaint.objects.filter(mine, status=Status.CLOSED, closed_at__gte=since)
    return list(rows.select_related("feedback").order_by("-closed_at", "-id")[:5])


def _options_since(conversation: Conversation, closed: Complaint) -> bool:
    """Whether the bot offered options (numbered on SMS) after the complaint closed: then a
    digit is the user's choice among them, not a rating."""
    if not conversation.context.get("offered") or closed.closed_at is None:
        return False
    return ChatMessage.objects.filter(
        conversation=conversation, author=Author.BOT, created_at__gt=closed.closed_at
    ).exists()


def given(step: Step, text: str) -> bool:
    """A rating sent with no question of the bot's open: recorded with its comment, or
    refused politely when the complaint has been rated already."""
    if step.c.state not in NO_QUESTION:
        return False
    parsed = rating_parse(text)
    if parsed is None or "duration" in entities_extract(text):
        return False
    closed = _recently_closed(step.c)
    if not closed or _options_since(step.c, closed[0]):
        return False
    unrated = [c for c in closed if not actions.complaint_rated(c)]
    complaint = unrated[0] if unrated else closed[0]
    rating, comment = parsed
    step.done()
    step.context["complaint"] = complaint.number
    step.add(actions.rating_record(step.c, rating=rating, comment=comment))
    return True
