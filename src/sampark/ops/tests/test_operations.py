"""/metrics, /healthz and structured logs: the operator's view of a running Sampark."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from sampark.notifications.models import Notification, ProviderRateWindow
from sampark.ops.health import heartbeat_record
from sampark.ops.logs import JsonFormatter
from sampark.ops.models import Heartbeat
from sampark.ops.schedule import JOBS

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def samples(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def outbox_row(*, status: str, channel: str = "sms") -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        topic="test:1", event=f"e{Notification.objects.count()}", channel=channel,
        recipient="+919839012345", template_key="t", text="नमस्ते", status=status,
        next_attempt_at=now, created_at=now,
    )  # fmt: skip


# -- /healthz ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_fails_until_a_worker_has_beaten(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "ok",
        "worker": "failing",
        "worker_heartbeat_age_seconds": None,
    }

    heartbeat_record(name="worker")

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@override_settings(SAMPARK_HEALTH_WORKER_MAX_AGE=60)
def test_health_fails_when_the_heartbeat_is_stale(client):
    Heartbeat.objects.create(name="worker", at=timezone.now() - timedelta(seconds=90))

    body = client.get("/healthz").json()

    assert body["worker"] == "failing"
    assert 89 <= body["worker_heartbeat_age_seconds"] <= 120


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_BACKEND)
def test_the_scheduler_and_a_worker_keep_health_green(client):
    call_command("scheduler", "--once")
    assert client.get("/healthz").status_code == 503  # enqueued, not yet run

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload", "--no-startup-delay")

    assert client.get("/healthz").status_code == 200
    found = samples(client)
    # Every periodic job ran once; the sweeps' durations are now on /metrics.
    jobs = {
        dict(labels)["job"] for name, labels in found if name == "sampark_job_duration_seconds_max"
    }
    assert jobs == {job.task.name for job in JOBS}
    assert found[("sampark_worker_heartbeat_age_seconds", ())] < 60


# -- /metrics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_count_the_outbox_and_the_dispatch_rate(client):
    for status in ("queued", "queued", "sent", "failed"):
        outbox_row(status=status)
    outbox_row(status="queued", channel="whatsapp")
    second = int(timezone.now().timestamp())
    ProviderRateWindow.objects.create(provider="sms_http", second=second - 5, used=90)
    ProviderRateWindow.objects.create(provider="sms_http", second=second - 2, used=30)
    ProviderRateWindow.objects.create(provider="sms_http", second=second - 300, used=999)

    found = samples(client)

    assert found[("sampark_outbox_messages", (("status", "queued"),))] == 3
    assert found[("sampark_outbox_messages", (("status", "sent"),))] == 1
    assert found[("sampark_outbox_messages", (("status", "delivered"),))] == 0
    assert found[("sampark_outbox_queued", (("channel", "sms"),))] == 2
    assert found[("sampark_outbox_queued", (("channel", "whatsapp"),))] == 1
    assert found[("sampark_dispatch_per_second", (("provider", "sms_http"),))] == 2.0


@pytest.mark.django_db
@override_settings(TASKS=DB_BACKEND)
def test_metrics_show_the_task_queue_depth(client):
    from sampark.ops.tasks import worker_heartbeat

    worker_heartbeat.enqueue()
    worker_heartbeat.enqueue()

    found = samples(client)

    assert found[("sampark_task_queue_depth", (("queue", "default"),))] == 2
    assert found[("sampark_task_queue_oldest_seconds", (("queue", "default"),))] >= 0
    assert DBTaskResult.objects.count() == 2  # scraping changed nothing


@pytest.mark.django_db
def test_webhook_latency_is_observed_per_channel(client):
    key = ("sampark_webhook_request_seconds_count", (("channel", "telegram"), ("status", "403")))
    before = samples(client).get(key, 0)

    client.post("/webhooks/telegram/", data="{}", content_type="application/json")

    assert samples(client)[key] == before + 1


@pytest.mark.django_db
def test_metrics_are_not_public(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
@override_settings(SAMPARK_METRICS_TOKEN="scrape-secret")
def test_metrics_with_a_token_need_the_token(client):
    assert client.get("/metrics").status_code == 403  # even from loopback
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret", REMOTE_ADDR="10.1.2.3")
    assert ok.status_code == 200


# -- logs -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_request_gets_an_id_and_a_structured_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="sampark.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123")

    assert response["X-Request-ID"] == "abc123"
    (record,) = [r for r in caplog.records if r.name == "sampark.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 503
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_json_lines_keep_devanagari_readable():
    record = logging.makeLogRecord({"msg": "शिकायत %s", "args": ("MV-1",), "levelname": "INFO"})
    assert json.loads(JsonFormatter().format(record))["message"] == "शिकायत MV-1"
    assert "शिकायत" in JsonFormatter().format(record)


@pytest.mark.django_db
def test_secrets_in_webhook_urls_stay_out_of_the_logs(client, caplog):
    with caplog.at_level(logging.INFO, logger="sampark.request"):
        client.post("/webhooks/sms/the-shared-secret/dlr", data={})

    (record,) = [r for r in caplog.records if r.name == "sampark.request"]
    assert "the-shared-secret" not in JsonFormatter().format(record)
    assert record.path.startswith("/webhooks/sms/")
