"""`sampark scheduler`: the single process that enqueues periodic jobs."""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks.base import Task

from sampark.ops.schedule import JOBS

log = logging.getLogger("sampark.scheduler")


def _enqueue(task: Task) -> None:
    close_old_connections()
    result = task.enqueue()
    log.info("enqueued %s as %s", task.name, result.id)


class Command(BaseCommand):
    help = "Run the periodic-job scheduler in the foreground (enqueues django.tasks tasks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue every job once and exit")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        if once:
            for job in JOBS:
                _enqueue(job.task)
            return
        scheduler = BlockingScheduler(timezone="Asia/Kolkata")
        for job in JOBS:
            scheduler.add_job(
                _enqueue,
                "interval",
                seconds=job.seconds,
                args=[job.task],
                id=job.task.name,
                coalesce=True,
                max_instances=1,
            )
        self.stdout.write(f"scheduler: {len(JOBS)} periodic jobs")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
