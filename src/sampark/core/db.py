"""Small database helpers shared by importers, generators and services."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models


def chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def rows_insert(
    *,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    batch_size: int = 20_000,
) -> int:
    """Stream `rows` into `model`'s table: COPY on PostgreSQL, executemany elsewhere.

    Rows are consumed lazily in batches so memory stays flat whatever the row count.
    Returns the number of rows written. Use inside a transaction.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            for batch in chunked(rows, batch_size):
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join(copy_value(v) for v in row))
                    buffer.write("\n")
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
                written += len(batch)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
            for batch in chunked(rows, batch_size):
                cursor.executemany(sql, batch)
                written += len(batch)
    return written
