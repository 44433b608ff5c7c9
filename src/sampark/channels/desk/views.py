"""Chat desk pages: the handover queue, one conversation (transcript, take, reply, hand back)
and the transcript poll the page's script reads every few seconds.

Only roles that may handle chats (agents, supervisors) get in; others get a 403. Scoping lives
in the selectors: a conversation outside the user's jurisdiction is a 404. Each view parses,
calls one selector or service and renders; a refused action changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sampark.accounts.auth import staff_of
from sampark.accounts.permissions import Action, can
from sampark.core.errors import NotAllowed, NotFound, SamparkError

from ..models import Author, ChatMessage, Conversation, Handover
from ..selectors import (
    conversation_get_for_staff,
    conversation_transcript,
    conversations_handed_over,
)
from ..services import chat_agent_reply, chat_handover_close, chat_handover_take
from .forms import AfterForm, ReplyForm

QUEUE_LIMIT = 100  # per list; a longer queue needs more agents, not a longer page
POLL_LIMIT = 100  # messages per poll answer; the next poll fetches the rest

View = Callable[..., HttpResponse]


def desk_view(view: View) -> View:
    """Signed in and allowed to handle chats: a JE or an MD gets a 403, not a useless page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can(staff_of(request), Action.CHAT_HANDLE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _conversation_or_404(request: HttpRequest, conversation_id: int) -> Conversation:
    try:
        return conversation_get_for_staff(user=staff_of(request), conversation_id=conversation_id)
    except NotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None


def _queue_rows(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """The user's last words, in the same one query per list (the selector joins the rest)."""
    last_user_text = (
        ChatMessage.objects.filter(conversation=OuterRef("pk"), author=Author.USER)
        .order_by("-id")
        .values("text")[:1]
    )
    return conversations.annotate(last_user_text=Subquery(last_user_text))


def _conversation_page(
    request: HttpRequest, conversation: Conversation, form: ReplyForm, *, status: int = 200
) -> HttpResponse:
    """Replying to a waiting conversation takes it, so the reply box is there from the start."""
    user = staff_of(request)
    waiting = conversation.handover == Handover.WAITING
    mine = conversation.handover == Handover.AGENT and conversation.agent_id == user.pk
    context = {
        "conversation": conversation,
        "chat_messages": list(conversation_transcript(conversation=conversation)),
        "form": form,
        "can_take": waiting,
        "can_reply": waiting or mine or form.is_bound,  # a refused reply keeps its text
        "can_hand_back": waiting or mine,
    }
    return render(request, "channels/desk/conversation.html", context, status=status)


@desk_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Waiting conversations oldest first (the agent takes the top one), then those taken."""
    rows = _queue_rows(conversations_handed_over(user=staff_of(request)))
    context = {
        "waiting": list(rows.filter(handover=Handover.WAITING)[:QUEUE_LIMIT]),
        "taken": list(rows.filter(handover=Handover.AGENT)[:QUEUE_LIMIT]),
        "limit": QUEUE_LIMIT,
    }
    return render(request, "channels/desk/queue.html", context)


@desk_view
@require_GET
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_id)
    return _conversation_page(request, conversation, ReplyForm())


@desk_view
@require_GET
def conversation_messages(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """Messages after `after`, rendered as the page renders them, for the page's script to
    append; `state` changes when someone takes or hands back the conversation."""
    conversation = _conversation_or_404(request, conversation_id)
    form = AfterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"fields": form.errors.get_json_data()}, status=400)
    after_id = form.cleaned_data["after"] or 0
    found = list(conversation_transcript(conversation=conversation, after_id=after_id)[:POLL_LIMIT])
    html = render_to_string(
        "channels/desk/_messages.html", {"chat_messages": found}, request=request
    )
    return JsonResponse(
        {
            "last_id": found[-1].pk if found else None,
            "html": html if found else "",
            "state": f"{conversation.handover}:{conversation.agent_id or ''}",
        }
    )


@desk_view
@require_POST
def conversation_take(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_id)
    try:
        chat_handover_take(conversation=conversation, agent=staff_of(request))
    except SamparkError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("You have the conversation now: the user sees your replies."))
    return redirect("chats:conversation", conversation_id=conversation.pk)


@desk_view
@require_POST
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Send the agent's reply; on a refusal the page comes back with the text still typed."""
    conversation = _conversation_or_404(request, conversation_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _conversation_page(request, conversation, form, status=422)
    try:
        chat_agent_reply(
            conversation=conversation, agent=staff_of(request), text=form.cleaned_data["text"]
        )
    except SamparkError as error:
        form.add_error("text" if "text" in error.fields else None, error.text())
        return _conversation_page(request, conversation, form, status=error.status)
    return redirect("chats:conversation", conversation_id=conversation.pk)


@desk_view
@require_POST
def conversation_hand_back(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Back to the chatbot, and the agent back to the queue for the next one."""
    conversation = _conversation_or_404(request, conversation_id)
    try:
        chat_handover_close(conversation=conversation, agent=staff_of(request))
    except SamparkError as error:
        messages.error(request, error.text())
        return redirect("chats:conversation", conversation_id=conversation.pk)
    messages.success(request, _("Handed back to the chatbot; the user has been told."))
    return redirect("chats:queue")
