"""Staff pages of the "responsibility fixed" register: who was asked to explain which delay,
and their reply or its absence. Officers answer their own rows here (the digest SMS links here).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.core import clock
from sampark.core.errors import SamparkError

from .escalation import explanation_reply
from .escalation_selectors import ExplanationState, explanations_register

PAGE_ROWS = 200


@login_required
@require_GET
def explanations(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in (None, *ExplanationState.values):
        status = None
    try:
        rows = explanations_register(user=staff_of(request), status=status)[:PAGE_ROWS]
    except SamparkError as error:
        messages.error(request, error.text())
        return redirect("staff:home")
    context = {
        "rows": rows,
        "status": status or "",
        "states": ExplanationState.choices,
        "now": clock.now(),
        "me": request.user.pk,
    }
    return render(request, "complaints/explanations.html", context)


@login_required
@require_POST
def explanation_reply_post(request: HttpRequest, explanation_id: int) -> HttpResponse:
    user = staff_of(request)
    found = explanations_register(user=user).filter(pk=explanation_id).first()
    if found is None:
        raise Http404
    try:
        explanation_reply(explanation=found, officer=user, text=request.POST.get("reply", ""))
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Your explanation is recorded."))
    return redirect("staff:explanations")


urlpatterns = [
    path("explanations/", explanations, name="explanations"),
    path(
        "explanations/<int:explanation_id>/reply",
        explanation_reply_post,
        name="explanation_reply",
    ),
]
