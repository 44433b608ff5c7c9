"""Rate limit for anonymous API callers (the public complaint form and complaint tracking).

Without it one script could flood the complaint queue or walk the sequential complaint
numbers. Staff and integration tokens are not limited here. Counts live in Django's cache:
per process with the default local-memory cache, shared with a Redis cache
(`SAMPARK_CACHE_URL=rediscache://...`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from sampark.core.throttle import window_allow

from .auth import Caller


class PublicRateThrottle(BaseThrottle):
    # Keeps no per-request state on the instance: ninja shares throttle objects across threads.
    def allow_request(self, request: HttpRequest) -> bool:
        caller = getattr(request, "auth", None)
        if isinstance(caller, Caller) and caller.user is not None:
            return True
        key = f"public:{self.get_ident(request)}"
        return window_allow(key=key, rate=settings.SAMPARK_PUBLIC_RATE)


PUBLIC_THROTTLE: list[BaseThrottle] = [PublicRateThrottle()]
