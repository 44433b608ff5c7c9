"""Background work for the channels: answering stored messages after the webhook returned."""

from __future__ import annotations

from django_tasks import task

from .services import conversation_answer, handovers_reassure


@task()
def conversation_answer_task(conversation_id: int) -> int:
    """Answer the conversation's unanswered messages; returns how many replies were queued."""
    return len(conversation_answer(conversation_id=conversation_id))


@task()
def handovers_reassure_sweep() -> int:
    """Tell users who have waited too long for an agent that they are not forgotten."""
    return handovers_reassure()
