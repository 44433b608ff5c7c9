"""Public group pages (no sign-in): join with an OTP, a member's own page with the leave button,
and a zone's bulletins of today. Each view parses, calls one service or selector, and renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sampark.core.errors import NotFound, SamparkError

from .forms import JoinForm, VerifyForm
from .joining import (
    OTP_VALID_MINUTES,
    stakeholder_join_request,
    stakeholder_join_verify,
    stakeholder_otp_get,
)
from .members import stakeholder_member_leave
from .models import JoinedVia
from .selectors import bulletins_today, member_by_leave_token, zone_example, zone_get, zones_all
from .throttle import join_request_allowed


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "hi"


def _add_errors(form: JoinForm | VerifyForm, error: SamparkError) -> None:
    for field, text in error.fields.items():
        form.add_error(field if field in form.fields else None, str(text))
    if not error.fields:
        form.add_error(None, str(error.message))


@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not join_request_allowed(request):
            form.add_error(None, _("Too many requests. Wait a little and try again."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                joining = stakeholder_join_request(
                    zone=data["zone"],
                    mobile=data["mobile"],
                    name=data["name"],
                    role=data["role"],
                    language=data["language"],
                    channel=data["channel"],
                    delivery=data["delivery"],
                )
            except SamparkError as error:
                _add_errors(form, error)
            else:
                return redirect("public:verify", token=joining.token)
    context = {
        "form": form,
        "zones": zones_all(),
        "example": zone_example(),
        "sender": settings.SAMPARK_SENDER_NAME,
    }
    return render(request, "public/groups.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        otp = stakeholder_otp_get(token=token)
    except NotFound:
        raise Http404 from None
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            joined = stakeholder_join_verify(token=token, code=form.cleaned_data["code"])
        except SamparkError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("You have joined the %(zone)s stakeholder group.")
                % {"zone": joined.member.group.zone.name_in(_language())},
            )
            return redirect("public:member", token=joined.member.leave_token)
    context = {"form": form, "otp": otp, "minutes": OTP_VALID_MINUTES}
    return render(request, "public/verify.html", context, status=400 if form.errors else 200)


@require_GET
def member(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = member_by_leave_token(token=token)
    except NotFound:
        raise Http404 from None
    return render(request, "public/member.html", {"member": found})


@require_POST
def member_leave(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = member_by_leave_token(token=token)
    except NotFound:
        raise Http404 from None
    if stakeholder_member_leave(member=found, via=JoinedVia.WEB):
        messages.success(
            request,
            _("You have left the %(zone)s stakeholder group.")
            % {"zone": found.group.zone.name_in(_language())},
        )
    return redirect("public:member", token=token)


@require_GET
def zone_bulletins(request: HttpRequest, code: str) -> HttpResponse:
    try:
        zone = zone_get(code=code)
    except NotFound:
        raise Http404 from None
    context = {"zone": zone, "bulletins": bulletins_today(zone=zone)}
    return render(request, "public/bulletins.html", context)
