"""/complaint/: the website's complaint form, its tracking page and mobile registration.

No sign-in. Plain form posts (POST/redirect/GET), so every page works without JavaScript; the
pending challenge's token and the last receipt live in the visitor's session, never in a URL.
Requests that send an SMS are limited per client address (SAMPARK_WEB_OTP_RATE) on top of the
per-mobile limit of the services; look-ups on the tracking page by SAMPARK_WEB_TRACK_RATE.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sampark.consumers.mobile_verification import mobile_challenge_get
from sampark.consumers.models import MobileChallenge, MobileChannel, OtpPurpose, OtpStatus
from sampark.core import clock
from sampark.core.errors import NotFound, SamparkError
from sampark.core.throttle import window_allow

from ..mobile.services import (
    complaint_otp_request,
    mobile_otp_resend,
    mobile_registration_finish,
    mobile_registration_start,
)
from .forms import (
    DetailsForm,
    MobileForm,
    RegisterForm,
    RegisterVerifyForm,
    TrackForm,
    errors_add,
    form_status,
)
from .selectors import complaint_receipt, complaint_tracked
from .services import web_complaint_submit

COMPLAINT_TOKEN = "webform_complaint_token"
RECEIPT = "webform_receipt"  # [number, created]
MOBILE_TOKEN = "webform_mobile_token"
MOBILE_DONE = "webform_mobile_done"  # [masked mobile, masked account, kind]
TOO_MANY = gettext_lazy("Too many requests. Wait a little and try again.")


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "hi"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _allowed(request: HttpRequest, *, kind: str, rate: str) -> bool:
    return window_allow(key=f"web-{kind}:{_ip(request) or ''}", rate=rate)


def _challenge(request: HttpRequest, key: str, purpose: str) -> MobileChallenge | None:
    token = request.session.get(key) or ""
    try:
        return mobile_challenge_get(token=token, purpose=purpose)
    except NotFound:
        return None


def _page(
    request: HttpRequest, template: str, context: dict[str, object], *, status: int = 200
) -> HttpResponse:
    challenge = context.get("challenge")
    if isinstance(challenge, MobileChallenge):  # the resend button's cool-down, still to run
        waited = (clock.now() - challenge.sent_at).total_seconds()
        context["resend_seconds"] = max(0, int(settings.SAMPARK_OTP_RESEND_SECONDS - waited))
    context.setdefault("minutes", settings.SAMPARK_OTP_VALID_MINUTES)
    return render(request, f"webform/{template}", context, status=status)


# The complaint --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile; an OTP goes to it."""
    form = MobileForm(request.POST or None)
    if request.method == "GET":
        return _page(request, "start.html", {"form": form})
    if not _allowed(request, kind="otp", rate=settings.SAMPARK_WEB_OTP_RATE):
        form.add_error(None, str(TOO_MANY))
        return _page(request, "start.html", {"form": form}, status=429)
    if form.is_valid():
        try:
            challenge = complaint_otp_request(
                mobile=form.cleaned_data["mobile"], language=_language(), client_ip=_ip(request)
            )
        except SamparkError as error:
            errors_add(form, error)
        else:
            request.session[COMPLAINT_TOKEN] = challenge.token
            return redirect("webform:details")
    return _page(request, "start.html", {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """Step 2: the OTP, the category and the account number or place."""
    challenge = _challenge(request, COMPLAINT_TOKEN, OtpPurpose.COMPLAINT)
    if challenge is None or challenge.status == OtpStatus.USED:
        return redirect("webform:start")
    form = DetailsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = web_complaint_submit(
                    token=challenge.token,
                    otp=data["otp"],
                    category=data["category"],
                    language=_language(),
                    account_number=data["account_number"],
                    location_text=data["location_text"],
                    description=data["description"],
                )
            except SamparkError as error:
                errors_add(form, error)
                status = form_status(error)
            else:
                request.session.pop(COMPLAINT_TOKEN, None)
                request.session[RECEIPT] = [registration.complaint.number, registration.created]
                return redirect("webform:done")
    context = {"form": form, "challenge": challenge, "resend_url": "webform:resend"}
    return _page(request, "details.html", context, status=status)


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    return _resend(request, COMPLAINT_TOKEN, OtpPurpose.COMPLAINT, back="webform:details")


def _resend(request: HttpRequest, key: str, purpose: str, *, back: str) -> HttpResponse:
    """A new OTP for the pending step; problems (too soon, too many) shown on that step."""
    token = request.session.get(key) or ""
    problem = ""
    if not _allowed(request, kind="otp", rate=settings.SAMPARK_WEB_OTP_RATE):
        problem = str(TOO_MANY)
    else:
        try:
            mobile_otp_resend(token=token, purpose=purpose)
        except NotFound:
            return redirect(back)
        except SamparkError as error:
            problem = error.text()
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, _("A new OTP has been sent."))
    return redirect(back)


@require_GET
def done(request: HttpRequest) -> HttpResponse:
    """The receipt: number, time limit, any outage it belongs to."""
    number, created = (request.session.get(RECEIPT) or ["", False])[:2]
    try:
        complaint = complaint_receipt(number=number)
    except NotFound:
        return redirect("webform:start")
    return _page(request, "done.html", {"complaint": complaint, "created": created})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Number + mobile: the status timeline. Any wrong pair gets the same answer."""
    form = TrackForm(request.POST or None)
    if request.method == "GET":
        return _page(request, "track.html", {"form": form})
    if not _allowed(request, kind="track", rate=settings.SAMPARK_WEB_TRACK_RATE):
        form.add_error(None, str(TOO_MANY))
        return _page(request, "track.html", {"form": form}, status=429)
    status = 400
    tracked = None
    if form.is_valid():
        try:
            tracked = complaint_tracked(
                number=form.cleaned_data["number"], mobile=form.cleaned_data["mobile"]
            )
            status = 200
        except SamparkError as error:
            errors_add(form, error)
            status = error.status  # 404: the same for every wrong pair
    return _page(request, "track.html", {"form": form, "tracked": tracked}, status=status)


# Mobile registration --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mobile(request: HttpRequest) -> HttpResponse:
    """Account number, the name's first letters and the mobile: OTPs to it (and to the old)."""
    form = RegisterForm(request.POST or None)
    if request.method == "GET":
        return _page(request, "mobile.html", {"form": form})
    if not _allowed(request, kind="otp", rate=settings.SAMPARK_WEB_OTP_RATE):
        form.add_error(None, str(TOO_MANY))
        return _page(request, "mobile.html", {"form": form}, status=429)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            challenge = mobile_registration_start(
                account_number=data["account_number"],
                mobile=data["mobile"],
                name_letters=data["name"],
                channel=MobileChannel.WEB,
                language=_language(),
                client_ip=_ip(request),
            )
        except SamparkError as error:
            errors_add(form, error)
            status = form_status(error)
        else:
            request.session[MOBILE_TOKEN] = challenge.token
            return redirect("webform:mobile_verify")
    return _page(request, "mobile.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def mobile_verify(request: HttpRequest) -> HttpResponse:
    challenge = _challenge(request, MOBILE_TOKEN, OtpPurpose.MOBILE_REGISTER)
    if challenge is None or challenge.status == OtpStatus.USED:
        return redirect("webform:mobile")
    old_asked = bool(challenge.old_otp_hash)
    form = RegisterVerifyForm(request.POST or None, old_asked=old_asked)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = mobile_registration_finish(
                    token=challenge.token,
                    code=form.cleaned_data["otp"],
                    old_code=form.cleaned_data.get("old_otp", ""),
                    actor_label="consumer via website",
                )
            except SamparkError as error:
                errors_add(form, error)
                status = form_status(error)
            else:
                request.session.pop(MOBILE_TOKEN, None)
                change = done.change
                account = done.consumer.account_number
                request.session[MOBILE_DONE] = [
                    change.new_mobile_masked,
                    f"XXXXXX{account[-4:]}",
                    change.kind,
                ]
                return redirect("webform:mobile_done")
    context = {"form": form, "challenge": challenge, "resend_url": "webform:mobile_resend"}
    return _page(request, "mobile_verify.html", context, status=status)


@require_POST
def mobile_resend(request: HttpRequest) -> HttpResponse:
    return _resend(request, MOBILE_TOKEN, OtpPurpose.MOBILE_REGISTER, back="webform:mobile_verify")


@require_GET
def mobile_done(request: HttpRequest) -> HttpResponse:
    done_data = request.session.get(MOBILE_DONE)
    if not done_data:
        return redirect("webform:mobile")
    mobile_masked, account, kind = done_data
    context = {"mobile": mobile_masked, "account": account, "kind": kind}
    return _page(request, "mobile_done.html", context)
