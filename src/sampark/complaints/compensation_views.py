"""The compensation register: a staff page with decide/pay forms for officers, and its CSV.

Mounted under /staff/ by one line in urls.py (`urlpatterns` below). Scoping lives in the
selector and the services: a claim outside the user's area is a 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, can
from sampark.core.errors import NotFound, SamparkError

from .compensation import (
    compensation_claim_decide,
    compensation_claim_lodge,
    compensation_claim_pay,
    complaint_compensable,
    complaint_late,
)
from .compensation_selectors import RegisterFilters, compensation_register
from .models import Channel, ClaimSource, ClaimStatus, CompensationClaim, Complaint
from .selectors import complaint_get_for_staff

PAGE_SIZE = 50


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *ClaimStatus.choices],
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        required=False,
        choices=[("", gettext_lazy("All")), *ClaimSource.choices],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Payment overdue only"), required=False)

    def filters(self) -> RegisterFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return RegisterFilters(
            status=data.get("status") or None,
            source=data.get("source") or None,
            overdue_only=bool(data.get("overdue")),
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class PayForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Payment reference"), max_length=60)


def _claim_or_404(user: StaffUser, number: str) -> CompensationClaim:
    claim = compensation_register(user=user).filter(number=number.strip().upper()).first()
    if claim is None:
        raise Http404
    return claim


@login_required
@require_GET
def compensation_page(request: HttpRequest) -> HttpResponse:
    user = staff_of(request)
    filters = RegisterFilterForm(request.GET or None)
    claims = compensation_register(user=user, filters=filters.filters())
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_decide": can(user, Action.COMPENSATION_DECIDE),
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "complaints/compensation.html", context)


@login_required
@require_POST
def compensation_decide_post(request: HttpRequest, number: str) -> HttpResponse:
    user = staff_of(request)
    claim = _claim_or_404(user, number)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("staff:compensation")
    approved = form.cleaned_data["decision"] == "approve"
    try:
        claim = compensation_claim_decide(
            claim=claim, approved=approved, actor=user, note=form.cleaned_data["note"]
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("Claim %(claim)s: %(status)s.")
            % {"claim": claim.number, "status": claim.get_status_display()},
        )
    return redirect("staff:compensation")


@login_required
@require_POST
def compensation_pay_post(request: HttpRequest, number: str) -> HttpResponse:
    user = staff_of(request)
    claim = _claim_or_404(user, number)
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment reference (up to 60 characters)."))
        return redirect("staff:compensation")
    try:
        claim = compensation_claim_pay(
            claim=claim, reference=form.cleaned_data["reference"], actor=user
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Claim %(claim)s is paid.") % {"claim": claim.number})
    return redirect("staff:compensation")


# --- Lodged by an agent for a caller (the complaint's page) -----------------------------------


def claim_lodge_offered(*, user: StaffUser, complaint: Complaint) -> bool:
    """The complaint page's "Lodge compensation claim" button: desk and field staff (the page
    is already scoped), a complaint past its limit (as `compensation_claim_lodge` judges it), in
    a compensable category, with no claim yet."""
    if not can(user, Action.COMPLAINT_REGISTER):
        return False
    if (
        not complaint_late(complaint)
        or CompensationClaim.objects.filter(complaint=complaint).exists()
    ):
        return False
    return complaint_compensable(complaint=complaint)


@login_required
@require_POST
def compensation_lodge_post(request: HttpRequest, number: str) -> HttpResponse:
    user = staff_of(request)
    if not can(user, Action.COMPLAINT_REGISTER):
        raise PermissionDenied
    try:
        complaint = complaint_get_for_staff(user=user, number=number)
    except NotFound:
        raise Http404 from None
    try:
        lodged = compensation_claim_lodge(complaint=complaint, channel=Channel.AGENT)
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        if lodged.created:
            text = _("Compensation claim %(claim)s lodged for the consumer.")
        else:
            text = _("Compensation claim %(claim)s was lodged already.")
        messages.success(request, text % {"claim": lodged.claim.number})
    return redirect("staff:complaint", number=complaint.number)


# --- CSV --------------------------------------------------------------------------------------


class _Echo:
    """csv.writer's file: hands each formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _when(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _csv_lines(claims: Iterator[CompensationClaim], language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yes, no = _("yes"), _("no")
    # A byte-order mark first, or Excel reads the UTF-8 (Hindi names, labels) as ANSI.
    yield "\ufeff" + writer.writerow(
        [
            _("Claim number"),
            _("Complaint number"),
            _("Consumer account"),
            _("Category"),
            _("Area"),
            _("Sub-division"),
            _("Days late"),
            _("Rate per day (Rs)"),
            _("Cap (Rs)"),
            _("Amount (Rs)"),
            _("Status"),
            _("Lodged"),
            _("Pay by"),
            _("Paid"),
            _("Payment reference"),
            _("Source"),
            _("Payment overdue"),
        ]
    )
    for claim in claims:
        complaint = claim.complaint
        area = str(complaint.get_area_type_display())
        if complaint.is_a_class:
            area += " (" + _("A-class city") + ")"
        subdivision = complaint.subdivision
        yield writer.writerow(
            [
                claim.number,
                complaint.number,
                complaint.consumer.account_number if complaint.consumer else "",
                complaint.get_category_display(),
                area,
                subdivision.name_in(language) if subdivision else "",
                "" if claim.days_late is None else claim.days_late,
                _money(claim.rate_per_day),
                _money(claim.cap) if claim.cap is not None else _("unknown"),
                _money(claim.amount),
                claim.get_status_display(),
                _when(claim.lodged_at),
                _when(claim.pay_by),
                _when(claim.paid_at),
                claim.payment_reference,
                claim.get_source_display(),
                yes if getattr(claim, "payment_overdue", False) else no,
            ]
        )


@login_required
@require_GET
def compensation_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The scoped, filtered register as CSV, streamed so a discom-wide export stays flat."""
    user = staff_of(request)
    filters = RegisterFilterForm(request.GET or None).filters()
    claims = compensation_register(user=user, filters=filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        _csv_lines(claims, get_language() or "hi"), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="compensation-{stamp}.csv"'
    return response


urlpatterns = [
    path("compensation/", compensation_page, name="compensation"),
    path("compensation.csv", compensation_csv, name="compensation_csv"),
    path("compensation/<str:number>/decide/", compensation_decide_post, name="compensation_decide"),
    path("compensation/<str:number>/pay/", compensation_pay_post, name="compensation_pay"),
    path(
        "complaints/<str:number>/compensation/",
        compensation_lodge_post,
        name="complaint_compensation_lodge",
    ),
]
