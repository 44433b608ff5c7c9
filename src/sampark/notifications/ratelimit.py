"""Per-provider messages-per-second limit, shared by every worker process on every host.

The counters live in the database every worker already shares (`ProviderRateWindow`, one row
per provider and wall-clock second). A worker reserves tokens with one atomic upsert:

    used_after = used_before + want        (INSERT ... ON CONFLICT DO UPDATE ... RETURNING)
    granted    = clamp(limit - used_before, 0, want)

The upsert is serialized by the row (PostgreSQL) or the write lock (SQLite), so the grants of one
second never add up to more than the limit, whatever the number of workers. Asking for more than
was granted only over-counts (a few tokens of that second go unused under contention); unused
grants are given back. Call these outside a transaction so other workers see them at once.
"""

from __future__ import annotations

import time

from django.db import connection

from .models import ProviderRateWindow

KEEP_SECONDS = 60


def _table() -> str:
    return connection.ops.quote_name(ProviderRateWindow._meta.db_table)


def current_second() -> int:
    # Wall-clock time, not core.clock: workers on different hosts must agree on the window.
    return int(time.time())


def rate_available(*, provider: str, limit: int, second: int) -> int:
    """Tokens left in this second (a hint for how many rows to claim; `rate_take` decides)."""
    used = (
        ProviderRateWindow.objects.filter(provider=provider, second=second)
        .values_list("used", flat=True)
        .first()
    )
    return max(0, limit - (used or 0))


def rate_take(*, provider: str, want: int, limit: int, second: int) -> int:
    """Reserve up to `want` sends for `provider` in `second`; returns how many were granted."""
    if want <= 0:
        return 0
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (provider, second, used) VALUES (%s, %s, %s) "
            f"ON CONFLICT (provider, second) DO UPDATE SET used = {table}.used + excluded.used "
            f"RETURNING used",
            [provider, second, want],
        )
        (used_after,) = cursor.fetchone()
    return max(0, min(want, limit - (int(used_after) - want)))


def rate_give_back(*, provider: str, count: int, second: int) -> None:
    """Return granted but unused sends (fewer rows were due than tokens reserved)."""
    if count > 0:
        table = _table()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET used = used - %s WHERE provider = %s AND second = %s",
                [count, provider, second],
            )


def rate_windows_prune(*, now_second: int) -> int:
    deleted, _ = ProviderRateWindow.objects.filter(second__lt=now_second - KEEP_SECONDS).delete()
    return deleted
