"""A consumer's own request to be told of restoration (the IVR's "SMS me when restored")."""

from __future__ import annotations

import pytest

from sampark.core.errors import Conflict
from sampark.notifications.models import Notification
from sampark.outages.models import OutageReport, ReportKind
from sampark.outages.services import outage_restoration_request, outage_restore

pytestmark = pytest.mark.django_db


def test_a_request_is_noted_once_and_answered_at_restoration(declare, committed, area, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    silent = area["silent"]  # a mobile, but no consent to broadcasts

    assert outage_restoration_request(outage=outage, consumer=silent) is True
    assert outage_restoration_request(outage=outage, consumer=silent) is False
    report = OutageReport.objects.get()
    assert (report.kind, report.complaint_number, report.mobile) == (ReportKind.REQUEST, "", "")

    committed(outage_restore, outage=outage, actor=staff["je"])
    event = outage.events.last()
    told = Notification.objects.filter(consumer=silent, event=f"restored:{event.pk}")
    assert list(told.values_list("channel", "recipient")) == [("sms", "+919839000002")]


def test_a_number_other_than_the_registered_one_is_kept(declare, area):
    outage = declare(feeder_codes=["F-AMN-1"])

    outage_restoration_request(outage=outage, consumer=area["no_mobile"], mobile="9839000099")

    assert OutageReport.objects.get().mobile == "+919839000099"


def test_a_restored_outage_takes_no_requests(declare, committed, area, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    committed(outage_restore, outage=outage, actor=staff["je"])
    outage.refresh_from_db()

    with pytest.raises(Conflict):
        outage_restoration_request(outage=outage, consumer=area["silent"])
    assert not OutageReport.objects.exists()


def test_a_complainant_already_noted_is_not_noted_again(declare, area):
    from sampark.outages.services import outage_report_add

    outage = declare(feeder_codes=["F-AMN-1"])
    outage_report_add(outage=outage, consumer=area["c1"], complaint_number="MV-261128-00001")

    assert outage_restoration_request(outage=outage, consumer=area["c1"]) is False
    assert OutageReport.objects.get().kind == ReportKind.COMPLAINT
