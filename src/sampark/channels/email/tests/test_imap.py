"""The mail round trip through real servers: Dovecot (IMAP) holds the complaints mailbox, the
poller reads it, the outbox's smtp_email provider answers through aiosmtpd (SMTP)."""

from __future__ import annotations

import ssl
from datetime import timedelta
from email.message import EmailMessage

import pytest

from sampark.channels.email.imap import ImapFailed, ImapSettings, imap_poll
from sampark.channels.email.tasks import email_inbox_poll
from sampark.channels.models import ImapCursor, InboundMail, MailState
from sampark.complaints.models import Complaint, ComplaintEvent, EventKind
from sampark.core import clock
from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification

from .conftest import OUR_ADDRESS, Dovecot, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    """One run of the scheduler's task, its after-commit work (outbox rows) included."""

    def poll() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return email_inbox_poll.call()

    return poll


def consumer_reply(answer: EmailMessage, text: str) -> bytes:
    """What a mail client sends when the consumer answers our mail."""
    reply = EmailMessage()
    reply["From"] = "Asha Verma <asha.verma@example.in>"
    reply["To"] = OUR_ADDRESS
    reply["Subject"] = f"Re: {answer['Subject']}"
    reply["Message-ID"] = "<CAJx7mQ9-consumer-reply@mail.gmail.com>"
    reply["In-Reply-To"] = answer["Message-ID"]
    reply["References"] = f"{answer['References']} {answer['Message-ID']}"
    quoted = "\n".join(f"> {line}" for line in answer.get_content().splitlines())
    reply.set_content(f"{text}\n\nOn Sat, 28 Nov 2026 at 09:15, UPPCL 1912 wrote:\n{quoted}\n")
    return bytes(reply)


def test_mail_round_trip(dovecot: Dovecot, smtp, asha, poll):
    # Given a consumer's Hindi mail in the complaints mailbox
    original = payload("new_hindi_gmail.eml")
    dovecot.append(original)

    # When the scheduler's poll runs
    assert poll() == 1

    # Then a complaint is registered and the mail is marked read on the server
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.consumer, complaint.category) == (
        "email",
        asha,
        "no_supply",
    )
    assert dovecot.uids(criteria="UNSEEN") == [] and len(dovecot.uids(criteria="SEEN")) == 1

    # And the answer goes out over SMTP, threaded under the consumer's mail
    assert notifications_dispatch_run(budget=10.0).failed == 0
    ((sender, recipients, answer),) = smtp.received
    assert (sender, recipients) == (OUR_ADDRESS, ["asha.verma@example.in"])
    assert answer["Subject"] == f"Re: सुबह से बिजली नहीं है - अमीनाबाद [{complaint.number}]"
    assert answer["In-Reply-To"] == "<CAJx7mQ1sX0Fh4p8kT2nVb9wE3rLq5uY6zA@mail.gmail.com>"
    assert answer["References"] == answer["In-Reply-To"]
    assert answer["Auto-Submitted"] == "auto-replied"
    assert answer["Message-ID"] == InboundMail.objects.get().reply_message_id
    body = answer.get_content()
    assert f"शिकायत संख्या: {complaint.number}" in body
    assert f"निस्तारण की समय-सीमा: {complaint.sla_hours} घंटे" in body
    assert f"Complaint number: {complaint.number}" in body
    assert f"Time limit for resolving it: {complaint.sla_hours} hours" in body
    sent = Notification.objects.get(channel="email")
    assert (sent.status, sent.provider_message_id) == ("sent", answer["Message-ID"])

    # When the consumer answers that mail and the poll runs again
    dovecot.append(consumer_reply(answer, "अभी तक बिजली नहीं आई। Still no power."))
    assert poll() == 1

    # Then the answer is a note on the same complaint, without the quoted mail, unanswered
    assert Complaint.objects.count() == 1
    note = ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.NOTE).last()
    assert note.note == "E-mail from asha.verma@example.in: अभी तक बिजली नहीं आई। Still no power."
    assert InboundMail.objects.get(message_id__startswith="<CAJx7mQ9").state == MailState.THREADED
    assert Notification.objects.filter(channel="email").count() == 1

    # When the first mail turns up again (a client re-filed it) and the poll is replayed
    dovecot.append(original)
    rows = (
        InboundMail.objects.count(),
        ComplaintEvent.objects.count(),
        Notification.objects.count(),
    )
    assert poll() == 0
    ImapCursor.objects.update(last_uid=0)  # and the poller forgot how far it had read
    assert poll() == 0

    # Then nothing new happened
    assert Complaint.objects.count() == 1
    assert rows == (
        InboundMail.objects.count(),
        ComplaintEvent.objects.count(),
        Notification.objects.count(),
    )
    assert len(dovecot.uids(criteria="UNSEEN")) == 0


