"""`sampark press_bulletin`: issue the daily press bulletins now (the scheduler does it each
morning), for every discom or one, for today or another date; prints where each can be read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from sampark.public.outage_selectors import discom_named
from sampark.public.press import Via, discoms_all, press_bulletin_issue


class Command(BaseCommand):
    help = "Issue the daily press bulletin of each discom (or --discom CODE) for --date."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--discom", help="discom code, e.g. MVVNL (default: every discom)")
        parser.add_argument("--date", help="date of issue, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--replace", action="store_true", help="issue again over an existing bulletin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = self._day(options["date"])
        if options["discom"]:
            found = discom_named(code=options["discom"])
            if found is None:
                raise CommandError(f"no discom with code {options['discom']!r}")
            discoms = [found]
        else:
            discoms = discoms_all()
        base = settings.SAMPARK_PUBLIC_URL.rstrip("/")
        for discom in discoms:
            issued = press_bulletin_issue(
                discom=discom, day=day, via=Via.COMMAND, replace=options["replace"]
            )
            url = base + reverse("public_outages:press_detail", args=[discom.code, day.isoformat()])
            state = "issued" if issued else "exists (use --replace to issue again)"
            self.stdout.write(f"{discom.code} {day.isoformat()}: {state}  {url}\n")

    def _day(self, text: str | None) -> date:
        if not text:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from None
