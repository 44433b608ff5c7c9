"""The 1912 agent desk at /staff/desk/: one page to find the caller (mobile, account or complaint
number), see their card (any outage over their supply first), register a complaint with the
script in Hindi and English, and work the queues (chat handovers, callbacks due, supervision).

Desk roles only (agents, supervisors: the roles that return calls); everyone else gets a 403.
Scoping lives in the selectors and services: another jurisdiction's consumer, complaint or
callback is not found. Every form posts and redirects back to the page, so it works without
JavaScript; the page's script adds the keys and refreshes the queues panel in place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, can
from sampark.callcentre.models import Callback, CallbackStatus
from sampark.callcentre.selectors import (
    agents_overview,
    callback_get_for_staff,
    callbacks_due,
    queues_overview,
)
from sampark.callcentre.services import agent_status_set, callback_attempt_record
from sampark.complaints.models import Channel, Complaint
from sampark.complaints.services import complaint_register
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_lookup_for_staff
from sampark.core import clock
from sampark.core.errors import NotFound, SamparkError, ValidationFailed

from ..models import Handover
from ..selectors import conversations_handed_over
from .desk_forms import (
    AgentStatusForm,
    CallbackOutcomeForm,
    DeskRegisterForm,
    DeskSearchForm,
    categories_with_keys,
)
from .desk_selectors import (
    Card,
    Found,
    agent_state_of,
    consumer_card,
    desk_search,
    open_duplicate,
    sla_limits,
)
from .scripts import LANGUAGES, closing_line, desk_script, number_groups, number_spoken
from .views import _queue_rows

HANDOVERS_SHOWN = 5
CALLBACKS_SHOWN = 8
DONE_KEY = "desk_done"  # the session's last registration, shown big until the next one

View = Callable[..., HttpResponse]


def agent_desk_view(view: View) -> View:
    """Signed in and a desk role (the roles that answer and return calls), else a 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can(staff_of(request), Action.CALLBACK_WORK):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _back(query: str = "", **extra: str) -> str:
    params = {"q": query, **extra} if query else dict(extra)
    url = reverse("desk:home")
    return f"{url}?{urlencode(params)}" if params else url


# --- the queues panel (also served alone for the page's refresh) ------------------------------


def _queues_context(user: StaffUser) -> dict[str, Any]:
    context: dict[str, Any] = {
        "agent_state": agent_state_of(agent=user),
        "can_chat": can(user, Action.CHAT_HANDLE),
        "now": clock.now(),
    }
    if context["can_chat"]:
        waiting = _queue_rows(conversations_handed_over(user=user)).filter(
            handover=Handover.WAITING
        )
        rows = list(waiting[: HANDOVERS_SHOWN + 1])
        context["handovers"] = rows[:HANDOVERS_SHOWN]
        context["handovers_more"] = len(rows) > HANDOVERS_SHOWN
    rows_due = list(callbacks_due(user=user)[: CALLBACKS_SHOWN + 1])
    context["callbacks"] = rows_due[:CALLBACKS_SHOWN]
    context["callbacks_more"] = len(rows_due) > CALLBACKS_SHOWN
    if can(user, Action.CALLCENTRE_SUPERVISE):
        context.update(_supervision_context(user))
    return context


def _supervision_context(user: StaffUser) -> dict[str, Any]:
    return {
        "supervising": True,
        "agents": agents_overview(user=user),
        "queues": queues_overview(user=user),
    }


@agent_desk_view
@require_GET
def queues_fragment(request: HttpRequest) -> HttpResponse:
    """The queues panel alone: the page's script swaps it in every few seconds."""
    context = _queues_context(staff_of(request))
    context["q"] = request.GET.get("q", "")[:40]
    return render(request, "channels/desk/agent/_queues.html", context)


@login_required
@require_GET
def supervision_fragment(request: HttpRequest) -> HttpResponse:
    """Agents and queues for supervisors; an agent gets a 403."""
    user = staff_of(request)
    if not can(user, Action.CALLCENTRE_SUPERVISE) or not can(user, Action.CALLBACK_WORK):
        raise PermissionDenied
    return render(request, "channels/desk/agent/_supervision.html", _supervision_context(user))


# --- the page ---------------------------------------------------------------------------------


