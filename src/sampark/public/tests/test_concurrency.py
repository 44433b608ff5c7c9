"""Several workers at once (PostgreSQL: real parallel writers; SQLite serializes writers, so the
race cannot happen there): every event is told once, every digest sent once, one membership."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from sampark.accounts.models import Role
from sampark.notifications.models import Notification
from sampark.outages.models import OutageEventKind
from sampark.public.bulletins import stakeholder_bulletins_send
from sampark.public.digests import stakeholder_digests_send
from sampark.public.keywords import stakeholder_keyword_handle
from sampark.public.models import Bulletin, BulletinDelivery, DigestRun, StakeholderMember
from sampark.testing.concurrency import race
from sampark.testing.factories import StaffFactory, small_network_build

from .conftest import event_add, member_add, outage_make

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8


def _scene():
    net = small_network_build()
    StaffFactory(username="je-c", role=Role.JE, jurisdiction=net.sd1, phone="9839100001")
    for i in range(20):
        member_add(net.zone, f"+9198391200{i:02d}", language="hi" if i % 2 else "en")
    member_add(net.zone, "+919839129999", delivery="digest")
    outage = outage_make(subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1])
    events = [
        event_add(outage, OutageEventKind.DECLARED),
        event_add(outage, OutageEventKind.ETR_REVISED),
        event_add(outage, OutageEventKind.RESTORED),
    ]
    return net, events


def test_workers_racing_on_the_feed_send_each_bulletin_once():
    _net, events = _scene()

    results = race(lambda: stakeholder_bulletins_send(batch_size=2), threads=THREADS)

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sum(results) == 3 * 21  # 20 immediate members + the JE, three events
    assert Bulletin.objects.count() == 3
    for event in events:
        rows = Notification.objects.filter(event=f"bulletin:{event.pk}")
        assert rows.count() == 21
        assert rows.values("recipient").distinct().count() == 21
    assert BulletinDelivery.objects.count() == 3 * 21


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0)
def test_workers_racing_on_the_digest_send_it_once():
    _scene()

    results = race(stakeholder_digests_send, threads=THREADS)

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sum(results) == 1
    assert DigestRun.objects.count() == 1
    assert Notification.objects.filter(template_key="bulletin_digest").count() == 1


def test_the_same_join_keyword_at_once_makes_one_membership():
    small_network_build()

    results = race(
        lambda: stakeholder_keyword_handle(mobile="9839133333", text="JOIN Z-LKO", channel="sms"),
        threads=THREADS,
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert StakeholderMember.objects.filter(mobile="+919839133333", active=True).count() == 1
