"""The real queue: the scheduler enqueues into django-tasks-db, the worker runs the job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from sampark.complaints.models import Complaint, EventKind
from sampark.complaints.services import complaint_register
from sampark.core import clock
from sampark.ops.schedule import JOBS

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_BACKEND)
def test_scheduler_enqueues_and_worker_runs_the_sla_sweep(net, staff):
    c = complaint_register(consumer=net.consumer1, category="no_supply", channel="web").complaint
    Complaint.objects.filter(pk=c.pk).update(due_at=clock.now() - timedelta(minutes=5))

    call_command("scheduler", "--once")
    assert DBTaskResult.objects.count() == len(JOBS)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload", "--no-startup-delay")

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    c.refresh_from_db()
    assert c.sla_breached_at is not None
    assert c.events.filter(kind=EventKind.SLA_BREACHED).count() == 1