def _scripts(
    *, user: StaffUser, card: Card | None, searched: bool, limits: dict[str, int]
) -> list[Any]:
    """The script in the caller's language first, then the other."""
    first = card.consumer.language if card else (get_language() or "hi")[:2]
    order = sorted(LANGUAGES, key=lambda lang: lang != first)
    name = user.first_name or user.get_full_name() or user.username
    return [
        desk_script(
            language=lang,
            agent_name=name,
            consumer_name=card.consumer.name if card else "",
            address=card.consumer.address if card else "",
            caller_known=card is not None,
            searched=searched,
            outages=card.outages if card else (),
            limits=limits,
            order=[value for value, _label, _key in categories_with_keys()],
        )
        for lang in order
    ]


def limit_short(hours: int | None) -> str:
    """A time limit on a category key: "4 h", "7 days"."""
    if not hours:
        return ""
    if hours >= 48 and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    return ngettext("%(hours)d h", "%(hours)d h", hours) % {"hours": hours}


def _done(request: HttpRequest) -> dict[str, Any] | None:
    """The registration this session just made, while the page still shows its number."""
    done = request.session.get(DONE_KEY)
    if not done or request.GET.get("done") != done.get("number"):
        return None
    due = parse_datetime(done["due_at"])
    number = done["number"]
    if due is None:  # not written by this version of the page
        return None
    return {
        **done,
        "due": due,
        "groups": number_groups(number),
        "spoken": {lang: number_spoken(number, lang) for lang in LANGUAGES},
        "closing": [
            (lang, closing_line(language=lang, number=number, hours=done["hours"], due=due))
            for lang in LANGUAGES
        ],
    }


