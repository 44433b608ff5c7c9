"""The scheduler's job for the daily review pack (enqueued hourly through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .pack_services import review_packs_generate_due


@task()
def review_packs_dispatch() -> int:
    """Yesterday's pack of each discom, once the pack hour has come (once a day each)."""
    return review_packs_generate_due()
