"""`sampark review_pack --discom CODE [--day YYYY-MM-DD] [--email] [--language hi|en]
[--replace]`: make a discom's daily review pack now (the scheduler does it each morning);
prints where the files are."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from sampark.core.errors import SamparkError
from sampark.network.models import OrgLevel, OrgUnit
from sampark.review.pack_services import LANGUAGES, Via, review_pack_generate


class Command(BaseCommand):
    help = "Make the daily review pack (PDF + XLSX) of a discom for a day (default: yesterday)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--discom", required=True, help="discom code, e.g. MVVNL")
        parser.add_argument("--day", help="the day reviewed, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--email", action="store_true", help="mail it to the recipients")
        parser.add_argument("--language", choices=LANGUAGES, help="language first on each page")
        parser.add_argument("--replace", action="store_true", help="make it again if it exists")

    def handle(self, *args: Any, **options: Any) -> None:
        discom = OrgUnit.objects.filter(level=OrgLevel.DISCOM, code=options["discom"]).first()
        if discom is None:
            raise CommandError(f"no discom with code {options['discom']!r}")
        day = self._day(options["day"])
        try:
            pack = review_pack_generate(
                discom=discom,
                day=day,
                via=Via.COMMAND,
                language=options["language"],
                email=options["email"],
                replace=options["replace"],
            )
        except SamparkError as error:
            raise CommandError(error.text()) from None
        if pack is None:
            self.stdout.write(f"{discom.code} {day}: exists (use --replace to make it again)\n")
            return
        if pack.error:
            raise CommandError(f"{discom.code} {day}: not made: {pack.error}")
        url = settings.SAMPARK_PUBLIC_URL.rstrip("/") + reverse("review_packs:list")
        for field in (pack.pdf, pack.xlsx):
            self.stdout.write(f"{discom.code} {day}: {field.path}\n")
        if pack.emailed_to:
            self.stdout.write(f"mail queued for {', '.join(pack.emailed_to)}\n")
        elif options["email"]:
            self.stdout.write("no recipients (officers with an e-mail, or extra addresses)\n")
        self.stdout.write(f"online: {url}\n")

    def _day(self, text: str | None) -> date:
        if not text:
            return timezone.localdate() - timedelta(days=1)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--day must be YYYY-MM-DD, not {text!r}") from None
