"""`sampark import network|consumers|cdr FILE.csv [--skip-invalid]` (columns: docs/importing.md;
call detail records: docs/callcentre.md)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import transaction
from tqdm import tqdm

from sampark.callcentre.cdr import cdr_import
from sampark.consumers.importers import consumers_derived_refresh, consumers_import
from sampark.core.csvimport import ImportReport, csv_records
from sampark.network.importers import network_import


def data_lines(path: Path) -> int:
    """Lines after the header, for the progress bar (cheap even for a million rows)."""
    with path.open("rb") as stream:
        lines = sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b""))
    return max(lines - 1, 0)


class Command(BaseCommand):
    help = "Import the network (org + electrical tree), consumers or call records from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["network", "consumers", "cdr"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the bad ones (default: a bad row refuses "
            "the whole file).",
        )

    @no_translations  # one language on the terminal: English
    def handle(self, *args: Any, what: str, file: Path, skip_invalid: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            report, refreshed = self._import(what, file, skip_invalid=skip_invalid)
        except (UnicodeDecodeError, csv.Error) as exc:  # nothing was written: one transaction
            raise CommandError(f"{file} is not a readable UTF-8 CSV file: {exc}") from None
        for error in report.errors:
            self.stderr.write(str(error))
        if report.bad_rows and len(report.errors) < report.bad_rows:
            self.stderr.write(f"(only the first {len(report.errors)} errors are listed)")
        if report.refused:
            raise CommandError(
                f"{file}: {report.bad_rows} bad row(s); nothing was imported. "
                "Fix the rows above, or pass --skip-invalid to import the valid rows."
            )
        self.stdout.write(f"{file}:\n{report.summary()}")
        if refreshed:
            self.stdout.write(f"{refreshed} consumer row(s) re-derived from the new network")

    def _import(self, what: str, file: Path, *, skip_invalid: bool) -> tuple[ImportReport, int]:
        refreshed = 0
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        with file.open(newline="", encoding="utf-8-sig") as stream:
            records = tqdm(
                csv_records(stream),
                total=data_lines(file),
                desc=f"import {what}",
                unit=" rows",
                file=sys.stderr,
                disable=None,  # only on a terminal
            )
            with transaction.atomic():
                report: ImportReport
                if what == "network":
                    report = network_import(rows=records, skip_invalid=skip_invalid)
                    if not report.refused:
                        refreshed = consumers_derived_refresh(changes=report.changes)
                elif what == "cdr":  # call detail records of the 1912 call centre
                    report = cdr_import(rows=records, skip_invalid=skip_invalid)
                else:
                    report = consumers_import(rows=records, skip_invalid=skip_invalid)
        return report, refreshed
