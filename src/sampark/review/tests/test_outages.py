"""Outage figures: one unplanned outage on SD1's feeder (consumer1 only), declared at D1 10:00
with an ETR of 12:00, revised at 11:00 to 13:00, restored at 13:20."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.notifications.models import Notification, NotificationStatus
from sampark.outages.services import outage_declare, outage_etr_revise, outage_restore
from sampark.review.models import OutageRecord
from sampark.review.outage_records import outage_records_refresh, served_consumers_refresh
from sampark.review.selectors import dashboard_outages

from .conftest import D1, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def restored(net, staff, pin, django_capture_on_commit_callbacks):
    pin(at(D1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        outage = outage_declare(
            kind="unplanned",
            reason_code="feeder_11kv_trip",
            etr=at(D1, 12),
            feeder_codes=[net.feeder1.code],
            actor=staff["je"],
        )
    pin(at(D1, 11))
    outage_etr_revise(outage=outage, etr=at(D1, 13), actor=staff["je"])
    pin(at(D1, 13, 20))
    outage_restore(outage=outage, actor=staff["je"])
    return outage


def test_outage_figures_by_hand(restored, net, staff, pin):
    # Given the notices of the outage, one of them reported delivered by the provider
    notices = Notification.objects.filter(topic=f"outage:{restored.pk}")
    assert notices.count() >= 1
    notices.update(status=NotificationStatus.SENT)
    first = notices.order_by("id").first()
    Notification.objects.filter(pk=first.pk).update(status=NotificationStatus.DELIVERED)
    sent = notices.count()
    # When the rollup task runs
    pin(at(D1, 14))
    served_consumers_refresh()
    assert outage_records_refresh() == 1
    figures = dashboard_outages(user=staff["md"], org_unit=net.division, start=D1, end=D1)
    # Then, worked out by hand: 1 consumer off for 3 h 20 min, 2 consumers in the division
    t = figures.total
    assert (t.outages, t.planned, t.unplanned, t.load_shedding) == (1, 0, 1, 0)
    assert (t.consumers, t.consumer_hours, t.served) == (1, 3.3, 2)
    assert (t.saifi, t.saidi_minutes) == (0.5, 100.0)
    assert (t.notices_sent, t.notices_delivered) == (sent, 1)
    assert (t.etr_first_mean_seconds, t.etr_last_median_seconds) == (4800.0, 1200.0)
    assert (t.restored, t.within_30_min) == (1, 1.0)
    sd1, sd2 = figures.rows
    assert (sd1.key, sd1.outages, sd1.served, sd1.saifi) == ("SD-AMN-1", 1, 1, 1.0)
    assert (sd2.key, sd2.outages, sd2.served, sd2.saifi) == ("SD-AMN-2", 0, 1, 0.0)


def test_record_is_final_after_the_settling_time(restored, pin):
    pin(at(D1, 14))
    outage_records_refresh()
    assert OutageRecord.objects.get(outage_id=restored.pk).final is False
    pin(at(D1, 13, 20) + timedelta(hours=49))
    assert outage_records_refresh() == 1
    assert OutageRecord.objects.get(outage_id=restored.pk).final is True
    # Final records are left alone
    assert outage_records_refresh() == 0


def test_other_discom_is_out_of_scope(restored, net, staff):
    from sampark.core.errors import NotFound

    with pytest.raises(NotFound):
        dashboard_outages(user=staff["md_p"], org_unit=net.mvvnl, start=D1, end=D1)
