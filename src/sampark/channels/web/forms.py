"""What the web chat accepts from the browser, before anything reaches the services.

Only the shape is checked here (a readable body of at most 16 KB with a text, an `after` that
is a message id); what the text says, and how much of it, is the dialogue engine's to answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sampark.core.errors import SamparkError

MAX_BODY = 16 * 1024  # bytes of one request; the engine itself reads at most 4,096 characters
MAX_ID = 2**63 - 1  # the largest id a database can hold: beyond it a filter would fail


@dataclass(frozen=True)
class Sent:
    """A message posted as JSON: `{"text": ..., "after": <last id shown>}` (after optional)."""

    text: str
    after: int | None


def body_too_large(request: HttpRequest) -> bool:
    """Judged on the declared length, so an over-large body is refused without being read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > MAX_BODY


def too_large() -> SamparkError:
    return SamparkError(_("The message is too long."), code="too_large")


def empty() -> SamparkError:
    return SamparkError(code="empty", fields={"text": _("Write a message first.")})


def after_parse(value: object) -> int:
    """A message id (0 for "from the start"); SamparkError otherwise."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID:
        return value
    raise SamparkError(fields={"after": _("Give the id of the last message shown.")})


def sent_parse(request: HttpRequest) -> Sent:
    """The posted JSON message; SamparkError (400) when it is too large, unreadable or empty."""
    if body_too_large(request) or len(request.body) > MAX_BODY:
        raise too_large()
    unreadable = SamparkError(_("The message could not be read."), code="bad_request")
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        raise unreadable from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        unreadable.fields["text"] = _("Send the message as text.")
        raise unreadable
    after = after_parse(data["after"]) if "after" in data else None
    text = data["text"].strip()
    if not text:
        raise empty()
    return Sent(text=text, after=after)
