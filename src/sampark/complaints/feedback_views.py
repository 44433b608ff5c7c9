"""The ratings page: how consumers rated the service (per 1912 agent, JE and division) and how
each engineer's resolutions fared with them (confirmed, unconfirmed, rejected, reopened), all
within the viewer's jurisdiction. Officers (SDO and above) and call-centre supervisors only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sampark.accounts.auth import staff_of
from sampark.accounts.models import Role, StaffUser
from sampark.accounts.permissions import OFFICERS

from .closure_selectors import closure_figures_by_officer
from .feedback_selectors import RollupBy, ratings_rollup

VIEWERS = OFFICERS | {Role.SUPERVISOR}
ROLLUPS = (
    (RollupBy.AGENT, _("Per 1912 agent (complaints they registered)")),
    (RollupBy.JE, _("Per engineer (complaints assigned to them)")),
    (RollupBy.DIVISION, _("Per division")),
)


def ratings_viewer(user: StaffUser) -> bool:
    return user.is_active and (user.is_superuser or user.role in VIEWERS)


@login_required
@require_GET
def ratings_page(request: HttpRequest) -> HttpResponse:
    """Ten queries whatever the figures: session, user, jurisdiction, three rollups and their
    labels (a label query only when the rollup has rows), the closure figures."""
    user = staff_of(request)
    if not ratings_viewer(user):
        raise PermissionDenied
    context = {
        "rollups": [(by.value, title, ratings_rollup(user=user, by=by)) for by, title in ROLLUPS],
        "officers": closure_figures_by_officer(user=user),
    }
    return render(request, "complaints/ratings.html", context)
