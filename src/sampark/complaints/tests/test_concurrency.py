"""Concurrent identical registrations create exactly one complaint (PostgreSQL: real parallel
writers; SQLite serializes writers, so the race cannot happen there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from sampark.complaints.models import Complaint
from sampark.complaints.services import complaint_register
from sampark.consumers.models import Consumer
from sampark.testing.concurrency import race
from sampark.testing.factories import small_network_build

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8


def test_identical_requests_at_once_create_one_complaint():
    small_network_build()
    consumer_id = Consumer.objects.get(account_number="1234567890").pk

    def register():
        consumer = Consumer.objects.select_related("dt", "feeder", "subdivision").get(
            pk=consumer_id
        )
        return complaint_register(consumer=consumer, category="no_supply", channel="web")

    results = race(register, threads=THREADS)

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    numbers = {r.complaint.number for r in results}
    assert len(numbers) == 1
    assert sum(r.created for r in results) == 1
    assert Complaint.objects.filter(consumer_id=consumer_id).count() == 1


def test_parallel_different_consumers_get_distinct_sequential_numbers():
    small_network_build()
    consumer_ids = list(Consumer.objects.values_list("pk", flat=True))
    counter = iter(range(THREADS))
    lock = threading.Lock()

    def register():
        with lock:
            i = next(counter)
        consumer = Consumer.objects.get(pk=consumer_ids[0])
        return complaint_register(
            contact_mobile=f"+91981110{i:04d}", category="no_supply", channel="ivr",
            feeder=consumer.feeder,
        )  # fmt: skip

    results = race(register, threads=THREADS)
    numbers = sorted(r.complaint.number for r in results)
    assert len(set(numbers)) == THREADS
    assert [n[-5:] for n in numbers] == [f"{i:05d}" for i in range(1, THREADS + 1)]
