"""Telegram Bot API: sendMessage to a chat id (zone groups, staff alerts, chatbot replies).

A chatbot reply's options become an inline keyboard, one button a row, whose callback data is
the option id (the webhook, sampark.channels.telegram, reads it back from the callback query).
Callback data is limited to 1-64 bytes: when an id does not fit, the options are numbered lines
under the text instead. Text is limited to 4,096 characters (core.telegram.org/bots/api).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Message, PermanentError, ProviderError, SendResult, TransientError
from .http import HttpProvider, dig, json_answer
from .whatsapp_cloud import clipped, numbered  # the same fallback on both chat channels

TEXT_LIMIT = 4096  # sendMessage: 1-4096 characters
CALLBACK_DATA_LIMIT = 64  # InlineKeyboardButton.callback_data: 1-64 bytes


def send_message_payload(message: Message) -> dict[str, object]:
    """The sendMessage body: the text, and the options as an inline keyboard where they fit."""
    options = message.options
    if options and all(
        title and 0 < len(key.encode()) <= CALLBACK_DATA_LIMIT for key, title in options
    ):
        keyboard = [[{"text": title, "callback_data": key}] for key, title in options]
        return {
            "chat_id": message.recipient,
            "text": clipped(message.text, TEXT_LIMIT),
            "reply_markup": {"inline_keyboard": keyboard},
        }
    text = numbered(message.text, options) if options else message.text
    return {"chat_id": message.recipient, "text": clipped(text, TEXT_LIMIT)}


class TelegramProvider(HttpProvider):
    name = "telegram"
    channels = frozenset({"telegram"})

    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        super().__init__(concurrency=concurrency, timeout=timeout)
        token = settings.SAMPARK_TELEGRAM_BOT_TOKEN
        if not token:
            raise ImproperlyConfigured("SAMPARK_TELEGRAM_BOT_TOKEN is required for telegram")
        self.url = f"{settings.SAMPARK_TELEGRAM_API_BASE.rstrip('/')}/bot{token}/sendMessage"

    async def send(self, message: Message) -> SendResult:
        body = await self.request("POST", self.url, json=send_message_payload(message))
        data = json_answer(body)
        message_id = dig(data, "result.message_id")
        if dig(data, "ok") is not True or message_id is None:
            raise PermanentError("no message id in the answer", body=body)
        # Telegram numbers messages per chat: the chat makes the id unique.
        return SendResult(provider_message_id=f"{message.recipient}:{message_id}")

    def refused(self, *, status: int, body: str, retry_after: float | None) -> ProviderError:
        try:
            asked = dig(json.loads(body), "parameters.retry_after")
        except ValueError:
            asked = None
        if isinstance(asked, int | float):  # flood control says how long to wait
            return TransientError("flood control", status=status, body=body, retry_after=asked)
        return super().refused(status=status, body=body, retry_after=retry_after)
