"""The daily digest: digest members get one summary of the zone's day instead of each bulletin,
once a day from the digest hour; bulletins held over the hourly cap are folded into it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.models import Outage, OutageEventKind, OutageStatus
from sampark.public.models import BulletinDelivery, DigestRun
from sampark.public.tasks import stakeholder_bulletins_dispatch, stakeholder_digests_dispatch

from .conftest import event_add, member_add, outage_make

pytestmark = pytest.mark.django_db

DIGEST_HI = "+919839066611"
DIGEST_EN = "+919839066612"
INSTANT = "+919839066613"


@pytest.fixture
def readers(net):
    return {
        "hi": member_add(net.zone, DIGEST_HI, delivery="digest", language="hi"),
        "en": member_add(net.zone, DIGEST_EN, delivery="digest", language="en", channel="whatsapp"),
        "instant": member_add(net.zone, INSTANT),
    }


@pytest.fixture
def zone_day(net):
    """Two outages today: one restored after 3 h 20 min, one still off for 40 min."""
    done = outage_make(
        subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1], started=timedelta(hours=4)
    )
    event_add(done, OutageEventKind.DECLARED)
    Outage.objects.filter(pk=done.pk).update(
        status=OutageStatus.RESTORED, restored_at=done.starts_at + timedelta(hours=3, minutes=20)
    )
    event_add(done, OutageEventKind.RESTORED)
    still = outage_make(
        subdivision=net.sd2,
        zone=net.zone,
        feeders=[net.feeder2_rural],
        started=timedelta(minutes=40),
    )
    event_add(still, OutageEventKind.DECLARED)
    return done, still


def _digests() -> dict[str, Notification]:
    return {n.recipient: n for n in Notification.objects.filter(template_key="bulletin_digest")}


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0)
def test_digest_members_get_one_summary_and_no_bulletins(net, readers, zone_day):
    stakeholder_bulletins_dispatch.enqueue()
    bulletins = Notification.objects.filter(template_key="bulletin_outage")
    assert set(bulletins.values_list("recipient", flat=True)) == {INSTANT}

    assert stakeholder_digests_dispatch.enqueue().return_value == 2

    sent = _digests()
    assert set(sent) == {DIGEST_HI, DIGEST_EN}
    english = sent[DIGEST_EN]
    assert english.channel == "whatsapp" and english.urgent is False
    assert english.topic == "zone:Z-LKO" and english.event.startswith("digest:")
    assert english.text.startswith("[UPPCL 1912 daily digest] LUCKNOW CENTRAL: ")
    assert "2 outages, 1 restored, 1 still off." in english.text
    assert "Longest: 3 h 20 min" in english.text
    hindi = sent[DIGEST_HI]
    assert hindi.language == "hi" and hindi.channel == "sms"
    assert "दैनिक सार" in hindi.text and "2 कटौती, 1 बहाल, 1 अब भी बंद" in hindi.text
    assert "3 घंटे 20 मिनट" in hindi.text

    run = DigestRun.objects.get()
    assert run.recipients == 2 and run.summary_en in english.text


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0)
def test_one_digest_a_day_however_often_the_task_runs(net, readers, zone_day):
    stakeholder_digests_dispatch.enqueue()
    assert stakeholder_digests_dispatch.enqueue().return_value == 0
    assert len(_digests()) == 2 and DigestRun.objects.count() == 1


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=24)
def test_nothing_before_the_digest_hour(net, readers, zone_day):
    assert stakeholder_digests_dispatch.enqueue().return_value == 0
    assert not _digests() and not DigestRun.objects.exists()


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0)
def test_a_quiet_day_sends_no_digest(net, readers):
    assert stakeholder_digests_dispatch.enqueue().return_value == 0
    assert not _digests()
    assert DigestRun.objects.get().recipients == 0  # looked once, not again every few minutes


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0, SAMPARK_STAKEHOLDER_HOURLY_CAP=1)
def test_bulletins_over_the_cap_are_folded_into_the_digest(net, readers, lko_outage):
    event_add(lko_outage, OutageEventKind.DECLARED)
    event_add(lko_outage, OutageEventKind.ETR_REVISED)
    stakeholder_bulletins_dispatch.enqueue()
    held = BulletinDelivery.objects.get(held=True)
    assert held.recipient == INSTANT

    stakeholder_digests_dispatch.enqueue()

    assert set(_digests()) == {DIGEST_HI, DIGEST_EN, INSTANT}
    held.refresh_from_db()
    assert held.digested_at is not None


@override_settings(SAMPARK_STAKEHOLDER_DIGEST_HOUR=0)
def test_next_digest_covers_only_what_came_after(net, readers, zone_day):
    stakeholder_digests_dispatch.enqueue()
    first = DigestRun.objects.get()
    DigestRun.objects.filter(pk=first.pk).update(day=first.day - timedelta(days=1))
    stakeholder_digests_dispatch.enqueue()  # "tomorrow": nothing new declared or restored
    second = DigestRun.objects.latest("id")
    assert second.window_start == first.window_end
    assert "0 outages, 0 restored, 1 still off." in second.summary_en
    assert clock.now() >= second.window_end
