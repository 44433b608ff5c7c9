"""/webhooks/ivr/: the telephony provider's webhooks (docs/ivr.md lists what to configure).

Each view: the provider's check (signature or URL token; 403 and nothing stored when it
fails), its parser, one service, its renderer. Only the provider this deployment uses
(SAMPARK_IVR_PROVIDER) answers; the others' URLs are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sampark.core.errors import SamparkError

from . import exotel, parsers, plivo, twiml
from .services import (
    ivr_call_current,
    ivr_call_ended,
    ivr_call_prompt,
    ivr_call_step,
    ivr_queue_result,
)
from .signatures import plivo_signature_valid, twilio_signature_valid, url_token_valid

View = Callable[..., HttpResponse]
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'
HANG_UP_PLIVO = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup /></Response>'


def public_url(path: str) -> str:
    """The address the provider called (what its signature covers) or is to call."""
    return settings.SAMPARK_IVR_PUBLIC_URL.rstrip("/") + path


def _lists(data: Any) -> dict[str, list[str]]:
    return {name: data.getlist(name) for name in data}


def _provider(name: str, check: Callable[[HttpRequest, dict[str, Any]], bool]) -> Callable:
    """Serve only when `name` is this deployment's provider and the request passes `check`;
    a request the provider cannot read back as an answer gets 400."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if name != settings.SAMPARK_IVR_PROVIDER:
                raise Http404
            if not check(request, kwargs):
                return HttpResponseForbidden()
            try:
                return view(request, **kwargs)
            except SamparkError as error:
                return JsonResponse(error.as_dict(), status=400)

        return wrapped

    return decorate


