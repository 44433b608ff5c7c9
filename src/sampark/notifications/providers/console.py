"""Development default: write the message to the log and call it sent.

The row itself (text, segments, status "sent", provider "console") is what shows up in the
admin, so a developer sees exactly what a consumer would have received.
"""

from __future__ import annotations

import logging

from .base import Message, Provider, SendResult

log = logging.getLogger("sampark.notifications.console")

ALL_CHANNELS = frozenset({"sms", "whatsapp", "email", "telegram"})


class ConsoleProvider(Provider):
    name = "console"
    channels = ALL_CHANNELS

    async def send(self, message: Message) -> SendResult:
        log.info(
            "%s to %s [%s, %s]: %s",
            message.channel,
            message.recipient,
            message.template_key,
            message.language,
            message.text,
        )
        return SendResult(provider_message_id=f"console-{message.id}")
