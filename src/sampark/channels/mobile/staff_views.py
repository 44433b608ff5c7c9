"""/staff/mobile/: a 1912 agent or an office registers or changes a consumer's mobile.

The agent checks who the caller is (the note says how) and the new mobile proves itself with
an OTP the caller reads out; no old-mobile code is needed on this path, and the old mobile is
told of the change. Anyone who may register complaints for consumers may do it, within their
jurisdiction (docs/mobile-registration.md).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.permissions import Action, can
from sampark.consumers.mobile_selectors import mobile_challenge_for_staff, mobile_changes_of
from sampark.consumers.models import MobileChannel, OtpPurpose
from sampark.consumers.selectors import consumer_lookup_for_staff
from sampark.core.errors import NotFound, SamparkError, ValidationFailed

from ..webform.forms import errors_add, form_status
from .forms import AccountLookupForm, StaffCodeForm, StaffRegisterForm
from .services import mobile_otp_resend, mobile_registration_finish, mobile_registration_start


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "hi"


def _back(account: str) -> str:
    return reverse("mobile:consumer") + "?" + urlencode({"account": account})


@login_required
@require_GET
def consumer(request: HttpRequest) -> HttpResponse:
    """Find the account; its mobile, its mobile history and the form to change it."""
    user = staff_of(request)
    lookup = AccountLookupForm(request.GET or None)
    context: dict[str, object] = {"lookup": lookup, "form": StaffRegisterForm()}
    if lookup.is_valid():
        try:
            (found,) = consumer_lookup_for_staff(
                user=user, account_number=lookup.cleaned_data["account"]
            )
        except (NotFound, ValidationFailed) as error:
            context["not_found"] = error.text()
            return render(request, "channels/mobile/staff.html", context, status=404)
        context |= {
            "consumer": found,
            "changes": mobile_changes_of(consumer=found)[:20],
            "can_change": can(user, Action.COMPLAINT_REGISTER),
        }
    return render(request, "channels/mobile/staff.html", context)


@login_required
@require_POST
def start(request: HttpRequest, account: str) -> HttpResponse:
    user = staff_of(request)
    form = StaffRegisterForm(request.POST)
    if form.is_valid():
        try:
            challenge = mobile_registration_start(
                account_number=account,
                mobile=form.cleaned_data["mobile"],
                note=form.cleaned_data["note"],
                channel=MobileChannel.AGENT,
                language=_language(),
                staff=user,
            )
        except SamparkError as error:
            errors_add(form, error)
        else:
            return redirect("mobile:verify", token=challenge.token)
    try:
        (found,) = consumer_lookup_for_staff(user=user, account_number=account)
    except (NotFound, ValidationFailed):
        raise Http404 from None
    context = {
        "lookup": AccountLookupForm(initial={"account": account}),
        "form": form,
        "consumer": found,
        "changes": mobile_changes_of(consumer=found)[:20],
        "can_change": can(user, Action.COMPLAINT_REGISTER),
    }
    return render(request, "channels/mobile/staff.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    user = staff_of(request)
    try:
        challenge = mobile_challenge_for_staff(user=user, token=token)
    except NotFound:
        raise Http404 from None
    assert challenge.consumer is not None
    form = StaffCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = mobile_registration_finish(
                    token=token, code=form.cleaned_data["otp"], actor=user
                )
            except SamparkError as error:
                errors_add(form, error)
                status = form_status(error)
            else:
                messages.success(
                    request,
                    _("Mobile %(mobile)s registered on account %(account)s.")
                    % {
                        "mobile": done.change.new_mobile_masked,
                        "account": done.consumer.account_number,
                    },
                )
                return redirect(_back(done.consumer.account_number))
    context = {"challenge": challenge, "form": form}
    return render(request, "channels/mobile/staff_verify.html", context, status=status)


@login_required
@require_POST
def resend(request: HttpRequest, token: str) -> HttpResponse:
    user = staff_of(request)
    try:
        mobile_challenge_for_staff(user=user, token=token)
        mobile_otp_resend(token=token, purpose=OtpPurpose.MOBILE_REGISTER)
    except NotFound:
        raise Http404 from None
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("A new OTP has been sent."))
    return redirect("mobile:verify", token=token)
