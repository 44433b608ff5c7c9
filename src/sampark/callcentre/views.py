"""Staff pages of the call centre: call KPIs with the live queues and agents (supervisors and
officers), and the callbacks list where the desk records each try.

Each view parses, calls one selector or service, and renders; scoping lives in the selectors
and services (another area's callback is a 404). A refused action changes nothing and says why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.permissions import Action, can
from sampark.core import clock
from sampark.core.errors import NotAllowed, NotFound, SamparkError

from .forms import AttemptForm, CallbackFilterForm, KpiFilterForm
from .kpis import call_kpis, call_kpis_summary
from .models import CallbackStatus
from .selectors import (
    agents_overview,
    callback_get_for_staff,
    callbacks_due,
    callbacks_for_staff,
    calls_for_staff,
    queues_overview,
)
from .services import callback_attempt_record

PAGE_SIZE = 50


@login_required
@require_GET
def kpi_page(request: HttpRequest) -> HttpResponse:
    user = staff_of(request)
    if not can(user, Action.CALLCENTRE_SUPERVISE):
        raise PermissionDenied  # a role without the right: 403, as on every staff page
    form = KpiFilterForm(request.GET or None, user=user)
    choice = form.choice()
    calls = calls_for_staff(user=user)
    common: dict[str, Any] = {
        "start": choice.start,
        "end": choice.end,
        "discom": choice.discom,
        "service_level_seconds": choice.service_level_seconds,
        "calls": calls,
    }
    context = {
        "form": form,
        "choice": choice,
        "rows": call_kpis(bucket=choice.bucket, by=choice.by, **common),
        "total": call_kpis_summary(**common),
        "queues": queues_overview(user=user),
        "agents": agents_overview(user=user),
    }
    return render(request, "callcentre/kpis.html", context)


@login_required
@require_GET
def callback_list(request: HttpRequest) -> HttpResponse:
    """Desk staff: the callbacks due, oldest first, with a form per row. Supervisors and
    officers: every callback of their area by status."""
    user = staff_of(request)
    works = can(user, Action.CALLBACK_WORK)
    supervises = can(user, Action.CALLCENTRE_SUPERVISE)
    if not works and not supervises:
        raise PermissionDenied
    form = CallbackFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    if works and not status:
        rows = callbacks_due(user=user)
    else:
        rows = callbacks_for_staff(user=user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_work": works,
        "showing_due": works and not status,
        "now": clock.now(),
        "attempt_form": AttemptForm(),
        "pending": CallbackStatus.PENDING,
    }
    return render(request, "callcentre/callbacks.html", context)


@login_required
@require_POST
def callback_attempt(request: HttpRequest, callback_id: int) -> HttpResponse:
    user = staff_of(request)
    try:
        callback = callback_get_for_staff(user=user, callback_id=callback_id)
    except (NotFound, NotAllowed):
        raise Http404 from None
    form = AttemptForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, errors)
        return redirect("callcentre:callbacks")
    try:
        callback_attempt_record(
            callback=callback,
            agent=user,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
            complaint_number=form.cleaned_data["complaint_number"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Recorded."))
    return redirect("callcentre:callbacks")
