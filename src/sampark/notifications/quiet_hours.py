"""Quiet hours: non-urgent messages (planned-outage announcements, digests) wait for morning.

Outage and restoration notices are urgent and are never held back. The window is local time
(TIME_ZONE, India), `SAMPARK_QUIET_HOURS="21:00-07:00"` by default; it may wrap midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def end_if_quiet(self, at: datetime) -> datetime | None:
        """When the quiet window that `at` falls in ends; None outside the window."""
        local = timezone.localtime(at)
        now = local.time()
        day = local.date()
        if self.start <= self.end:
            inside = self.start <= now < self.end
        else:  # wraps midnight: 21:00-07:00
            inside = now >= self.start or now < self.end
            if now >= self.start:
                day += timedelta(days=1)
        if not inside:
            return None
        return timezone.make_aware(datetime.combine(day, self.end), local.tzinfo)


def quiet_hours_parse(text: str) -> QuietHours | None:
    if not text.strip():
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            f"SAMPARK_QUIET_HOURS={text!r}: write HH:MM-HH:MM, e.g. 21:00-07:00"
        ) from None
    return None if start == end else QuietHours(start=start, end=end)


def quiet_hours() -> QuietHours | None:
    return quiet_hours_parse(settings.SAMPARK_QUIET_HOURS)
