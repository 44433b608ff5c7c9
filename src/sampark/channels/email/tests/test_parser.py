"""Reading recorded mails: encodings, HTML-only mails, quoted replies, automatic mails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sampark.channels.email.parser import html_to_text, mail_parse, reply_strip

from .conftest import payload


def test_hindi_mail_with_encoded_subject_and_quoted_printable_body():
    mail = mail_parse(payload("new_hindi_gmail.eml"))

    assert mail.message_id == "<CAJx7mQ1sX0Fh4p8kT2nVb9wE3rLq5uY6zA@mail.gmail.com>"
    assert (mail.from_name, mail.from_address) == ("आशा वर्मा", "asha.verma@example.in")
    assert mail.reply_to == "asha.verma@example.in"
    assert mail.subject == "सुबह से बिजली नहीं है - अमीनाबाद"
    # The plain part is preferred over the HTML one, decoded from quoted-printable.
    assert mail.text.startswith("नमस्ते,\n\nहमारे घर में सुबह 6 बजे से बिजली नहीं आ रही है।")
    assert "खाता संख्या 1234567890\nमोबाइल 9839012345" in mail.text
    assert "<div" not in mail.text
    assert mail.sent_at == datetime(2026, 11, 28, 3, 42, 41, tzinfo=UTC)
    assert (mail.in_reply_to, mail.references, mail.automatic) == ((), (), "")


def test_base64_body_and_signature_cut():
    mail = mail_parse(payload("danger_base64.eml"))

    assert mail.text == (
        "A live wire has fallen on the road near my house and it is sparking!\n"
        "Children play here. Please send someone immediately.\nMobile: 9839012345"
    )
    assert mail.from_name == ""


def test_html_only_mail_becomes_text():
    mail = mail_parse(payload("html_only_outlook.eml"))

    assert mail.message_id == "<PN2P287MB0123ABCD4567EF89@PN2P287MB0123.INDP287.PROD.OUTLOOK.COM>"
    assert mail.from_address == "rakesh.kumar@outlook.example"  # lower-cased
    assert mail.text == (
        "Dear Sir/Madam,\n\n"
        "The voltage at my house keeps fluctuating since last night & the fridge has stopped "
        "working. Lights go dim and bright every few minutes.\n"
        "Account no: 1234567891\nPhone: +91 98390 12346\n\nRegards,\nRakésh Kumar"
    )
    assert "tracking" not in mail.text and "margin-top" not in mail.text


def test_latin1_labelled_windows_text_and_no_message_id():
    raw = payload("latin1_no_message_id.eml")
    mail = mail_parse(raw)

    # cp1252's en dash (0x96), though labelled Latin-1.
    assert mail.text.startswith("The meter reading on my bill is wrong \u2013 the bill is double.")
    # Without a Message-ID the content stands for it: the same bytes give the same id.
    assert mail.message_id.endswith("@no-message-id.invalid>")
    assert mail_parse(raw).message_id == mail.message_id
    assert mail_parse(raw + b"\nmore").message_id != mail.message_id


@pytest.mark.parametrize(
    ("name", "new_text"),
    [
        ("gmail_reply_en.eml", "Still no power. The lineman has not come yet."),
        ("gmail_reply_hindi.eml", "अभी तक बिजली नहीं आई है। ट्रांसफार्मर से आवाज़ आ रही है।"),
        ("outlook_reply.eml", "The voltage is fine now, thank you."),
        ("outlook_reply_html.eml", "Fridge still not working."),
    ],
)
def test_replies_keep_only_the_new_text(name, new_text):
    assert mail_parse(payload(name)).text == new_text


def test_reply_headers_give_the_thread_nearest_first():
    mail = mail_parse(payload("gmail_reply_en.eml"))

    assert mail.in_reply_to == ("<177001.4712.9.sampark.9@uppcl.example>",)
    assert mail.thread_ids == (
        "<177001.4712.9.sampark.9@uppcl.example>",
        "<20261128091241.4711.sampark.7@uppcl.example>",
    )
    assert mail.subject == "Re: No supply since morning [MV-261128-00042]"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto_reply.eml", "Auto-Submitted: auto-replied"),
        ("bounce.eml", "Auto-Submitted: auto-replied"),
        ("bulk_newsletter.eml", "Precedence: bulk"),
        ("new_hindi_gmail.eml", ""),
        ("no_details.eml", ""),
    ],
)
def test_automatic_mails_are_recognised(name, reason):
    assert mail_parse(payload(name)).automatic == reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (b"From: MAILER-DAEMON@mx.example\r\n", "from mailer-daemon@mx.example"),
        (b"From: a@b.example\r\nReturn-Path: <>\r\n", "null sender (bounce)"),
        (b"From: a@b.example\r\nList-Id: <x.lists.example>\r\n", "mailing list"),
        (b"From: a@b.example\r\nX-Autoreply: yes\r\n", "X-Autoreply"),
        (b"From: a@b.example\r\nAuto-Submitted: no\r\n", ""),
        (b"Subject: no sender\r\n", "no sender address"),
    ],
)
def test_automatic_header_rules(headers, reason):
    assert mail_parse(headers + b"\r\nbody\r\n").automatic == reason


def test_broken_input_never_raises():
    mail = mail_parse(
        b"From: =?x-unknown?B?////?= <a@b.example>\r\nSubject: =?utf-8?B?broken\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe caf\xc3\xa9\r\n"
    )

    assert mail.from_address == "a@b.example"
    assert "café" in mail.text
    assert mail_parse(b"").message_id.endswith("@no-message-id.invalid>")


def test_html_conversion_rules():
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>First &amp; <b>bold</b></p><p>Second<br>line</p>"
        "<ul><li>one</li><li>two</li></ul>"
        '<div class="gmail_quote">On ... wrote:<blockquote>old</blockquote></div>'
        "<blockquote>quoted</blockquote><div>after</div></body></html>"
    )

    assert html_to_text(html) == "First & bold\n\nSecond\nline\n\none\ntwo\nafter"


def test_reply_strip_rules():
    text = "New words\n> quoted line\nmore new\n\n-----Original Message-----\nold text"

    assert reply_strip(text) == "New words\nmore new"
    assert reply_strip("Thanks\n\nSent from my iPhone") == "Thanks"
    assert reply_strip("On Sat, 28 Nov 2026 at 09:15, UPPCL 1912 <\nx@y> wrote:\n> a") == ""
