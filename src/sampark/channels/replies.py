"""Hand one inbound text to the keyword handler and queue its reply on the same channel."""

from __future__ import annotations

from django.db import transaction

from sampark.notifications.models import Notification
from sampark.notifications.services import notification_enqueue
from sampark.public.keywords import stakeholder_keyword_handle


def keyword_message_answer(
    *, mobile: str, text: str, channel: str, event: str
) -> Notification | None:
    """Act on a keyword message and queue the reply; None when this message (the same `event`,
    e.g. a gateway retry) was answered already: then nothing is done again. `mobile` must be
    E.164 already (ValidationFailed otherwise, from the handler)."""
    topic = f"keyword:{mobile}"
    with transaction.atomic():
        if Notification.objects.filter(
            topic=topic, event=event, channel=channel, consumer__isnull=True, recipient=mobile
        ).exists():
            return None
        reply = stakeholder_keyword_handle(mobile=mobile, text=text, channel=channel)
        return notification_enqueue(
            topic=topic,
            event=event,
            channel=channel,
            recipient=mobile,
            template_key=reply.template_key,
            language=reply.language,
            variables=reply.variables,
        )
