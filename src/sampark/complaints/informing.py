"""Who is told what at each step of a complaint (issue 6: "keeping the consumer informed").

The consumer gets one message per step on their channel (WhatsApp when they opted in, else SMS
to their mobile or the mobile the caller gave) in the complaint's language; the JE gets an SMS
with a link that opens a newly assigned complaint on the phone page.

One message per step is the outbox's unique key (topic, event, consumer or recipient, channel):
topic `complaint:<id>` with event `registered`, `assigned:<user id>`, `on_site`; the JE's SMS
is topic `assigned:<id>`, event `to:<user id>`. A retried or repeated step finds its key taken.

Messages are queued after commit: a rolled-back step tells nobody, and a message that cannot be
queued (a malformed mobile) never undoes the step; it is logged instead.

The "resolved" step has no message here: the consumer's confirmation request sent by
`closures_request` (closure.py) at every resolution is that step's message, and a second text
saying the same would break "one message per step".
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from sampark.accounts.models import StaffUser
from sampark.core.errors import ValidationFailed
from sampark.core.models import Language
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue
from sampark.outages.wording import when_text

from .models import Category, Channel, Complaint, Status

log = logging.getLogger(__name__)

# Chat channels answer the registration in the conversation itself (number included), and an
# e-mailed complaint in the reply mail: that answer is the "registered" step's message.
# Everyone else is told by SMS or WhatsApp.
REGISTERED_TOLD_IN_CHAT = frozenset(
    {Channel.WHATSAPP, Channel.CHATBOT_WEB, Channel.TELEGRAM, Channel.SMS, Channel.EMAIL}
)
# DLT variables are short (30 characters is the usual cap): places are cut to fit.
VARIABLE_MAX = 30


def _later(**message: Any) -> None:
    """Queue one outbox message once the current transaction commits."""
    transaction.on_commit(partial(_enqueue_quietly, message), robust=True)


def _enqueue_quietly(message: dict[str, Any]) -> None:
    try:
        notification_enqueue(**message)
    except ValidationFailed as error:  # e.g. a malformed mobile on file: the step stands
        log.warning("not queued: %s %s: %s", message["topic"], message["event"], error.fields)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= VARIABLE_MAX else text[: VARIABLE_MAX - 1] + "…"


def complaint_consumer_address(complaint: Complaint) -> tuple[str, str] | None:
    """Where messages about a complaint go, as (channel, recipient): WhatsApp to a consumer who
    opted in, else SMS to the registered mobile or the caller's; None: no mobile at all. A
    message about the consumer's own complaint needs no broadcast consent."""
    consumer = complaint.consumer
    if consumer is not None and consumer.consent_whatsapp and consumer.mobile:
        return NotificationChannel.WHATSAPP, consumer.mobile
    mobile = (consumer.mobile if consumer is not None else None) or complaint.contact_mobile
    return (NotificationChannel.SMS, mobile) if mobile else None


def _consumer_tell(
    *, complaint: Complaint, event: str, template_key: str, variables: dict[str, object]
) -> None:
    address = complaint_consumer_address(complaint)
    if address is None:
        return
    channel, recipient = address
    _later(
        topic=f"complaint:{complaint.pk}",
        event=event,
        channel=channel,
        recipient=recipient,
        template_key=template_key,
        language=complaint.language,
        variables={"number": complaint.number, **variables},
        consumer=complaint.consumer,
    )


def complaint_inform_registered(*, complaint: Complaint) -> None:
    """Step 1: the number and the time limit. Chat channels already said it in their reply."""
    if complaint.channel in REGISTERED_TOLD_IN_CHAT:
        return
    _consumer_tell(
        complaint=complaint,
        event="registered",
        template_key="complaint_registered",
        variables={"due": when_text(complaint.due_at, complaint.language)},
    )


def complaint_inform_assigned(*, complaint: Complaint, assignee: StaffUser) -> None:
    """Step 2: given to an engineer; their name and phone only where the utility allows it.
    Once per engineer: a re-assignment to someone else is told again, a retry is not."""
    phone = assignee.phone.strip()
    if settings.SAMPARK_SHOW_OFFICER_CONTACT and phone:
        key = "complaint_assigned_officer"
        variables: dict[str, object] = {
            "name": _short(assignee.get_full_name() or assignee.username),
            "phone": phone,
        }
    else:
        key, variables = "complaint_assigned", {}
    _consumer_tell(
        complaint=complaint,
        event=f"assigned:{assignee.pk}",
        template_key=key,
        variables=variables,
    )


def complaint_inform_transition(*, complaint: Complaint, to_status: str) -> None:
    """Step 3, on site: the move to in progress (once per complaint, however often the work
    resumes). Resolved is told by the closure request (module docstring); other moves are not
    steps the consumer is told of."""
    if to_status == Status.IN_PROGRESS:
        _consumer_tell(
            complaint=complaint, event="on_site", template_key="complaint_on_site", variables={}
        )


def complaint_inform_rating_request(*, complaint: Complaint) -> None:
    """After a closure confirmed outside a chat (an OTP the field entered): one message asking
    for a 1-5 rating and a comment (event `rate`); the answer reaches the chatbot. A closure
    confirmed in a chat asks there instead."""
    _consumer_tell(
        complaint=complaint, event="rate", template_key="complaint_rating_request", variables={}
    )


def complaint_place(complaint: Complaint) -> str:
    """Where to go, in the fewest words: what the caller said, else the address or the DT."""
    consumer = complaint.consumer
    for text in (
        complaint.location_text,
        consumer.address if consumer is not None else "",
        complaint.dt.name if complaint.dt_id and complaint.dt else "",
        complaint.feeder.name_en if complaint.feeder_id and complaint.feeder else "",
    ):
        if text and text.strip():
            return text.strip()
    return "-"


def field_link(*, number: str) -> str:
    """The absolute link an SMS carries to the complaint's phone page."""
    base = settings.SAMPARK_PUBLIC_URL.rstrip("/")
    return base + reverse("staff:field_complaint", kwargs={"number": number})


def complaint_assignee_tell(*, complaint: Complaint, assignee: StaffUser) -> None:
    """SMS the engineer a new complaint with the link that opens it (Hindi, as the escalation
    digests). Skipped when they have no phone on file."""
    if not assignee.phone.strip():
        return
    with translation.override(Language.HINDI):
        category = str(Category(complaint.category).label)
    _later(
        topic=f"assigned:{complaint.pk}",
        event=f"to:{assignee.pk}",
        channel=NotificationChannel.SMS,
        recipient=assignee.phone,
        template_key="field_complaint_new",
        language=Language.HINDI,
        variables={
            "number": complaint.number,
            "category": _short(category),
            "place": _short(complaint_place(complaint)),
            "link": field_link(number=complaint.number),
        },
    )
