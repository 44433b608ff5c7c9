"""How often one address may ask for OTPs: SMS cost money and land on someone's phone.

Counts live in Django's cache (shared between processes with a Redis cache), as for the API's
anonymous callers. The per-mobile limit is enforced separately, from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from sampark.core.throttle import window_allow


def join_request_allowed(request: HttpRequest) -> bool:
    key = f"stakeholder-join:{request.META.get('REMOTE_ADDR', '')}"
    return window_allow(key=key, rate=settings.SAMPARK_STAKEHOLDER_JOIN_RATE)
