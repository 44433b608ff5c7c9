"""Two workers making the same pack at once store and mail it once, and leave no stray files
(PostgreSQL: real parallel writers; SQLite serializes writers, so the race cannot happen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from sampark.accounts.models import Role
from sampark.network.models import OrgUnit
from sampark.notifications.models import Notification
from sampark.review.models import ReviewPack
from sampark.review.pack_services import Via, review_pack_generate
from sampark.testing.concurrency import race
from sampark.testing.factories import StaffFactory, small_network_build

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 3


def test_same_pack_at_once_is_stored_and_mailed_once(settings, tmp_path: Path):
    settings.SAMPARK_REVIEW_PACK_ROOT = str(tmp_path)
    settings.SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS = []
    net = small_network_build()
    StaffFactory(username="md", role=Role.MD, jurisdiction=net.mvvnl, email="md@mvvnl.example")

    def make():
        discom = OrgUnit.objects.get(code="MVVNL")
        return review_pack_generate(
            discom=discom, day=date(2026, 3, 10), via=Via.SCHEDULER, email=True
        )

    results = race(make, threads=THREADS)

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    made = [r for r in results if r is not None]
    assert len(made) == 1 and made[0].error == ""
    assert ReviewPack.objects.count() == 1
    assert Notification.objects.filter(template_key="review_pack").count() == 1
    folder = tmp_path / "MVVNL" / "2026-03-10"
    assert sorted(p.name for p in folder.iterdir()) == [
        "review-pack-MVVNL-2026-03-10-hi.pdf",
        "review-pack-MVVNL-2026-03-10-hi.xlsx",
    ]
