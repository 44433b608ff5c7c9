"""What a stored mail becomes: a complaint, a note on one, a request for details, or nothing.

Recorded mails go through `inbound_mail_receive` and `inbound_mail_handle` (what the poller and
the webhook's task call); answers are checked as the outbox rows they become.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from sampark.channels.email.services import (
    ASKS_PER_DAY,
    inbound_mail_handle,
    inbound_mail_receive,
    reply_subject,
)
from sampark.channels.models import InboundMail, MailSource, MailState
from sampark.complaints.models import (
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    EventKind,
    Priority,
)
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

from .conftest import OUR_ADDRESS, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def deliver(raw: bytes) -> InboundMail:
        with django_capture_on_commit_callbacks(execute=True):
            received = inbound_mail_receive(raw=raw, source=MailSource.IMAP)
            return inbound_mail_handle(mail_id=received.mail.pk)

    return deliver


def mail(
    *,
    text: str,
    subject: str = "No power",
    sender: str = "asha.verma@example.in",
    message_id: str,
    in_reply_to: str = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OUR_ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return bytes(message)


def answers() -> list[Notification]:
    return list(Notification.objects.filter(channel="email").order_by("id"))


def test_a_new_mail_becomes_a_complaint_answered_in_hindi_and_english(deliver, asha):
    stored = deliver(payload("new_hindi_gmail.eml"))

    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.category, complaint.consumer) == (
        Channel.EMAIL,
        Category.NO_SUPPLY,
        asha,
    )
    assert complaint.contact_name == "आशा वर्मा" and complaint.language == "hi"
    assert complaint.location_text == "12, अमीनाबाद रोड, लखनऊ"
    assert "पूरे मोहल्ले में अंधेरा है" in complaint.description
    assert complaint.assigned_to is not None  # routed like any complaint
    assert (stored.state, stored.complaint) == (MailState.COMPLAINT, complaint)
    notes = ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.NOTE)
    assert [n.note for n in notes] == [
        "E-mail from asha.verma@example.in (mobile matches the account)"
    ]

    (answer,) = answers()
    assert answer.recipient == "asha.verma@example.in"
    assert (answer.template_key, answer.consumer, answer.topic) == (
        "email_complaint_registered",
        asha,
        f"complaint:{complaint.pk}",
    )
    assert answer.variables["subject"] == (f"Re: सुबह से बिजली नहीं है - अमीनाबाद [{complaint.number}]")
    assert answer.variables["in_reply_to"] == stored.message_id
    assert answer.variables["references"] == stored.message_id
    assert answer.variables["message_id"] == stored.reply_message_id
    assert stored.reply_message_id.endswith("@uppcl.example>")
    hindi, english = answer.text.index("शिकायत संख्या"), answer.text.index("Complaint number")
    assert hindi < english  # the complaint's language first
    assert answer.text.count(complaint.number) == 2
    assert f"{complaint.sla_hours} घंटे" in answer.text
    assert f"{complaint.sla_hours} hours" in answer.text


def test_the_same_message_id_twice_is_one_complaint_and_one_answer(deliver, asha):
    first = deliver(payload("new_hindi_gmail.eml"))
    again = deliver(payload("new_hindi_gmail.eml"))

    assert again.pk == first.pk
    assert InboundMail.objects.count() == 1
    assert Complaint.objects.count() == 1
    assert len(answers()) == 1


def test_html_only_mail_with_unknown_account_and_unknown_mobile(deliver, asha):
    stored = deliver(payload("html_only_outlook.eml"))

    complaint = stored.complaint
    assert complaint is not None
    # No consumer has account 1234567891 or mobile 9839012346: an unregistered complainant.
    assert (complaint.consumer, complaint.contact_mobile) == (None, "+919839012346")
    assert complaint.category == Category.VOLTAGE_FLUCTUATION
    assert complaint.language == "en"
    assert complaint.contact_name == "Rakesh Kumar"
    (answer,) = answers()
    assert answer.text.index("Complaint number") < answer.text.index("शिकायत संख्या")
    assert answer.consumer is None


def test_consumer_found_by_mobile_alone(deliver, asha):
    stored = deliver(payload("danger_base64.eml"))

    complaint = stored.complaint
    assert complaint is not None and complaint.consumer == asha
    assert (complaint.category, complaint.priority) == (Category.SAFETY_HAZARD, Priority.EMERGENCY)
    assert "consumer found by mobile" in complaint.events.filter(kind="note").get().note


def test_mobile_not_the_accounts_is_noted(deliver, asha):
    raw = mail(
        text="No electricity since 3 hours. Account 1234567890, mobile 9415000001",
        message_id="<m1@example.in>",
    )

    complaint = deliver(raw).complaint

    assert complaint is not None and complaint.consumer == asha
    assert complaint.contact_mobile == "+919415000001"
    assert "mobile is not the account's" in complaint.events.filter(kind="note").get().note


def test_several_accounts_on_the_mobile_register_the_caller(deliver, asha, net):
    ConsumerFactory(account_number="1234567899", mobile=asha.mobile, dt=net.dt1)

    complaint = deliver(
        mail(text="Meter burnt. My mobile 9839012345", message_id="<m2@example.in>")
    ).complaint

    assert complaint is not None
    assert (complaint.consumer, complaint.contact_mobile) == (None, "+919839012345")


def test_unclear_text_gets_the_general_category(deliver, asha):
    complaint = deliver(
        mail(text="xyz 1234567890", subject="hmm", message_id="<m3@example.in>")
    ).complaint

    assert complaint is not None and complaint.category == Category.OTHER


def test_a_repeat_while_open_is_noted_and_answered_with_the_same_number(deliver, asha):
    first = deliver(payload("new_hindi_gmail.eml"))
    again = deliver(
        mail(
            text="Still no power since morning. Account 1234567890",
            message_id="<repeat@example.in>",
        )
    )

    assert Complaint.objects.count() == 1
    assert again.complaint == first.complaint
    assert first.complaint is not None
    assert "Still no power since morning" in first.complaint.events.filter(kind="note").last().note
    repeat = answers()[-1]
    assert repeat.template_key == "email_complaint_repeat"
    assert first.complaint.number in repeat.text and "already registered" in repeat.text


# --- replies -------------------------------------------------------------------------------


def test_a_reply_to_our_answer_is_a_note_on_the_same_complaint(deliver, asha):
    first = deliver(payload("new_hindi_gmail.eml"))
    complaint = first.complaint
    assert complaint is not None

    reply = deliver(
        mail(
            text="Still no power.\n\nOn Sat, 28 Nov 2026 wrote:\n> Complaint number: X",
            subject="Re: whatever the client made of it",
            message_id="<reply-1@example.in>",
            in_reply_to=first.reply_message_id,
        )
    )

    assert (reply.state, reply.complaint) == (MailState.THREADED, complaint)
    assert Complaint.objects.count() == 1
    note = complaint.events.filter(kind=EventKind.NOTE).last()
    assert note.note == "E-mail from asha.verma@example.in: Still no power."
    assert note.actor_label == "consumer (e-mail)"
    assert len(answers()) == 1  # a note gets no answer


def test_a_follow_up_to_ones_own_mail_joins_its_complaint(deliver, asha):
    first = deliver(payload("new_hindi_gmail.eml"))

    follow = deliver(
        mail(
            text="Forgot to say: the pole near the house sparked.",
            message_id="<follow@example.in>",
            in_reply_to=first.message_id,
        )
    )

    assert follow.complaint == first.complaint and follow.state == MailState.THREADED


@pytest.mark.parametrize("name", ["gmail_reply_en.eml", "gmail_reply_hindi.eml"])
def test_the_number_in_the_subject_threads_a_reply(deliver, asha, name):
    complaint = deliver(payload("new_hindi_gmail.eml")).complaint
    assert complaint is not None
    # The recorded replies name MV-261128-00042; give this complaint that number.
    Complaint.objects.filter(pk=complaint.pk).update(number="MV-261128-00042")

    reply = deliver(payload(name))

    assert (reply.state, reply.complaint_id) == (MailState.THREADED, complaint.pk)
    assert Complaint.objects.count() == 1
    assert (
        complaint.events.filter(kind=EventKind.NOTE)
        .last()
        .note.startswith("E-mail from asha.verma@example.in: ")
    )


# --- nothing to go on ----------------------------------------------------------------------


def test_no_account_or_mobile_gets_a_polite_request_and_no_complaint(deliver, asha):
    stored = deliver(payload("no_details.eml"))

    assert stored.state == MailState.ASKED and stored.complaint is None
    assert Complaint.objects.count() == 0
    (answer,) = answers()
    assert (answer.template_key, answer.recipient) == (
        "email_details_needed",
        "gupta.ji@example.in",
    )
    assert "10-digit account number" in answer.text and "10 अंकों का खाता" in answer.text
    assert answer.variables["subject"] == "Re: light problem"
    assert answer.variables["in_reply_to"] == stored.message_id


def test_the_answer_with_details_registers_what_the_first_mail_said(deliver, asha):
    asked = deliver(payload("no_details.eml"))

    answer = deliver(
        mail(
            text="My account number is 1234567890",
            subject="Re: light problem",
            sender="gupta.ji@example.in",
            message_id="<details@example.in>",
            in_reply_to=asked.reply_message_id,
        )
    )

    complaint = answer.complaint
    assert complaint is not None and complaint.consumer == asha
    assert complaint.category == Category.NO_SUPPLY  # from "no light ... since evening"
    assert "no light in our street" in complaint.description


def test_no_second_request_in_the_same_thread_nor_too_many_a_day(deliver, asha):
    asked = deliver(payload("no_details.eml"))
    deliver(
        mail(
            text="I am on leave",
            sender="gupta.ji@example.in",
            message_id="<ooo@example.in>",
            in_reply_to=asked.reply_message_id,
        )
    )
    for n in range(ASKS_PER_DAY + 1):
        deliver(mail(text="hello?", sender="gupta.ji@example.in", message_id=f"<h{n}@x.in>"))

    assert Complaint.objects.count() == 0
    assert InboundMail.objects.filter(state=MailState.ASKED).count() == ASKS_PER_DAY + 3
    assert len(answers()) == ASKS_PER_DAY


# --- mails that must not be answered -------------------------------------------------------


@pytest.mark.parametrize("name", ["auto_reply.eml", "bounce.eml", "bulk_newsletter.eml"])
def test_automatic_mails_are_ignored(deliver, asha, name):
    stored = deliver(payload(name))

    assert stored.state == MailState.IGNORED and stored.automatic
    assert Complaint.objects.count() == 0
    assert answers() == []


def test_a_mail_from_our_own_address_is_ignored(deliver, asha):
    stored = deliver(
        mail(text="Account 1234567890 no power", sender=OUR_ADDRESS, message_id="<own@x>")
    )

    assert (stored.state, stored.automatic) == (MailState.IGNORED, "from our own address")
    assert Complaint.objects.count() == 0 and answers() == []


def test_a_mail_that_cannot_be_registered_is_marked_failed(deliver, db):
    # No network loaded: nobody could be answerable for an unregistered caller's complaint.
    stored = deliver(mail(text="no power, mobile 9415000002", message_id="<fail@x.in>"))

    assert stored.state == MailState.FAILED and "DT" in stored.error  # says what was missing
    assert Complaint.objects.count() == 0 and answers() == []


def test_reply_subject():
    assert reply_subject("No power", number="MV-261128-00042") == "Re: No power [MV-261128-00042]"
    assert reply_subject("RE: x [MV-1]", number="MV-1") == "RE: x [MV-1]"
    assert reply_subject("", number="") == "Re: शिकायत / Complaint"
