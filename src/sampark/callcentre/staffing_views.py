"""The staffing page: a discom's next 24 hours of forecast calls, agents needed and the roster.

For call-centre supervisors and officers (403 for everyone else); a discom outside the
viewer's jurisdiction is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sampark.accounts.auth import staff_of
from sampark.core.errors import NotAllowed, NotFound

from .staffing import staffing_discom_pick, staffing_plan


@login_required
@require_GET
def staffing_page(request: HttpRequest) -> HttpResponse:
    try:
        discoms, discom = staffing_discom_pick(
            user=staff_of(request), code=request.GET.get("discom")
        )
    except NotAllowed:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    plan = staffing_plan(discom=discom) if discom is not None else None
    return render(
        request,
        "callcentre/staffing.html",
        {"discoms": discoms, "discom": discom, "plan": plan},
    )
