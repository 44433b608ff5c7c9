"""Rate limit for anonymous API callers (the public complaint form and complaint tracking).

Without it one script could flood the complaint queue or walk the sequential complaint
numbers. Staff and integration tokens are not limited here. Counts live in Django's cache:
per process with the default local-memory cache, shared with a Redis cache
(`SAMPARK_CACHE_URL=rediscache://...`).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from .auth import Caller

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """'20/m' -> (20, 60)."""
    count, unit = rate.split("/", 1)
    return int(count), UNITS[unit.strip()[0]]


class PublicRateThrottle(BaseThrottle):
    # Keeps no per-request state on the instance: ninja shares throttle objects across threads.
    def allow_request(self, request: HttpRequest) -> bool:
        caller = getattr(request, "auth", None)
        if isinstance(caller, Caller) and caller.user is not None:
            return True
        count, seconds = rate_parse(settings.SAMPARK_PUBLIC_RATE)
        key = f"throttle:public:{self.get_ident(request)}"
        now = time.time()
        recent = [t for t in cache.get(key, []) if t > now - seconds]
        if len(recent) >= count:
            return False
        cache.set(key, [now, *recent][:count], seconds)
        return True


PUBLIC_THROTTLE: list[BaseThrottle] = [PublicRateThrottle()]
