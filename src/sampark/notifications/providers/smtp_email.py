"""E-mail over SMTP (optionally STARTTLS and login), UTF-8 text so Devanagari arrives intact.

smtplib is blocking, so each send runs in a thread; e-mail is a low-volume channel and its own
rate limit (SAMPARK_PROVIDER_RATES["smtp_email"]) keeps the relay comfortable.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from django.conf import settings

from .base import Message, PermanentError, Provider, ProviderError, SendResult, TransientError

SUBJECT_LIMIT = 78
HEADERS = ("subject", "message_id", "in_reply_to", "references")


def subject_of(text: str, *, sender: str) -> str:
    """The first sentence of the message, after the sender's name: 'UPPCL 1912: बिजली ...'."""
    first = re.split(r"(?<=[.।!?])\s", text.strip(), maxsplit=1)[0].rstrip(".। ")
    subject = f"{sender}: {first}" if sender else first
    return subject if len(subject) <= SUBJECT_LIMIT else subject[: SUBJECT_LIMIT - 1] + "…"


def smtp_error(error: smtplib.SMTPException) -> ProviderError:
    code = getattr(error, "smtp_code", None)
    reply = getattr(error, "smtp_error", b"")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (550, b"recipient refused"))
    body = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    if isinstance(code, int) and 400 <= code < 500:
        return TransientError("mail server deferred", status=code, body=body)
    if isinstance(code, int):
        return PermanentError("mail server refused", status=code, body=body)
    return TransientError(f"SMTP failed: {error.__class__.__name__}", body=str(error))


def attach(mail: EmailMessage, path: Path) -> None:
    """Attach a file our own code named (the `attachments` variable is a template header only
    staff mails such as the review pack take); a file gone is a permanent failure."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    maintype, _, subtype = kind.partition("/")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PermanentError(f"attachment unreadable: {path.name}", body=str(error)) from None
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)


class SmtpEmailProvider(Provider):
    name = "smtp_email"
    channels = frozenset({"email"})

    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        super().__init__(concurrency=concurrency, timeout=timeout)
        self.host = settings.SAMPARK_SMTP_HOST
        self.port = settings.SAMPARK_SMTP_PORT
        self.starttls = settings.SAMPARK_SMTP_STARTTLS
        self.ca_file = settings.SAMPARK_SMTP_CA_FILE or None
        self.user = settings.SAMPARK_SMTP_USER
        self.password = settings.SAMPARK_SMTP_PASSWORD
        self.sender = settings.SAMPARK_SMTP_FROM

    def compose(self, message: Message) -> EmailMessage:
        # An answer to an inbound mail (channels/email) brings its own subject, Message-ID and
        # threading headers as template header variables; other mails get generated ones.
        given = {k: " ".join(str(v).split()) for k, v in message.variables.items() if k in HEADERS}
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = given.get("subject") or subject_of(
            message.text, sender=settings.SAMPARK_SENDER_NAME
        )
        mail["Message-ID"] = given.get("message_id") or make_msgid(
            domain=self.sender.rpartition("@")[2].strip(">") or None
        )
        if given.get("in_reply_to"):
            mail["In-Reply-To"] = given["in_reply_to"]
        if given.get("references"):
            mail["References"] = given["references"]
        # RFC 3834: vacation responders must not answer it (no mail loops).
        mail["Auto-Submitted"] = "auto-replied" if given.get("in_reply_to") else "auto-generated"
        mail.set_content(message.text)  # text/plain; charset="utf-8"
        for path in str(message.variables.get("attachments", "")).splitlines():
            if path.strip():
                attach(mail, Path(path.strip()))
        return mail

    async def send(self, message: Message) -> SendResult:
        return await asyncio.to_thread(self._send, message)

    def _send(self, message: Message) -> SendResult:
        mail = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=self.ca_file))
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except smtplib.SMTPException as error:
            raise smtp_error(error) from None
        except (OSError, ssl.SSLError) as error:  # refused, unreachable, timed out, bad TLS
            raise TransientError(f"mail server unreachable: {error}") from None
        return SendResult(provider_message_id=str(mail["Message-ID"]))
