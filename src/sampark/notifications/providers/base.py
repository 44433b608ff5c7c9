"""One interface for every way a message leaves Sampark.

A provider turns one outbox row (as a detached `Message`) into one request to the outside world
and answers with the provider's message id, or raises:
- `TransientError`: worth retrying later (timeouts, connection errors, 429, 5xx);
- `PermanentError`: retrying will not help (4xx other than 429, an invalid number, an answer
  that cannot be read).
`send` is async so that one worker keeps many requests in flight: the client, not the database,
decides the dispatcher's throughput (DESIGN.md section 8).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import ClassVar, Self

BODY_LIMIT = 1000  # characters of a provider's answer kept in last_error


@dataclass(frozen=True)
class Message:
    """What a provider needs to send one outbox row, detached from the ORM (async code must not
    touch it)."""

    id: int
    channel: str
    recipient: str
    text: str
    template_key: str
    language: str
    variables: Mapping[str, str] = field(default_factory=dict)
    dlt_template_id: str = ""
    dlt_entity_id: str = ""
    # Chat replies: (id, title) pairs to offer as buttons; providers without buttons ignore them.
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


def body_excerpt(body: str | bytes | None) -> str:
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


class ProviderError(Exception):
    kind = "error"

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        body: str | bytes | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.reason = reason
        self.status = status
        self.body = body_excerpt(body)
        self.retry_after = retry_after
        super().__init__(self.describe())

    def describe(self) -> str:
        """The row's last_error: what went wrong, the HTTP status and the answer's body."""
        text = self.reason
        if self.status is not None:
            text += f" (HTTP {self.status})"
        if self.body:
            text += f": {self.body}"
        return text


class TransientError(ProviderError):
    kind = "transient"


class PermanentError(ProviderError):
    kind = "permanent"


class Provider(ABC):
    """Open once per dispatch run (`async with provider:`), then `send` many times, possibly
    concurrently."""

    name: ClassVar[str]
    channels: ClassVar[frozenset[str]]

    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        self.concurrency = concurrency  # requests the dispatcher may keep in flight
        self.timeout = timeout  # seconds for one send

    async def open(self) -> None:  # noqa: B027 (an optional hook, not abstract)
        """Acquire connections (an HTTP session); called once before the first send."""

    async def close(self) -> None:  # noqa: B027
        """Release what `open` acquired."""

    @abstractmethod
    async def send(self, message: Message) -> SendResult: ...

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
