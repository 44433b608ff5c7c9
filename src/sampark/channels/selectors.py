"""Reads on conversations: the agents' handover queue and transcripts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core.errors import NotFound

from .models import ChatMessage, Conversation, Handover


def _visible(*, user: StaffUser) -> QuerySet[Conversation]:
    """Conversations in the user's jurisdiction, and those of unidentified users (no place yet),
    which any desk may pick up."""
    require(user, Action.CHAT_HANDLE)
    scope = staff_scope(user)
    rows = Conversation.objects.all()
    if scope.empty:
        return rows.none()
    if scope.path_prefix is None:
        return rows
    return rows.filter(Q(org_unit__isnull=True) | Q(org_unit__path__startswith=scope.path_prefix))


def conversations_handed_over(*, user: StaffUser) -> QuerySet[Conversation]:
    """Conversations waiting for or with an agent, oldest handover first, in the user's scope."""
    return (
        _visible(user=user)
        .exclude(handover=Handover.NONE)
        .select_related("consumer", "agent", "org_unit")
        .order_by("handover_at", "id")
    )


def conversation_get_for_staff(*, user: StaffUser, conversation_id: int) -> Conversation:
    """One conversation the user may see (NotFound otherwise)."""
    found = (
        _visible(user=user)
        .select_related("consumer", "agent", "org_unit")
        .filter(pk=conversation_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def conversation_transcript(
    *, conversation: Conversation, after_id: int = 0
) -> QuerySet[ChatMessage]:
    """Messages of a conversation in order, those after `after_id` only when given."""
    rows = conversation.messages.select_related("agent").order_by("id")
    return rows.filter(id__gt=after_id) if after_id else rows
