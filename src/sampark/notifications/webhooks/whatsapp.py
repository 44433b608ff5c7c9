"""WhatsApp Cloud API webhook protocol: the pieces the /webhooks/whatsapp/ view uses.

The view itself is sampark.channels.whatsapp.views (it also hands inbound messages to the
chatbot, which notifications may not import). GET is Meta's subscription check (hub.verify_token
must match, hub.challenge is echoed). POST carries X-Hub-Signature-256: HMAC-SHA256 of the raw
body with the app secret; a missing or bad signature is a 403 and nothing changes. `statuses`
(sent, delivered, read, failed) update rows by provider message id; `whatsapp_inbound_messages`
reads the incoming `messages`: texts, reply-button and list choices, and every other type.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from sampark.core import clock

from ..providers.whatsapp_cloud import WhatsAppCloudProvider
from ..receipts import Receipt, ReceiptStatus, notification_receipts_apply

STATUSES = {
    "sent": ReceiptStatus.SENT,
    "delivered": ReceiptStatus.DELIVERED,
    "read": ReceiptStatus.DELIVERED,  # read implies delivered
    "played": ReceiptStatus.DELIVERED,
    "failed": ReceiptStatus.FAILED,
}


def signature_valid(*, body: bytes, header: str, secret: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def _time(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return clock.now()


def _error(status: dict[str, Any]) -> str:
    parts = []
    for error in status.get("errors") or []:
        if isinstance(error, dict):
            details = (error.get("error_data") or {}).get("details", "")
            text = f"{error.get('code', '')} {error.get('title', '')}".strip()
            parts.append(f"{text}: {details}" if details else text)
    return "WhatsApp " + "; ".join(parts) if parts else "WhatsApp reported failure"


def whatsapp_receipts(payload: Any) -> list[Receipt]:
    """Every status in a webhook payload (entry[].changes[].value.statuses[])."""
    receipts = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            for status in statuses if isinstance(statuses, list) else []:
                if not isinstance(status, dict):
                    continue
                kind = STATUSES.get(str(status.get("status", "")))
                message_id = str(status.get("id") or "")
                if kind is None or not message_id:
                    continue
                error = _error(status) if kind == ReceiptStatus.FAILED else ""
                receipts.append(
                    Receipt(message_id, kind, at=_time(status.get("timestamp")), error=error)
                )
    return receipts


# Message types that carry nothing to answer: a reaction to one of our messages (or its removal)
# and system notices (the user changed number). Every other type reaches the chatbot.
UNANSWERED_TYPES = frozenset({"reaction", "system"})


@dataclass(frozen=True)
class InboundMessage:
    """A message a user sent us (entry[].changes[].value.messages[]), as the chatbot reads it."""

    message_id: str
    sender: str  # the wa_id: the number with its country code, no "+"
    # What the user wrote; for a reply button or list row the id we gave it, for a template's
    # quick-reply button its payload; "" for media, locations, stickers and other types.
    text: str
    kind: str  # the message type: text, interactive, button, image, audio, location, ...
    title: str = ""  # the label of the button or row chosen, as the user saw it
    profile_name: str = ""  # contacts[].profile.name: the name the user set in WhatsApp


def _text_of(message: dict[str, Any]) -> tuple[str, str]:
    """(text, title) of one message: see InboundMessage.text."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return str(body.get("body") or ""), ""
    if kind == "interactive":
        choice = body.get("type")
        reply = body.get(choice) if choice in ("button_reply", "list_reply") else None
        if isinstance(reply, dict):
            return str(reply.get("id") or ""), str(reply.get("title") or "")
        return "", ""  # a Flow's answer, or a reply WhatsApp could not read
    if kind == "button":
        title = str(body.get("text") or "")
        return str(body.get("payload") or title), title
    return "", ""


def _profile_names(value: dict[str, Any]) -> dict[str, str]:
    names = {}
    for contact in value.get("contacts") or []:
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            names[str(contact.get("wa_id") or "")] = str(contact["profile"].get("name") or "")
    return names


def whatsapp_inbound_messages(payload: Any) -> list[InboundMessage]:
    """Every message users sent in a webhook payload, of any type but reactions and system
    notices (non-text types come with empty text, so the chatbot can ask for words)."""
    found = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            messages, names = value.get("messages"), _profile_names(value)
            for message in messages if isinstance(messages, list) else []:
                if not isinstance(message, dict) or message.get("type") in UNANSWERED_TYPES:
                    continue
                message_id, sender = str(message.get("id") or ""), str(message.get("from") or "")
                if not message_id or not sender:
                    continue
                text, title = _text_of(message)
                kind = str(message.get("type") or "unknown")
                name = names.get(sender, "")
                found.append(InboundMessage(message_id, sender, text, kind, title, name))
    return found


def whatsapp_subscription_check(request: HttpRequest) -> HttpResponse:
    """Meta's GET subscription check: echo hub.challenge when hub.verify_token matches."""
    token = settings.SAMPARK_WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(given.encode(), token.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden()


def whatsapp_request_signed(request: HttpRequest) -> bool:
    """Whether a POST carries a valid X-Hub-Signature-256 for SAMPARK_WHATSAPP_APP_SECRET."""
    header = request.headers.get("X-Hub-Signature-256", "")
    secret = settings.SAMPARK_WHATSAPP_APP_SECRET
    return signature_valid(body=request.body, header=header, secret=secret)


def whatsapp_statuses_apply(payload: Any) -> tuple[int, int]:
    """Apply the payload's statuses to the outbox: (statuses received, rows updated)."""
    receipts = whatsapp_receipts(payload)
    updated = notification_receipts_apply(provider=WhatsAppCloudProvider.name, receipts=receipts)
    return len(receipts), updated
