"""The daily review pack made from the fixed history (conftest.py): its figures, the archive,
the scheduler's once-a-day run, failures, the mail with attachments through a local SMTP
server, and the management command."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command

from sampark.accounts.models import Role
from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification
from sampark.review.models import ReviewPack
from sampark.review.pack import pack_content
from sampark.review.pack_services import (
    Via,
    pack_recipients,
    review_pack_generate,
    review_packs_generate_due,
)
from sampark.review.rollup import rollup_refresh
from sampark.testing.factories import StaffFactory

from .conftest import D1, D2, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings, tmp_path: Path) -> Path:
    settings.SAMPARK_REVIEW_PACK_ROOT = str(tmp_path / "packs")
    settings.SAMPARK_REVIEW_PACK_LANGUAGE = "hi"
    settings.SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS = []
    return tmp_path / "packs"


@pytest.fixture
def rolled(history, archive):
    """The fixed history, folded into the rollups, at D2 15:00."""
    rollup_refresh()
    return history


def figure(content, group: int, label_en: str):
    (found,) = [f for f in content.figures[group].figures if f.label.en == label_en]
    return found.day, found.month


def test_content_carries_the_hand_computed_figures(rolled, net, staff):
    # Given D1's history of MVVNL: A, B, C received; B (13:00, in time) and A (15:00, late)
    # resolved; A breached at 14:30, C at 21:00; A rated 4
    # When the pack of D1 is built (at D2 15:00)
    content = pack_content(discom=net.mvvnl, day=D1, language="hi")

    # Then the day's (and, on the 10th, the month's) figures are these
    assert figure(content, 0, "Received") == (3, 3)
    assert figure(content, 0, "Resolved") == (2, 2)
    assert figure(content, 0, "Resolved within time limit") == (0.5, 0.5)
    assert figure(content, 0, "Time-limit breaches") == (2, 2)
    assert figure(content, 0, "CSAT (1-5)") == (4.0, 4.0)
    # And the position now: C and F open in SD2 (C overdue); B was closed on D2
    position = {f.label.en: f.day for f in content.position}
    assert position["Complaints pending"] == 2
    assert position["Past the time limit"] == 1
    # And the units table has the one zone, then its circle
    units = content.tables[0]
    assert [(r.cells[0].en, r.level) for r in units.rows] == [
        ("LUCKNOW CENTRAL", 0),
        ("CIRCLE I", 1),
    ]
    assert units.rows[0].cells[1:4] == (3, 2, 0.5)
    # And the accountability list ranks je2 (C overdue) above je1
    officers = [row.cells[0] for row in content.tables[1].rows]
    assert officers[:2] == [staff["je2"].get_full_name(), staff["je"].get_full_name()]
    assert content.trend[-1].day == D1 and content.trend[-1].received == 3
    assert len(content.trend) == 30 and content.generated_at == at(D2, 15)


def test_pack_is_archived_once_and_replaced_on_demand(rolled, net, archive):
    # When the pack of D1 is made
    pack = review_pack_generate(discom=net.mvvnl, day=D1, via=Via.COMMAND)

    # Then both files are archived under <root>/<discom>/<day>/ and the row says so
    assert pack is not None and pack.error == ""
    folder = archive / "MVVNL" / "2026-03-10"
    assert sorted(p.name for p in folder.iterdir()) == [
        "review-pack-MVVNL-2026-03-10-hi.pdf",
        "review-pack-MVVNL-2026-03-10-hi.xlsx",
    ]
    assert Path(pack.pdf.path).read_bytes().startswith(b"%PDF")
    assert (pack.generated_via, pack.emailed_to, pack.generated_at) == ("command", [], at(D2, 15))

    # When it is asked for again: nothing new
    assert review_pack_generate(discom=net.mvvnl, day=D1, via=Via.COMMAND) is None
    assert ReviewPack.objects.count() == 1

    # When it is replaced: the same row, fresh files, no leftovers
    again = review_pack_generate(discom=net.mvvnl, day=D1, via=Via.COMMAND, replace=True)
    assert again is not None and again.pk == pack.pk
    assert len(list(folder.iterdir())) == 2


def test_a_failed_pack_is_recorded_and_retried_by_the_next_run(
    rolled, net, settings, pin, tmp_path
):
    # Given the fonts are missing at 07:00 on D2
    settings.SAMPARK_PDF_FONT_DIR = str(tmp_path / "no-fonts")
    pin(at(D2, 7))

    # When the scheduler's run comes
    made = review_packs_generate_due()

    # Then nothing was made, each discom's pack row says why, and no mail was queued
    assert made == 0
    packs = ReviewPack.objects.order_by("discom__code")
    assert [(p.discom.code, bool(p.pdf)) for p in packs] == [("MVVNL", False), ("PVVNL", False)]
    assert all("fonts-noto-core" in p.error for p in packs)
    assert not Notification.objects.filter(template_key="review_pack").exists()

    # When the fonts are back, the next hourly run makes them
    settings.SAMPARK_PDF_FONT_DIR = "/usr/share/fonts/truetype/noto"
    pin(at(D2, 8))
    assert review_packs_generate_due() == 2
    assert all(p.pdf and not p.error for p in ReviewPack.objects.all())


def test_scheduler_makes_yesterdays_packs_once_from_the_pack_hour(rolled, net, settings, pin):
    settings.SAMPARK_REVIEW_PACK_HOUR = 7

    # Before the hour: nothing
    pin(at(D2, 6, 59))
    assert review_packs_generate_due() == 0
    assert not ReviewPack.objects.exists()

    # From the hour: D1's pack of each discom, once
    pin(at(D2, 7))
    assert review_packs_generate_due() == 2
    pin(at(D2, 8))
    assert review_packs_generate_due() == 0
    assert sorted(ReviewPack.objects.values_list("discom__code", "day", "generated_via")) == [
        ("MVVNL", D1, "scheduler"),
        ("PVVNL", D1, "scheduler"),
    ]


def test_recipients_are_the_discoms_pack_officers_and_the_extra_addresses(net, staff, settings):
    settings.SAMPARK_REVIEW_PACK_ROLES = ["md", "ce"]
    settings.SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS = ["chairman@uppcl.example", "MD@mvvnl.example"]
    staff["md"].email = "md@mvvnl.example"
    staff["md"].save()
    StaffFactory(username="ce", role=Role.CE, jurisdiction=net.zone, email="ce@mvvnl.example")
    StaffFactory(
        username="ce_off", role=Role.CE, jurisdiction=net.zone, email="x@y.in", is_active=False
    )
    staff["md_p"].email = "md@pvvnl.example"
    staff["md_p"].save()
    staff["sdo"].email = "sdo@mvvnl.example"
    staff["sdo"].save()

    assert pack_recipients(discom=net.mvvnl) == [
        "ce@mvvnl.example",
        "md@mvvnl.example",
        "chairman@uppcl.example",
    ]


# --- the mail, through a local SMTP server ---------------------------------------------------


@dataclass
class Mailbox:
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def mailbox(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.SAMPARK_EMAIL_PROVIDER = "smtp_email"
    settings.SAMPARK_SMTP_HOST, settings.SAMPARK_SMTP_PORT = "127.0.0.1", port
    settings.SAMPARK_SMTP_STARTTLS, settings.SAMPARK_SMTP_USER = False, ""
    settings.SAMPARK_SMTP_FROM = "UPPCL 1912 <noreply@uppcl.example>"
    settings.SAMPARK_SENDER_NAME = "UPPCL 1912"
    settings.SAMPARK_PUBLIC_URL = "https://1912.example"
    yield handler
    controller.stop()


def test_pack_mail_arrives_with_the_pdf_and_xlsx_attached(rolled, net, staff, mailbox, settings):
    # Given MVVNL's MD has an e-mail and one extra address is configured
    staff["md"].email = "md@mvvnl.example"
    staff["md"].save()
    settings.SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS = ["chairman@uppcl.example"]

    # When the pack of D1 is made with --email and the outbox is dispatched
    pack = review_pack_generate(discom=net.mvvnl, day=D1, via=Via.COMMAND, email=True)
    assert pack is not None
    assert pack.emailed_to == ["md@mvvnl.example", "chairman@uppcl.example"]
    assert notifications_dispatch_run(budget=10.0).failed == 0

    # Then each recipient got one mail, Hindi first, with both files attached byte for byte
    assert sorted(to for _, (to,), _ in mailbox.received) == [
        "chairman@uppcl.example",
        "md@mvvnl.example",
    ]
    mail = email.message_from_bytes(mailbox.received[0][2], policy=email.policy.default)
    assert mail["Subject"] == "UPPCL 1912: MVVNL दैनिक समीक्षा रिपोर्ट, 10/03/2026"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert body.index("दैनिक समीक्षा रिपोर्ट संलग्न है") < body.index("daily review pack of")
    assert "शिकायतें: 3 प्राप्त, 2 निस्तारित; अभी 2 लंबित, जिनमें 1 समय-सीमा पार।" in body
    assert "Online: https://1912.example/staff/review/packs/" in body
    files = {part.get_filename(): part for part in mail.iter_attachments()}
    pdf = files["review-pack-MVVNL-2026-03-10-hi.pdf"]
    xlsx = files["review-pack-MVVNL-2026-03-10-hi.xlsx"]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == Path(pack.pdf.path).read_bytes()
    assert xlsx.get_content() == Path(pack.xlsx.path).read_bytes()
    text = pypdfium2.PdfDocument(pdf.get_content())[0].get_textpage().get_text_range()
    assert "दैनिक समीक्षा रिपोर्ट" in text


def test_pack_without_email_queues_nothing(rolled, net, staff):
    staff["md"].email = "md@mvvnl.example"
    staff["md"].save()

    review_pack_generate(discom=net.mvvnl, day=D1, via=Via.COMMAND)

    assert not Notification.objects.filter(template_key="review_pack").exists()


# --- the command -----------------------------------------------------------------------------


def test_command_makes_the_pack_and_says_where(rolled, net, archive, capsys):
    call_command("review_pack", "--discom", "MVVNL", "--day", "2026-03-10", "--language", "en")

    out = capsys.readouterr().out
    pack = ReviewPack.objects.get()
    assert (pack.discom, pack.day, pack.language) == (net.mvvnl, date(2026, 3, 10), "en")
    assert str(archive / "MVVNL" / "2026-03-10" / "review-pack-MVVNL-2026-03-10-en.pdf") in out

    call_command("review_pack", "--discom", "MVVNL", "--day", "2026-03-10", "--language", "en")
    assert "exists" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--discom", "NOPE"], "no discom with code 'NOPE'"),
        (["--discom", "MVVNL", "--day", "10/03/2026"], "--day must be YYYY-MM-DD"),
    ],
)
def test_command_refuses_bad_input(net, archive, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("review_pack", *args)
    assert not ReviewPack.objects.exists()
