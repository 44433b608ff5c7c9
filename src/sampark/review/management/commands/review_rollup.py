"""`sampark review_rollup`: fold the audit trail into the review rollups now (the scheduler does
it every minute); --rebuild empties them first and folds the whole history again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sampark.review.models import (
    ChannelDay,
    ComplaintDay,
    ComplaintHour,
    OfficerDay,
    ResolutionDay,
    Watermark,
)
from sampark.review.outage_records import outage_records_refresh, served_consumers_refresh
from sampark.review.rollup import WATERMARK, rollup_refresh


class Command(BaseCommand):
    help = "Fold complaint audit events into the review rollups (and refresh outage figures)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="start again from nothing")
        parser.add_argument("--batch", type=int, default=500_000, help="events per transaction")

    def handle(self, *args: Any, rebuild: bool, batch: int, **options: Any) -> None:
        if rebuild:
            with transaction.atomic():
                Watermark.objects.filter(name=WATERMARK).update(last_id=0)
                for model in (ComplaintHour, ComplaintDay, ChannelDay, OfficerDay, ResolutionDay):
                    model.objects.all().delete()
        done = rollup_refresh(batch=batch)
        served = served_consumers_refresh(force=rebuild)
        outages = outage_records_refresh()
        self.stdout.write(
            f"rollups at event {done.events_to} ({done.hour_rows} hour rows changed); "
            f"{outages} outages, {served} sub-divisions counted"
        )
