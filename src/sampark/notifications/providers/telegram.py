"""Telegram Bot API: sendMessage to a chat id (zone groups, staff alerts)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Message, PermanentError, ProviderError, SendResult, TransientError
from .http import HttpProvider, dig, json_answer


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
        payload = {"chat_id": message.recipient, "text": message.text}
        body = await self.request("POST", self.url, json=payload)
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