def test_processed_mails_move_to_their_folder(dovecot: Dovecot, asha, settings, poll):
    settings.SAMPARK_IMAP_PROCESSED_FOLDER = "Sampark Done"  # a name that needs quoting
    dovecot.append(payload("new_hindi_gmail.eml"))
    dovecot.append(payload("auto_reply.eml"))

    assert poll() == 2

    assert dovecot.uids("INBOX") == []
    assert len(dovecot.uids('"Sampark Done"')) == 2
    assert sorted(InboundMail.objects.values_list("state", flat=True)) == ["complaint", "ignored"]


def test_batches_and_the_cursor(dovecot: Dovecot, asha, settings, poll):
    settings.SAMPARK_IMAP_BATCH = 2
    for name in ("no_details.eml", "bulk_newsletter.eml", "bounce.eml"):
        dovecot.append(payload(name))

    assert poll() == 2
    assert poll() == 1
    assert poll() == 0

    cursor = ImapCursor.objects.get()
    assert cursor.last_uid == max(dovecot.uids()) and cursor.lease_until is None
    assert cursor.mailbox == f"complaints@127.0.0.1:{dovecot.port}/INBOX"


def test_a_changed_uidvalidity_reads_again_without_doubling(dovecot: Dovecot, asha, poll):
    dovecot.append(payload("new_hindi_gmail.eml"))
    poll()
    ImapCursor.objects.update(uidvalidity=1)  # the server renumbered the folder

    report = imap_poll()

    assert (report.fetched, report.new, report.repeated) == (1, 0, 1)
    assert Complaint.objects.count() == 1


def test_a_second_worker_finds_the_lease_taken(dovecot: Dovecot, asha):
    dovecot.append(payload("new_hindi_gmail.eml"))
    config = ImapSettings.from_settings()
    ImapCursor.objects.create(
        mailbox=config.mailbox, lease_until=clock.now() + timedelta(minutes=1)
    )

    assert imap_poll().skipped
    assert InboundMail.objects.count() == 0

    ImapCursor.objects.update(lease_until=clock.now() - timedelta(seconds=1))  # expired
    assert imap_poll().new == 1


def test_wrong_password_fails_and_releases_the_lease(dovecot: Dovecot, settings):
    settings.SAMPARK_IMAP_PASSWORD = "wrong"
    dovecot.append(payload("no_details.eml"))

    with pytest.raises(ImapFailed, match=r"login failed.*AUTHENTICATIONFAILED"):
        imap_poll()

    assert InboundMail.objects.count() == 0
    assert ImapCursor.objects.get().lease_until is None


def test_nothing_is_polled_without_a_host(settings, db):
    settings.SAMPARK_IMAP_HOST = ""

    assert email_inbox_poll.call() == 0
    assert not ImapCursor.objects.exists()


# --- TLS ---------------------------------------------------------------------------------------


@pytest.fixture
def tls(dovecot: Dovecot, settings) -> Dovecot:
    if not dovecot.ca_file:
        pytest.skip("openssl is needed to make the test certificate")
    settings.SAMPARK_IMAP_CA_FILE = dovecot.ca_file
    return dovecot


def test_imaps(tls: Dovecot, asha, settings, poll):
    settings.SAMPARK_IMAP_SSL = "ssl"
    settings.SAMPARK_IMAP_PORT = tls.ssl_port
    tls.append(payload("new_hindi_gmail.eml"))

    assert poll() == 1
    assert Complaint.objects.count() == 1


def test_starttls(tls: Dovecot, asha, settings, poll):
    settings.SAMPARK_IMAP_SSL = "starttls"
    tls.append(payload("new_hindi_gmail.eml"))

    assert poll() == 1
    assert Complaint.objects.count() == 1


def test_an_untrusted_certificate_is_refused(tls: Dovecot, settings):
    settings.SAMPARK_IMAP_SSL = "ssl"
    settings.SAMPARK_IMAP_PORT = tls.ssl_port
    settings.SAMPARK_IMAP_CA_FILE = ""  # the system's CAs do not know the test certificate
    tls.append(payload("new_hindi_gmail.eml"))

    with pytest.raises(ssl.SSLCertVerificationError):
        imap_poll()

    assert InboundMail.objects.count() == 0
