"""Mails to the complaints address: a new mail becomes a complaint, a reply joins its complaint.

`inbound_mail_receive` stores a mail once per Message-ID (IMAP and the webhook both call it);
`inbound_mail_handle` decides what it is, in one transaction with the row locked:

- an auto-reply, bounce, list or bulk mail, or a mail from our own address: ignored (answering
  it could start a mail loop);
- a reply to our answer (In-Reply-To/References), to the sender's earlier mail, or with a
  complaint number in the subject: a note on that complaint, no new complaint and no answer;
- a mail naming an account number or mobile: a complaint (`complaint_register`, channel
  e-mail; an unregistered sender with a mobile is allowed), answered with its number and time
  limit in Hindi and English, threaded under the sender's mail;
- anything else: a polite answer asking for the account number or mobile (at most
  ASKS_PER_DAY a sender a day, and once per thread), no complaint.

Answers leave through the notifications outbox (template `email_*`, provider smtp_email).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import Category, Channel, Complaint, EventKind
from sampark.complaints.services import (
    Registration,
    complaint_event_add,
    complaint_lock,
    complaint_register,
)
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_by_account, consumers_by_mobile
from sampark.core import clock
from sampark.core.errors import SamparkError, ValidationFailed
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue
from sampark.outages.wording import when_text

from ..chatbot.nlu import entities_extract, nlu_classify
from ..chatbot.words import CATEGORY_FOR_INTENT
from ..models import InboundMail, MailSource, MailState
from .parser import REFERENCES_KEPT, ParsedMail, mail_parse
from .selectors import mail_thread_find

log = logging.getLogger(__name__)

ASKS_PER_DAY = 3  # answers asking for details one sender gets a day (a loop breaker too)
NOTE_LIMIT = 4000
DESCRIPTION_LIMIT = 2000
ACTOR = "consumer (e-mail)"
NO_SENDER = _("The mail has no sender (From) address.")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LOCATION_LINE = re.compile(
    r"^\s*(address|location|place|landmark|पता|स्थान|जगह|pata|sthan)\s*[:\-\u2013]\s*(?P<place>.+)$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Received:
    mail: InboundMail
    created: bool  # False: this Message-ID was stored before (a repeated delivery)


@dataclass(frozen=True)
class Complainant:
    consumer: Consumer | None
    mobile: str | None
    remark: str  # how the sender was identified, for the complaint's audit note


def inbound_mail_receive(*, raw: bytes, source: str) -> Received:
    """Store one mail; the same Message-ID again returns the stored row and changes nothing."""
    return _store(mail_parse(raw), source=source)


def inbound_mail_accept(*, raw: bytes) -> Received:
    """The webhook's entry: store the mail and handle it after commit, in a worker."""
    parsed = mail_parse(raw)
    if not parsed.from_address:
        raise ValidationFailed(NO_SENDER, fields={"mail": NO_SENDER})
    received = _store(parsed, source=MailSource.WEBHOOK)
    if received.mail.state == MailState.RECEIVED:
        from .tasks import inbound_mail_handle_task  # tasks import this module

        mail_id = received.mail.pk
        transaction.on_commit(lambda: inbound_mail_handle_task.enqueue(mail_id))
    return received


def _store(parsed: ParsedMail, *, source: str) -> Received:
    row = _row(parsed, source=source)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        return Received(mail=existing, created=False)
    return Received(mail=row, created=True)


def _row(parsed: ParsedMail, *, source: str) -> InboundMail:
    return InboundMail(
        message_id=parsed.message_id,
        source=source,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        reply_to=parsed.reply_to,
        subject=parsed.subject,
        text=parsed.text,
        in_reply_to=parsed.in_reply_to[0] if parsed.in_reply_to else "",
        references=list(parsed.references),
        sent_at=parsed.sent_at,
        received_at=clock.now(),
        automatic=parsed.automatic[:120],
    )


