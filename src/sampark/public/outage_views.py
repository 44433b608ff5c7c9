"""The public outage page, its feeds and the press bulletins (no sign-in), at /outages/.

Pages and feeds are rendered without the request (nothing per visitor in them) and served from
the cache (outage_cache.py). Hindi unless the address says `?lang=en` (the switch and every
link on the pages carry it): the language is in the URL, never in a cookie or the browser's
Accept-Language, so any cache between us and a storm of visitors can keep both variants.
The account look-up is the one answer never cached: it is rate-limited per client address.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sampark.core import clock
from sampark.core.throttle import window_allow

from . import outage_feeds as feeds
from .outage_cache import rendered_get, rendered_response
from .outage_forms import SupplyForm
from .outage_selectors import (
    discom_named,
    outage_page,
    outages_current,
    outages_planned_in_zone,
    press_bulletin_get,
    press_bulletins_recent,
    supply_outages,
    zone_named,
)

HTML = "text/html; charset=utf-8"


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "hi"


def _html(
    template: str, context: Callable[[], dict[str, Any]], language: str
) -> Callable[[], tuple[bytes, str]]:
    """A renderer of `template` in `language`, its context read only when it runs (a miss)."""

    def render_page() -> tuple[bytes, str]:
        with translation.override(language):
            body = render_to_string(template, {**context(), "lang": language})
        return body.encode(), HTML

    return render_page


def _cached(
    request: HttpRequest, key: str, render_body: Callable[[], tuple[bytes, str]]
) -> HttpResponse:
    rendered = rendered_get(key=f"{key}:{_language(request)}", render=render_body)
    return rendered_response(request, rendered)


def _map() -> dict[str, str]:
    return {
        "tiles": settings.SAMPARK_MAP_TILE_URL,
        "attribution": settings.SAMPARK_MAP_TILE_ATTRIBUTION,
        "geojson": reverse("public_outages:feed_geojson"),
    }


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    language = _language(request)

    def context() -> dict[str, Any]:
        return {"page": outage_page(now=clock.now()), "map": _map()}

    return _cached(request, "page", _html("public/outages/page.html", context, language))


@require_safe
def supply(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        form = SupplyForm(request.GET if "account" in request.GET else None)
        status, found = 200, None
        if form.is_bound:
            key = f"public-supply:{request.META.get('REMOTE_ADDR', '')}"
            if not window_allow(key=key, rate=settings.SAMPARK_PUBLIC_SUPPLY_RATE):
                form.add_error(None, _("Too many look-ups. Wait a minute and try again."))
                status = 429
            elif form.is_valid():
                found = supply_outages(account_number=form.cleaned_data["account"], now=clock.now())
            else:
                status = 400
        switch = f"account={form.cleaned_data['account']}&" if found is not None else ""
        context = {"form": form, "outages": found, "lang": language, "switch_query": switch}
        response = render(request, "public/outages/supply.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def feed_geojson(request: HttpRequest) -> HttpResponse:
    def body() -> tuple[bytes, str]:
        return feeds.geojson_body(outages=outages_current()), feeds.GEOJSON_TYPE

    rendered = rendered_get(key="geojson", render=body)
    return rendered_response(request, rendered)


@require_safe
def feed_bulletins(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    code = request.GET.get("zone", "")

    def body() -> tuple[bytes, str]:
        zone = zone_named(code=code) if code else None
        if code and zone is None:
            raise Http404
        atom = feeds.bulletins_atom_body(zone=zone, language=language, now=clock.now())
        return atom, feeds.ATOM_TYPE

    return _cached(request, f"atom:{code}", body)


@require_safe
def feed_press(request: HttpRequest) -> HttpResponse:
    language = _language(request)

    def body() -> tuple[bytes, str]:
        return feeds.press_atom_body(language=language, now=clock.now()), feeds.ATOM_TYPE

    return _cached(request, "press-atom", body)


@require_safe
def feed_planned(request: HttpRequest, zone: str) -> HttpResponse:
    language = _language(request)

    def body() -> tuple[bytes, str]:
        found = zone_named(code=zone)
        if found is None:
            raise Http404
        outages = outages_planned_in_zone(zone=found, now=clock.now())
        return feeds.ical_body(zone=found, outages=outages, language=language), feeds.ICAL_TYPE

    return _cached(request, f"ics:{zone}", body)


@require_safe
def press_index(request: HttpRequest) -> HttpResponse:
    language = _language(request)

    def context() -> dict[str, Any]:
        return {"bulletins": press_bulletins_recent()}

    return _cached(request, "press", _html("public/outages/press_index.html", context, language))


@require_safe
def press_detail(request: HttpRequest, discom: str, day: str) -> HttpResponse:
    language = _language(request)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None

    def context() -> dict[str, Any]:
        unit = discom_named(code=discom)
        bulletin = press_bulletin_get(discom=unit, day=wanted) if unit else None
        if bulletin is None:
            raise Http404
        return {"bulletin": bulletin}

    render_page = _html("public/outages/press.html", context, language)
    return _cached(request, f"press:{discom}:{wanted.isoformat()}", render_page)
