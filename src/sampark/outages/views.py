"""Staff outage pages: live outages in the user's area, declare, and one outage with its ETR,
restoration and history. Made for a JE's phone: every action is a button on the outage page.

Each view parses, calls one selector or service, and renders; scoping lives in the selectors
and services (another area's outage is a 404). A refused action changes nothing and says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.permissions import Action, can
from sampark.core.errors import NotAllowed, NotFound, SamparkError
from sampark.notifications.selectors import notification_status_counts

from .fanout import outage_topic
from .forms import DeclareForm, EtrForm, NoteForm, RestoreForm
from .models import Outage, OutageStatus
from .selectors import (
    OutageFilters,
    consumers_affected_count,
    feeders_offered,
    outage_events,
    outage_get_for_staff,
    outages_for_staff,
    substations_offered,
)
from .services import outage_cancel, outage_declare, outage_etr_revise, outage_restore

PAGE_SIZE = 50
# Service field names -> declare form fields (the rest show above the form).
FORM_FIELDS = {"etr": "etr", "starts_at": "starts_at", "reason_code": "reason", "kind": "kind"}


def _outage_or_404(request: HttpRequest, outage_id: int) -> Outage:
    try:
        return outage_get_for_staff(user=staff_of(request), outage_id=outage_id)
    except (NotFound, NotAllowed):
        raise Http404 from None


@login_required
@require_GET
def outage_list(request: HttpRequest) -> HttpResponse:
    user = staff_of(request)
    show_all = request.GET.get("all") == "1"
    try:
        outages = outages_for_staff(user=user, filters=OutageFilters(live_only=not show_all))
    except NotAllowed:
        raise Http404 from None
    if show_all:
        outages = outages.order_by("-starts_at", "-id")
    page = Paginator(outages, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show_all": show_all,
        "can_declare": can(user, Action.OUTAGE_DECLARE),
    }
    return render(request, "outages/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outage_new(request: HttpRequest) -> HttpResponse:
    user = staff_of(request)
    if not can(user, Action.OUTAGE_DECLARE):
        raise Http404
    substations = substations_offered(user=user)
    feeders = feeders_offered(substations=substations)
    form = DeclareForm(request.POST or None, substations=substations, feeders=feeders)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outage = outage_declare(
                    kind=data["kind"],
                    substation_codes=data["substation_codes"],
                    feeder_codes=data["feeder_codes"],
                    dt_codes=data["dt_codes"],
                    reason_code=data["reason"],
                    reason_note=data["reason_note"],
                    starts_at=form.starts_value(),
                    etr=form.etr_value(),
                    emergency=data["emergency"],
                    actor=user,
                    actor_label="staff",
                )
            except SamparkError as error:
                for name, text in error.fields.items():
                    form.add_error(FORM_FIELDS.get(name), str(text))
                if not error.fields:
                    form.add_error(None, str(error.message))
                status = error.status
            else:
                messages.success(
                    request,
                    _("Outage #%(id)s recorded; affected consumers are being told.")
                    % {"id": outage.pk},
                )
                return redirect("outages:detail", outage_id=outage.pk)
        else:
            status = 422
    return render(
        request,
        "outages/new.html",
        {"form": form, "substations": substations, "feeders": feeders},
        status=status,
    )


@login_required
@require_GET
def outage_detail(request: HttpRequest, outage_id: int) -> HttpResponse:
    user = staff_of(request)
    outage = _outage_or_404(request, outage_id)
    context = {
        "outage": outage,
        "elements": list(outage.scope.all()),
        "events": outage_events(outage=outage),
        "affected": consumers_affected_count(outage=outage),
        "outbox": notification_status_counts(topic=outage_topic(outage.pk)),
        "can_act": can(user, Action.OUTAGE_DECLARE) and outage.status in LIVE,
        "is_active": outage.status == OutageStatus.ACTIVE,
        "is_scheduled": outage.status == OutageStatus.SCHEDULED,
        "etr_form": EtrForm(),
    }
    return render(request, "outages/detail.html", context)


LIVE = (OutageStatus.ACTIVE, OutageStatus.SCHEDULED)


@login_required
@require_POST
def outage_etr_post(request: HttpRequest, outage_id: int) -> HttpResponse:
    outage = _outage_or_404(request, outage_id)
    form = EtrForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Give a valid time."),
        )
        return redirect("outages:detail", outage_id=outage.pk)
    try:
        outage = outage_etr_revise(
            outage=outage,
            etr=form.etr_value(current=outage.etr),
            actor=staff_of(request),
            actor_label="staff",
            note=form.cleaned_data["note"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Restoration time revised; consumers are being told."))
    return redirect("outages:detail", outage_id=outage.pk)


@login_required
@require_POST
def outage_restore_post(request: HttpRequest, outage_id: int) -> HttpResponse:
    outage = _outage_or_404(request, outage_id)
    choices = [(e.pk, str(e.pk)) for e in outage.scope.all()]
    form = RestoreForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("outages:detail", outage_id=outage.pk)
    data = form.cleaned_data
    try:
        outage = outage_restore(
            outage=outage,
            scope_ids=None if data["whole"] else data["scope_ids"],
            actor=staff_of(request),
            actor_label="staff",
            note=data["note"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        if outage.status == OutageStatus.RESTORED:
            messages.success(request, _("Supply restored; consumers are being told."))
        else:
            messages.success(
                request, _("Partly restored; consumers of the restored part are told.")
            )
    return redirect("outages:detail", outage_id=outage.pk)


@login_required
@require_POST
def outage_cancel_post(request: HttpRequest, outage_id: int) -> HttpResponse:
    outage = _outage_or_404(request, outage_id)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        outage_cancel(
            outage=outage,
            actor=staff_of(request),
            actor_label="staff",
            note=form.cleaned_data.get("note", ""),
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Planned outage cancelled; announced consumers are told."))
    return redirect("outages:detail", outage_id=outage.pk)
