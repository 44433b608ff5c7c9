"""Making, archiving and mailing the daily review pack.

Each morning, from the local hour SAMPARK_REVIEW_PACK_HOUR, the scheduler's hourly task makes
yesterday's pack of every discom that has none yet (or whose last try failed), archives the PDF
and XLSX under SAMPARK_REVIEW_PACK_ROOT/<discom>/<day>/ and queues one e-mail per recipient in
the notifications outbox, files attached. `sampark review_pack` does the same on demand.

The pack is rendered before any row is written, so no lock is held while it is drawn; the short
transaction that follows decides (a unique key per discom, day and language): a second worker
that rendered the same pack finds the row there and throws its copy away.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sampark.accounts.models import StaffUser
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.network.models import OrgLevel, OrgUnit
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue

from .models import ReviewPack
from .pack import PackContent, pack_content
from .pack_pdf import indian, pack_pdf_render
from .pack_xlsx import pack_xlsx_render

log = logging.getLogger(__name__)

LANGUAGES = ("hi", "en")
BAD_LANGUAGE = "Choose hi or en."
NOT_A_DISCOM = "Review packs are made per discom."


class Via:
    SCHEDULER = "scheduler"
    COMMAND = "command"


def pack_recipients(*, discom: OrgUnit) -> list[str]:
    """Active officers of the discom with a pack role (SAMPARK_REVIEW_PACK_ROLES) and an
    e-mail, then SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS; each address once."""
    officers = (
        StaffUser.objects.filter(
            is_active=True,
            role__in=settings.SAMPARK_REVIEW_PACK_ROLES,
            jurisdiction__path__startswith=discom.path,
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    seen: set[str] = set()
    addresses = []
    for address in [*officers, *settings.SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS]:
        address = address.strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def _file_name(content: PackContent, extension: str) -> str:
    day = content.day.isoformat()
    return f"review-pack-{content.discom_code}-{day}-{content.language}.{extension}"


def _files_delete(pack: ReviewPack) -> None:
    for field in (pack.pdf, pack.xlsx):
        if field:
            field.delete(save=False)


def _mail_queue(*, pack: ReviewPack, content: PackContent, recipients: list[str]) -> list[str]:
    complaints = content.figures[0].figures
    received, resolved = complaints[0].day, complaints[1].day
    pending, overdue = content.position[0].day, content.position[1].day
    url = settings.SAMPARK_PUBLIC_URL.rstrip("/") + reverse("review_packs:list")
    subject = (
        f"{settings.SAMPARK_SENDER_NAME}: {content.discom_code} "
        f"{content.title.first(content.language).split(': ', 1)[-1]}"
    )
    variables = {
        "discom_hi": content.discom.hi,
        "discom_en": content.discom.en,
        "day": f"{content.day:%d/%m/%Y}",
        "received": indian(int(received or 0)),
        "resolved": indian(int(resolved or 0)),
        "pending": indian(int(pending or 0)),
        "overdue": indian(int(overdue or 0)),
        "url": url,
        "subject": subject,
        "attachments": "\n".join([pack.pdf.path, pack.xlsx.path]),
    }
    queued = []
    for address in recipients:
        row = notification_enqueue(
            topic=f"review_pack:{pack.pk}",
            event=f"issued:{pack.generated_at:%Y%m%d%H%M%S}",
            channel=NotificationChannel.EMAIL,
            recipient=address,
            template_key="review_pack",
            language=content.language,
            variables=variables,
        )
        if row is not None:
            queued.append(address)
    return queued


def review_pack_generate(
    *,
    discom: OrgUnit,
    day: date,
    via: str,
    language: str | None = None,
    email: bool = False,
    replace: bool = False,
) -> ReviewPack | None:
    """Make, archive (and with `email` mail) the pack of `discom` for the local `day`.

    Returns the pack, with `error` set when it could not be made; None when a good pack exists
    and `replace` is not asked, or another worker made it meanwhile.
    """
    language = language or settings.SAMPARK_REVIEW_PACK_LANGUAGE
    if language not in LANGUAGES:
        raise ValidationFailed(fields={"language": BAD_LANGUAGE})
    if discom.level != OrgLevel.DISCOM:
        raise ValidationFailed(fields={"discom": NOT_A_DISCOM})
    key = {"discom": discom, "day": day, "language": language}
    existing = ReviewPack.objects.filter(**key).first()
    if existing and existing.pdf and not replace:
        return None
    try:
        content = pack_content(discom=discom, day=day, language=language)
        pdf, xlsx = pack_pdf_render(content), pack_xlsx_render(content)
    except Exception as error:  # a failed pack is recorded, and retried by the next run
        log.exception("review pack %s %s failed", discom.code, day)
        return _failure_record(key=key, via=via, error=f"{error.__class__.__name__}: {error}")
    pack = None
    try:
        with transaction.atomic():
            pack = ReviewPack.objects.select_for_update().filter(**key).first()
            if pack is not None and pack.pdf and not replace:
                return None  # made by another worker while we rendered
            if pack is None:
                pack = ReviewPack(**key)
            else:
                _files_delete(pack)
            pack.generated_at = content.generated_at
            pack.generated_via = via
            pack.error = ""
            pack.emailed_to = []
            pack.pdf, pack.xlsx = "", ""
            pack.save()  # the unique key first: a second worker stops here, before any file
            pack.pdf.save(_file_name(content, "pdf"), ContentFile(pdf), save=False)
            pack.xlsx.save(_file_name(content, "xlsx"), ContentFile(xlsx), save=False)
            pack.save(update_fields=["pdf", "xlsx"])
            if email:
                pack.emailed_to = _mail_queue(
                    pack=pack, content=content, recipients=pack_recipients(discom=discom)
                )
                pack.save(update_fields=["emailed_to"])
    except IntegrityError:
        # Another worker inserted the row between our look and our insert: ours goes.
        if pack is not None:
            _files_delete(pack)
        return None
    return pack


def _failure_record(*, key: dict[str, object], via: str, error: str) -> ReviewPack | None:
    try:
        with transaction.atomic():
            pack = ReviewPack.objects.select_for_update().filter(**key).first()
            if pack is not None and pack.pdf:
                return pack  # keep the last good pack; the error is in the log
            pack = pack or ReviewPack(**key)
            pack.generated_at = clock.now()
            pack.generated_via = via
            pack.error = error[:2000]
            pack.save()
            return pack
    except IntegrityError:
        return None


def review_packs_generate_due(*, at: datetime | None = None) -> int:
    """The scheduler's hourly run: from the pack hour on, yesterday's pack of every discom that
    has no good one yet, mailed. Returns how many were made."""
    now = at or clock.now()
    local = timezone.localtime(now)
    if local.hour < settings.SAMPARK_REVIEW_PACK_HOUR:
        return 0
    day = local.date() - timedelta(days=1)
    language = settings.SAMPARK_REVIEW_PACK_LANGUAGE
    done = set(
        ReviewPack.objects.filter(day=day, language=language)
        .exclude(pdf="")
        .values_list("discom_id", flat=True)
    )
    made = 0
    for discom in OrgUnit.objects.filter(level=OrgLevel.DISCOM).order_by("path"):
        if discom.pk in done:
            continue
        pack = review_pack_generate(discom=discom, day=day, via=Via.SCHEDULER, email=True)
        if pack is not None and not pack.error:
            made += 1
    return made
