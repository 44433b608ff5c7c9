"""Network CSV import: happy path, idempotent re-import, every bad-row kind, --skip-invalid."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sampark.core.csvimport import csv_records
from sampark.network.importers import NETWORK_COLUMNS, NetworkImportReport, network_import
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit, Substation

DATA = Path(__file__).parent / "data"
NETWORK_CSV = DATA / "network.csv"
HEADER = ",".join(NETWORK_COLUMNS)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are translated (Hindi is the default language): assert on the English."""
    with translation.override("en"):
        yield


def rows_of(text: str) -> list[tuple[int, dict[str, str]]]:
    return list(csv_records(io.StringIO(textwrap.dedent(text).lstrip())))


def import_text(text: str, *, skip_invalid: bool = False) -> NetworkImportReport:
    return network_import(rows=rows_of(text), skip_invalid=skip_invalid)


def import_file(path: Path = NETWORK_CSV, **kw: bool) -> NetworkImportReport:
    with path.open(encoding="utf-8") as stream:
        return network_import(rows=csv_records(stream), **kw)


def table_sizes() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        Substation.objects.count(),
        Feeder.objects.count(),
        DistributionTransformer.objects.count(),
    )


def tree_ok() -> bool:
    return all(not problems for problems in OrgUnit.objects.find_problems())


def test_import_builds_both_trees():
    report = import_file()

    assert not report.refused and not report.errors
    assert report.counts("subdivision").created == 3
    assert report.counts("dt").created == 3
    assert table_sizes() == (12, 2, 2, 3)
    assert tree_ok()
    aminabad_1 = OrgUnit.objects.get(code="SD-AMINABAD-1")
    assert [a.code for a in OrgUnit.objects.get_ancestors(aminabad_1)] == [
        "UPPCL",
        "MVVNL",
        "Z-LUCKNOW-CENTRAL",
        "C-EUDC-CHOWK",
        "D-AMINABAD",
    ]
    assert aminabad_1.is_a_class_city()  # inherited from the Lucknow zone (a_class_city=yes)
    assert OrgUnit.objects.get(code="MVVNL").complaint_prefix == "MV"
    assert OrgUnit.objects.get(code="Z-MEERUT-I").name_hi == "मेरठ प्रथम"
    rural = Feeder.objects.get(code="FD-MWN-1")
    assert (rural.area_type, rural.nature) == ("RURAL", "AGRICULTURE")  # case-insensitive
    assert rural.substation.subdivision.code == "SD-EDD-I-MAWANA-1"
    dt = DistributionTransformer.objects.get(code="DT-AMN-1-01")
    assert (dt.capacity_kva, dt.latitude, dt.feeder.code) == (250, Decimal("26.851"), "FD-AMN-1")


def test_rows_may_come_in_any_order():
    lines = NETWORK_CSV.read_text(encoding="utf-8").splitlines()
    reversed_file = "\n".join([lines[0], *reversed(lines[1:])])

    report = network_import(rows=csv_records(io.StringIO(reversed_file)))

    assert not report.errors
    assert table_sizes() == (12, 2, 2, 3)
    assert tree_ok()


def test_reimport_is_idempotent_and_updates_changed_rows():
    import_file()
    changed = (
        NETWORK_CSV.read_text(encoding="utf-8")
        .replace("Naya Gaon,नया गांव,URBAN", "Naya Gaon Road,नया गांव रोड,TEHSIL")
        .replace("Naya Gaon 2,,,,400", "Naya Gaon 2,,,,630")
    )

    again = import_file()
    report = network_import(rows=csv_records(io.StringIO(changed)))

    assert again.written == 0
    assert again.counts("dt").unchanged == 3
    assert report.counts("feeder").updated == 1 and report.counts("feeder").unchanged == 1
    assert report.counts("dt").updated == 1 and report.counts("state").unchanged == 1
    assert table_sizes() == (12, 2, 2, 3)  # nothing duplicated
    feeder = Feeder.objects.get(code="FD-AMN-1")
    assert (feeder.name_en, feeder.area_type) == ("Naya Gaon Road", "TEHSIL")
    assert feeder.id in report.changes.feeder_ids  # consumers must follow the area type
    assert DistributionTransformer.objects.get(code="DT-AMN-1-02").capacity_kva == 630


def test_new_org_unit_sorting_between_siblings_keeps_the_tree_valid():
    import_file()

    report = import_text(
        f"""
        {HEADER}
        subdivision,SD-AMINABAD-0,D-AMINABAD,AMINABAD 0,,,,,,,,
        subdivision,SD-AMINABAD-3,D-AMINABAD,AMINABAD III,,,,,,,,
        """
    )

    assert report.counts("subdivision").created == 2
    assert tree_ok()
    division = OrgUnit.objects.get(code="D-AMINABAD")
    assert division.numchild == 4
    children = [c.code for c in OrgUnit.objects.get_children(division)]
    assert children == ["SD-AMINABAD-0", "SD-AMINABAD-1", "SD-AMINABAD-2", "SD-AMINABAD-3"]


def test_moving_an_org_unit_and_an_a_class_flag_are_reported_as_tree_changes():
    import_file()

    report = import_text(
        f"""
        {HEADER}
        division,D-AMINABAD,C-EDC-I-MEERUT,AMINABAD,अमीनाबाद,,,,,,,
        zone,Z-LUCKNOW-CENTRAL,MVVNL,LUCKNOW CENTRAL,लखनऊ सेंट्रल,,,,no,,,
        """
    )

    assert report.counts("division").updated == 1 and report.changes.org_tree_changed
    assert tree_ok()
    moved = OrgUnit.objects.get(code="SD-AMINABAD-1")
    assert moved.path.startswith(OrgUnit.objects.get(code="C-EDC-I-MEERUT").path)
    assert not moved.is_a_class_city()


