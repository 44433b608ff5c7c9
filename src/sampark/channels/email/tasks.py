"""Background work for the e-mail channel: the mailbox poll and webhook mails."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from .imap import imap_poll
from .services import inbound_mail_handle


@task()
def email_inbox_poll() -> int:
    """Read new mails from the IMAP mailbox (scheduler: every minute); nothing when no host is
    configured. Returns the number of mails stored for the first time."""
    if not settings.SAMPARK_IMAP_HOST:
        return 0
    return imap_poll().new


@task()
def inbound_mail_handle_task(mail_id: int) -> str:
    """Handle a mail the webhook stored; returns its state."""
    return inbound_mail_handle(mail_id=mail_id).state
