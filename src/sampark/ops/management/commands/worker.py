"""`sampark worker`: the background task worker (django-tasks-db), all queues."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a django.tasks database worker over every queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args: Any, batch: bool = False, **options: Any) -> None:
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--queue-name", "*", "--no-reload", *extra)
