"""The JSON API: one NinjaAPI, endpoints under /api/v1/, docs at /api/docs.

Every 4xx answer has one shape, `{"code", "message", "fields"}`, in the language of the
request (LocaleMiddleware; Hindi by default). Services raise `SamparkError`; everything ninja or
Django raises (validation, authentication, 404, 403, 405) is translated into the same shape here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from sampark.callcentre.api.endpoints import router as callcentre_router
from sampark.complaints.api.endpoints import open_complaints_for
from sampark.complaints.api.endpoints import router as complaints_router
from sampark.consumers.api.endpoints import consumers_router
from sampark.consumers.selectors import BAD_ACCOUNT
from sampark.core.errors import (
    MethodNotAllowed,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    SamparkError,
    Throttled,
    ValidationFailed,
)
from sampark.notifications.api.endpoints import router as notifications_router
from sampark.outages.api.endpoints import active_outages_for
from sampark.outages.api.endpoints import router as outages_router

REQUIRED = _("This field is required.")
INVALID = _("Enter a valid value.")

# Our own words for fields whose value is a choice or a format; keyed by field name.
FIELD_MESSAGES: dict[str, Promise] = {
    "account_number": BAD_ACCOUNT,
    "category": _("Choose one of the listed categories."),
    "status": _("Choose one of the listed statuses."),
    "channel": _("Choose one of the listed channels."),
    "language": _("Choose hi (Hindi) or en (English)."),
    "kind": _("Choose planned, unplanned or load_shedding."),
    "source": _("Choose field, scada or inferred."),
}
# Otherwise the kind of mistake decides; pydantic's own English never reaches a user.
TYPE_MESSAGES: dict[str, Promise] = {
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "datetime_parsing": _("Enter a date and time, for example 2026-05-01T14:30+05:30."),
    "datetime_from_date_parsing": _("Enter a date and time, for example 2026-05-01T14:30+05:30."),
    "datetime_type": _("Enter a date and time, for example 2026-05-01T14:30+05:30."),
    "string_too_long": _("This text is too long."),
    "string_too_short": _("This field is required."),
    "greater_than_equal": _("This number is too small."),
    "greater_than": _("This number is too small."),
    "less_than_equal": _("This number is too large."),
    "less_than": _("This number is too large."),
}
BAD_BODY = _("The request body could not be read. Send a JSON object.")
CSRF_FAILED = _("The security check failed. Reload the page and try again.")
NO_SUCH_ADDRESS = _("There is no such address in this API.")


class ErrorOut(Schema):
    """The one error shape of every 4xx answer."""

    code: str
    message: str
    fields: dict[str, str]


def field_name(loc: Sequence[Any]) -> str:
    """('body', 'payload', 'category') -> 'category'; ('query', 'status') -> 'status'."""
    source, *rest = list(loc) or ["body"]
    if source == "body":
        rest = rest[1:]  # the endpoint's parameter name ("payload") means nothing to clients
    return ".".join(str(part) for part in rest) or str(source)


def field_message(error: Mapping[str, Any], *, name: str) -> str:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return str(REQUIRED)
    leaf = name.rsplit(".", 1)[-1]
    return str(FIELD_MESSAGES.get(leaf) or TYPE_MESSAGES.get(kind) or INVALID)


def validation_failed(errors: Iterable[Mapping[str, Any]]) -> ValidationFailed:
    fields: dict[str, str] = {}
    for error in errors:
        name = field_name(error.get("loc") or ("query",))
        fields.setdefault(name, field_message(error, name=name))  # first problem per field
    return ValidationFailed(fields=fields)


def http_error(exc: HttpError) -> SamparkError:
    if isinstance(exc, AuthenticationError):
        return NotAuthenticated()
    if isinstance(exc, AuthorizationError):
        return NotAllowed()
    if exc.status_code == 403:  # ninja's cookie auth raises this on a failed CSRF check
        return NotAllowed(CSRF_FAILED, code="csrf_failed")
    error: SamparkError
    if exc.status_code == 400:
        error = SamparkError(BAD_BODY, code="bad_request")
    elif exc.status_code == 429:
        error = Throttled()
    else:
        error = SamparkError(code=f"http_{exc.status_code}")
    error.status = exc.status_code
    return error


class Utf8JSONRenderer(JSONRenderer):
    """Devanagari as UTF-8, not \\u escapes: readable in logs and half the bytes on the wire."""

    json_dumps_params = {"ensure_ascii": False}


class SamparkAPI(NinjaAPI):
    def error_response(self, request: HttpRequest, error: SamparkError) -> HttpResponse:
        return self.create_response(request, error.as_dict(), status=error.status)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Two answers ninja gives outside its exception handlers: the plain-text 405 of a
        # known path, and Django's HTML 404 of an unknown one. Both get the one error shape.
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and not iscoroutinefunction(pattern.callback):
                pattern.callback = self._json_405(pattern.callback)
        urls.append(re_path(r"^.*$", csrf_exempt(self._unknown_address), name="unknown"))
        return urls

    def _json_405(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)  # keeps ninja's csrf_exempt flag
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code != 405 or "json" in response.get("Content-Type", ""):
                return response
            answer = self.error_response(request, MethodNotAllowed())
            answer["Allow"] = response.get("Allow", "")
            return answer

        return wrapped

    def _unknown_address(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.error_response(request, NotFound(NO_SUCH_ADDRESS))

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Document the error shape once and refer to it from every operation."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ErrorOut.model_json_schema()
        ref = {"$ref": "#/components/schemas/Error"}
        error = {"description": "Error", "content": {"application/json": {"schema": ref}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", error)
        return schema


api = SamparkAPI(
    title="Sampark API",
    version="1",
    description=(
        "Consumer-care API of the UP electricity discoms. Authenticate with "
        "`Authorization: Bearer <token>` (integrations) or the staff session. Every error "
        'answer is `{"code", "message", "fields"}`; send `Accept-Language: en` for English '
        "(Hindi is the default)."
    ),
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
    docs_url="/docs",
    openapi_url="/v1/openapi.json",
)


@api.exception_handler(SamparkError)
def on_sampark_error(request: HttpRequest, exc: SamparkError) -> HttpResponse:
    return api.error_response(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.error_response(request, validation_failed(exc.errors))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.error_response(request, http_error(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.error_response(request, NotFound())


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.error_response(request, NotAllowed())


api.add_router("/v1/complaints", complaints_router)
api.add_router(
    "/v1/consumers",
    consumers_router(open_complaints=open_complaints_for, active_outages=active_outages_for),
)
api.add_router("/v1/outages", outages_router)
api.add_router("/v1/callcentre", callcentre_router)
api.add_router("/v1/consumers", notifications_router)  # .../{account}/notifications
