"""What the HTTP providers share: one keep-alive aiohttp session and one way to read answers."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from .base import PermanentError, Provider, ProviderError, TransientError


def retry_after_seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the exponential backoff will do


class HttpProvider(Provider):
    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        super().__init__(concurrency=concurrency, timeout=timeout)
        self._session: aiohttp.ClientSession | None = None

    # Sent with every request (credentials, content type): set once on the session.
    session_headers: dict[str, str] = {}

    async def open(self) -> None:
        connector = aiohttp.TCPConnector(limit=self.concurrency, ttl_dns_cache=300)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers=self.session_headers,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError(f"{self.name}: open() the provider before sending")
        return self._session

    async def request(self, method: str, url: str, **kwargs: Any) -> str:
        """The body of a 2xx answer; anything else raises the matching ProviderError."""
        try:
            async with self.session.request(method, url, **kwargs) as response:
                raw = await response.read()
                status = response.status
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        except TimeoutError:  # asyncio's and aiohttp's timeouts are TimeoutError (3.11+)
            raise TransientError(f"no answer within {self.timeout:g} s") from None
        except aiohttp.ClientError as error:
            raise TransientError(
                f"connection failed: {error.__class__.__name__}: {error}"
            ) from None
        body = raw.decode("utf-8", "replace")
        if not 200 <= status < 300:
            raise self.refused(status=status, body=body, retry_after=retry_after)
        return body

    def refused(self, *, status: int, body: str, retry_after: float | None) -> ProviderError:
        """Classify a non-2xx answer: 429 and 5xx are worth retrying, anything else is not.
        Subclasses add what they know of their provider's own error codes."""
        if status == 429 or status >= 500:
            reason = "provider busy" if status == 429 else "provider error"
            return TransientError(reason, status=status, body=body, retry_after=retry_after)
        return PermanentError("refused", status=status, body=body)


def json_answer(body: str) -> Any:
    """Parse a 2xx answer; HTML, empty or otherwise unreadable answers are permanent failures
    (the message may or may not have gone out: never risk sending it twice)."""
    try:
        return json.loads(body)
    except ValueError:
        raise PermanentError("unreadable answer (not JSON)", body=body or "(empty)") from None


def dig(data: Any, path: str) -> Any:
    """'data.0.id' -> data["data"][0]["id"]; None when any step is missing."""
    for part in path.split(".") if path else []:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data
