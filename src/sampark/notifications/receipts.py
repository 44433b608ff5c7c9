"""Delivery receipts: what providers tell us after the send (SMS DLRs, WhatsApp statuses).

Receipts only move a message forward: sent -> delivered, sent -> failed; delivered and failed
are final. So a repeated receipt changes nothing, and an out-of-order one (WhatsApp may post
"read" before "sent") never moves a delivered message back. Receipts for ids we do not know
(another system on the same account, or a row recorded a moment later) are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction

from .models import Notification, NotificationChannel, NotificationStatus
from .services import notification_fallback_create

ERROR_LIMIT = 2000


class ReceiptStatus(StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class Receipt:
    provider_message_id: str
    status: ReceiptStatus
    at: datetime
    error: str = ""


def notification_receipts_apply(*, provider: str, receipts: Sequence[Receipt]) -> int:
    """Apply receipts from one provider to its rows (by provider message id); returns the
    number of rows changed. WhatsApp messages reported failed fall back to SMS where allowed."""
    changed = 0
    failed_whatsapp: list[int] = []
    with transaction.atomic():
        for receipt in receipts:
            rows = Notification.objects.filter(
                provider=provider, provider_message_id=receipt.provider_message_id
            )
            if receipt.status == ReceiptStatus.SENT:
                changed += rows.filter(status=NotificationStatus.SENT, sent_at__isnull=True).update(
                    sent_at=receipt.at
                )
            elif receipt.status == ReceiptStatus.DELIVERED:
                changed += rows.filter(status=NotificationStatus.SENT).update(
                    status=NotificationStatus.DELIVERED, delivered_at=receipt.at
                )
            else:
                found = list(
                    rows.filter(status=NotificationStatus.SENT).values_list("id", "channel")
                )
                changed += Notification.objects.filter(id__in=[pk for pk, _ in found]).update(
                    status=NotificationStatus.FAILED,
                    failed_at=receipt.at,
                    last_error=f"receipt: {receipt.error or 'failed'}"[:ERROR_LIMIT],
                )
                failed_whatsapp += [
                    pk for pk, channel in found if channel == NotificationChannel.WHATSAPP
                ]
        if failed_whatsapp:
            notification_fallback_create(notification_ids=failed_whatsapp)
    return changed
