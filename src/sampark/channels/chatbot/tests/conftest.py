"""A scripted user: sends messages on a channel and reads what the bot answered."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from sampark.channels.models import Author, ChatMessage, Conversation
from sampark.channels.services import Inbound, chat_message_answer_now, chat_message_receive

_ids = itertools.count(1)


@dataclass
class ChatUser:
    channel: str
    user_key: str
    capture: Callable
    mobile: str | None = None
    seen: int = 0
    answers: list[ChatMessage] = field(default_factory=list)

    def send(self, text: str) -> list[str]:
        """Send one message; the bot's replies (texts) to it."""
        inbound = Inbound(
            channel=self.channel,
            user_key=self.user_key,
            mobile=self.mobile,
            text=text,
            provider_message_id="" if self.channel == "web" else f"m{next(_ids)}",
        )
        if self.channel == "web":
            chat_message_answer_now(inbound=inbound)
        else:
            with self.capture(execute=True):
                chat_message_receive(inbound=inbound)
        new = list(
            ChatMessage.objects.filter(
                conversation=self.conversation, author=Author.BOT, id__gt=self.seen
            ).order_by("id")
        )
        if new:
            self.seen = new[-1].id
        self.answers = new
        return [m.text for m in new]

    @property
    def conversation(self) -> Conversation:
        return Conversation.objects.get(channel=self.channel, user_key=self.user_key)

    @property
    def options(self) -> list[str]:
        return [key for m in self.answers for key, _title in m.options]


@pytest.fixture
def whatsapp_user(django_capture_on_commit_callbacks) -> Callable[[str], ChatUser]:
    def make(mobile: str) -> ChatUser:
        return ChatUser("whatsapp", mobile, django_capture_on_commit_callbacks, mobile=mobile)

    return make


@pytest.fixture
def sms_user(django_capture_on_commit_callbacks) -> Callable[[str], ChatUser]:
    def make(mobile: str) -> ChatUser:
        return ChatUser("sms", mobile, django_capture_on_commit_callbacks, mobile=mobile)

    return make


@pytest.fixture
def web_user(django_capture_on_commit_callbacks) -> ChatUser:
    return ChatUser("web", "web-session-1", django_capture_on_commit_callbacks)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """The flood limit counts in the cache, which outlives a test: start each one at zero."""
    from django.core.cache import cache

    cache.clear()
