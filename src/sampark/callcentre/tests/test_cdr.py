"""CDR import: each row becomes its call's events; re-importing changes nothing; a bad row is
named with its row number and refuses the whole file unless bad rows are skipped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from sampark.callcentre.cdr import cdr_import
from sampark.callcentre.kpis import call_kpis
from sampark.callcentre.models import Call, Callback, CallEvent, CallOutcome
from sampark.core.csvimport import csv_records
from sampark.notifications.models import Notification

from .conftest import ist

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _import(name: str, **options):
    path = DATA / name
    with (
        path.open(newline="", encoding="utf-8") as stream,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return cdr_import(rows=csv_records(stream), **options)


def _text(csv_text: str, **options):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return cdr_import(rows=csv_records(io.StringIO(csv_text)), **options)


def test_a_good_file_becomes_calls_with_their_events(net, staff):
    report = _import("cdr.csv")

    assert not report.refused and not report.errors
    counts = report.counts("calls")
    assert (counts.created, counts.updated, counts.unchanged) == (5, 0, 0)
    outcomes = dict(Call.objects.values_list("call_id", "outcome"))
    assert outcomes == {
        "CDR-1": CallOutcome.ANSWERED,
        "CDR-2": CallOutcome.ABANDONED,
        "CDR-3": CallOutcome.IVR_CONTAINED,
        "CDR-4": CallOutcome.DROPPED,
        "CDR-5": CallOutcome.TRANSFERRED,
    }
    first = Call.objects.get(call_id="CDR-1")
    assert (first.source, first.agent, first.consumer, first.discom) == (
        "cdr",
        staff["agent"],
        net.consumer1,
        net.mvvnl,
    )
    assert (first.queued_at, first.answered_at, first.ended_at) == (
        ist(4, 10, 0, 30),
        ist(4, 10, 0, 40),
        ist(4, 10, 4, 40),
    )
    assert list(first.events.values_list("kind", flat=True)) == [
        "offered",
        "queued",
        "answered",
        "completed",
    ]
    # The abandoned caller of this morning is owed a callback; the withheld one cannot be.
    assert list(Callback.objects.values_list("call__call_id", flat=True)) == ["CDR-2"]
    assert Notification.objects.count() == 1


def test_imported_calls_give_the_kpis_worked_out_by_hand(net, staff):
    _import("cdr.csv")

    ten, eleven = call_kpis(start=ist(4, 0), end=ist(5, 0), bucket="hour")

    # 10:00: CDR-1 answered after 10 s (talk 240 s), CDR-2 abandoned after 60 s in the queue,
    # CDR-3 contained, CDR-4 dropped.
    assert (ten.offered, ten.answered, ten.abandoned, ten.dropped, ten.ivr_contained) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert (ten.abandonment_rate, ten.asa_seconds, ten.aht_seconds) == (0.3333, 10.0, 240.0)
    assert ten.service_level == 0.5  # 1 fast / (1 answered + 1 abandoned after 20 s)
    assert (ten.callbacks_owed, ten.not_called_back) == (1, 1)
    # 11:00: CDR-5 answered after 15 s, transferred after 180 s.
    assert (eleven.offered, eleven.answered, eleven.asa_seconds, eleven.aht_seconds) == (
        1,
        1,
        15.0,
        180.0,
    )


def test_re_importing_the_same_file_changes_nothing(net, staff):
    _import("cdr.csv")
    events, callbacks = CallEvent.objects.count(), Callback.objects.count()

    report = _import("cdr.csv")

    counts = report.counts("calls")
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 5)
    assert (CallEvent.objects.count(), Callback.objects.count()) == (events, callbacks)
    assert Notification.objects.count() == 1


def test_a_row_adding_to_a_known_call_counts_as_updated(net, staff):
    _text("call_id,offered_at\nCDR-9,2026-05-04 09:00:00\n")

    report = _text(
        "call_id,calling_number,offered_at,ended_at,disposition\n"
        "CDR-9,9839012345,2026-05-04 09:00:00,2026-05-04 09:02:00,abandoned\n"
    )

    assert report.counts("calls").updated == 1
    assert Call.objects.get(call_id="CDR-9").outcome == CallOutcome.ABANDONED


BAD_ROWS = [
    "row 3: call_id: This field is required.",
    "row 4: offered_at: 'yesterday' is not a date and time (e.g. 2026-05-04 14:30:05, IST).",
    "row 5: answered_at: Comes before queued_at.",
    "row 6: agent: No staff user has the username 'nobody'.",
    "row 6: discom: No discom has the code 'XXX'.",
    "row 7: call_id: Call id 'GOOD-1' already appeared in row 2.",
    "row 8: disposition: An answered disposition needs answered_at.",
    "row 9: queue: 'vip' is not one of: emergency, general, english.",
    "row 10: offered_at: '2027-05-04 10:00:00' is in the future.",
]


def test_a_bad_row_refuses_the_whole_file_naming_every_problem(net, staff):
    from django.utils import translation

    with translation.override("en"):
        report = _import("cdr_bad.csv")
        errors = [str(error) for error in report.errors]

    assert report.refused and report.bad_rows == 8
    assert errors == BAD_ROWS
    assert not Call.objects.exists() and not CallEvent.objects.exists()
    assert not Callback.objects.exists() and not Notification.objects.exists()


def test_skip_invalid_imports_the_good_rows(net, staff):
    report = _import("cdr_bad.csv", skip_invalid=True)

    assert not report.refused and report.bad_rows == 8
    assert report.counts("calls").created == 1
    assert list(Call.objects.values_list("call_id", flat=True)) == ["GOOD-1"]


def test_a_file_without_the_required_columns_is_refused(net):
    report = _text("id,start\nX,2026-05-04 10:00:00\n")

    assert report.refused
    assert [(e.row, e.field) for e in report.errors] == [(1, "call_id"), (1, "offered_at")]
    assert not Call.objects.exists()


def test_the_import_command(net, staff):
    out, err = io.StringIO(), io.StringIO()

    call_command("import", "cdr", str(DATA / "cdr.csv"), stdout=out, stderr=err)

    assert "calls: 5 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Call.objects.count() == 5


def test_the_import_command_refuses_a_bad_file_and_names_the_rows(net, staff):
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="8 bad row"):
        call_command("import", "cdr", str(DATA / "cdr_bad.csv"), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == BAD_ROWS
    assert not Call.objects.exists()
