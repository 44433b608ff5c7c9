"""Call-centre test helpers: a fixed clock, IST times, and an event-stream replayer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from sampark.callcentre.models import Call, CallSource
from sampark.callcentre.services import call_event_record

IST = ZoneInfo("Asia/Kolkata")
# Every test's "now": 2026-05-04 18:00 IST, so the streams below are recent history.
NOW = datetime(2026, 5, 4, 18, 0, tzinfo=IST)


def ist(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, second, tzinfo=IST)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Pin sampark.core.clock.now() (services read the time only through it)."""
    box = {"now": NOW}
    monkeypatch.setattr("sampark.core.clock.now", lambda: box["now"])
    return box


def replay(
    stream: Iterable[tuple], *, source: str = CallSource.API, discom=None, agents=None
) -> list[Call]:
    """Feed (call_id, kind, at[, extra dict]) tuples through the service, in the given order.

    Each event commits on its own as in production: its after-commit work (opening a callback,
    queueing the SMS) runs before the next event arrives."""
    calls = []
    for item in stream:
        call_id, kind, at, *rest = item
        extra = dict(rest[0]) if rest else {}
        agent = extra.pop("agent", None)
        if isinstance(agent, str) and agents is not None:
            agent = agents[agent]
        with TestCase.captureOnCommitCallbacks(execute=True):
            call = call_event_record(
                call_id=call_id,
                kind=kind,
                at=at,
                source=source,
                agent=agent,
                discom=extra.pop("discom", discom),
                **extra,
            )
        calls.append(call)
    return calls


def secs(n: float) -> timedelta:
    return timedelta(seconds=n)
