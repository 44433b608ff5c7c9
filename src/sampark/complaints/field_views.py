"""The JE's phone pages at /staff/field/: small HTML, plain POST forms, no JavaScript, so they
work on a 360 px screen over a slow connection. Each view parses, calls one service, renders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.core.errors import NotAllowed, NotFound, SamparkError, ValidationFailed

from .field import (
    NOTE_MAX,
    NOTE_REQUIRED,
    REASON_REQUIRED,
    FieldRow,
    field_acknowledge,
    field_complaint_get,
    field_complaints,
    field_history,
    field_needs_other_team,
    field_on_site,
    field_resolve,
)


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=NOTE_MAX,
        error_messages={"required": NOTE_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )


class OtherTeamForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Which team is needed, and why"),
        max_length=NOTE_MAX,
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _row_or_404(request: HttpRequest, number: str) -> FieldRow:
    try:
        return field_complaint_get(user=staff_of(request), number=number)
    except NotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None


@login_required
@require_GET
def field_list(request: HttpRequest) -> HttpResponse:
    try:
        rows = field_complaints(user=staff_of(request))
    except NotAllowed:
        raise PermissionDenied from None
    return render(request, "complaints/field.html", {"rows": rows})


def _complaint_page(
    request: HttpRequest,
    row: FieldRow,
    *,
    resolve_form: ResolveForm | None = None,
    other_form: OtherTeamForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "row": row,
        "complaint": row.complaint,
        "history": field_history(complaint=row.complaint),
        "resolve_form": resolve_form or ResolveForm(),
        "other_form": other_form or OtherTeamForm(),
    }
    return render(request, "complaints/field_complaint.html", context, status=status)


@login_required
@require_GET
def field_complaint(request: HttpRequest, number: str) -> HttpResponse:
    return _complaint_page(request, _row_or_404(request, number))


def _back(row: FieldRow, where: str) -> HttpResponse:
    if where == "list":
        return redirect("staff:field")
    return redirect("staff:field_complaint", number=row.complaint.number)


def _form_errors(form: forms.Form, error: ValidationFailed) -> None:
    for name, text in error.fields.items():
        form.add_error(name if name in form.fields else None, str(text))


@login_required
@require_POST
def field_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """acknowledge | on_site | resolve | other_team; errors shown, nothing changed."""
    if action not in ACTIONS:
        raise Http404
    row = _row_or_404(request, number)
    user = staff_of(request)
    where = request.POST.get("next", "")
    try:
        if action == "acknowledge":
            if field_acknowledge(complaint=row.complaint, actor=user):
                messages.success(request, _("Acknowledged %(number)s.") % {"number": number})
            else:
                messages.info(
                    request, _("%(number)s was already acknowledged.") % {"number": number}
                )
        elif action == "on_site":
            field_on_site(complaint=row.complaint, actor=user)
            messages.success(request, _("%(number)s: on site.") % {"number": number})
        elif action == "resolve":
            form = ResolveForm(request.POST, request.FILES)
            if not form.is_valid():
                return _complaint_page(request, row, resolve_form=form, status=422)
            try:
                field_resolve(
                    complaint=row.complaint,
                    actor=user,
                    note=form.cleaned_data["note"],
                    photo=form.cleaned_data["photo"] or None,
                )
            except ValidationFailed as error:
                _form_errors(form, error)
                return _complaint_page(request, row, resolve_form=form, status=422)
            messages.success(
                request,
                _("%(number)s resolved. The consumer is asked to confirm.") % {"number": number},
            )
            where = "list"
        else:
            other = OtherTeamForm(request.POST)
            if not other.is_valid():
                return _complaint_page(request, row, other_form=other, status=422)
            try:
                outcome = field_needs_other_team(
                    complaint=row.complaint, actor=user, reason=other.cleaned_data["reason"]
                )
            except ValidationFailed as error:
                _form_errors(other, error)
                return _complaint_page(request, row, other_form=other, status=422)
            if outcome.escalating:
                messages.success(
                    request,
                    _("%(number)s: the next officer up is told within a minute.")
                    % {"number": number},
                )
            else:
                messages.warning(
                    request,
                    _("%(number)s: reason recorded; it is already at the top of the ladder.")
                    % {"number": number},
                )
    except NotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    except SamparkError as error:
        messages.error(request, error.text())
    return _back(row, where)


ACTIONS = frozenset({"acknowledge", "on_site", "resolve", "other_team"})

urlpatterns = [
    path("field/", field_list, name="field"),
    path("field/<str:number>/", field_complaint, name="field_complaint"),
    path("field/<str:number>/<slug:action>/", field_action, name="field_action"),
]
