"""Resolution-time histogram: fixed log-spaced buckets, so quantiles add up across rollup rows.

Bucket 0 holds times under a minute; bucket k (1..LAST-1) holds [60 x 1.1^(k-1), 60 x 1.1^k)
seconds; bucket LAST everything from 60 x 1.1^(LAST-1) s (about 33 days) on. A quantile is
reported as the geometric middle of its bucket: at most sqrt(1.1) - 1 = 4.9% from the true
value (the top bucket reports its lower edge, a floor).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FIRST_EDGE = 60.0
RATIO = 1.1
COUNT = 115  # buckets 0..114
LAST = COUNT - 1
MAX_ERROR = math.sqrt(RATIO) - 1
NAMES = [f"h{k}" for k in range(COUNT)]


def bucket_of(seconds: float) -> int:
    if seconds < FIRST_EDGE:
        return 0
    return min(1 + int(math.log(seconds / FIRST_EDGE) / math.log(RATIO)), LAST)


def bucket_bounds(k: int) -> tuple[float, float]:
    if k == 0:
        return 0.0, FIRST_EDGE
    return FIRST_EDGE * RATIO ** (k - 1), FIRST_EDGE * RATIO**k


def bucket_value(k: int) -> float:
    low, high = bucket_bounds(k)
    if k == 0:
        return high / 2
    if k == LAST:
        return low
    return math.sqrt(low * high)


def quantile(counts: Sequence[int], q: float) -> float | None:
    """Nearest-rank quantile (the ceil(q x n)-th smallest) from summed bucket counts."""
    total = sum(counts)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for k, n in enumerate(counts):
        seen += n
        if seen >= rank:
            return round(bucket_value(k), 1)
    return round(bucket_value(LAST), 1)  # pragma: no cover - the loop always reaches rank


def bucket_sql(seconds: str, *, vendor: str) -> str:
    """SQL for bucket_of(`seconds`): the same rule, in the database."""
    ln = f"LN(({seconds}) / {FIRST_EDGE}) / LN({RATIO})"
    if vendor == "postgresql":
        top = f"LEAST(1 + FLOOR({ln})::int, {LAST})"
    else:
        top = f"MIN(1 + CAST({ln} AS INTEGER), {LAST})"
    return f"CASE WHEN ({seconds}) < {FIRST_EDGE} THEN 0 ELSE {top} END"
