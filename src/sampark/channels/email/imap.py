"""The IMAP poller: new mails of the complaints mailbox, read by UID, each handled once.

One poll (`imap_poll`, the `email_inbox_poll` task every minute):

1. takes the mailbox's lease (`ImapCursor.lease_until`, one conditional UPDATE): a second
   worker finds it taken and returns at once;
2. logs in over IMAPS, STARTTLS or plain IMAP (`SAMPARK_IMAP_SSL`), the certificate verified
   (`SAMPARK_IMAP_CA_FILE` adds a private CA), selects the folder;
3. asks for UIDs above the last one handled (`UID SEARCH UID n:*`; a changed UIDVALIDITY
   starts again from 1) and, oldest first, up to SAMPARK_IMAP_BATCH of them: fetches the mail
   without marking it read (BODY.PEEK[]), stores and handles it (services: one row per
   Message-ID, so a mail seen again changes nothing), then marks it \\Seen or moves it to
   SAMPARK_IMAP_PROCESSED_FOLDER, and records its UID.

A crash between handling and marking is harmless: the next poll reads the mail again and the
Message-ID answers "already handled".
"""

from __future__ import annotations

import imaplib
import re
import ssl
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from sampark.core import clock

from ..models import ImapCursor, MailSource
from .services import inbound_mail_handle, inbound_mail_receive

LEASE = timedelta(minutes=5)  # longer than any poll of one batch
TIMEOUT = 30.0  # seconds for one IMAP command
SECURITY = {"ssl": "ssl", "true": "ssl", "1": "ssl", "starttls": "starttls", "none": "none",
            "false": "none", "0": "none"}  # fmt: skip


class ImapFailed(Exception):
    """The server refused a command the poll needs (login, select, search)."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str  # ssl | starttls | none
    user: str
    password: str
    folder: str = "INBOX"
    processed_folder: str = ""
    ca_file: str = ""
    batch: int = 50

    @classmethod
    def from_settings(cls) -> ImapSettings:
        security = SECURITY.get(str(settings.SAMPARK_IMAP_SSL).strip().lower())
        if security is None:
            raise ValueError("SAMPARK_IMAP_SSL must be ssl, starttls or none")
        return cls(
            host=settings.SAMPARK_IMAP_HOST,
            port=settings.SAMPARK_IMAP_PORT or (993 if security == "ssl" else 143),
            security=security,
            user=settings.SAMPARK_IMAP_USER,
            password=settings.SAMPARK_IMAP_PASSWORD,
            folder=settings.SAMPARK_IMAP_FOLDER or "INBOX",
            processed_folder=settings.SAMPARK_IMAP_PROCESSED_FOLDER,
            ca_file=settings.SAMPARK_IMAP_CA_FILE,
            batch=settings.SAMPARK_IMAP_BATCH,
        )

    @property
    def mailbox(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"[:300]


@dataclass
class PollReport:
    fetched: int = 0
    new: int = 0  # stored for the first time
    repeated: int = 0  # Message-ID seen before: nothing done
    skipped: bool = False  # another worker held the lease


def imap_connect(config: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=config.ca_file or None)
    client: imaplib.IMAP4
    if config.security == "ssl":
        client = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context, timeout=TIMEOUT)
    else:
        client = imaplib.IMAP4(config.host, config.port, timeout=TIMEOUT)
        if config.security == "starttls":
            client.starttls(ssl_context=context)
    try:
        client.login(config.user, config.password)
    except imaplib.IMAP4.error as error:
        with suppress(OSError):
            client.shutdown()
        raise ImapFailed(f"IMAP login failed: {error}") from None
    return client


def imap_poll(*, config: ImapSettings | None = None) -> PollReport:
    config = config or ImapSettings.from_settings()
    cursor = _lease_take(config.mailbox)
    if cursor is None:
        return PollReport(skipped=True)
    try:
        client = imap_connect(config)
        try:
            return _poll(client, config, cursor)
        finally:
            with suppress(imaplib.IMAP4.error, OSError):
                client.logout()
    finally:
        ImapCursor.objects.filter(pk=cursor.pk).update(lease_until=None, polled_at=clock.now())


def _poll(client: imaplib.IMAP4, config: ImapSettings, cursor: ImapCursor) -> PollReport:
    report = PollReport()
    _ok(client.select(mailbox_name(config.folder)), "select")
    uidvalidity = int(_first(client.response("UIDVALIDITY")[1]) or 0)
    last = cursor.last_uid if cursor.uidvalidity == uidvalidity else 0
    typ, data = client.uid("SEARCH", "UID", f"{last + 1}:*")
    _ok((typ, data), "search")
    # "n:*" always includes the highest UID, even below n: keep only the new ones.
    uids = sorted(u for u in (int(x) for x in (_first(data) or b"").split()) if u > last)
    if config.processed_folder and uids:
        client.create(mailbox_name(config.processed_folder))  # NO when it exists: fine
    for uid in uids[: config.batch]:
        raw = _fetch(client, uid)
        if raw is not None:
            report.fetched += 1
            received = inbound_mail_receive(raw=raw, source=MailSource.IMAP)
            report.new += received.created
            report.repeated += not received.created
            inbound_mail_handle(mail_id=received.mail.pk)  # no-op once handled
            _done(client, uid, config)
        ImapCursor.objects.filter(pk=cursor.pk).update(uidvalidity=uidvalidity, last_uid=uid)
    return report


def _fetch(client: imaplib.IMAP4, uid: int) -> bytes | None:
    """The whole mail, not marked read; None when it vanished (expunged by someone else)."""
    typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    _ok((typ, data), "fetch")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _done(client: imaplib.IMAP4, uid: int, config: ImapSettings) -> None:
    """Out of the way for people reading the mailbox: moved, or marked read."""
    if not config.processed_folder:
        _ok(client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"), "store")
        return
    target = mailbox_name(config.processed_folder)
    if "MOVE" in client.capabilities:
        _ok(client.uid("MOVE", str(uid), target), "move")
        return
    _ok(client.uid("COPY", str(uid), target), "copy")
    _ok(client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted \Seen)"), "store")
    if "UIDPLUS" in client.capabilities:
        _ok(client.uid("EXPUNGE", str(uid)), "expunge")
    else:
        _ok(client.expunge(), "expunge")


def mailbox_name(name: str) -> str:
    """A folder name as an IMAP quoted string (imaplib sends names as they are)."""
    if re.fullmatch(r"[A-Za-z0-9_./-]+", name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first(data: list | None) -> bytes | None:
    return data[0] if data and isinstance(data[0], bytes) else None


def _ok(answer: tuple[str, list], what: str) -> None:
    typ, data = answer
    if typ != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise ImapFailed(f"IMAP {what} failed: {typ} {detail}".strip())


def _lease_take(mailbox: str) -> ImapCursor | None:
    """The mailbox's cursor, leased to this poll; None while another poll holds it."""
    try:
        with transaction.atomic():
            cursor, _created = ImapCursor.objects.get_or_create(mailbox=mailbox)
    except IntegrityError:  # two first polls raced
        cursor = ImapCursor.objects.get(mailbox=mailbox)
    now = clock.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    taken = ImapCursor.objects.filter(free, pk=cursor.pk).update(lease_until=now + LEASE)
    if not taken:
        return None
    cursor.refresh_from_db()
    return cursor
