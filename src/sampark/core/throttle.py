"""Sliding-window request limits kept in Django's cache.

Per process with the default local-memory cache, shared by every process with a Redis cache
(`SAMPARK_CACHE_URL=rediscache://...`). Used for anonymous API callers and web OTP requests.
"""

from __future__ import annotations

import time

from django.core.cache import cache

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """'20/m' -> (20, 60)."""
    count, unit = rate.split("/", 1)
    return int(count), UNITS[unit.strip()[0]]


def window_allow(*, key: str, rate: str) -> bool:
    """Count one request under `key`; False when `rate` ('30/m') is already used up."""
    count, seconds = rate_parse(rate)
    cache_key = f"throttle:{key}"
    now = time.time()
    recent = [t for t in cache.get(cache_key, []) if t > now - seconds]
    if len(recent) >= count:
        return False
    cache.set(cache_key, [now, *recent][:count], seconds)
    return True
