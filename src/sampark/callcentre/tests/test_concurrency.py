"""Replayed webhooks arriving at once, and one caller's calls ending at once: one event, one
callback (PostgreSQL: real parallel writers; SQLite serializes writers, so no race there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from sampark.callcentre.models import Call, Callback, CallEvent, CallSource
from sampark.callcentre.services import call_event_record
from sampark.notifications.models import Notification
from sampark.testing.concurrency import race
from sampark.testing.factories import small_network_build

from .conftest import ist

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8


def test_the_same_event_delivered_eight_times_at_once_is_recorded_once():
    small_network_build()

    def deliver():
        return call_event_record(
            call_id="race-1",
            kind="abandoned",
            at=ist(4, 17, 0),
            source=CallSource.EXOTEL,
            calling_number="9839012345",
        )

    results = race(deliver, threads=THREADS)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Call.objects.count() == 1 and CallEvent.objects.count() == 1
    assert Callback.objects.count() == 1 and Notification.objects.count() == 1


def test_one_callers_calls_ending_at_once_leave_one_pending_callback():
    small_network_build()
    counter = iter(range(THREADS))
    lock = threading.Lock()

    def hang_up():
        with lock:
            n = next(counter)
        return call_event_record(
            call_id=f"race-{n}",
            kind="abandoned",
            at=ist(4, 17, n),
            source=CallSource.EXOTEL,
            calling_number="9839012345",
        )

    results = race(hang_up, threads=THREADS)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Call.objects.count() == THREADS
    assert Callback.objects.filter(status="pending").count() == 1
    assert Notification.objects.count() == 1
