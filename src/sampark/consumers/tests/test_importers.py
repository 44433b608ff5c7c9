"""Consumer CSV import: derived columns, upsert by account number, bad rows, --skip-invalid."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sampark.consumers.importers import (
    CONSUMER_COLUMNS,
    consumers_derived_refresh,
    consumers_import,
)
from sampark.consumers.mobile_verification import mobile_digest
from sampark.consumers.models import Consumer, MobileChange
from sampark.core.csvimport import ImportReport, csv_records
from sampark.network.importers import network_import

HEADER = ",".join(CONSUMER_COLUMNS)
DATA = Path(__file__).parent / "data"
NETWORK_CSV = Path(__file__).parents[2] / "network" / "tests" / "data" / "network.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rows_of(text: str) -> list[tuple[int, dict[str, str]]]:
    return list(csv_records(io.StringIO(textwrap.dedent(text).lstrip())))


def import_text(text: str, *, skip_invalid: bool = False, chunk_size: int = 5000) -> ImportReport:
    return consumers_import(rows=rows_of(text), skip_invalid=skip_invalid, chunk_size=chunk_size)


def test_import_derives_the_network_columns_from_the_dt(net):
    report = import_text(
        f"""
        {HEADER}
        4000000001,Ram Prakash Yadav,98390 44444,,,,,1,,DT-AMN-1,"H.No. 12, Aminabad",26.85,80.93
        4000000002,Sunita Devi,,,,en,agricultural,,,DT-BKT-1,Gram Rampur,,
        """
    )

    assert not report.errors and report.counts("consumer").created == 2
    urban = Consumer.objects.get(account_number="4000000001")
    assert urban.mobile == "+919839044444"  # stored E.164
    assert (urban.language, urban.category, urban.consent_sms) == ("hi", "domestic", True)
    assert (urban.feeder, urban.subdivision) == (net.feeder1, net.sd1)
    assert (urban.area_type, urban.is_a_class) == ("URBAN", True)  # Lucknow zone is A-class
    rural = Consumer.objects.get(account_number="4000000002")
    assert (rural.feeder, rural.subdivision, rural.area_type) == (
        net.feeder2_rural,
        net.sd2,
        "RURAL",
    )
    assert not rural.is_a_class and rural.mobile is None


def test_reimport_updates_changed_rows_without_duplicates(net):
    text = f"""
        {HEADER}
        4000000001,Ram Prakash Yadav,9839044444,,,,,1,,DT-AMN-1,,,
        4000000002,Sunita Devi,,,,,,,,DT-BKT-1,,,
        1234567890,Existing Consumer Renamed,9839012345,,,,,1,,DT-MRT-1,,,
        """
    first = import_text(text)
    created_at = Consumer.objects.get(account_number="4000000001").created_at

    again = import_text(text)
    changed = import_text(text.replace("Sunita Devi,,", "Sunita Devi,9415012345,"))

    assert (first.counts("consumer").created, first.counts("consumer").updated) == (2, 1)
    assert again.counts("consumer").unchanged == 3 and again.written == 0
    assert changed.counts("consumer").updated == 1 and changed.counts("consumer").unchanged == 2
    assert Consumer.objects.count() == 5  # 3 from the fixture network + 2 new
    moved = Consumer.objects.get(account_number="1234567890")
    assert (moved.name, moved.dt, moved.feeder) == (
        "Existing Consumer Renamed",
        net.dt_p,
        net.feeder_p,
    )
    assert not moved.is_a_class  # re-derived for its new DT (Meerut is not A-class)
    sunita = Consumer.objects.get(account_number="4000000002")
    assert sunita.mobile == "+919415012345"
    assert Consumer.objects.get(account_number="4000000001").created_at == created_at


def test_a_reimport_that_changes_mobiles_audits_each_change(net):
    text = f"""
        {HEADER}
        4000000001,Ram Prakash Yadav,9839044444,,,,,1,,DT-AMN-1,,,
        4000000002,Sunita Devi,,,,,,,,DT-BKT-1,,,
        4000000003,Mohan Lal,9839055555,,,,,1,,DT-BKT-1,,,
        """
    import_text(text)
    assert not MobileChange.objects.exists()  # a first load is not a change

    import_text(
        text.replace("Yadav,9839044444", "Yadav,9415044444")
        .replace("Sunita Devi,,", "Sunita Devi,9415012345,")
        .replace("Mohan Lal,9839055555", "Mohan Lal,")
    )

    kinds = dict(MobileChange.objects.values_list("consumer__account_number", "kind"))
    assert kinds == {"4000000001": "changed", "4000000002": "registered", "4000000003": "removed"}
    changed = MobileChange.objects.get(consumer__account_number="4000000001")
    assert (changed.channel, changed.proof, changed.actor) == ("import", "billing_record", None)
    assert changed.old_mobile_digest == mobile_digest("+919839044444")
    assert changed.new_mobile_digest == mobile_digest("+919415044444")
    import_text(text)  # back again: three more changes, nothing for unchanged rows
    assert MobileChange.objects.count() == 6


def test_each_bad_row_is_named_and_nothing_is_written(net):
    report = import_text(
        f"""
        {HEADER}
        4000000001,Good Row,9839044444,,,,,1,,DT-AMN-1,,,
        40000,Short Account,,,,,,,,DT-AMN-1,,,
        4000000003,Unknown DT,,,,,,,,DT-NOWHERE,,,
        4000000004,Bad Mobile,12345,,,,,,,DT-AMN-1,,,
        4000000001,Duplicate,,,,,,,,DT-AMN-1,,,
        4000000006,Bad Enums,,,,xx,shop,maybe,,DT-AMN-1,,,
        4000000007,,,,,,,,,,,,
        4000000008,Bad Email And Place,,,not-an-email,,,,,DT-AMN-1,,91,abc
        ,No Account,,,,,,,,DT-AMN-1,,,
        """,
        chunk_size=3,  # the good row was already written by the time the bad ones came
    )

    assert report.refused and report.bad_rows == 8
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "account_number"),
        (4, "dt_code"),
        (5, "mobile"),
        (6, "account_number"),
        (7, "language"),
        (7, "category"),
        (7, "consent_sms"),
        (8, "name"),
        (8, "dt_code"),
        (9, "email"),
        (9, "latitude"),
        (9, "longitude"),
        (10, "account_number"),
    ]
    messages = {(e.row, e.field): e.message for e in report.errors}
    assert messages[(3, "account_number")] == "An account number has exactly 10 digits."
    assert "DT-NOWHERE" in messages[(4, "dt_code")]
    assert messages[(5, "mobile")] == "Enter a valid 10-digit mobile number."
    assert messages[(6, "account_number")] == (
        "Account number 4000000001 already appears in row 2."
    )
    assert messages[(8, "name")] == "This field is required."
    assert not Consumer.objects.filter(account_number__startswith="4").exists()
    assert Consumer.objects.count() == 3  # only the fixture network's consumers


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(net):
    report = import_text(
        f"""
        {HEADER}
        4000000001,Good One,9839044444,,,,,1,,DT-AMN-1,,,
        4000000002,Bad One,99,,,,,,,DT-AMN-1,,,
        4000000003,Good Two,,,,,,,,DT-BKT-1,,,
        """,
        skip_invalid=True,
        chunk_size=2,
    )

    assert not report.refused
    assert [(e.row, e.field) for e in report.errors] == [(3, "mobile")]
    assert report.counts("consumer").created == 2
    assert set(
        Consumer.objects.filter(account_number__startswith="4").values_list("name", flat=True)
    ) == {
        "Good One",
        "Good Two",
    }


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_header_without_required_columns_is_refused(net, skip_invalid):
    report = import_text(
        """
        account_number,name,mobile
        4000000001,No DT column,9839044444
        """,
        skip_invalid=skip_invalid,
    )

    assert report.refused
    assert [(e.row, e.field) for e in report.errors] == [(1, "dt_code")]
    assert Consumer.objects.count() == 3


def test_network_reimport_moves_consumers_with_their_dt(net):
    """A DT re-parented to another feeder, and the Lucknow zone losing its A-class flag, are
    followed by the consumers' derived columns."""
    header = "kind,code,parent_code,name_en,a_class_city"
    changes = network_import(
        rows=rows_of(
            f"""
            {header}
            dt,DT-AMN-1,F-BKT-1,Moved DT,
            zone,Z-LKO,MVVNL,LUCKNOW CENTRAL,no
            """
        )
    ).changes

    touched = consumers_derived_refresh(changes=changes)

    assert touched >= 1
    consumer = Consumer.objects.get(pk=net.consumer1.pk)
    assert (consumer.feeder, consumer.subdivision) == (net.feeder2_rural, net.sd2)
    assert (consumer.area_type, consumer.is_a_class) == ("RURAL", False)


