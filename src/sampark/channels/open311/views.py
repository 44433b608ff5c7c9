"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (POST and
GET), one request, tokens and the discovery document, each as .json or .xml.

`open311_endpoint` does what every method shares: the format suffix, the language (`locale`
parameter, else Accept-Language), the throttle on anonymous reads and the spec's error list
for any SamparkError. The views themselves parse, call one service or selector, render.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from sampark.accounts.services import api_token_authenticate
from sampark.accounts.throttling import PublicRateThrottle
from sampark.core import clock
from sampark.core.errors import (
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    SamparkError,
    Throttled,
)
from sampark.core.throttle import window_allow

from . import catalogue, serializers
from .params import request_query_parse, submission_parse
from .renderers import FORMATS, render, render_errors
from .selectors import jurisdiction_get, request_get, requests_find, submissions_for, token_get
from .services import BAD_API_KEY, open311_api_key_check, open311_request_submit

View = Callable[..., HttpResponse]

UNKNOWN_FORMAT = _("Use the .json or .xml form of this address.")
UNKNOWN_SERVICE = _("No service has this code.")


def _params(request: HttpRequest) -> QueryDict:
    """Query string and form body together; the body wins where both name a field."""
    merged = request.GET.copy()
    if request.method == "POST":
        merged.update(request.POST)
    return merged


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("locale") or request.POST.get("locale") or ""
    code = asked[:2].lower()
    if code in ("hi", "en"):
        return code
    return "en" if (translation.get_language() or "hi").startswith("en") else "hi"


def _throttle(request: HttpRequest) -> None:
    """Anonymous reads are rate limited per client address; a valid api_key is not."""
    raw_key = request.GET.get("api_key", "").strip()
    if raw_key:
        if api_token_authenticate(raw_key=raw_key) is None:
            raise NotAuthenticated(BAD_API_KEY)
        return
    ident = PublicRateThrottle().get_ident(request)
    if not window_allow(key=f"open311:{ident}", rate=settings.SAMPARK_PUBLIC_RATE):
        raise Throttled()


def _error_response(error: SamparkError, *, fmt: str) -> HttpResponse:
    status = {401: 403, 403: 403, 404: 404, 405: 405, 429: 429}.get(error.status, 400)
    if error.fields:
        entries = [(status, f"{name}: {text}") for name, text in error.fields.items()]
    else:
        entries = [(status, str(error.message))]
    return render_errors(entries, fmt=fmt, status=status)


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            with translation.override(_language(request)):
                if fmt not in FORMATS:
                    return _error_response(NotFound(UNKNOWN_FORMAT), fmt="xml")
                try:
                    if request.method not in methods:
                        raise MethodNotAllowed()
                    if request.method == "GET":
                        _throttle(request)
                    return view(request, *args, fmt=fmt, **kwargs)
                except SamparkError as error:
                    return _error_response(error, fmt=fmt)

        return wrapper

    return decorate


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    document = serializers.discovery(endpoint_url=request.build_absolute_uri("./"))
    return render(document, fmt=fmt, root="discovery")


@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction_get(code=request.GET.get("jurisdiction_id", "").strip())
    return render(catalogue.service_list(), fmt=fmt, root="services", item="service")


@open311_endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    jurisdiction_get(code=request.GET.get("jurisdiction_id", "").strip())
    if not catalogue.service_exists(code):
        raise NotFound(UNKNOWN_SERVICE)
    return render(catalogue.service_definition(code), fmt=fmt, root="service_definition")


@open311_endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt=fmt)
    query = request_query_parse(request.GET, now=clock.now())
    jurisdiction = jurisdiction_get(code=query.jurisdiction_id)
    complaints = requests_find(query=query, jurisdiction=jurisdiction)
    posted = submissions_for(complaints=complaints)
    rows = [serializers.request_row(c, posted.get(c.pk)) for c in complaints]
    return render(rows, fmt=fmt, root="service_requests", item="request")


def _submit(request: HttpRequest, *, fmt: str) -> HttpResponse:
    params = _params(request)
    api_token = open311_api_key_check(raw_key=params.get("api_key", "").strip())
    jurisdiction_get(code=params.get("jurisdiction_id", "").strip())
    form = submission_parse(params)
    submitted = open311_request_submit(
        api_token=api_token, form=form, language=translation.get_language() or "hi"
    )
    row = serializers.submitted_row(submitted.request)
    status = 201 if submitted.created else 200
    return render([row], fmt=fmt, root="service_requests", item="request", status=status)


@open311_endpoint("GET")
def service_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    complaint = request_get(request_id=request_id)
    posted = submissions_for(complaints=[complaint]).get(complaint.pk)
    row = serializers.request_row(complaint, posted)
    return render([row], fmt=fmt, root="service_requests", item="request")


@open311_endpoint("GET")
def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    row = serializers.token_row(token_get(token=token_id))
    return render([row], fmt=fmt, root="service_requests", item="request")
