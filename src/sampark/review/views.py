"""The review page: /staff/review/?unit=<id>&preset=7d (or start/end dates) &sort=<column>.

The view parses, calls `selectors.dashboard` and lays the result out; links to the complaint
list carry the filters behind each figure (presentation.py).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sampark.accounts.auth import staff_of
from sampark.core import clock
from sampark.core.errors import NotAllowed, NotFound, ValidationFailed
from sampark.network.models import OrgUnit

from .forms import ReviewForm
from .presentation import page_context
from .selectors import dashboard


@login_required
@require_GET
def review_page(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "review/dashboard.html", {"form": form}, status=400)
    if not request.GET:
        form = ReviewForm({})
        form.is_valid()
    unit_id = form.cleaned_data.get("unit")
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit_id and unit is None:
        raise Http404
    start, end = form.period(today=clock.local_today())
    try:
        board = dashboard(user=staff_of(request), org_unit=unit, start=start, end=end)
    except NotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    except ValidationFailed as error:
        for name, message in (error.fields or {}).items():
            form.add_error("start" if name == "from" else "end", message)
        return render(request, "review/dashboard.html", {"form": form}, status=400)
    context = page_context(board, form=form, sort=form.cleaned_data.get("sort") or "")
    context["language"] = get_language() or "hi"
    return render(request, "review/dashboard.html", context)
