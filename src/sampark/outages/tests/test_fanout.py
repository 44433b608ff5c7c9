"""Fan-out: one set-based insert per event over the affected consumers; idempotent; overlap,
partial restoration, expiry, reporters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sampark.core import clock
from sampark.notifications.models import Notification, NotificationStatus
from sampark.outages.fanout import outage_event_fan_out
from sampark.outages.models import OutageEvent
from sampark.outages.selectors import (
    consumers_affected_count,
    outages_active_for_consumer,
)
from sampark.outages.services import (
    outage_cancel,
    outage_etr_revise,
    outage_report_add,
    outage_restore,
)
from sampark.outages.tasks import outage_event_fanout

from .conftest import sent_to

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
SS_AMN_REACHABLE = {  # mobile and consent, on SS-AMN
    "+919839012345": "sms",  # consumer1
    "+919839000001": "whatsapp",  # wa_en
    "+919839000003": "sms",  # dt2_sms
    "+919839000004": "sms",  # f2_sms
}


def test_declared_reaches_consumers_with_mobile_and_consent_on_their_channel(declare, area):
    outage = declare(substation_codes=["SS-AMN"])

    assert sent_to(topic=f"outage:{outage.pk}", event="declared") == SS_AMN_REACHABLE
    assert consumers_affected_count(outage=outage) == 6  # no-mobile and silent count too


def test_text_language_template_and_variables_per_consumer(declare, area, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"outage_declared": "1107000000000000001"}
    outage = declare(feeder_codes=["F-AMN-1"], reason_note="jumper gone")

    hindi = Notification.objects.get(consumer=area["c1"])
    english = Notification.objects.get(consumer=area["wa_en"])
    assert (hindi.language, english.language) == ("hi", "en")
    assert hindi.template_key == english.template_key == "outage_declared"
    assert "11 केवी फीडर ट्रिप" in hindi.text and "फीडर" in hindi.text
    assert "11 kV feeder tripped" in english.text and "feeder" in english.text
    assert english.variables["reason"] == "11 kV feeder tripped"
    assert hindi.variables["reason"] == "11 केवी फीडर ट्रिप"
    assert set(hindi.variables) == {"area", "reason", "etr"}
    # DLT ids belong to SMS; the WhatsApp row carries none.
    assert hindi.dlt_template_id == "1107000000000000001" and english.dlt_template_id == ""
    assert hindi.segments > 1 and hindi.urgent and hindi.status == NotificationStatus.QUEUED
    assert hindi.next_attempt_at is not None and hindi.topic == f"outage:{outage.pk}"


def test_fan_out_is_one_insert_statement(declare, area):
    outage = declare(substation_codes=["SS-AMN"], actor=None)
    event = outage.events.get()
    Notification.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        created = outage_event_fan_out(event_id=event.pk)

    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"].upper()]
    assert created == 4 and len(inserts) == 1
    assert "ON CONFLICT DO NOTHING" in inserts[0] and "SELECT" in inserts[0]


def test_fan_out_twice_or_a_retried_task_sends_nothing_new(declare, area):
    outage = declare(substation_codes=["SS-AMN"])
    event = outage.events.get()
    rows = Notification.objects.count()

    assert outage_event_fan_out(event_id=event.pk) == 0
    outage_event_fanout.enqueue(event_id=event.pk)  # a retry through the queue
    assert Notification.objects.count() == rows == 4


def test_declaring_the_same_area_twice_is_two_outages_one_message_each(declare, area):
    first = declare(feeder_codes=["F-AMN-2"])
    second = declare(feeder_codes=["F-AMN-2"])
    assert Notification.objects.filter(consumer=area["f2_sms"]).count() == 2
    assert {n.topic for n in Notification.objects.all()} == {
        f"outage:{first.pk}",
        f"outage:{second.pk}",
    }


def test_etr_revision_tells_the_remaining_consumers_and_expires_older_notices(
    declare, committed, area, staff
):
    outage = declare(feeder_codes=["F-AMN-1", "F-AMN-2"])
    committed(outage_etr_revise, outage=outage, etr=clock.now() + 3 * HOUR, actor=staff["je"])
    first_etr = outage.events.last()
    second = committed(
        outage_etr_revise, outage=outage, etr=clock.now() + 4 * HOUR, actor=staff["je"]
    )
    second_etr = second.events.last()

    old = Notification.objects.filter(event=f"etr:{first_etr.pk}")
    new = Notification.objects.filter(event=f"etr:{second_etr.pk}")
    assert old.count() == new.count() == 4
    assert set(old.values_list("status", flat=True)) == {NotificationStatus.EXPIRED}
    assert set(new.values_list("status", flat=True)) == {NotificationStatus.QUEUED}
    assert new.filter(template_key="outage_etr_revised").count() == 4


def test_partial_restoration_tells_only_the_restored_part(declare, committed, area, staff):
    outage = declare(feeder_codes=["F-AMN-1", "F-AMN-2"])
    f2 = outage.scope.get(feeder=area["feeder_amn_2"])

    committed(outage_restore, outage=outage, scope_ids=[f2.pk], actor=staff["je"])
    event = outage.events.last()

    assert sent_to(event=f"restored:{event.pk}") == {"+919839000004": "sms"}
    restored = Notification.objects.get(event=f"restored:{event.pk}")
    assert restored.template_key == "outage_restored" and "Hazratganj" in restored.text
    # The restored part's unsent notice is pointless now; the part still off keeps its own.
    declared = dict(
        Notification.objects.filter(event="declared").values_list("recipient", "status")
    )
    assert declared.pop("+919839000004") == NotificationStatus.EXPIRED
    assert declared and set(declared.values()) == {NotificationStatus.QUEUED}


def test_whole_restoration_tells_everyone_and_expires_queued_notices(
    declare, committed, area, staff
):
    outage = declare(substation_codes=["SS-AMN"])
    Notification.objects.filter(consumer=area["dt2_sms"]).update(status=NotificationStatus.SENT)

    committed(outage_restore, outage=outage, actor=staff["je"])
    event = outage.events.last()

    assert sent_to(event=f"restored:{event.pk}") == SS_AMN_REACHABLE
    declared = dict(
        Notification.objects.filter(event="declared").values_list("recipient", "status")
    )
    assert declared.pop("+919839000003") == NotificationStatus.SENT  # already gone: left alone
    assert set(declared.values()) == {NotificationStatus.EXPIRED}


def test_overlap_feeder_inside_substation_outage(declare, committed, area, staff):
    """Restoring the feeder outage tells nobody still under the substation outage; restoring
    the substation afterwards tells them."""
    substation = declare(substation_codes=["SS-AMN"], reason_code="line_33kv_breakdown")
    feeder = declare(feeder_codes=["F-AMN-2"])
    assert [o.pk for o in outages_active_for_consumer(consumer=area["f2_sms"])] == sorted(
        [substation.pk, feeder.pk], key=lambda pk: -1 if pk == feeder.pk else 0
    ) or len(outages_active_for_consumer(consumer=area["f2_sms"])) == 2

    committed(outage_restore, outage=feeder, actor=staff["je"])
    feeder_restored = feeder.events.last()
    assert sent_to(event=f"restored:{feeder_restored.pk}") == {}

    committed(outage_restore, outage=substation, actor=staff["je"])
    substation_restored = substation.events.last()
    assert sent_to(event=f"restored:{substation_restored.pk}") == SS_AMN_REACHABLE


def test_overlap_substation_restored_first_spares_the_feeder_still_out(
    declare, committed, area, staff
):
    substation = declare(substation_codes=["SS-AMN"])
    declare(dt_codes=["DT-AMN-2"])  # a burnt DT: still off when the substation returns

    committed(outage_restore, outage=substation, actor=staff["je"])
    event = substation.events.last()

    told = sent_to(event=f"restored:{event.pk}")
    assert "+919839000003" not in told  # dt2_sms is still out
    assert set(told) == set(SS_AMN_REACHABLE) - {"+919839000003"}


def test_reporters_are_told_of_restoration_without_consent(declare, committed, area, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    outage_report_add(outage=outage, consumer=area["silent"], complaint_number="MV-1")
    outage_report_add(
        outage=outage, consumer=area["no_mobile"], complaint_number="MV-2", mobile="+919839000099"
    )
    outage_report_add(outage=outage, consumer=area["c1"], complaint_number="MV-3")

    committed(outage_restore, outage=outage, actor=staff["je"])
    event = outage.events.last()

    told = sent_to(event=f"restored:{event.pk}")
    assert told["+919839000002"] == "sms"  # no broadcast consent, but complained
    assert told["+919839000099"] == "sms"  # no mobile on file: the number they gave
    assert told["+919839012345"] == "sms"  # consented anyway: one message, not two
    assert (
        Notification.objects.filter(consumer=area["c1"], event=f"restored:{event.pk}").count() == 1
    )
    # The silent consumer got nothing before restoration.
    assert not Notification.objects.filter(consumer=area["silent"], event="declared").exists()


def test_planned_announcement_reminder_and_cancellation(declare, committed, area, staff):
    now = clock.now()
    planned = declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-2"],
        starts_at=now + 26 * HOUR,
        etr=now + 30 * HOUR,
    )
    announced = Notification.objects.get(event="announced")
    assert announced.template_key == "planned_announced" and not announced.urgent

    committed(outage_cancel, outage=planned, actor=staff["je"])
    cancelled = Notification.objects.get(event="cancelled")
    assert cancelled.template_key == "planned_cancelled"
    announced.refresh_from_db()
    assert announced.status == NotificationStatus.EXPIRED


def test_unplanned_scheduled_for_later_is_not_announced(declare, area):
    declare(feeder_codes=["F-AMN-2"], starts_at=clock.now() + HOUR, etr=clock.now() + 3 * HOUR)
    assert Notification.objects.count() == 0


def test_a_stale_event_sends_nothing(declare, committed, area, staff):
    """A declared fan-out that runs after restoration (a slow queue) sends nothing."""
    outage = declare(feeder_codes=["F-AMN-2"])
    declared = outage.events.get()
    Notification.objects.all().delete()
    committed(outage_restore, outage=outage, actor=staff["je"])
    before = Notification.objects.count()

    assert outage_event_fan_out(event_id=declared.pk) == 0
    assert Notification.objects.count() == before
    assert OutageEvent.objects.filter(outage=outage).count() == 2
