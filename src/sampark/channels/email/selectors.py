"""Reads for the e-mail channel: which complaint a reply belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from sampark.complaints.models import Complaint

from ..chatbot.nlu import entities_extract
from ..models import InboundMail, MailState


@dataclass(frozen=True)
class Thread:
    complaint: Complaint | None  # the complaint this mail answers about
    asked: InboundMail | None  # an earlier mail of the thread we asked details for


def mail_thread_find(*, mail: InboundMail) -> Thread:
    """The earlier mail this one answers: our answer (its Message-ID is in In-Reply-To or
    References) or the sender's own earlier mail, nearest first; else a complaint number in
    the subject."""
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i]
    if ids:
        earlier = (
            InboundMail.objects.filter(Q(reply_message_id__in=ids) | Q(message_id__in=ids))
            .exclude(pk=mail.pk)
            .select_related("complaint")
            .order_by("-id")[:20]
        )
        for found in earlier:
            if found.complaint is not None:
                return Thread(complaint=found.complaint, asked=None)
        asked = next((m for m in earlier if m.state == MailState.ASKED), None)
    else:
        asked = None
    number = entities_extract(mail.subject).get("complaint_number")
    if number:
        complaint = Complaint.objects.filter(number=str(number)).first()
        if complaint is not None:
            return Thread(complaint=complaint, asked=None)
    return Thread(complaint=None, asked=asked)
