"""Reading CSV files row by row for the importers: one error list per row, named by row number.

Used by the network and consumer importers: a file with any bad row writes nothing unless the
caller asks to skip invalid rows, so the report must name every problem before anything is saved.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .db import chunked

Record = Mapping[str, str]
Records = Iterable[tuple[int, Record]]

MAX_ERRORS_KEPT = 1000
IN_BATCH = 900  # stays under SQLite's historical 999 bound-parameter limit

REQUIRED = _("This field is required.")
TOO_LONG = _("At most %(limit)d characters.")
BAD_CHOICE = _("'%(value)s' is not one of: %(choices)s.")
BAD_FLAG = _("'%(value)s' is not a yes/no value (use 1/0, yes/no or true/false).")
BAD_NUMBER = _("'%(value)s' is not a number.")
OUT_OF_RANGE = _("%(value)s is outside %(low)s..%(high)s.")
MISSING_COLUMN = _("The header has no '%(column)s' column.")

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "f"})


# --- shared row helpers -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as in the file, the header being row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass(slots=True)
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    kinds: dict[str, KindCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    bad_rows: int = 0
    refused: bool = False

    def counts(self, kind: str) -> KindCounts:
        return self.kinds.setdefault(kind, KindCounts())

    def row_rejected(self, errors: Sequence[RowError]) -> None:
        self.bad_rows += 1
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    @property
    def written(self) -> int:
        return sum(c.created + c.updated for c in self.kinds.values())

    def summary(self) -> str:
        lines = [
            f"  {kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for kind, c in self.kinds.items()
        ]
        if self.bad_rows:
            lines.append(f"  {self.bad_rows} bad row(s) skipped")
        return "\n".join(lines) or "  nothing to import"


def csv_records(stream: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, record) pairs with lower-case keys and stripped values; blank lines skipped.

    The row number is the file line the record ends on (header = 1), as a spreadsheet shows it.
    """
    reader = csv.reader(stream)
    header = next(reader, None)
    if not header:
        return
    keys = [key.strip().lower() for key in header]
    width = len(keys)
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        yield (
            reader.line_num,
            {key: value.strip() for key, value in zip(keys, values, strict=False)},
        )


def columns_missing(*, record: Record, required: Sequence[str]) -> list[RowError]:
    """Header problems, reported against row 1."""
    return [
        RowError(1, column, str(MISSING_COLUMN % {"column": column}))
        for column in required
        if column not in record
    ]


def choices_of(values: Iterable[str]) -> dict[str, str]:
    """Case-insensitive choice table: lower-case spelling -> stored value."""
    return {value.lower(): value for value in values}


class RowReader:
    """Reads one record's fields, collecting one error per bad field."""

    __slots__ = ("errors", "record", "row")

    def __init__(self, row: int, record: Record) -> None:
        self.row = row
        self.record = record
        self.errors: list[RowError] = []

    def error(self, name: str, message: object) -> None:
        self.errors.append(RowError(self.row, name, str(message)))

    def text(self, name: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.record.get(name) or ""
        if required and not value:
            self.error(name, REQUIRED)
        elif max_length and len(value) > max_length:
            self.error(name, TOO_LONG % {"limit": max_length})
        return value

    def choice(
        self, name: str, choices: Mapping[str, str], *, default: str = "", required: bool = False
    ) -> str:
        value = self.record.get(name) or ""
        if not value:
            if required:
                self.error(name, REQUIRED)
            return default
        found = choices.get(value.lower())
        if found is None:
            self.error(name, BAD_CHOICE % {"value": value, "choices": ", ".join(choices.values())})
            return default
        return found

    def flag(self, name: str) -> bool:
        value = (self.record.get(name) or "").lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.error(name, BAD_FLAG % {"value": value})
        return False

    def number(self, name: str, *, low: int, high: int, default: int) -> int:
        value = self.record.get(name) or ""
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            self.error(name, BAD_NUMBER % {"value": value})
            return default
        if not low <= number <= high:
            self.error(name, OUT_OF_RANGE % {"value": value, "low": low, "high": high})
        return number

    def coordinate(self, name: str, *, limit: int) -> Decimal | None:
        value = self.record.get(name) or ""
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(name, BAD_NUMBER % {"value": value})
            return None
        if not number.is_finite() or not -limit <= number <= limit:
            self.error(name, OUT_OF_RANGE % {"value": value, "low": -limit, "high": limit})
            return None
        return number.quantize(Decimal("0.000001"))


def codes_to_rows(
    *, model: type[Model], codes: Iterable[str], fields: Sequence[str]
) -> dict[str, tuple[Any, ...]]:
    """code -> (id, *fields) for the given codes, looked up in batches."""
    found: dict[str, tuple[Any, ...]] = {}
    for batch in chunked(sorted(set(codes)), IN_BATCH):
        rows = model._default_manager.filter(code__in=batch).values_list("code", "id", *fields)
        found.update((row[0], row[1:]) for row in rows)
    return found
