"""Liveness records of the background processes."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a background process proved it was alive (one row per process kind).

    The scheduler enqueues `worker_heartbeat` every few seconds and a worker runs it, so a
    fresh "worker" row means both the scheduler and at least one worker are running.
    """

    name = models.CharField(max_length=32, primary_key=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
