"""A no-supply complaint inside a known outage: linked (no field visit), answered with the
reason and ETR, resolved when supply returns; its complainant is told without consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from sampark.complaints.services import complaint_register, complaints_resolve_restored
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.models import OutageReport
from sampark.outages.services import outage_declare, outage_restore
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def outage(committed, net, staff):
    return committed(
        outage_declare,
        kind="unplanned",
        reason_code="tree_fall",
        feeder_codes=["F-AMN-1"],
        etr=clock.now() + timedelta(hours=3),
        actor=staff["je"],
    )


def test_no_supply_inside_an_outage_is_linked_not_routed(outage, net, staff):
    reg = complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr")

    c = reg.complaint
    assert c.outage == outage
    assert c.status == Status.REGISTERED and c.assigned_to is None  # no field visit
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTERED, EventKind.NOTE]
    assert f"outage #{outage.pk}" in c.events.last().note
    report = OutageReport.objects.get()
    assert (report.outage, report.consumer, report.complaint_number) == (
        outage,
        net.consumer1,
        c.number,
    )


def test_other_categories_and_other_places_are_routed_as_before(outage, net, staff):
    meter = complaint_register(consumer=net.consumer1, category="meter", channel="ivr").complaint
    elsewhere = complaint_register(consumer=net.consumer2, category="no_supply", channel="ivr")
    assert meter.outage is None and meter.assigned_to == staff["je"]
    assert elsewhere.complaint.outage is None
    assert not OutageReport.objects.exists()


def test_restoration_resolves_linked_complaints_with_an_audit_event(committed, outage, net, staff):
    c = complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr").complaint
    assert complaints_resolve_restored() == 0  # still off

    committed(outage_restore, outage=outage, actor=staff["je"])
    assert complaints_resolve_restored() == 1
    assert complaints_resolve_restored() == 0

    c.refresh_from_db()
    assert c.status == Status.RESOLVED and c.resolved_at is not None
    # The resolution is followed by the consumer's confirmation request (complaints/closure.py).
    event = c.events.filter(kind=EventKind.TRANSITION).last()
    assert (event.kind, event.from_status, event.to_status, event.actor_label) == (
        EventKind.TRANSITION,
        Status.REGISTERED,
        Status.RESOLVED,
        "system",
    )


def test_a_reopened_linked_complaint_is_left_to_the_field(committed, outage, net, staff):
    c = complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr").complaint
    committed(outage_restore, outage=outage, actor=staff["je"])
    complaints_resolve_restored()
    Complaint.objects.filter(pk=c.pk).update(status=Status.ASSIGNED)  # reopened, reassigned

    assert complaints_resolve_restored() == 0


def test_complainant_without_consent_is_told_of_restoration(committed, outage, net, staff):
    made = ConsumerFactory(dt=net.dt1, mobile=None, consent_sms=False)
    silent = Consumer.objects.get(pk=made.pk)
    complaint_register(
        consumer=silent,
        category="no_supply",
        channel="agent",
        contact_mobile="+919839077777",
        actor=staff["agent"],
    )
    assert not Notification.objects.filter(consumer=silent).exists()

    committed(outage_restore, outage=outage, actor=staff["je"])

    (told,) = Notification.objects.filter(consumer=silent)
    assert (told.recipient, told.channel, told.template_key) == (
        "+919839077777",
        "sms",
        "outage_restored",
    )


def test_receipt_answers_with_the_reason_and_etr(client, outage, net):
    response = client.post(
        "/api/v1/complaints",
        {"account_number": "1234567890", "category": "no_supply"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201
    linked = response.json()["outage"]
    assert linked["id"] == outage.pk and linked["reason"] == "Tree fallen on the line"
    assert linked["etr"].startswith(clock.now().astimezone().date().isoformat()[:4])
    assert response.json()["assigned_officer"] is None

    hindi = client.get(f"/api/v1/complaints/{response.json()['number']}").json()
    assert hindi["outage"]["reason"] == "लाइन पर पेड़ गिरा"


def test_receipt_without_an_outage_says_none(client, net, staff):
    response = client.post(
        "/api/v1/complaints",
        {"account_number": "1234567890", "category": "no_supply"},
        content_type="application/json",
    )
    assert response.json()["outage"] is None
    assert ComplaintEvent.objects.filter(kind=EventKind.NOTE).count() == 0