def inbound_mail_handle(*, mail_id: int) -> InboundMail:
    """Turn a stored mail into a complaint, a note, a request for details, or nothing.

    Runs once per mail (the row is locked and only a `received` mail is handled). A mail that
    cannot be handled is marked failed with the reason; it never blocks the mails after it.
    """
    with transaction.atomic():
        mail = InboundMail.objects.select_for_update().get(pk=mail_id)
        if mail.state != MailState.RECEIVED:
            return mail
        try:
            with transaction.atomic():
                _handle(mail)
        except SamparkError as error:
            _failed(mail, error.text())
        except Exception as error:  # a poison mail must not stop the mailbox
            log.exception("inbound mail %s could not be handled", mail.pk)
            _failed(mail, f"unexpected error: {error!r}")
        mail.handled_at = clock.now()
        mail.save()
    return mail


def _failed(mail: InboundMail, reason: str) -> None:
    # What _handle set before it failed was rolled back with its savepoint.
    mail.state, mail.error = MailState.FAILED, reason[:2000]
    mail.complaint, mail.reply_message_id = None, ""


def _handle(mail: InboundMail) -> None:
    if mail.automatic:
        mail.state = MailState.IGNORED
        return
    if mail.from_address in _own_addresses():
        mail.state, mail.automatic = MailState.IGNORED, "from our own address"
        return
    thread = mail_thread_find(mail=mail)
    if thread.complaint is not None:
        _thread_into(mail, thread.complaint)
        return
    earlier = thread.asked.text if thread.asked is not None else ""
    text = "\n".join(part for part in (mail.subject, earlier, mail.text) if part)
    complainant = _complainant(entities_extract(text[:NOTE_LIMIT]))
    if complainant is None:
        _ask_details(mail, asked_in_thread=thread.asked is not None)
        return
    registration = complaint_register(
        category=_category(text),
        channel=Channel.EMAIL,
        consumer=complainant.consumer,
        contact_mobile=complainant.mobile,
        contact_name=mail.from_name,
        location_text=_location(text),
        description=_description(mail, earlier=earlier),
        language="hi" if _DEVANAGARI.search(text) else "en",
        actor_label=ACTOR,
    )
    _registered(mail, registration, remark=complainant.remark)


# --- a reply to an earlier mail ------------------------------------------------------------------


def _thread_into(mail: InboundMail, complaint: Complaint) -> None:
    locked = complaint_lock(complaint_id=complaint.pk)
    text = mail.text.strip() or "(no new text)"
    complaint_event_add(
        complaint=locked,
        kind=EventKind.NOTE,
        at=clock.now(),
        actor=None,
        actor_label=ACTOR,
        note=f"E-mail from {mail.from_address}: {text}"[:NOTE_LIMIT],
    )
    mail.state, mail.complaint = MailState.THREADED, locked


# --- a new complaint -------------------------------------------------------------------------


def _complainant(entities: dict[str, object]) -> Complainant | None:
    """The consumer by account number (the mobile checked against it), else by mobile; an
    unknown mobile is an unregistered complainant. None: nothing to go on."""
    account, mobile = entities.get("account_number"), entities.get("mobile")
    mobile = str(mobile) if mobile else None
    if account:
        try:
            consumer = consumer_by_account(account_number=str(account))
        except SamparkError:
            consumer = None
        if consumer is not None:
            if mobile is None:
                return Complainant(consumer, None, "account number given, no mobile")
            matches = mobile in (consumer.mobile, consumer.alt_mobile)
            remark = "mobile matches the account" if matches else "mobile is not the account's"
            return Complainant(consumer, mobile, remark)
    if mobile is None:
        return None
    try:
        found = consumers_by_mobile(mobile=mobile)
    except SamparkError:
        return Complainant(None, mobile, "unregistered: mobile not on any account")
    if len(found) == 1:
        return Complainant(found[0], mobile, "consumer found by mobile")
    return Complainant(None, mobile, f"{len(found)} accounts on this mobile: none chosen")


def _category(text: str) -> str:
    prediction = nlu_classify(text)
    if prediction.confident and prediction.intent in CATEGORY_FOR_INTENT:
        return str(CATEGORY_FOR_INTENT[prediction.intent])
    return Category.OTHER


def _location(text: str) -> str:
    found = _LOCATION_LINE.search(text)
    return found.group("place").strip()[:300] if found else ""


