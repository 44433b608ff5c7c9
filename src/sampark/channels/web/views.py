"""/chat/: the page (form posts, POST/redirect/GET) and /chat/api/messages (JSON, for chat.js).

A visitor is known by a random key kept in their Django session, made on their first message;
never by the session key itself, which would then sit in the conversations table for staff to
read and could be replayed as a cookie. Everything the visitor can get wrong, the services
answer (an over-long message, a flood: polite replies); the views refuse only what never reaches
them: no text, an unreadable or over-large body, a wrong method. JSON errors have the one shape
`{"code", "message", "fields"}`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sampark.core.errors import SamparkError

from ..models import Author, ChatChannel, ChatMessage, Conversation
from ..selectors import conversation_transcript
from ..services import Inbound, chat_message_answer_now
from .forms import after_parse, body_too_large, empty, sent_parse, too_large

SESSION_KEY = "sampark_webchat_key"
PAGE_LIMIT = 200  # messages the page shows: the latest ones
POLL_LIMIT = 100  # messages in one JSON answer; the next poll fetches the rest


@dataclass(frozen=True)
class Row:
    """One transcript line as the page shows it."""

    id: int
    author: str
    who: str
    text: str  # a tapped option shows as its title, not its id
    at: datetime


def _visitor_key(request: HttpRequest, *, create: bool = False) -> str | None:
    key = request.session.get(SESSION_KEY)
    if key is None and create:
        key = request.session[SESSION_KEY] = secrets.token_urlsafe(24)
    return key


def _conversation(request: HttpRequest) -> Conversation | None:
    key = _visitor_key(request)
    if key is None:
        return None
    return Conversation.objects.filter(channel=ChatChannel.WEB, user_key=key).first()


def _answer(request: HttpRequest, text: str) -> list[ChatMessage]:
    key = _visitor_key(request, create=True)
    assert key is not None
    return chat_message_answer_now(
        inbound=Inbound(
            channel=ChatChannel.WEB, user_key=key, text=text, language=get_language() or ""
        )
    )


def _authors() -> dict[str, str]:
    """Who wrote a message, as the visitor reads it ("You" is the visitor)."""
    return {
        Author.USER: pgettext("web chat author", "You"),
        Author.BOT: pgettext("web chat author", "1912 assistant"),
        Author.AGENT: pgettext("web chat author", "1912 agent"),
    }


def _rows(messages: list[ChatMessage]) -> list[Row]:
    authors = _authors()
    rows: list[Row] = []
    offered: dict[str, str] = {}
    for message in messages:
        text = message.text
        if message.author == Author.USER:
            text = offered.get(text, text)
        else:
            offered = {str(key): str(title) for key, title in message.options}
        who = authors.get(message.author, "")
        rows.append(Row(message.id, message.author, who, text, message.created_at))
    return rows


def _options(messages: list[ChatMessage]) -> list[dict[str, str]]:
    """The buttons under the transcript: those of the last message, when it is not the user's."""
    last = messages[-1] if messages else None
    if last is None or last.author == Author.USER:
        return []
    return [{"id": str(key), "title": str(title)} for key, title in last.options]


def _page(
    request: HttpRequest, *, text: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    conversation = _conversation(request)
    messages: list[ChatMessage] = []
    if conversation is not None:
        latest = conversation_transcript(conversation=conversation).order_by("-id")[:PAGE_LIMIT]
        messages = list(reversed(latest))
    options = _options(messages)
    script = {
        "api": reverse("webchat:api_messages"),
        "last_id": messages[-1].id if messages else 0,
        "options": options,
        "time_zone": settings.TIME_ZONE,
        "labels": {
            **_authors(),
            "empty": _("Write a message first."),
            "sending": _("Sending…"),
            "failed": _("Your message could not be sent. Please try again."),
            "offline": _("No connection. Check your internet and try again."),
            "expired": _("This page has expired. Reload it and send your message again."),
        },
    }
    context = {
        "rows": _rows(messages),
        "options": options,
        "text": text,
        "error": error,
        "script": script,
    }
    return render(request, "channels/chat.html", context, status=status)


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    """The chat page; a post sends one message (typed, or a button's option id)."""
    if request.method == "GET":
        return _page(request)
    refused_unread = body_too_large(request)
    text = "" if refused_unread else request.POST.get("text", "").strip()
    try:
        if refused_unread:
            raise too_large()
        if not text:
            raise empty()
        _answer(request, text)
    except SamparkError as error:
        return _page(request, text=text, error=error.text(), status=error.status)
    return redirect("webchat:chat")


def _message_json(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "text": message.text,
        "options": [{"id": str(key), "title": str(title)} for key, title in message.options],
        "at": message.created_at.isoformat(),
    }


def _messages(messages: Iterable[ChatMessage]) -> JsonResponse:
    return JsonResponse({"messages": [_message_json(message) for message in messages]})


def _after(request: HttpRequest, after: int) -> list[ChatMessage]:
    conversation = _conversation(request)
    if conversation is None:
        return []
    return list(conversation_transcript(conversation=conversation, after_id=after)[:POLL_LIMIT])


def _refused(error: SamparkError, *, status: int | None = None) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=status or error.status)


def api_messages(request: HttpRequest) -> HttpResponse:
    """GET `?after=<id>`: the messages after it (agents' replies). POST `{"text", "after"?}`:
    send one; the answer is the bot's replies or, with `after` (the last id the page shows),
    every message after it, the visitor's own included: the page then shows each message once,
    in order, whatever a poll brought meanwhile."""
    try:
        if request.method == "GET":
            return _messages(_after(request, after_parse(request.GET.get("after", "0"))))
        if request.method != "POST":
            refused = _refused(
                SamparkError(_("Use GET or POST."), code="method_not_allowed"), status=405
            )
            refused["Allow"] = "GET, POST"
            return refused
        sent = sent_parse(request)
        replies = _answer(request, sent.text)
    except SamparkError as error:
        return _refused(error)
    return _messages(replies if sent.after is None else _after(request, sent.after))
