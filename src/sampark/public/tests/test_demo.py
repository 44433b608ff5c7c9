"""Demo stakeholders: joined once to the demo JE's zone group."""

from __future__ import annotations

from sampark.accounts.demo import demo_staff_ensure
from sampark.public.demo import DEMO_MEMBERS, stakeholders_demo_ensure
from sampark.public.models import StakeholderGroup, StakeholderMember


def test_demo_members_join_the_je_zone_group_once(net):
    demo_staff_ensure()

    assert stakeholders_demo_ensure() == len(DEMO_MEMBERS)
    assert stakeholders_demo_ensure() == len(DEMO_MEMBERS)

    group = StakeholderGroup.objects.get()
    assert group.zone.path == net.sd1.path[: len(group.zone.path)]
    assert StakeholderMember.objects.filter(group=group).count() == len(DEMO_MEMBERS)


def test_no_demo_members_without_a_demo_je(db):
    assert stakeholders_demo_ensure() == 0
