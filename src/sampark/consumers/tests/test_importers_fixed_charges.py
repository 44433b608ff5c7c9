"""The consumer importer's optional annual_fixed_charges column (the cap of SoP compensation)."""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal

import pytest
from django.utils import translation

from sampark.consumers.importers import consumers_import
from sampark.consumers.models import Consumer
from sampark.core.csvimport import ImportReport, csv_records

pytestmark = pytest.mark.django_db

OLD_HEADER = "account_number,name,dt_code"
HEADER = "account_number,name,dt_code,annual_fixed_charges"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def import_text(text: str, *, skip_invalid: bool = False) -> ImportReport:
    rows = list(csv_records(io.StringIO(textwrap.dedent(text).lstrip())))
    return consumers_import(rows=rows, skip_invalid=skip_invalid)


def charges(account: str) -> Decimal:
    return Consumer.objects.get(account_number=account).annual_fixed_charges


def test_charges_are_read_and_blank_means_not_known(net):
    report = import_text(
        f"""
        {HEADER}
        4000000001,Ram Prakash Yadav,DT-AMN-1,2640
        4000000002,Sunita Devi,DT-BKT-1,"1,234.5"
        4000000003,Irfan Ansari,DT-BKT-1,
        """
    )

    assert not report.errors and report.counts("consumer").created == 3
    assert charges("4000000001") == Decimal("2640.00")
    assert charges("4000000002") == Decimal("1234.50")
    assert charges("4000000003") == Decimal("0")


@pytest.mark.parametrize("value", ["-5", "abc", "NaN", "1e12", "Infinity"])
def test_a_bad_value_names_the_row_and_refuses_the_file(net, value):
    report = import_text(
        f"""
        {HEADER}
        4000000001,Ram Prakash Yadav,DT-AMN-1,100
        4000000002,Sunita Devi,DT-BKT-1,{value}
        """
    )

    assert report.refused and not Consumer.objects.filter(account_number="4000000001").exists()
    (error,) = report.errors
    assert (error.row, error.field) == (3, "annual_fixed_charges")
    assert value in error.message


def test_a_file_without_the_column_keeps_stored_charges(net):
    import_text(f"{HEADER}\n4000000001,Ram Prakash Yadav,DT-AMN-1,2640\n")

    report = import_text(f"{OLD_HEADER}\n4000000001,Ram Prakash Yadav,DT-AMN-1\n")
    assert report.counts("consumer").unchanged == 1
    assert charges("4000000001") == Decimal("2640.00")

    report = import_text(f"{HEADER}\n4000000001,Ram Prakash Yadav,DT-AMN-1,3000\n")
    assert report.counts("consumer").updated == 1
    assert charges("4000000001") == Decimal("3000.00")