def _desk_page(
    request: HttpRequest,
    *,
    search: DeskSearchForm,
    register: DeskRegisterForm | None = None,
    duplicate: Complaint | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_of(request)
    found: Found | None = None
    if search.is_valid():
        try:
            found = desk_search(user=user, text=search.cleaned_data["q"])
        except ValidationFailed as error:
            search.add_error("q", str(error.fields["q"]))
    consumers = found.consumers if found else []
    card = consumer_card(user=user, consumer=consumers[0]) if len(consumers) == 1 else None
    limits = card.limits if card else sla_limits(area_type="URBAN", a_class=False)
    callback = _callback_context(request, user)
    can_register = can(user, Action.COMPLAINT_REGISTER)
    if register is None and found is not None and len(consumers) <= 1:
        register = DeskRegisterForm(
            initial={
                "account": card.consumer.account_number if card else "",
                "mobile": "" if card else _caller_mobile(found, callback),
                "q": found.query,
                "callback": callback.pk if callback else None,
            }
        )
    open_by_category = card.open_by_category() if card else {}
    if duplicate is not None:  # an unregistered caller's, found by their mobile
        open_by_category[duplicate.category] = duplicate
    context = {
        "search_form": search,
        "found": found,
        "card": card,
        "pick": consumers if len(consumers) > 1 else [],
        "not_found": found is not None and not consumers and found.complaint is None,
        "register_form": register if can_register else None,
        "categories": [
            (value, label, key, open_by_category.get(value), limit_short(limits.get(value)))
            for value, label, key in categories_with_keys()
        ],
        "chosen": register["category"].value() if register is not None else None,
        "duplicate": duplicate,
        "scripts": _scripts(user=user, card=card, searched=found is not None, limits=limits),
        "done": _done(request),
        "callback": callback,
        "q": found.query if found else "",
        **_queues_context(user),
    }
    return render(request, "channels/desk/agent/page.html", context, status=status)


def _caller_mobile(found: Found, callback: Callback | None) -> str:
    """The number an unregistered caller is registered with, as far as the desk knows it."""
    if found.mobile:
        return found.mobile
    if found.complaint is not None and found.complaint.contact_mobile:
        return found.complaint.contact_mobile
    return callback.mobile if callback else ""


def _callback_context(request: HttpRequest, user: StaffUser) -> Callback | None:
    """`?callback=<id>`: the agent is calling back this caller (the registration records it)."""
    raw = request.GET.get("callback") or request.POST.get("callback") or ""
    if not raw.isdigit():
        return None
    try:
        callback = callback_get_for_staff(user=user, callback_id=int(raw))
    except NotFound:
        return None
    return callback if callback.status == CallbackStatus.PENDING else None


@agent_desk_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    search = DeskSearchForm(request.GET if "q" in request.GET else None)
    response = _desk_page(request, search=search)
    if search.is_bound and not search.is_valid():
        response.status_code = 422
    return response


# --- registration -----------------------------------------------------------------------------


def _consumer_or_404(user: StaffUser, account: str) -> Consumer:
    try:
        (consumer,) = consumer_lookup_for_staff(user=user, account_number=account)
    except (NotFound, ValidationFailed):
        raise Http404 from None
    return consumer


@agent_desk_view
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """Register the complaint; an open one of the same category first needs "register anyway"
    (the service then records a repeat request on it). Refusals re-render the page with the
    agent's input and nothing written."""
    user = staff_of(request)
    form = DeskRegisterForm(request.POST)
    query = request.POST.get("q", "")[:40]
    search = DeskSearchForm({"q": query} if query else None)
    if not form.is_valid():
        return _desk_page(request, search=search, register=form, status=422)
    data = form.cleaned_data
    consumer = _consumer_or_404(user, data["account"]) if data["account"] else None
    mobile = data.get("mobile") or None
    existing = open_duplicate(
        user=user, consumer=consumer, mobile=mobile, category=data["category"]
    )
    if existing is not None and not data["confirm_duplicate"]:
        return _desk_page(request, search=search, register=form, duplicate=existing, status=409)
    try:
        registration = complaint_register(
            consumer=consumer,
            category=data["category"],
            description=data["description"],
            contact_mobile=mobile,
            contact_name=data["name"],
            location_text=data["location"],
            channel=Channel.AGENT,
            actor=user,
        )
    except SamparkError as error:
        for name, text in error.fields.items():
            form.add_error(name if name in form.fields else None, str(text))
        if not error.fields:
            form.add_error(None, error.text())
        return _desk_page(request, search=search, register=form, status=error.status)
    complaint = registration.complaint
    _callback_close(request, user=user, callback_id=data["callback"], complaint=complaint)
    request.session[DONE_KEY] = {
        "number": complaint.number,
        "created": registration.created,
        "hours": complaint.sla_hours,
        "due_at": complaint.due_at.isoformat(),
        "category": complaint.get_category_display(),
        "emergency": complaint.priority == "emergency",
        "outage": complaint.outage_id is not None,
    }
    # A caller without an account is found again by the complaint's number, not their mobile.
    again = query if consumer is not None and query else complaint.number
    return redirect(_back(again, done=complaint.number))


def _callback_close(
    request: HttpRequest, *, user: StaffUser, callback_id: int | None, complaint: Complaint
) -> None:
    """A registration made while calling back closes that callback with the complaint."""
    if not callback_id:
        return
    try:
        callback = callback_get_for_staff(user=user, callback_id=callback_id)
        callback_attempt_record(
            callback=callback, agent=user, result="complaint", complaint=complaint
        )
    except SamparkError as error:
        messages.warning(request, error.text())
    else:
        messages.success(request, _("Callback recorded with the complaint."))


# --- callbacks and the agent's own status ----------------------------------------------------


@agent_desk_view
@require_POST
def callback_outcome(request: HttpRequest, callback_id: int) -> HttpResponse:
    user = staff_of(request)
    query = request.POST.get("q", "")[:40]
    try:
        callback = callback_get_for_staff(user=user, callback_id=callback_id)
    except NotFound:
        raise Http404 from None
    form = CallbackOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(_back(query))
    try:
        callback_attempt_record(
            callback=callback,
            agent=user,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
            complaint_number=form.cleaned_data["complaint"],
        )
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Callback outcome recorded."))
    return redirect(_back(query))


@agent_desk_view
@require_POST
def status_set(request: HttpRequest) -> HttpResponse:
    form = AgentStatusForm(request.POST)
    query = request.POST.get("q", "")[:40]
    if not form.is_valid():
        messages.error(request, _("Choose available or on a break."))
        return redirect(_back(query))
    agent_status_set(agent=staff_of(request), status=form.cleaned_data["status"])
    return redirect(_back(query))
