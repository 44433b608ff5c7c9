"""One place that reads the time, so tests and replays can pin it."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_today() -> date:
    return timezone.localdate(now())
