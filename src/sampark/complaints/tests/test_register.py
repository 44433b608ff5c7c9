"""complaint_register: numbering, SLA, routing, duplicates, audit events, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.complaints.models import Complaint, ComplaintEvent, EventKind, Priority, Status
from sampark.complaints.numbering import complaint_number_normalize
from sampark.complaints.services import complaint_register
from sampark.core.errors import ValidationFailed


def _counts() -> tuple[int, int]:
    return Complaint.objects.count(), ComplaintEvent.objects.count()


def test_register_routes_to_the_substation_je_with_sla_due(net, staff):
    reg = complaint_register(consumer=net.consumer1, category="no_supply", channel="web")

    c = reg.complaint
    assert reg.created
    assert c.number.startswith("MV-") and c.number.endswith("-00001")
    assert c.status == Status.ASSIGNED and c.assigned_to == staff["je"]
    assert c.due_at - c.registered_at == timedelta(hours=4)
    assert (c.feeder, c.subdivision, c.org_unit) == (net.feeder1, net.sd1, net.sd1)
    kinds = list(c.events.values_list("kind", "to_status"))
    assert kinds == [
        (EventKind.REGISTERED, Status.REGISTERED),
        (EventKind.ASSIGNED, Status.ASSIGNED),
    ]


@pytest.mark.parametrize(
    ("consumer", "category", "hours"),
    [
        ("consumer1", "dt_failure", 6),  # A-class city: tighter
        ("consumer2", "dt_failure", 24),  # rural
        ("consumer2", "no_supply", 8),
        ("consumer_p", "dt_failure", 8),  # urban, not A-class
        ("consumer1", "voltage_fluctuation", 240),
    ],
)
def test_due_at_follows_the_sla_table(net, consumer, category, hours):
    reg = complaint_register(consumer=getattr(net, consumer), category=category, channel="ivr")
    assert reg.complaint.sla_hours == hours
    assert reg.complaint.due_at - reg.complaint.registered_at == timedelta(hours=hours)


def test_sla_is_data_editable_by_admin(net):
    from sampark.complaints.models import SlaPolicy

    SlaPolicy.objects.filter(category="no_supply", area_type="RURAL").update(hours=5)
    reg = complaint_register(consumer=net.consumer2, category="no_supply", channel="ivr")
    assert reg.complaint.sla_hours == 5


def test_safety_hazard_is_an_emergency(net):
    reg = complaint_register(consumer=net.consumer1, category="safety_hazard", channel="ivr")
    assert reg.complaint.priority == Priority.EMERGENCY
    assert reg.complaint.sla_hours == 1


def test_same_consumer_and_category_returns_the_open_complaint(net, staff):
    first = complaint_register(consumer=net.consumer1, category="no_supply", channel="web")
    again = complaint_register(consumer=net.consumer1, category="no_supply", channel="whatsapp")

    assert not again.created
    assert again.complaint.pk == first.complaint.pk
    assert Complaint.objects.count() == 1
    assert first.complaint.events.filter(kind=EventKind.DUPLICATE_REQUEST).count() == 1


def test_other_category_or_closed_complaint_gives_a_new_number(net, staff):
    first = complaint_register(consumer=net.consumer1, category="no_supply", channel="web")
    other = complaint_register(consumer=net.consumer1, category="meter", channel="web")
    Complaint.objects.filter(pk=first.complaint.pk).update(status=Status.CLOSED)
    later = complaint_register(consumer=net.consumer1, category="no_supply", channel="web")

    assert other.created and later.created
    assert len({first.complaint.number, other.complaint.number, later.complaint.number}) == 3
    assert later.complaint.number.endswith("-00003")


def test_numbers_are_sequential_per_discom(net, staff):
    a = complaint_register(consumer=net.consumer1, category="no_supply", channel="web")
    b = complaint_register(consumer=net.consumer2, category="no_supply", channel="web")
    p = complaint_register(consumer=net.consumer_p, category="no_supply", channel="web")
    assert a.complaint.number[-5:] == "00001" and b.complaint.number[-5:] == "00002"
    assert p.complaint.number.startswith("PV-") and p.complaint.number.endswith("-00001")


def test_rural_subdivision_without_substation_je_goes_to_its_je(net, staff):
    reg = complaint_register(consumer=net.consumer2, category="no_supply", channel="web")
    assert reg.complaint.assigned_to == staff["je2"]


def test_falls_back_to_sdo_when_no_je(net, staff):
    staff["je2"].delete()
    reg = complaint_register(consumer=net.consumer2, category="no_supply", channel="web")
    assert reg.complaint.assigned_to == staff["sdo2"]


def test_no_officer_leaves_it_registered(net):
    reg = complaint_register(consumer=net.consumer2, category="no_supply", channel="web")
    assert reg.complaint.status == Status.REGISTERED and reg.complaint.assigned_to is None


def test_unregistered_caller_by_mobile_and_feeder(net, staff):
    reg = complaint_register(
        contact_mobile="+919811100000",
        contact_name="Asha",
        location_text="near Hanuman mandir",
        feeder=net.feeder1,
        category="line_breakdown",
        channel="ivr",
    )
    again = complaint_register(
        contact_mobile="+919811100000", category="line_breakdown", channel="ivr"
    )
    c = reg.complaint
    assert c.consumer is None and c.subdivision == net.sd1 and c.assigned_to == staff["je"]
    assert c.is_a_class and c.sla_hours == 6
    assert again.complaint.pk == c.pk


def test_unknown_location_is_statewide_and_unassigned(net):
    reg = complaint_register(contact_mobile="+919811100001", category="other", channel="sms")
    assert reg.complaint.number.startswith("UP-")
    assert reg.complaint.org_unit == net.state
    assert reg.complaint.assigned_to is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"category": "nonsense"}, "category"),
        ({"category": "no_supply", "consumer": None}, "consumer"),
    ],
)
def test_bad_input_writes_nothing(net, kwargs, field):
    before = _counts()
    with pytest.raises(ValidationFailed) as err:
        complaint_register(channel="web", **kwargs)
    assert field in err.value.fields
    assert _counts() == before


def test_number_normalize_accepts_spoken_forms():
    assert complaint_number_normalize("mv 261128 42") == "MV-261128-00042"
    assert complaint_number_normalize("MV-261128-00042") == "MV-261128-00042"
    assert complaint_number_normalize("MV26112800042") == "MV-261128-00042"


def test_unlocated_complaint_without_any_network_is_refused(db):
    with pytest.raises(ValidationFailed) as err:
        complaint_register(contact_mobile="+919811100002", category="other", channel="sms")
    assert "location" in err.value.fields
    assert _counts() == (0, 0)
