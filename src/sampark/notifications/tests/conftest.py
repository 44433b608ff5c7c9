"""Fixtures for the outbox tests: a local HTTP gateway, quiet hours off, queued rows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.notifications.providers import Provider, SendResult
from sampark.notifications.providers.base import Message

RESTORED_HI = "अमीनाबाद: बिजली आपूर्ति बहाल हो गई है। अब भी बिजली न हो तो 1912 पर बताएं। -UPPCL 1912"


@pytest.fixture(autouse=True)
def _predictable_dispatch(settings) -> None:
    """Quiet hours depend on the hour the suite runs: off unless a test turns them on."""
    settings.SAMPARK_QUIET_HOURS = ""
    settings.SAMPARK_DISPATCH_BACKOFF_BASE = 30.0
    settings.SAMPARK_DISPATCH_BACKOFF_CAP = 3600.0
    settings.SAMPARK_DISPATCH_MAX_ATTEMPTS = 4
    settings.SAMPARK_PROVIDER_TIMEOUT = 2.0
    settings.SAMPARK_PROVIDER_RATES = {name: 0 for name in settings.SAMPARK_PROVIDER_RATES}


@pytest.fixture(scope="session")
def _gateway_server() -> Iterator[HTTPServer]:
    # One server per test process (stopping a threaded server takes half a second).
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gateway(_gateway_server: HTTPServer) -> Iterator[HTTPServer]:
    """A local HTTP server on 127.0.0.1 only; threaded so a slow answer blocks nobody else.
    Expectations and the request log are cleared after each test."""
    _gateway_server.clear()
    yield _gateway_server
    _gateway_server.clear()


def row(**fields: Any) -> Notification:
    """A queued outbox row, as the set-based fan-out writes them."""
    now = clock.now()
    values: dict[str, Any] = {
        "topic": "outage:17",
        "event": "declared",
        "channel": "sms",
        "recipient": "+919839012345",
        "template_key": "outage_restored",
        "language": "hi",
        "text": RESTORED_HI,
        "variables": {"area": "अमीनाबाद"},
        "next_attempt_at": now,
        "created_at": now,
    }
    values.update(fields)
    return Notification.objects.create(**values)


def message(**fields: Any) -> Message:
    values: dict[str, Any] = {
        "id": 7,
        "channel": "sms",
        "recipient": "+919839012345",
        "text": RESTORED_HI,
        "template_key": "outage_restored",
        "language": "hi",
        "variables": {"area": "अमीनाबाद"},
        "dlt_template_id": "1107161234567890123",
        "dlt_entity_id": "1101234567890123456",
    }
    values.update(fields)
    return Message(**values)


def send(provider: Provider, msg: Message) -> SendResult:
    async def run() -> SendResult:
        async with provider:
            return await provider.send(msg)

    return asyncio.run(run())


def at(text: str) -> datetime:
    """An Indian local time: at("2026-05-01 22:30")."""
    return timezone.make_aware(datetime.fromisoformat(text))


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def frozen(monkeypatch) -> FrozenClock:
    """Pin core.clock.now (every service and the dispatcher read time through it)."""
    pinned = FrozenClock(at("2026-05-01 12:00"))
    monkeypatch.setattr(clock, "now", lambda: pinned.now)
    return pinned


def answered_wait(server: HTTPServer, *, count: int = 1, limit: float = 5.0) -> None:
    """Wait until `count` requests have been answered and logged. A test whose client gave up
    on a slow handler calls this, so the late log entry cannot land in the next test's log."""
    deadline = time.monotonic() + limit
    while len(server.log) < count and time.monotonic() < deadline:
        time.sleep(0.02)
