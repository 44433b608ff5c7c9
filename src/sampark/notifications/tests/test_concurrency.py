"""Concurrent claimers on PostgreSQL (SKIP LOCKED) never take the same row, and two
dispatchers running at once send each message exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from sampark.core import clock
from sampark.core.db import rows_insert
from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification
from sampark.notifications.outbox import outbox_claim
from sampark.testing.concurrency import race

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

ROWS = 600


@pytest.fixture(autouse=True)
def _quiet_console(caplog) -> None:
    caplog.set_level("WARNING", logger="sampark.notifications.console")


def queued_rows() -> set[int]:
    now = clock.now()
    columns = ["topic", "event", "channel", "recipient", "template_key", "language", "text",
               "variables", "dlt_template_id", "dlt_entity_id", "segments", "urgent", "status",
               "attempts", "next_attempt_at", "last_error", "provider", "provider_message_id",
               "created_at"]  # fmt: skip
    rows = (
        ("outage:1", "declared", "sms", f"+9198390{n:05d}", "outage_restored", "hi", "text",
         "{}", "", "", 1, True, "queued", 0, now, "", "", "", now)
        for n in range(ROWS)
    )  # fmt: skip
    rows_insert(model=Notification, columns=columns, rows=rows)
    return set(Notification.objects.values_list("id", flat=True))


def test_concurrent_claimers_never_claim_the_same_row():
    everything = queued_rows()

    def claim_until_empty() -> list[int]:
        mine: list[int] = []
        while True:
            now = clock.now()
            claims = outbox_claim(
                channel="sms",
                limit=25,
                now=now,
                lease_until=now + timedelta(minutes=5),
                urgent_only=False,
            )
            if not claims:
                return mine
            mine += [c.message.id for c in claims]

    outcomes = race(claim_until_empty, threads=4)

    results = [r for r in outcomes if not isinstance(r, Exception)]
    assert len(results) == len(outcomes), outcomes
    claimed = [pk for mine in results for pk in mine]
    # They really raced (a thread whose connection opened late may find nothing left).
    assert len(results) == 4 and sum(1 for mine in results if mine) >= 2
    assert len(claimed) == len(set(claimed)) == ROWS
    assert set(claimed) == everything


def test_two_dispatchers_at_once_send_each_message_once(settings):
    settings.SAMPARK_DISPATCH_BATCH = 40
    settings.SAMPARK_QUIET_HOURS = ""
    queued_rows()

    outcomes = race(lambda: notifications_dispatch_run(budget=60).sent, threads=2)

    assert not [r for r in outcomes if isinstance(r, Exception)], outcomes
    assert sum(r for r in outcomes if isinstance(r, int)) == ROWS
    assert set(Notification.objects.values_list("status", "attempts").distinct()) == {("sent", 1)}
