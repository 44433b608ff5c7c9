"""Prometheus metrics at /metrics.

Two kinds: request latencies observed in the web processes (webhooks, by channel), kept by
prometheus_client in multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set (`sampark serve`
sets it, so every gunicorn worker's observations are summed); and gauges read from the
database at scrape time (task queue, outbox, dispatch rate, periodic-job durations, worker
heartbeat), so they are right whichever process did the work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Sum
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from sampark.notifications.models import Notification, NotificationStatus, ProviderRateWindow

from .models import Heartbeat
from .schedule import JOBS

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Webhook latency as the provider sees it, minus the network: from the request reaching Django
# to the response leaving it. Buckets around the few-millisecond acknowledgements we aim for.
WEBHOOK_SECONDS = Histogram(
    "sampark_webhook_request_seconds",
    "Time to answer an inbound webhook, by channel",
    ["channel", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)

JOB_WINDOW = timedelta(minutes=15)


class DatabaseCollector(Collector):
    """Gauges computed at scrape time from the database (a few indexed queries)."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        yield from _task_queue(now)
        yield from _outbox()
        yield _dispatch_rate(now)
        yield from _jobs(now)
        yield _heartbeat(now)


def _task_queue(now) -> Iterator[Metric]:
    depth = GaugeMetricFamily(
        "sampark_task_queue_depth", "Background tasks waiting for a worker", labels=["queue"]
    )
    oldest = GaugeMetricFamily(
        "sampark_task_queue_oldest_seconds",
        "Age of the oldest task waiting for a worker",
        labels=["queue"],
    )
    rows = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(n=Count("id"), first=Min("enqueued_at"))
        .order_by()
    )
    for row in rows:
        depth.add_metric([row["queue_name"]], row["n"])
        oldest.add_metric([row["queue_name"]], (now - row["first"]).total_seconds())
    yield depth
    yield oldest


def _outbox() -> Iterator[Metric]:
    by_status = GaugeMetricFamily(
        "sampark_outbox_messages", "Outbox rows by status", labels=["status"]
    )
    counts = dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by())
    for status in NotificationStatus.values:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    queued = GaugeMetricFamily(
        "sampark_outbox_queued", "Messages waiting to be sent, by channel", labels=["channel"]
    )
    waiting = (
        Notification.objects.filter(status=NotificationStatus.QUEUED)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for channel, n in waiting:
        queued.add_metric([channel], n)
    yield queued


def _dispatch_rate(now) -> Metric:
    """Messages handed to each provider per second over the last minute, from the shared
    rate-limit windows every worker writes as it sends."""
    rate = GaugeMetricFamily(
        "sampark_dispatch_per_second",
        "Messages handed to providers per second, last 60 s",
        labels=["provider"],
    )
    since = int(now.timestamp()) - 60
    rows = (
        ProviderRateWindow.objects.filter(second__gte=since)
        .values_list("provider")
        .annotate(n=Sum("used"))
        .order_by()
    )
    for provider, n in rows:
        rate.add_metric([provider], (n or 0) / 60)
    return rate


def _jobs(now) -> Iterator[Metric]:
    """How long each periodic job (the sweeps, the dispatcher) took, from the task results."""
    longest = GaugeMetricFamily(
        "sampark_job_duration_seconds_max",
        "Longest run of each periodic job in the last 15 minutes",
        labels=["job"],
    )
    age = GaugeMetricFamily(
        "sampark_job_last_success_age_seconds",
        "Seconds since each periodic job last finished successfully",
        labels=["job"],
    )
    paths = {job.task.module_path: job.task.name for job in JOBS}
    took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    rows = (
        DBTaskResult.objects.filter(
            task_path__in=paths,
            status=TaskResultStatus.SUCCESSFUL,
            finished_at__gte=now - JOB_WINDOW,
        )
        .values("task_path")
        .annotate(longest=Max(took), last=Max("finished_at"))
        .order_by()
    )
    for row in rows:
        name = paths[row["task_path"]]
        longest.add_metric([name], row["longest"].total_seconds())
        age.add_metric([name], (now - row["last"]).total_seconds())
    yield longest
    yield age


def _heartbeat(now) -> Metric:
    gauge = GaugeMetricFamily(
        "sampark_worker_heartbeat_age_seconds", "Seconds since a worker last ran the heartbeat"
    )
    beat = Heartbeat.objects.filter(name="worker").values_list("at", flat=True).first()
    gauge.add_metric([], (now - beat).total_seconds() if beat else float("nan"))
    return gauge


def metrics_render() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(WEBHOOK_SECONDS)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
