"""Staff pages: the desk home, consumer look-up with complaint registration, complaint detail.

Each view parses, calls one selector or service, and renders. Scoping and permissions live in
the selectors and services; a complaint or consumer outside the user's area is a 404.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, can
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_lookup_for_staff
from sampark.core.errors import NotFound, SamparkError, ValidationFailed
from sampark.outages.selectors import outages_active_for_consumers

from .compensation_views import claim_lodge_offered
from .forms import (
    AssignForm,
    ComplaintListForm,
    ComplaintNumberForm,
    ConsumerSearchForm,
    RegisterComplaintForm,
    TransitionForm,
    transitions_offered,
)
from .models import Channel, Complaint
from .numbering import complaint_number_normalize
from .selectors import (
    ComplaintFilters,
    complaint_events,
    complaint_get_for_staff,
    complaints_for_staff,
)
from .services import complaint_assign, complaint_register, complaint_transition

PAGE_SIZE = 50


def _complaint_or_404(request: HttpRequest, number: str) -> Complaint:
    try:
        return complaint_get_for_staff(user=staff_of(request), number=number)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    filters = ComplaintListForm(request.GET or None)
    complaints = complaints_for_staff(user=staff_of(request), filters=filters.filters())
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "search_form": ConsumerSearchForm(),
        "number_form": ComplaintNumberForm(),
    }
    return render(request, "complaints/home.html", context)


@login_required
@require_GET
def complaint_go(request: HttpRequest) -> HttpResponse:
    """The complaint-number box: open the complaint, or say it is not in the user's area."""
    number = complaint_number_normalize(request.GET.get("number", ""))
    try:
        complaint = complaint_get_for_staff(user=staff_of(request), number=number)
    except NotFound:
        messages.error(request, _("No complaint %(number)s in your area.") % {"number": number})
        return redirect("staff:home")
    return redirect("staff:complaint", number=complaint.number)


def _consumers_find(*, user: StaffUser, text: str) -> list[Consumer]:
    """Ten digits may be an account number or a mobile; look both up and show what matches."""
    digits = re.sub(r"[\s-]", "", text)
    found: list[Consumer] = []
    for key in ("account_number", "mobile"):
        if key == "account_number" and not re.fullmatch(r"\d{10}", digits):
            continue
        try:
            found += consumer_lookup_for_staff(user=user, **{key: digits})
        except (NotFound, ValidationFailed):
            continue
    if not found:
        raise NotFound()
    return list({consumer.pk: consumer for consumer in found}.values())


@login_required
@require_GET
def consumer_search(request: HttpRequest) -> HttpResponse:
    form = ConsumerSearchForm(request.GET or None)
    context: dict[str, object] = {"search_form": form, "consumers": []}
    if not form.is_valid():
        return render(request, "complaints/consumers.html", context)
    user = staff_of(request)
    try:
        consumers = _consumers_find(user=user, text=form.cleaned_data["q"])
    except NotFound:
        context["not_found"] = True
        return render(request, "complaints/consumers.html", context, status=404)
    open_complaints = complaints_for_staff(
        user=user, filters=ComplaintFilters(open_only=True)
    ).filter(consumer__in=consumers)
    by_consumer: dict[int, list[Complaint]] = {}
    for complaint in open_complaints:
        by_consumer.setdefault(complaint.consumer_id or 0, []).append(complaint)
    outages = outages_active_for_consumers(consumers=consumers)
    context["consumers"] = [
        (c, by_consumer.get(c.pk, []), outages.get(c.pk, [])) for c in consumers
    ]
    context["register_form"] = RegisterComplaintForm()
    context["can_register"] = can(user, Action.COMPLAINT_REGISTER)
    return render(request, "complaints/consumers.html", context)


@login_required
@require_POST
def consumer_complaint_register(request: HttpRequest, account_number: str) -> HttpResponse:
    user = staff_of(request)
    try:
        (consumer,) = consumer_lookup_for_staff(user=user, account_number=account_number)
    except (NotFound, ValidationFailed):
        raise Http404 from None
    form = RegisterComplaintForm(request.POST)
    back = reverse("staff:consumers") + "?" + urlencode({"q": consumer.account_number})
    if not form.is_valid():
        messages.error(request, _("Choose a category for the complaint."))
        return redirect(back)
    try:
        registration = complaint_register(
            consumer=consumer,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            channel=Channel.AGENT,
            actor=user,
        )
    except SamparkError as error:
        messages.error(request, error.text())
        return redirect(back)
    number = registration.complaint.number
    if registration.created:
        messages.success(
            request, _("Complaint registered. Its number is %(number)s.") % {"number": number}
        )
    else:
        messages.warning(
            request,
            _("This consumer already has an open complaint of this kind: %(number)s.")
            % {"number": number},
        )
    return redirect("staff:complaint", number=number)


@login_required
@require_GET
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = staff_of(request)
    complaint = _complaint_or_404(request, number)
    can_assign = can(user, Action.COMPLAINT_ASSIGN) and complaint.is_open
    context = {
        "complaint": complaint,
        "events": complaint_events(complaint=complaint),
        "transitions": transitions_offered(complaint=complaint, user=user),
        "transition_form": TransitionForm(),
        "assign_form": AssignForm(complaint=complaint) if can_assign else None,
        "claim_lodge": claim_lodge_offered(user=user, complaint=complaint),
    }
    return render(request, "complaints/detail.html", context)


@login_required
@require_POST
def complaint_transition_post(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered actions."))
        return redirect("staff:complaint", number=complaint.number)
    try:
        complaint = complaint_transition(
            complaint=complaint,
            to_status=form.cleaned_data["to_status"],
            actor=staff_of(request),
            note=form.cleaned_data["note"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request, _("Status is now: %(status)s.") % {"status": complaint.get_status_display()}
        )
    return redirect("staff:complaint", number=complaint.number)


@login_required
@require_POST
def complaint_assign_post(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _complaint_or_404(request, number)
    form = AssignForm(request.POST, complaint=complaint)
    if not form.is_valid():
        messages.error(request, _("Choose a JE or SDO responsible for this area."))
        return redirect("staff:complaint", number=complaint.number)
    try:
        complaint = complaint_assign(
            complaint=complaint,
            assignee=form.cleaned_data["assignee"],
            actor=staff_of(request),
            note=form.cleaned_data["note"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("Assigned to %(name)s.") % {"name": form.cleaned_data["assignee"].get_full_name()},
        )
    return redirect("staff:complaint", number=complaint.number)
