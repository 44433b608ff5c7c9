"""Demo staff logins for `make run`: one per role the demo is shown with, plus a JE and an SDO
for every sub-division that has substations, so that routing works across the demo network."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from sampark.network.models import OrgLevel, OrgUnit

from .models import Role, StaffUser

DEMO_PASSWORD = "sampark-demo-1912"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    jurisdiction: str


def _showcase_subdivision() -> OrgUnit | None:
    """The busiest sub-division of Madhyanchal (Lucknow) if present, else of any discom."""
    busiest = (
        OrgUnit.objects.filter(level=OrgLevel.SUBDIVISION)
        .annotate(feeders=Count("substations__feeders"))
        .filter(feeders__gt=0)
        .order_by("-feeders", "path")
    )
    mvvnl = OrgUnit.objects.filter(code="MVVNL").first()
    preferred = busiest.filter(path__startswith=mvvnl.path).first() if mvvnl else None
    return preferred or busiest.first()


@transaction.atomic
def demo_staff_ensure(*, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """Create the demo logins if missing (idempotent); return the ones to print."""
    hashed = make_password(password)
    showcase = _showcase_subdivision()
    state = OrgUnit.objects.filter(level=OrgLevel.STATE).order_by("path").first()
    discom = showcase.discom() if showcase else None
    wanted = [
        ("agent", Role.AGENT, state, "Priya Sharma"),
        ("je", Role.JE, showcase, "Ramesh Kumar"),
        ("sdo", Role.SDO, showcase, "Sunita Verma"),
        ("md", Role.MD, discom, "Alok Srivastava"),
        ("admin", Role.ADMIN, None, "Sampark Admin"),
    ]
    logins = []
    for n, (username, role, unit, full_name) in enumerate(wanted):
        first, _, last = full_name.partition(" ")
        user, created = StaffUser.objects.get_or_create(
            username=username,
            defaults=dict(
                role=role,
                jurisdiction=unit,
                password=hashed,
                first_name=first,
                last_name=last,
                phone=demo_phone(n),
            ),
        )
        if role == Role.ADMIN and created:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if role == Role.JE and unit is not None:
            user.substations.set(unit.substations.all())
        place = unit.name_en if unit else "everything"
        logins.append(DemoLogin(username, str(Role(role).label), place))
    _field_staff_ensure(hashed=hashed, skip=showcase)
    return logins


def demo_phone(n: int) -> str:
    """Deterministic, valid Indian mobile numbers for demo staff (SDO alerts, bulletins)."""
    return f"+9194150{n:05d}"


# Officers' names for the generated field staff (consumers are told who is attending).
FIRST = [
    "Ramesh",
    "Suresh",
    "Anil",
    "Sunita",
    "Vinod",
    "Kavita",
    "Rajesh",
    "Pooja",
    "Manoj",
    "Neha",
    "Alok",
    "Shabana",
]
LAST = [
    "Kumar",
    "Verma",
    "Yadav",
    "Singh",
    "Gupta",
    "Mishra",
    "Khan",
    "Pandey",
    "Tiwari",
    "Maurya",
    "Ansari",
    "Chauhan",
]


def _field_staff_ensure(*, hashed: str, skip: OrgUnit | None) -> None:
    subdivisions = OrgUnit.objects.filter(level=OrgLevel.SUBDIVISION, substations__isnull=False)
    existing = set(StaffUser.objects.values_list("username", flat=True))
    new = []
    units = subdivisions.distinct().exclude(pk=skip.pk if skip else None).order_by("path")
    for i, unit in enumerate(units):
        for j, role in enumerate((Role.JE, Role.SDO)):
            username = f"{role}-{unit.code}".lower()
            if username not in existing:
                first, last = FIRST[(2 * i + j) % len(FIRST)], LAST[(3 * i + j) % len(LAST)]
                new.append(
                    StaffUser(
                        username=username,
                        role=role,
                        jurisdiction=unit,
                        password=hashed,
                        first_name=first,
                        last_name=last,
                        phone=demo_phone(100 + 2 * i + j),
                    )
                )
    StaffUser.objects.bulk_create(new, batch_size=500)
