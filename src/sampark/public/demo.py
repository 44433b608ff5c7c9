"""Demo stakeholder members for `make run`: a journalist and a public representative in the zone
of the demo JE, so a demo outage shows its bulletins reaching the zone group."""

from __future__ import annotations

from sampark.accounts.models import StaffUser
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit

from .members import stakeholder_group_ensure, stakeholder_member_join
from .models import JoinedVia, MemberChannel, StakeholderRole

DEMO_MEMBERS = (
    ("Rajeev Tiwari (Dainik Jagran)", "+919415099001", StakeholderRole.JOURNALIST, "hi"),
    ("Parshad Meena Gupta", "+919415099002", StakeholderRole.PUBLIC_REPRESENTATIVE, "hi"),
    ("Resident Welfare Association", "+919415099003", StakeholderRole.CITIZEN, "en"),
)


def stakeholders_demo_ensure(*, je_username: str = "je") -> int:
    """Join the demo members to the demo JE's zone group (idempotent). Returns members ensured."""
    je = StaffUser.objects.filter(username=je_username).select_related("jurisdiction").first()
    if je is None or je.jurisdiction is None:
        return 0
    zone_path = je.jurisdiction.path[: OrgUnit.steplen * LEVEL_DEPTH[OrgLevel.ZONE]]
    zone = OrgUnit.objects.filter(path=zone_path, level=OrgLevel.ZONE).first()
    if zone is None:
        return 0
    group = stakeholder_group_ensure(zone=zone)
    for name, mobile, role, language in DEMO_MEMBERS:
        stakeholder_member_join(
            group=group,
            mobile=mobile,
            via=JoinedVia.ADMIN,
            name=name,
            role=role,
            language=language,
            channel=MemberChannel.WHATSAPP,
        )
    return len(DEMO_MEMBERS)
