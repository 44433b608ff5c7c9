"""Bulletins: one per recipient per event, in their language over their channel, to the
members who want them now and the zone's JE/SDO/XEN; exactly once however often the task runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from sampark.core import clock
from sampark.network.models import OrgUnit
from sampark.notifications.models import Notification
from sampark.outages.models import OutageEventKind
from sampark.public.bulletins import READER, time_text
from sampark.public.feed import feed_advance, feed_read, watermark_claim
from sampark.public.models import Bulletin, BulletinDelivery, FeedWatermark
from sampark.public.tasks import stakeholder_bulletins_dispatch

from .conftest import LKO_STAFF_MOBILES, event_add, member_add, outage_make

pytestmark = pytest.mark.django_db

HINDI_SMS = "+919839066601"
ENGLISH_WHATSAPP = "+919839066602"
DIGEST_READER = "+919839066603"


@pytest.fixture
def lko_members(net):
    return {
        "hi": member_add(net.zone, HINDI_SMS, language="hi", channel="sms"),
        "en": member_add(
            net.zone, ENGLISH_WHATSAPP, language="en", channel="whatsapp", role="journalist"
        ),
        "digest": member_add(net.zone, DIGEST_READER, delivery="digest"),
    }


def _dispatch() -> int | None:
    return stakeholder_bulletins_dispatch.enqueue().return_value


def _bulletins(event) -> dict[str, Notification]:
    rows = Notification.objects.filter(event=f"bulletin:{event.pk}")
    return {row.recipient: row for row in rows}


def test_one_bulletin_per_member_and_automatic_staff_in_their_language(
    net, lko_staff, lko_members, lko_outage
):
    event = event_add(lko_outage, OutageEventKind.DECLARED)

    assert _dispatch() == 5

    sent = _bulletins(event)
    assert set(sent) == {HINDI_SMS, ENGLISH_WHATSAPP, *LKO_STAFF_MOBILES}
    assert DIGEST_READER not in sent  # gets the digest instead
    assert "+919839100009" not in sent  # Meerut's JE: another zone
    for row in sent.values():
        assert row.topic == f"outage:{lko_outage.pk}" and row.template_key == "bulletin_outage"
        assert row.consumer_id is None and row.status == "queued" and row.urgent

    hindi = sent[HINDI_SMS]
    assert (hindi.channel, hindi.language) == ("sms", "hi")
    assert hindi.text.startswith("[UPPCL 1912 बुलेटिन] बिजली आपूर्ति बाधित: ")
    assert "फीडर" in hindi.text and "ट्रांसफार्मर फुंक गया" in hindi.text
    english = sent[ENGLISH_WHATSAPP]
    assert (english.channel, english.language) == ("whatsapp", "en")
    assert english.text.startswith("[UPPCL 1912 bulletin] Power supply off: ")
    assert "feeder (Aminabad I)" in english.text and "Transformer burnt" in english.text
    # Staff: Hindi over SMS unless configured otherwise.
    for mobile in LKO_STAFF_MOBILES:
        assert (sent[mobile].channel, sent[mobile].language) == ("sms", "hi")

    bulletin = Bulletin.objects.get()
    assert bulletin.group.zone == net.zone and bulletin.event == event
    assert (bulletin.recipients, bulletin.held) == (5, 0)
    assert bulletin.text_hi == hindi.text and bulletin.text_en == english.text


def test_running_again_sends_nothing_more(net, lko_staff, lko_members, lko_outage):
    event_add(lko_outage, OutageEventKind.DECLARED)
    _dispatch()
    before = Notification.objects.count()

    assert _dispatch() == 0
    assert _dispatch() == 0
    assert Notification.objects.count() == before
    assert Bulletin.objects.count() == 1


def test_a_second_event_gets_its_own_bulletin(net, lko_staff, lko_members, lko_outage):
    event_add(lko_outage, OutageEventKind.DECLARED)
    _dispatch()
    later = lko_outage.etr + timedelta(hours=1)
    revised = event_add(lko_outage, OutageEventKind.ETR_REVISED, etr=later)
    restored = event_add(lko_outage, OutageEventKind.RESTORED)

    assert _dispatch() == 10
    assert "Restoration time revised" in _bulletins(revised)[ENGLISH_WHATSAPP].text
    assert time_text(later) in _bulletins(revised)[ENGLISH_WHATSAPP].text
    assert "Restored at" in _bulletins(restored)[ENGLISH_WHATSAPP].text
    assert "Reason" not in _bulletins(restored)[ENGLISH_WHATSAPP].text
    assert "बहाल" in _bulletins(restored)[HINDI_SMS].text


def test_events_that_are_not_bulletins_are_passed_over(net, lko_staff, lko_members, lko_outage):
    event_add(lko_outage, OutageEventKind.REMINDED)
    last = event_add(lko_outage, OutageEventKind.OVERDUE)
    assert _dispatch() == 0
    assert not Notification.objects.exists() and not Bulletin.objects.exists()
    assert FeedWatermark.objects.get(reader=READER).last_event_id == last.pk


def test_each_zone_hears_only_its_own_outages(net, lko_staff, lko_members):
    meerut = OrgUnit.objects.get(code="Z-MRT")
    outage = outage_make(subdivision=net.sd_p, zone=meerut, feeders=[net.feeder_p])
    event = event_add(outage, OutageEventKind.DECLARED)
    _dispatch()
    assert set(_bulletins(event)) == {"+919839100009"}  # Meerut's JE only
    assert Bulletin.objects.get().group.zone == meerut


def test_staff_who_also_subscribed_get_one_message_their_way(net, lko_staff, lko_outage):
    member_add(net.zone, "+919839100001", language="en", channel="whatsapp")  # je1's phone
    event = event_add(lko_outage, OutageEventKind.DECLARED)
    _dispatch()
    rows = Notification.objects.filter(event=f"bulletin:{event.pk}", recipient="+919839100001")
    assert [(r.channel, r.language) for r in rows] == [("whatsapp", "en")]


def test_members_who_left_or_inactive_staff_get_nothing(net, lko_staff, lko_members, client):
    from sampark.public.members import stakeholder_member_leave

    stakeholder_member_leave(member=lko_members["hi"], via="admin")
    lko_staff["xen"].is_active = False
    lko_staff["xen"].save(update_fields=["is_active"])
    outage = outage_make(subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1])
    event = event_add(outage, OutageEventKind.DECLARED)
    _dispatch()
    assert set(_bulletins(event)) == {ENGLISH_WHATSAPP, "+919839100001", "+919839100002"}


def test_partial_restoration_names_only_the_restored_part(net, lko_staff):
    feeders = [net.feeder1, net.feeder2_rural]
    outage = outage_make(subdivision=net.sd1, zone=net.zone, feeders=feeders)
    back = outage.scope.get(feeder=net.feeder2_rural)
    event = event_add(outage, OutageEventKind.PARTLY_RESTORED, scope_ids=[back.pk])
    _dispatch()
    text = Bulletin.objects.get(event=event).text_en
    assert "Supply partly restored" in text
    assert net.feeder2_rural.name_en in text and net.feeder1.name_en not in text


def test_planned_announcement_gives_start_and_end(net, lko_staff):
    outage = outage_make(
        subdivision=net.sd1,
        zone=net.zone,
        feeders=[net.feeder1],
        kind="planned",
        status="scheduled",
        started=-timedelta(days=1),
        etr_in=timedelta(days=1, hours=4),
    )
    event = event_add(outage, OutageEventKind.ANNOUNCED)
    _dispatch()
    text = Bulletin.objects.get(event=event).text_en
    assert text.startswith("[UPPCL 1912 bulletin] Planned power cut announced")
    assert "off from" in text


def test_old_events_get_no_bulletin(net, lko_staff, lko_outage):
    event_add(lko_outage, OutageEventKind.DECLARED, at=clock.now() - timedelta(hours=5))
    assert _dispatch() == 0
    assert not Bulletin.objects.exists()


@override_settings(SAMPARK_STAKEHOLDER_HOURLY_CAP=2)
def test_over_the_hourly_cap_is_held_for_the_digest(net, lko_staff, lko_members, lko_outage):
    events = [event_add(lko_outage, OutageEventKind.ETR_REVISED) for _ in range(3)]
    _dispatch()
    assert HINDI_SMS in _bulletins(events[1])
    assert HINDI_SMS not in _bulletins(events[2])
    held = BulletinDelivery.objects.filter(held=True)
    assert {d.recipient for d in held} == {HINDI_SMS, ENGLISH_WHATSAPP, *LKO_STAFF_MOBILES}
    assert Bulletin.objects.get(event=events[2]).held == 5
    # An hour later the cap has room again.
    BulletinDelivery.objects.update(created_at=clock.now() - timedelta(minutes=61))
    later = event_add(lko_outage, OutageEventKind.RESTORED)
    _dispatch()
    assert HINDI_SMS in _bulletins(later)


def test_the_zone_page_lists_todays_bulletins(client, net, lko_staff, lko_outage):
    event_add(lko_outage, OutageEventKind.DECLARED)
    event_add(lko_outage, OutageEventKind.RESTORED)
    _dispatch()
    page = client.get(reverse("public:zone_bulletins", args=["Z-LKO"])).content.decode()
    assert "बिजली आपूर्ति बाधित" in page and "बिजली आपूर्ति बहाल" in page
    page = client.get(
        reverse("public:zone_bulletins", args=["Z-LKO"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Power supply off" in page and "Power supply restored" in page
    meerut = client.get(reverse("public:zone_bulletins", args=["Z-MRT"])).content.decode()
    assert "Power supply" not in meerut and "बिजली आपूर्ति" not in meerut
    assert client.get(reverse("public:zone_bulletins", args=["Z-NONE"])).status_code == 404


# The feed watermark -----------------------------------------------------------------------


def test_an_event_committed_late_below_the_watermark_is_still_told(net, lko_staff, lko_outage):
    """On PostgreSQL a lower id can commit after a higher one: the skipped id is a gap."""
    from django.db import transaction

    first = event_add(lko_outage, OutageEventKind.DECLARED)
    second = event_add(lko_outage, OutageEventKind.ETR_REVISED)
    with transaction.atomic():  # a run that saw only the second (the first not yet committed)
        watermark = watermark_claim(reader=READER)
        watermark.last_event_id = first.pk - 1
        feed_advance(watermark=watermark, events=[second], now=clock.now())
    watermark.refresh_from_db()
    assert watermark.last_event_id == second.pk and str(first.pk) in watermark.gaps

    _dispatch()  # the first is now visible and is told; the second was "done" above

    assert Bulletin.objects.filter(event=first).exists()
    assert not Bulletin.objects.filter(event=second).exists()
    watermark.refresh_from_db()
    assert watermark.gaps == {}
    with transaction.atomic():
        assert feed_read(watermark=watermark_claim(reader=READER), limit=10) == []


def test_gaps_are_forgotten_after_a_while(net, lko_outage):
    from django.db import transaction

    from sampark.public.feed import GAP_SECONDS

    with transaction.atomic():
        watermark = watermark_claim(reader="test")
        watermark.gaps = {"999999": (clock.now() - timedelta(seconds=GAP_SECONDS + 1)).isoformat()}
        feed_advance(watermark=watermark, events=[], now=clock.now())
    assert FeedWatermark.objects.get(reader="test").gaps == {}


def test_cancelled_planned_work_bulletin_names_the_start_and_no_reason(
    net, lko_staff, lko_members, lko_outage
):
    cancelled = event_add(lko_outage, OutageEventKind.CANCELLED)

    _dispatch()

    english = _bulletins(cancelled)[ENGLISH_WHATSAPP].text
    assert "no power cut at" in english and time_text(lko_outage.starts_at) in english
    assert "Reason" not in english
    assert "कटौती नहीं होगी" in _bulletins(cancelled)[HINDI_SMS].text
