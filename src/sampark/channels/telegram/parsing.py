"""Telegram Bot API updates, read into what the chatbot needs.

Telegram POSTs one Update per request (https://core.telegram.org/bots/api#update). The chatbot
answers two kinds:
- `message` in a private chat: its text, or empty text for a sticker, photo, voice note and
  other content, so that the bot can ask for words;
- `callback_query`: a tap on one of our inline-keyboard buttons in a private chat; its
  `data` is the option id we gave the button.
Everything else (edited messages, groups and channels, service messages, member changes,
inline queries) is acknowledged and ignored. The provider message id is "u<update_id>":
Telegram resends an update with the same id until it gets a 2xx answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import ChatChannel
from ..services import Inbound

# Message fields that hold something a person sent (not a service notice such as a pin).
USER_CONTENT = frozenset(
    {
        "text",
        "photo",
        "sticker",
        "voice",
        "audio",
        "video",
        "video_note",
        "animation",
        "document",
        "location",
        "venue",
        "contact",
        "poll",
        "dice",
    }
)


@dataclass(frozen=True)
class TelegramUpdate:
    inbound: Inbound | None  # None: acknowledge and ignore
    callback_query_id: str = ""  # a button tap, to be answered so the client stops its spinner


def telegram_update_read(update: Any) -> TelegramUpdate:
    """What one Update asks of us."""
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return TelegramUpdate(inbound=None)
    provider_message_id = f"u{update['update_id']}"
    message, query = update.get("message"), update.get("callback_query")
    if isinstance(message, dict):
        return TelegramUpdate(inbound=_from_message(message, provider_message_id))
    if isinstance(query, dict):
        return TelegramUpdate(
            inbound=_from_callback(query, provider_message_id),
            callback_query_id=str(query.get("id") or ""),
        )
    return TelegramUpdate(inbound=None)


def _private_chat_id(message: Any) -> str | None:
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    return str(chat["id"]) if isinstance(chat.get("id"), int) else None


def _name(user: Any) -> str:
    if not isinstance(user, dict):
        return ""
    parts = (user.get("first_name"), user.get("last_name"))
    return " ".join(str(part).strip() for part in parts if part and str(part).strip())


def _from_message(message: dict[str, Any], provider_message_id: str) -> Inbound | None:
    chat_id = _private_chat_id(message)
    if chat_id is None or not USER_CONTENT.intersection(message):
        return None
    text = message.get("text")
    return Inbound(
        channel=ChatChannel.TELEGRAM,
        user_key=chat_id,
        text=text if isinstance(text, str) else "",
        provider_message_id=provider_message_id,
        display_name=_name(message.get("from")),
    )


def _from_callback(query: dict[str, Any], provider_message_id: str) -> Inbound | None:
    chat_id = _private_chat_id(query.get("message"))
    data = query.get("data")
    if chat_id is None or not isinstance(data, str) or not data:
        return None
    return Inbound(
        channel=ChatChannel.TELEGRAM,
        user_key=chat_id,
        text=data,
        provider_message_id=provider_message_id,
        display_name=_name(query.get("from")),
    )
