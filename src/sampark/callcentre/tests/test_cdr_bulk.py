"""The CDR import's bulk path: new calls are written whole, in a few statements per batch, and
end up exactly as the event-by-event path would leave them."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from sampark.callcentre import cdr
from sampark.callcentre.models import Call, Callback, CallbackStatus, CallEvent, CallOutcome
from sampark.core.csvimport import csv_records

from .test_cdr import DATA

pytestmark = pytest.mark.django_db

CALL_FIELDS = (
    *("call_id", "source", "calling_number", "consumer_id", "discom_id", "language", "queue"),
    *("offered_at", "queued_at", "answered_at", "ended_at", "outcome", "agent_id", "ivr_contained"),
)


def _import(csv_text: str, **options):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return cdr.cdr_import(rows=csv_records(io.StringIO(csv_text)), **options)


def _snapshot() -> tuple[list[tuple], list[tuple], list[tuple]]:
    calls = list(Call.objects.order_by("call_id").values_list(*CALL_FIELDS))
    events = list(
        CallEvent.objects.order_by("call__call_id", "at", "id").values_list(
            "call__call_id", "kind", "at", "agent_id", "queue", "detail"
        )
    )
    callbacks = list(
        Callback.objects.order_by("call__call_id").values_list(
            "call__call_id", "mobile", "status", "consumer_id", "discom_id", "language"
        )
    )
    return calls, events, callbacks


def test_bulk_rows_are_what_the_event_by_event_path_writes(net, staff):
    text = (DATA / "cdr.csv").read_text(encoding="utf-8")

    _import(text)
    bulk = _snapshot()
    for model in (Callback, CallEvent, Call):
        model.objects.all().delete()
    rows = [
        cdr.cdr_row_read(row, record, lookups=cdr._Lookups(), seen={})[0]
        for row, record in csv_records(io.StringIO(text))
    ]
    for row in rows:
        assert row is not None
        with TestCase.captureOnCommitCallbacks(execute=True):
            cdr.cdr_row_record(row)

    assert bulk == _snapshot()
    assert len(bulk[0]) == 5 and len(bulk[1]) == 17 and len(bulk[2]) == 1


HEADER = "call_id,calling_number,offered_at,queued_at,answered_at,ended_at,disposition,agent\n"


def _rows(n: int, *, start: int = 0) -> str:
    return "".join(
        f"B-{i},98390{i:05d},2026-05-04 09:{i % 60:02d}:00,2026-05-04 09:{i % 60:02d}:10,"
        f"2026-05-04 09:{i % 60:02d}:20,2026-05-04 09:{i % 60:02d}:50,answered,agent\n"
        for i in range(start, start + n)
    )


def test_a_large_file_takes_a_few_statements_per_batch(net, staff, monkeypatch):
    monkeypatch.setattr(cdr, "BATCH", 100)

    with CaptureQueriesContext(connection) as queries:
        report = _import(HEADER + _rows(300))

    assert report.counts("calls").created == 300
    assert Call.objects.count() == 300 and CallEvent.objects.count() == 1200
    # Per 100-row batch: which calls are known, consumers by mobile, pending callbacks, a
    # savepoint, and the inserts (SQLite splits them at its bound-variable limit): at most a
    # dozen, where event by event it was about 15 per row.
    assert len(queries) <= 3 * 12 + 3


def test_known_and_new_calls_in_one_file_are_counted_apart(net, staff, monkeypatch):
    monkeypatch.setattr(cdr, "BATCH", 4)
    _import(HEADER + _rows(3))

    report = _import(HEADER + _rows(10))

    counts = report.counts("calls")
    assert (counts.created, counts.updated, counts.unchanged) == (7, 0, 3)
    assert Call.objects.count() == 10 and CallEvent.objects.count() == 40


def test_a_call_stored_meanwhile_sends_its_batch_row_by_row(net, staff, monkeypatch):
    _import(HEADER + _rows(1))
    monkeypatch.setattr(cdr, "calls_known", lambda call_ids: set())  # the check misses B-0

    report = _import(HEADER + _rows(3))

    counts = report.counts("calls")
    assert (counts.created, counts.updated, counts.unchanged) == (2, 0, 1)
    assert CallEvent.objects.count() == 12


MISSED = "M-1,9839077777,2026-05-04 17:00:00,2026-05-04 17:00:10,,2026-05-04 17:01:00,abandoned,\n"
ANSWERED = (
    "M-2,9839077777,2026-05-04 17:05:00,2026-05-04 17:05:10,2026-05-04 17:05:30,"
    "2026-05-04 17:08:00,answered,agent\n"
)


def test_a_caller_answered_later_in_the_same_file_is_owed_no_callback(net, staff):
    _import(HEADER + MISSED + ANSWERED)

    assert Call.objects.get(call_id="M-1").outcome == CallOutcome.ABANDONED
    assert not Callback.objects.exists()


def test_a_caller_answered_in_a_later_file_has_the_callback_cancelled(net, staff):
    _import(HEADER + MISSED)
    assert Callback.objects.get().status == CallbackStatus.PENDING

    _import(HEADER + ANSWERED)

    callback = Callback.objects.get()
    assert callback.status == CallbackStatus.CANCELLED
    assert callback.note == "caller called again and was answered (call M-2)"
