"""The scheduler's jobs for the review rollups (enqueued through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .outage_records import outage_records_refresh, served_consumers_refresh
from .rollup import rollup_refresh


@task()
def review_rollup_refresh() -> int:
    """Fold the new complaint audit events into the rollups; returns the watermark."""
    return rollup_refresh().events_to


@task()
def review_outages_refresh() -> int:
    """Outage figures (consumers, consumer-hours, ETRs, notices); daily consumer counts."""
    served_consumers_refresh()
    return outage_records_refresh()
