"""The consumer's own word on a complaint: confirm or reject a resolution, rate the service.

Called by the channels (chatbot, IVR, SMS) on the consumer's behalf, never by staff: the actor
is recorded as the consumer and the channel.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sampark.core import clock
from sampark.core.errors import Conflict, ValidationFailed

from .closure import closure_answer
from .models import Complaint, ComplaintFeedback, EventKind, Status
from .services import complaint_event_add, complaint_lock


def _consumer_label(channel: str) -> str:
    return f"consumer via {channel}"


def complaint_resolution_answer(
    *, complaint: Complaint, confirmed: bool, channel: str
) -> Complaint:
    """Confirmed: the complaint is closed (closure confirmed). Rejected: it is reopened for the
    field to act again, the resolution recorded as rejected and escalated one rung. Either way
    the pending confirmation request is settled (sampark.complaints.closure).

    Only a complaint waiting for the consumer's word (status resolved) can be answered; a second
    answer is a Conflict and changes nothing.
    """
    return closure_answer(complaint=complaint, confirmed=confirmed, channel=channel)


def complaint_rate(
    *, complaint: Complaint, rating: int, channel: str, comment: str = ""
) -> ComplaintFeedback:
    """Record the consumer's 1-5 rating of a closed complaint, once."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(fields={"rating": _("Give a rating from 1 to 5.")})
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        if locked.status != Status.CLOSED:
            raise Conflict(
                _("Complaint %(number)s can be rated once it is closed.")
                % {"number": locked.number},
                code="not_closed",
            )
        now = clock.now()
        try:
            with transaction.atomic():
                feedback = ComplaintFeedback.objects.create(
                    complaint=locked,
                    rating=rating,
                    comment=comment.strip()[:2000],
                    channel=channel,
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(
                _("Complaint %(number)s has been rated already.") % {"number": locked.number},
                code="already_rated",
            ) from None
        complaint_event_add(
            complaint=locked,
            kind=EventKind.FEEDBACK,
            at=now,
            actor=None,
            actor_label=_consumer_label(channel),
            note=f"rating {rating}",
        )
    return feedback
