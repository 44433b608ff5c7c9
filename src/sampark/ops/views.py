"""Operations endpoints: /metrics (Prometheus) and /healthz."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET

from .health import health_check
from .metrics import CONTENT_TYPE, metrics_render


def _scraper_allowed(request: HttpRequest) -> bool:
    """With SAMPARK_METRICS_TOKEN set, a matching bearer token; otherwise only the addresses
    in SAMPARK_METRICS_ALLOWED_NETWORKS (loopback by default): the figures are not public."""
    token = settings.SAMPARK_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return constant_time_compare(sent, token)
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network)
        for network in settings.SAMPARK_METRICS_ALLOWED_NETWORKS
    )


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _scraper_allowed(request):
        return HttpResponseForbidden("metrics: not allowed from here")
    return HttpResponse(metrics_render(), content_type=CONTENT_TYPE)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    health = health_check()
    return JsonResponse(health.as_dict(), status=200 if health.ok else 503)
