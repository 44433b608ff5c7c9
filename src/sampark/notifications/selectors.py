"""Reads on the outbox: "was this consumer told?"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import account_number_clean, consumers_for_staff
from sampark.core.errors import NotFound

from .models import Notification, NotificationStatus

NOT_IN_AREA = _("No consumer with this account number in your area.")


@dataclass(frozen=True)
class ConsumerNotifications:
    consumer: Consumer
    notifications: QuerySet[Notification]  # newest first


def notifications_for_consumer(
    *, user: StaffUser, account_number: str, topic: str | None = None
) -> ConsumerNotifications:
    """Every message to a consumer (optionally about one topic, e.g. "outage:17"), newest first.

    The consumer must lie in the user's jurisdiction (`consumers_for_staff` applies
    `staff_scope` to the consumer's sub-division path); otherwise NotFound, exactly as for an
    unknown account, so other areas cannot be probed.
    """
    number = account_number_clean(account_number)
    consumer = consumers_for_staff(user=user).filter(account_number=number).first()
    if consumer is None:
        raise NotFound(fields={"account_number": NOT_IN_AREA})
    rows = Notification.objects.filter(consumer=consumer)
    if topic:
        rows = rows.filter(topic=topic)
    return ConsumerNotifications(
        consumer=consumer, notifications=rows.order_by("-created_at", "-id")
    )


def recipient_mask(recipient: str) -> str:
    """Hide all but the last four characters of a number or chat id ('+********2345'), and the
    local part of an e-mail address but its first letter ('a***@example.in')."""
    if "@" in recipient and not recipient.startswith("@"):
        local, _at, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    plus = "+" if recipient.startswith("+") else ""
    body = recipient.removeprefix("+")
    return plus + "*" * max(0, len(body) - 4) + body[-4:]


def notification_status_counts(*, topic: str) -> list[tuple[str, int]]:
    """How many messages about `topic` are in each status, labelled: [("Sent", 2044), ...]."""
    counts = dict(
        Notification.objects.filter(topic=topic)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        (str(label), counts[value])
        for value, label in NotificationStatus.choices
        if value in counts
    ]
