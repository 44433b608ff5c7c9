"""The field engineer enters the consumer's confirmation code on the complaint's page (or sends
a new one after a lock): one POST, one service call, back to the page with the outcome."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sampark.accounts.auth import staff_of
from sampark.core.errors import NotFound, SamparkError

from .closure import closure_confirm_by_otp, closure_resend
from .models import Channel
from .selectors import complaint_get_for_staff


class ClosureForm(forms.Form):
    otp = forms.CharField(label=gettext_lazy("Consumer's code"), max_length=12, required=False)
    action = forms.ChoiceField(choices=[("confirm", "confirm"), ("resend", "resend")])


@login_required
@require_POST
def closure_post(request: HttpRequest, number: str) -> HttpResponse:
    user = staff_of(request)
    try:
        complaint = complaint_get_for_staff(user=user, number=number)
    except NotFound:
        raise Http404 from None
    form = ClosureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the 6-digit code the consumer received."))
        return redirect("staff:complaint", number=complaint.number)
    try:
        if form.cleaned_data["action"] == "resend":
            closure_resend(complaint=complaint, actor=user)
            messages.success(request, _("A new confirmation request has been sent."))
        else:
            closure_confirm_by_otp(
                complaint=complaint,
                otp=form.cleaned_data["otp"],
                actor=user,
                channel=Channel.FIELD,
            )
            messages.success(
                request, _("Confirmed by the consumer's code: the complaint is closed.")
            )
    except SamparkError as error:
        messages.error(request, error.text())
    return redirect("staff:complaint", number=complaint.number)
