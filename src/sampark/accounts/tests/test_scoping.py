"""staff_scope: every staff read goes through it; nothing outside the jurisdiction leaks."""

from __future__ import annotations

import pytest

from sampark.accounts.models import Role
from sampark.accounts.scoping import staff_scope
from sampark.complaints.selectors import complaint_get_for_staff, complaints_for_staff
from sampark.complaints.services import complaint_register
from sampark.consumers.selectors import consumer_lookup_for_staff, consumers_for_staff
from sampark.core.errors import NotAllowed, NotFound
from sampark.testing.factories import StaffFactory


@pytest.fixture
def complaints(net, staff):
    return {
        name: complaint_register(
            consumer=getattr(net, name), category="no_supply", channel="web"
        ).complaint
        for name in ("consumer1", "consumer2", "consumer_p")
    }


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("je", {"consumer1"}),
        ("je2", {"consumer2"}),
        ("sdo", {"consumer1"}),
        ("md", {"consumer1", "consumer2"}),
        ("md_p", {"consumer_p"}),
        ("agent", {"consumer1", "consumer2", "consumer_p"}),
        ("admin", {"consumer1", "consumer2", "consumer_p"}),
    ],
)
def test_each_role_sees_its_subtree(complaints, staff, user, visible):
    u = staff[user]
    seen = {c.consumer.account_number for c in complaints_for_staff(user=u)}
    assert seen == {complaints[name].consumer.account_number for name in visible}
    consumers = {c.account_number for c in consumers_for_staff(user=u)}
    assert consumers == seen


def test_out_of_scope_lookups_are_not_found(complaints, staff, net):
    with pytest.raises(NotFound):
        complaint_get_for_staff(user=staff["je"], number=complaints["consumer2"].number)
    with pytest.raises(NotFound):
        consumer_lookup_for_staff(user=staff["md_p"], account_number="1234567890")
    assert complaint_get_for_staff(user=staff["md"], number=complaints["consumer2"].number)


def test_user_without_jurisdiction_sees_nothing(complaints):
    stray = StaffFactory(username="stray", role=Role.SDO, jurisdiction=None)
    assert not complaints_for_staff(user=stray).exists()


def test_inactive_user_is_refused(staff):
    staff["je"].is_active = False
    with pytest.raises(NotAllowed):
        staff_scope(staff["je"])
