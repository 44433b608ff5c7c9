"""Demo logins: created once, printed, and every sub-division with supply gets a JE and an SDO."""

from __future__ import annotations

from django.contrib.auth import authenticate

from sampark.accounts.demo import DEMO_PASSWORD, demo_staff_ensure
from sampark.accounts.models import Role, StaffUser
from sampark.complaints.services import complaint_register


def test_demo_logins_work_and_rerunning_changes_nothing(net):
    logins = demo_staff_ensure()
    count = StaffUser.objects.count()

    again = demo_staff_ensure()

    assert [login.username for login in logins] == ["agent", "je", "sdo", "md", "admin"]
    assert again == logins and StaffUser.objects.count() == count
    for login in logins:
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
    assert StaffUser.objects.get(username="admin").is_superuser
    md = StaffUser.objects.get(username="md")
    assert md.role == Role.MD and md.jurisdiction.level == "discom"


def test_every_supplied_subdivision_has_a_named_je_and_sdo(net):
    demo_staff_ensure()
    for unit in (net.sd1, net.sd2, net.sd_p):
        staff = StaffUser.objects.filter(jurisdiction=unit)
        assert {u.role for u in staff} == {Role.JE, Role.SDO}
        assert all(u.get_full_name() for u in staff)


def test_demo_complaints_are_routed_everywhere(net):
    demo_staff_ensure()
    for consumer in (net.consumer1, net.consumer2, net.consumer_p):
        reg = complaint_register(consumer=consumer, category="no_supply", channel="web")
        assert reg.complaint.assigned_to.role == Role.JE
        assert reg.complaint.assigned_to.jurisdiction == consumer.subdivision


def test_demo_staff_have_valid_distinct_phones(net):
    from sampark.core.phones import mobile_to_e164

    demo_staff_ensure()
    phones = list(StaffUser.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) == StaffUser.objects.count() == len(set(phones))
    assert all(mobile_to_e164(p) == p for p in phones)