def test_each_bad_row_is_named_and_nothing_is_written():
    import_file()
    before = table_sizes()

    report = import_text(
        f"""
        {HEADER}
        zone,Z-NEW,MVVNL,NEW ZONE,,,,,,,,
        circle,C-ORPHAN,Z-NOWHERE,ORPHAN,,,,,,,,
        division,D-WRONG,Z-NEW,WRONG PARENT,,,,,,,,
        substation,SS-NONAME,SD-AMINABAD-1,,,,,,,,,
        feeder,FD-BAD,SS-AMN,Bad area,,SUBURBAN,,,,,,
        feeder,FD-BAD-NATURE,SS-AMN,Bad nature,,URBAN,HOUSING,,,,,
        dt,DT-BAD-KVA,FD-AMN-1,Bad kVA,,,,lots,,,,
        dt,DT-AMN-1-01,FD-AMN-1,Duplicate,,,,100,,,,
        dt,DT-AMN-1-01,FD-AMN-1,Duplicate again,,,,100,,,,
        dt,DT-UNDER-BAD,FD-BAD,Under a bad feeder,,,,100,,,,
        tower,T-1,SS-AMN,Not a kind,,,,,,,,
        substation,SS-FAR,SD-AMINABAD-1,Far away,,,,,,,95,80
        state,UPPCL-2,MVVNL,Second state,,,,,,,,
        subdivision,D-AMINABAD,D-AMINABAD,Level change,,,,,,,,
        """
    )

    assert report.refused
    found = {(e.row, e.field) for e in report.errors}
    assert found == {
        (3, "parent_code"),  # unknown parent
        (4, "parent_code"),  # a division under a zone
        (5, "name_en"),  # missing required field
        (6, "area_type"),  # bad enum value
        (7, "nature"),
        (8, "capacity_kva"),
        (10, "code"),  # duplicate within the file (row 9 came first)
        (11, "parent_code"),  # its parent (row 6) was rejected
        (12, "kind"),
        (13, "latitude"),
        (14, "parent_code"),  # a state has no parent
        (15, "kind"),  # the code exists as a division
    }
    messages = {(e.row, e.field): e.message for e in report.errors}
    assert "Z-NOWHERE" in messages[(3, "parent_code")]
    assert "row 9" in messages[(10, "code")]
    assert "row 6" in messages[(11, "parent_code")]
    assert report.bad_rows == 12
    assert table_sizes() == before  # row 2 (a good zone) was not written either
    assert not OrgUnit.objects.filter(code="Z-NEW").exists()


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad():
    report = import_text(
        f"""
        {HEADER}
        state,UPPCL,,UPPCL,,,,,,,,
        discom,KESCO,UPPCL,Kanpur Electricity Supply Company Ltd,,,,,,KE,,
        zone,Z-KANPUR-CITY,KESCO,KANPUR CITY,,,,,maybe,,,
        circle,C-CIRCLE-I,Z-KANPUR-CITY,CIRCLE I,,,,,,,,
        circle,C-CIRCLE-II,KESCO,CIRCLE II,,,,,,,,
        """,
        skip_invalid=True,
    )

    assert not report.refused
    assert [(e.row, e.field) for e in report.errors] == [
        (4, "a_class_city"),
        (5, "parent_code"),  # its zone was rejected
        (6, "parent_code"),  # a circle under a discom
    ]
    assert set(OrgUnit.objects.values_list("code", flat=True)) == {"UPPCL", "KESCO"}
    assert tree_ok()


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_header_without_required_columns_is_refused(skip_invalid):
    report = import_text(
        """
        kind,code,name_en
        state,UPPCL,UPPCL
        """,
        skip_invalid=skip_invalid,
    )

    assert report.refused
    assert [(e.row, e.field) for e in report.errors] == [(1, "parent_code")]
    assert OrgUnit.objects.count() == 0


def test_command_imports_a_file():
    out = io.StringIO()

    call_command("import", "network", str(NETWORK_CSV), stdout=out)

    assert "dt: 3 created" in out.getvalue()
    assert table_sizes() == (12, 2, 2, 3)


def test_command_refuses_a_bad_file_with_the_report_on_stderr(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nstate,UPPCL,,UPPCL,,,,,,,,\ndiscom,X,NOWHERE,X,,,,,,,,\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "network", str(bad), stderr=err)

    assert "row 3: parent_code: No state has code 'NOWHERE'." in err.getvalue()
    assert OrgUnit.objects.count() == 0


def test_command_refuses_a_file_that_is_not_utf8(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(f"{HEADER}\nstate,UPPCL,,Pradesh \xe9,,,,,,,,\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not a readable UTF-8 CSV"):
        call_command("import", "network", str(latin))

    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_command_exit_code_in_a_real_process(tmp_path):
    """The console script exits non-zero with the report on stderr (own SQLite file)."""
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nstate,UPPCL,,UPPCL,,,,,,,,\nfeeder,F1,SS-NONE,F1,,URBAN,,,,,,\n")
    env = {**os.environ, "SAMPARK_SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "sampark.config.settings.local"
    run = [sys.executable, "-m", "sampark"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, capture_output=True)

    proc = subprocess.run(
        [*run, "import", "network", str(bad)], env=env, capture_output=True, text=True
    )

    assert proc.returncode == 1
    assert "row 3: parent_code: No substation has code 'SS-NONE'." in proc.stderr
    assert "nothing was imported" in proc.stderr
    assert proc.stdout == ""