def test_command_imports_network_then_consumers():
    out = io.StringIO()
    call_command("import", "network", str(NETWORK_CSV), stdout=out)

    call_command("import", "consumers", str(DATA / "consumers.csv"), stdout=out)

    assert "consumer: 3 created" in out.getvalue()
    sunita = Consumer.objects.get(account_number="3100000002")
    assert (sunita.mobile, sunita.alt_mobile) == ("+919415011111", "+919415022222")
    assert (sunita.consent_whatsapp, sunita.is_a_class, sunita.category) == (
        True,
        True,
        "commercial",
    )
    assert Consumer.objects.get(account_number="1100000001").area_type == "RURAL"


def test_command_refuses_a_bad_file_with_the_report_on_stderr(net, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n4000000001,Someone,,,,,,,,DT-NOWHERE,,,\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import", "consumers", str(bad), stderr=err)

    assert "row 2: dt_code: No distribution transformer has code 'DT-NOWHERE'." in err.getvalue()
    assert Consumer.objects.count() == 3


def test_command_with_skip_invalid_succeeds_and_lists_the_bad_rows(net, tmp_path):
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        f"{HEADER}\n4000000001,Good,,,,,,,,DT-AMN-1,,,\n4000000002,Bad,,,,,,,,DT-X,,,\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()

    call_command("import", "consumers", str(mixed), "--skip-invalid", stdout=out, stderr=err)

    assert "row 3: dt_code" in err.getvalue()
    assert "1 created" in out.getvalue() and "1 bad row(s) skipped" in out.getvalue()
    assert Consumer.objects.filter(account_number="4000000001").exists()
