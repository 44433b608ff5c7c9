"""Staff page: every message sent to one consumer ("was this consumer told?")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sampark.accounts.models import StaffUser
from sampark.core.errors import NotAllowed, NotFound, ValidationFailed

from .selectors import notifications_for_consumer

PAGE_SIZE = 50


@login_required
@require_GET
def consumer_messages(request: HttpRequest, account_number: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, StaffUser)  # login_required ran first
    topic = request.GET.get("topic", "").strip()[:60] or None
    try:
        found = notifications_for_consumer(user=user, account_number=account_number, topic=topic)
    except (NotFound, ValidationFailed):
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    page = Paginator(found.notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"consumer": found.consumer, "page": page, "topic": topic or ""}
    return render(request, "notifications/consumer_messages.html", context)
