"""Per-request timing: webhook latency for /metrics and one structured log line per request."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .metrics import WEBHOOK_SECONDS

log = logging.getLogger("sampark.request")

WEBHOOK_PREFIX = "/webhooks/"


class RequestTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        # Keep the caller's id (a proxy's X-Request-ID) so one request can be followed across logs.
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-ID"] = request_id
        path = request.path
        if path.startswith(WEBHOOK_PREFIX):
            channel = path[len(WEBHOOK_PREFIX) :].split("/", 1)[0] or "unknown"
            WEBHOOK_SECONDS.labels(channel=channel, status=str(response.status_code)).observe(
                seconds
            )
            # Some providers authenticate by a secret in the URL (SMS receipts, Exotel): log
            # the route pattern, never the secret.
            match = request.resolver_match
            path = "/" + match.route if match is not None else WEBHOOK_PREFIX + channel + "/..."
        log.info(
            "%s %s %s %.1f ms",
            request.method,
            path,
            response.status_code,
            seconds * 1000,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
        return response
