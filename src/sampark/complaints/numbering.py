"""Human-readable complaint numbers: discom prefix + local date + daily sequence.

Example: MV-261128-00042, the 42nd complaint of Madhyanchal on 28 Nov 2026. The counter is
bumped with one atomic upsert, so concurrent registrations never get the same number.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from .models import ComplaintSequence

STATEWIDE_PREFIX = "UP"  # complaints whose location is not yet known


def sequence_next(*, prefix: str, day: date) -> int:
    table = connection.ops.quote_name(ComplaintSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, day],
        )
        (value,) = cursor.fetchone()
    return int(value)


def complaint_number_next(*, prefix: str, day: date) -> str:
    seq = sequence_next(prefix=prefix, day=day)
    return f"{prefix}-{day:%y%m%d}-{seq:05d}"


def complaint_number_normalize(raw: str) -> str:
    """Accept what people type or say: 'mv 261128 42', 'MV26112800042' -> 'MV-261128-00042'."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    letters = "".join(ch for ch in text if ch.isalpha())
    digits = text[len(letters) :]
    if not letters or not digits.isdigit() or len(digits) < 7:
        return raw.strip().upper()
    day, seq = digits[:6], digits[6:]
    return f"{letters}-{day}-{int(seq):05d}"