def _description(mail: InboundMail, *, earlier: str) -> str:
    parts = [f"E-mail from {mail.from_address}", mail.subject, earlier, mail.text]
    return "\n\n".join(p for p in parts if p)[:DESCRIPTION_LIMIT]


def _registered(mail: InboundMail, registration: Registration, *, remark: str) -> None:
    complaint = complaint_lock(complaint_id=registration.complaint.pk)
    mail.state, mail.complaint = MailState.COMPLAINT, complaint
    # A new complaint holds the text in its description; a repeat gets it as a note.
    said = "" if registration.created else f": {mail.text.strip() or mail.subject}"
    complaint_event_add(
        complaint=complaint,
        kind=EventKind.NOTE,
        at=clock.now(),
        actor=None,
        actor_label=ACTOR,
        note=f"E-mail from {mail.from_address} ({remark}){said}"[:NOTE_LIMIT],
    )
    _answer(
        mail,
        template_key="email_complaint_registered"
        if registration.created
        else "email_complaint_repeat",
        language=complaint.language,
        complaint=complaint,
        variables={
            "number": complaint.number,
            "hours": complaint.sla_hours,
            "due_hi": when_text(complaint.due_at, "hi"),
            "due_en": when_text(complaint.due_at, "en"),
        },
    )


# --- nothing to go on ------------------------------------------------------------------------


def _ask_details(mail: InboundMail, *, asked_in_thread: bool) -> None:
    mail.state = MailState.ASKED
    since = clock.now() - timedelta(days=1)
    asked_today = (
        InboundMail.objects.filter(
            from_address=mail.from_address, state=MailState.ASKED, received_at__gte=since
        )
        .exclude(reply_message_id="")
        .count()
    )
    if asked_in_thread or asked_today >= ASKS_PER_DAY:
        mail.error = "not asked again (asked already)"
        return
    language = "hi" if _DEVANAGARI.search(f"{mail.subject} {mail.text}") else "en"
    _answer(mail, template_key="email_details_needed", language=language, variables={})


# --- answers ---------------------------------------------------------------------------------


def _own_addresses() -> set[str]:
    own = {parseaddr(settings.SAMPARK_SMTP_FROM)[1].lower()}
    if "@" in settings.SAMPARK_IMAP_USER:
        own.add(settings.SAMPARK_IMAP_USER.lower())
    return own - {""}


def reply_subject(subject: str, *, number: str = "") -> str:
    """'Re: <their subject> [MV-261128-00042]': the number lets any client thread it."""
    text = subject.strip() or "शिकायत / Complaint"
    if not re.match(r"^(re|aw|sv|antw)\s*:", text, re.IGNORECASE):
        text = f"Re: {text}"
    if number and number not in text:
        text = f"{text[:180]} [{number}]"
    return text[:200]


def _answer(
    mail: InboundMail,
    *,
    template_key: str,
    language: str,
    variables: dict[str, object],
    complaint: Complaint | None = None,
) -> None:
    """Queue the answer, threaded under the sender's mail. A sender address the outbox refuses
    leaves the mail's outcome standing, with the reason kept."""
    domain = parseaddr(settings.SAMPARK_SMTP_FROM)[1].rpartition("@")[2] or "sampark.invalid"
    message_id = make_msgid(idstring=f"sampark.{mail.pk}", domain=domain)
    references = [r for r in mail.references if r != mail.message_id] + [mail.message_id]
    try:
        queued = notification_enqueue(
            topic=f"complaint:{complaint.pk}" if complaint else f"email:{mail.pk}",
            event=f"email:{mail.pk}" if complaint else "details_needed",
            channel=NotificationChannel.EMAIL,
            recipient=mail.reply_to or mail.from_address,
            template_key=template_key,
            language=language,
            variables={
                **variables,
                "subject": reply_subject(
                    mail.subject, number=complaint.number if complaint else ""
                ),
                "message_id": message_id,
                "in_reply_to": mail.message_id,
                "references": " ".join(references[-REFERENCES_KEPT:]),
            },
            consumer=complaint.consumer if complaint else None,
        )
    except ValidationFailed as error:
        mail.error = f"answer not queued: {error.text()}"
        return
    if queued is not None:
        mail.reply_message_id = message_id
