"""WhatsApp Cloud API webhook protocol: the pieces the /webhooks/whatsapp/ view uses.

The view itself is sampark.channels.whatsapp.views (it also hands inbound texts to the keyword
handler, which notifications may not import). GET is Meta's subscription check (hub.verify_token
must match, hub.challenge is echoed). POST carries X-Hub-Signature-256: HMAC-SHA256 of the raw
body with the app secret; a missing or bad signature is a 403 and nothing changes. `statuses`
(sent, delivered, read, failed) update rows by provider message id; `whatsapp_inbound_texts`
reads the incoming text `messages`.
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


@dataclass(frozen=True)
class InboundText:
    """A text message a user sent us (entry[].changes[].value.messages[], type text)."""

    message_id: str
    sender: str  # the wa_id: the number with its country code, no "+"
    text: str


def whatsapp_inbound_texts(payload: Any) -> list[InboundText]:
    """Every text message in a webhook payload; other message types are left out."""
    found = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            messages = value.get("messages") if isinstance(value, dict) else None
            for message in messages if isinstance(messages, list) else []:
                if not isinstance(message, dict) or message.get("type") != "text":
                    continue
                body = message.get("text")
                text = body.get("body") if isinstance(body, dict) else None
                message_id, sender = str(message.get("id") or ""), str(message.get("from") or "")
                if message_id and sender and isinstance(text, str):
                    found.append(InboundText(message_id, sender, text))
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
