"""Serving public pages and feeds from Django's cache, with HTTP validators.

A storm sends thousands of identical requests a second: each rendered body is kept under a key
(view, language, parameters) and served without touching the database until it is
`SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS` old. A stale body is still served while one request per
process renders the fresh one (a lock key), so the expiry of a popular page never stampedes
the database; it is also served when that rendering fails on a database error. Every answer
carries an ETag (a hash of the body), Last-Modified (when that body first appeared) and
Cache-Control max-age, and a matching conditional request gets 304.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

log = logging.getLogger(__name__)

KEEP_STALE = 600  # seconds a stale body may still be served while a fresh one renders


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    etag: str  # quoted
    last_modified: int  # epoch seconds
    fresh_until: float


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _fresh(
    *, body: bytes, content_type: str, previous: Rendered | None, ttl: int, now: float
) -> Rendered:
    etag = _etag(body)
    same = previous is not None and previous.etag == etag
    last_modified = previous.last_modified if same and previous else now
    return Rendered(body, content_type, etag, int(last_modified), now + ttl)


def rendered_get(*, key: str, render: Callable[[], tuple[bytes, str]]) -> Rendered:
    """The cached rendering under `key`, rendered now when missing or stale."""
    ttl = settings.SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS
    now = time.time()
    if ttl <= 0:
        body, content_type = render()
        return _fresh(body=body, content_type=content_type, previous=None, ttl=0, now=now)
    cache_key = f"public-outages:{key}"
    entry: Rendered | None = cache.get(cache_key)
    if entry is not None and entry.fresh_until > now:
        return entry
    if entry is not None and not cache.add(f"{cache_key}:lock", 1, timeout=ttl):
        return entry  # another request is rendering the fresh one
    try:
        body, content_type = render()
    except DatabaseError:
        if entry is None:
            raise
        # An overloaded or failing database during a storm: the last good copy beats a 500.
        log.exception("public outage page %s: serving the stale copy", key)
        return entry
    fresh = _fresh(body=body, content_type=content_type, previous=entry, ttl=ttl, now=now)
    cache.set(cache_key, fresh, timeout=ttl + KEEP_STALE)
    cache.delete(f"{cache_key}:lock")
    return fresh


def rendered_response(request: HttpRequest, rendered: Rendered) -> HttpResponse:
    """The rendering as a response, or 304 when the client's copy is current."""
    response = HttpResponse(rendered.body, content_type=rendered.content_type)
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(rendered.last_modified)
    max_age = max(settings.SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS, 0)
    response["Cache-Control"] = f"public, max-age={max_age}"
    conditional = get_conditional_response(
        request, etag=rendered.etag, last_modified=rendered.last_modified, response=response
    )
    return conditional if conditional is not None else response
