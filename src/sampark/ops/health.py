"""The health check: is the database answering, and is a worker taking tasks?"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={"at": timezone.now(), "detail": f"{socket.gethostname()} pid {os.getpid()}"},
    )


@dataclass(frozen=True)
class Health:
    database: bool
    worker_age: timedelta | None  # None: no worker has ever run a heartbeat

    @property
    def worker(self) -> bool:
        limit = timedelta(seconds=settings.SAMPARK_HEALTH_WORKER_MAX_AGE)
        return self.worker_age is not None and self.worker_age <= limit

    @property
    def ok(self) -> bool:
        return self.database and self.worker

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "failing",
            "database": "ok" if self.database else "failing",
            "worker": "ok" if self.worker else "failing",
            "worker_heartbeat_age_seconds": (
                None if self.worker_age is None else round(self.worker_age.total_seconds(), 1)
            ),
        }


def health_check() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        beat = Heartbeat.objects.filter(name="worker").values_list("at", flat=True).first()
    except DatabaseError:
        return Health(database=False, worker_age=None)
    return Health(database=True, worker_age=None if beat is None else timezone.now() - beat)
