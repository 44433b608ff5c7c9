"""How often one address may ask for OTPs: SMS cost money and land on someone's phone.

Counts live in Django's cache (shared between processes with a Redis cache), as for the API's
anonymous callers. The per-mobile limit is enforced separately, from the database.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sampark.accounts.throttling import rate_parse


def join_request_allowed(request: HttpRequest) -> bool:
    count, seconds = rate_parse(settings.SAMPARK_STAKEHOLDER_JOIN_RATE)
    key = f"throttle:stakeholder-join:{request.META.get('REMOTE_ADDR', '')}"
    now = time.time()
    recent = [t for t in cache.get(key, []) if t > now - seconds]
    if len(recent) >= count:
        return False
    cache.set(key, [now, *recent][:count], seconds)
    return True