def _twilio_authentic(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    json_body = request.content_type == "application/json"
    return twilio_signature_valid(
        token=settings.SAMPARK_TWILIO_AUTH_TOKEN,
        url=public_url(request.get_full_path()),
        params={} if json_body else _lists(request.POST),
        signature=request.headers.get("X-Twilio-Signature", ""),
        body=request.body.decode("utf-8", "replace") if json_body else None,
    )


def _plivo_authentic(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    return plivo_signature_valid(
        token=settings.SAMPARK_PLIVO_AUTH_TOKEN,
        method=request.method or "POST",
        url=public_url(request.get_full_path()),
        params=_lists(request.POST) if request.method == "POST" else {},
        nonce=request.headers.get("X-Plivo-Signature-V3-Nonce", ""),
        signatures=request.headers.get("X-Plivo-Signature-V3", ""),
    )


def _exotel_authentic(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    return url_token_valid(
        expected=settings.SAMPARK_EXOTEL_URL_TOKEN, given=str(kwargs.pop("token", ""))
    )


def _xml(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/xml; charset=utf-8")


# --- Twilio -------------------------------------------------------------------------------------


def _twiml(answer: Any) -> HttpResponse:
    return _xml(
        twiml.render(
            answer,
            action_url=public_url(reverse("ivr:twilio_voice")),
            queue_url=public_url(reverse("ivr:twilio_queue")),
        )
    )


@require_POST
@_provider("twilio", _twilio_authentic)
def twilio_voice(request: HttpRequest) -> HttpResponse:
    """The number's voice URL, and every <Gather>'s action (`?t=<turn>`)."""
    return _twiml(ivr_call_step(inbound=parsers.twilio_step(request.POST, request.GET)))


@require_POST
@_provider("twilio", _twilio_authentic)
def twilio_queue(request: HttpRequest) -> HttpResponse:
    """<Enqueue action>: how the caller left the agents' queue."""
    call_id, result = parsers.twilio_queue_result(request.POST)
    answer = ivr_queue_result(source="twilio", call_id=call_id, result=result)
    return _twiml(answer) if answer is not None else _xml(EMPTY_TWIML)


@require_POST
@_provider("twilio", _twilio_authentic)
def twilio_status(request: HttpRequest) -> HttpResponse:
    """The number's status callback: the call ended."""
    ended = parsers.twilio_ended(request.POST)
    ivr_call_ended(
        source="twilio",
        call_id=ended.call_id,
        calling_number=ended.calling_number,
        failed=ended.failed,
    )
    return _xml(EMPTY_TWIML)


# --- Plivo --------------------------------------------------------------------------------------


def _plivo_xml(answer: Any) -> HttpResponse:
    return _xml(
        plivo.render(
            answer,
            action_url=public_url(reverse("ivr:plivo_answer")),
            dial_url=public_url(reverse("ivr:plivo_dial")),
        )
    )


@require_http_methods(["GET", "POST"])
@_provider("plivo", _plivo_authentic)
def plivo_answer(request: HttpRequest) -> HttpResponse:
    """The application's answer_url, every <GetInput> action and the no-input <Redirect>."""
    data = request.POST if request.method == "POST" else request.GET
    return _plivo_xml(ivr_call_step(inbound=parsers.plivo_step(data, request.GET)))


@require_POST
@_provider("plivo", _plivo_authentic)
def plivo_dial(request: HttpRequest) -> HttpResponse:
    """<Dial action>: whether an agent took the call."""
    call_id, result = parsers.plivo_dial_result(request.POST)
    answer = ivr_queue_result(source="plivo", call_id=call_id, result=result)
    return _plivo_xml(answer) if answer is not None else _xml(HANG_UP_PLIVO)


@require_POST
@_provider("plivo", _plivo_authentic)
def plivo_hangup(request: HttpRequest) -> HttpResponse:
    """The application's hangup_url: the call ended."""
    ended = parsers.plivo_ended(request.POST)
    ivr_call_ended(
        source="plivo",
        call_id=ended.call_id,
        calling_number=ended.calling_number,
        failed=ended.failed,
    )
    return HttpResponse(status=200)


# --- Exotel ---------------------------------------------------------------------------------------


@require_GET
@_provider("exotel", _exotel_authentic)
def exotel_step(request: HttpRequest) -> HttpResponse:
    """Passthru: the caller's keys (or the call's start); 200 to Gather, 302 out of the loop."""
    answer = ivr_call_step(inbound=parsers.exotel_step(request.GET))
    return HttpResponse(status=exotel.step_status(answer))


@require_GET
@_provider("exotel", _exotel_authentic)
def exotel_gather(request: HttpRequest) -> HttpResponse:
    """Gather applet URL: the prompt to say and the keys to collect."""
    answer = ivr_call_prompt(call_id=parsers.exotel_call_id(request.GET))
    if answer is None:
        return JsonResponse({"gather_prompt": {"text": ""}, "max_input_digits": 1})
    return JsonResponse(exotel.gather_config(answer), json_dumps_params={"ensure_ascii": False})


@require_GET
@_provider("exotel", _exotel_authentic)
def exotel_route(request: HttpRequest) -> HttpResponse:
    """Passthru out of the loop: 200 to the Connect applet (agents), 302 to hang up."""
    answer = ivr_call_current(call_id=parsers.exotel_call_id(request.GET))
    return HttpResponse(status=exotel.route_status(answer))


@require_GET
@_provider("exotel", _exotel_authentic)
def exotel_connect(request: HttpRequest) -> HttpResponse:
    """Connect applet URL: the agents' number for the caller's queue."""
    answer = ivr_call_current(call_id=parsers.exotel_call_id(request.GET))
    return JsonResponse(exotel.connect_config(answer))


@require_GET
@_provider("exotel", _exotel_authentic)
def exotel_status(request: HttpRequest) -> HttpResponse:
    """Passthru after the Connect applet and before every Hangup: how the call ended."""
    ended, result = parsers.exotel_ended(request.GET)
    ivr_queue_result(source="exotel", call_id=ended.call_id, result=result)
    ivr_call_ended(
        source="exotel",
        call_id=ended.call_id,
        calling_number=ended.calling_number,
        failed=ended.failed,
    )
    return HttpResponse(status=200)
