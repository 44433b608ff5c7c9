"""The daily press bulletin of each discom (Hindi and English): the previous day's outages,
restoration times and complaint figures and the position at issue, issued once a day by the
scheduler's task from the press hour, or on demand by `sampark press_bulletin`; read at
/outages/press/<discom>/<date>/."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from sampark.complaints.models import Category, Channel, Complaint, Status
from sampark.core import clock
from sampark.network.models import OrgUnit
from sampark.outages.models import (
    Outage,
    OutageEventKind,
    OutageKind,
    OutageScope,
    OutageSource,
    OutageStatus,
)
from sampark.public.models import PressBulletin
from sampark.public.press import Via, press_bulletin_issue, press_bulletins_issue_due
from sampark.public.tasks import press_bulletins_dispatch

from .conftest import event_add, reason

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 11)  # the morning of issue; the bulletin covers 10 June
ISSUE = timezone.make_aware(datetime(2025, 6, 11, 8, 0))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2025, 6, day, hour, minute))


@pytest.fixture(autouse=True)
def issue_time(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: ISSUE)


def outage_at(
    net,
    *,
    feeder,
    starts: datetime,
    first_etr: datetime,
    etr: datetime | None = None,
    restored: datetime | None = None,
    kind: str = OutageKind.UNPLANNED,
    status: str | None = None,
    zone: OrgUnit | None = None,
    subdivision: OrgUnit | None = None,
) -> Outage:
    outage = Outage.objects.create(
        kind=kind,
        status=status or (OutageStatus.RESTORED if restored else OutageStatus.ACTIVE),
        reason=reason(),
        source=OutageSource.FIELD,
        org_unit=subdivision or net.sd1,
        zone=zone or net.zone,
        starts_at=starts,
        etr=etr or first_etr,
        restored_at=restored,
        created_at=starts,
    )
    OutageScope.objects.create(outage=outage, feeder=feeder, restored_at=restored)
    first = OutageEventKind.ANNOUNCED if kind == OutageKind.PLANNED else OutageEventKind.DECLARED
    event_add(outage, first, etr=first_etr, at=starts)
    if etr and etr != first_etr:
        event_add(outage, OutageEventKind.ETR_REVISED, etr=etr, at=starts + timedelta(minutes=30))
    return outage


def complaint_at(
    n: int,
    *,
    org_unit: OrgUnit,
    registered: datetime,
    due: datetime,
    resolved: datetime | None = None,
    status: str = Status.REGISTERED,
) -> Complaint:
    return Complaint.objects.create(
        number=f"TEST{n:06d}",
        channel=Channel.AGENT,
        category=Category.NO_SUPPLY,
        status=status,
        contact_mobile=f"+9198390770{n:02d}",
        org_unit=org_unit,
        area_type="URBAN",
        registered_at=registered,
        due_at=due,
        sla_hours=4,
        resolved_at=resolved,
    )


@pytest.fixture
def day_of_10_june(net):
    """Madhyanchal on 10 June: two faults (one back by its first ETR, one after a revised ETR)
    and planned work back early; one fault still off since this morning; work planned today.
    Three complaints registered (one resolved in time, one late, one overdue now), one older
    still pending. Around it: a cancelled plan, Meerut's outage and complaint, a complaint with
    no known place: none of these count for Madhyanchal."""
    meerut = OrgUnit.objects.get(code="Z-MRT")
    f1, f2 = net.feeder1, net.feeder2_rural
    outages = {
        "in_time": outage_at(
            net, feeder=f1, starts=at(10, 10), first_etr=at(10, 12), restored=at(10, 11, 30)
        ),
        "late": outage_at(
            net,
            feeder=f2,
            starts=at(10, 20),
            first_etr=at(10, 21),
            etr=at(10, 23),
            restored=at(10, 22, 30),
            subdivision=net.sd2,
        ),
        "planned": outage_at(
            net,
            feeder=f1,
            starts=at(10, 14),
            first_etr=at(10, 16),
            restored=at(10, 15, 50),
            kind=OutageKind.PLANNED,
        ),
        "still_off": outage_at(net, feeder=f2, starts=at(11, 6), first_etr=at(11, 10)),
        "today": outage_at(
            net,
            feeder=f1,
            starts=at(11, 14),
            first_etr=at(11, 17),
            kind=OutageKind.PLANNED,
            status=OutageStatus.SCHEDULED,
        ),
        "cancelled": outage_at(
            net,
            feeder=f1,
            starts=at(10, 9),
            first_etr=at(10, 10),
            kind=OutageKind.PLANNED,
            status=OutageStatus.CANCELLED,
        ),
        "meerut": outage_at(
            net,
            feeder=net.feeder_p,
            starts=at(10, 9),
            first_etr=at(10, 10),
            restored=at(10, 9, 30),
            zone=meerut,
            subdivision=net.sd_p,
        ),
    }
    complaint_at(
        1, org_unit=net.sd1, registered=at(10, 9), due=at(10, 13), resolved=at(10, 12),
        status=Status.CLOSED,
    )  # fmt: skip
    complaint_at(
        2, org_unit=net.sd2, registered=at(10, 10), due=at(10, 14), resolved=at(10, 18),
        status=Status.CLOSED,
    )  # fmt: skip
    complaint_at(3, org_unit=net.sd1, registered=at(10, 23), due=at(11, 7))
    complaint_at(4, org_unit=net.sd1, registered=at(9, 12), due=at(12, 12), status=Status.ASSIGNED)
    complaint_at(5, org_unit=net.sd_p, registered=at(10, 11), due=at(10, 15))
    complaint_at(6, org_unit=net.state, registered=at(10, 11), due=at(10, 15))
    return outages


def test_the_figures_of_the_day_before_and_of_the_morning(net, day_of_10_june):
    bulletin = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.COMMAND)

    assert bulletin is not None
    f = bulletin.figures
    assert (bulletin.window_start, bulletin.window_end) == (at(10, 0), at(11, 0))
    assert f["outages"] | {"longest": None} == {
        "unplanned": 2,
        "planned": 1,
        "load_shedding": 0,
        "consumers": 3,  # one consumer on each feeder, counted per outage
        "restored": 3,
        "within_etr": 2,  # the late one beat its revised ETR but not the first
        "average_minutes": 117,  # 90, 150 and 110 minutes
        "median_minutes": 110,
        "longest": None,
    }
    assert f["outages"]["longest"]["outage"] == day_of_10_june["late"].pk
    assert f["outages"]["longest"]["minutes"] == 150
    assert f["now"]["outages"] == 1 and f["now"]["consumers"] == 1
    assert [p["outage"] for p in f["now"]["planned_today"]] == [day_of_10_june["today"].pk]
    assert f["complaints"] == {
        "registered": 3,
        "resolved": 2,
        "within_sla": 1,
        "pending": 2,
        "overdue": 1,
    }
    assert f["zones"] == [
        {
            "zone": {"code": "Z-LKO", "en": "LUCKNOW CENTRAL", "hi": "LUCKNOW CENTRAL"},
            "outages": 3,
            "restored": 3,
            "complaints": 3,
        }
    ]


def test_the_text_in_hindi_and_english(net, day_of_10_june):
    bulletin = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.COMMAND)

    assert bulletin is not None
    en, hi = bulletin.text_en, bulletin.text_hi
    assert en.startswith("Madhyanchal: daily power supply bulletin, 11/06/2025")
    assert "Outages: 2 faults/trips, 1 planned, 0 load-shedding; about 3 consumers affected." in en
    assert (
        "Restoration: 3 outages restored, average 1 h 57 min (median 1 h 50 min); "
        "2 by the first time given." in en
    )
    assert "Longest outage: 2 h 30 min, LUCKNOW CENTRAL (Transformer burnt)." in en
    assert "At 11/06 08:00: 1 outages on, 1 consumers affected." in en
    assert (
        "Complaints: 3 registered, 2 resolved (1 within the time limit); 2 pending, "
        "1 of them past the time limit." in en
    )
    assert "- LUCKNOW CENTRAL: 14:00 to 17:00" in en
    assert "बिजली कटौती: 2 खराबी/ट्रिपिंग, 1 नियोजित, 0 रोस्टरिंग" in hi
    assert "सबसे लंबी कटौती: 2 घंटे 30 मिनट" in hi and "ट्रांसफार्मर फुंक गया" in hi
    assert "शिकायतें: 3 दर्ज, 2 निस्तारित (1 समय-सीमा में)" in hi
    assert "+9198390770" not in en + hi  # complainants are counted, never named


def test_one_bulletin_per_discom_and_day_unless_replaced(net, day_of_10_june):
    first = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.SCHEDULER)
    again = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.COMMAND)
    Outage.objects.filter(pk=day_of_10_june["still_off"].pk).update(
        status=OutageStatus.RESTORED, restored_at=ISSUE
    )
    OutageScope.objects.filter(outage=day_of_10_june["still_off"]).update(restored_at=ISSUE)
    replaced = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.COMMAND, replace=True)

    assert first is not None and again is None
    assert replaced is not None and replaced.pk == first.pk
    assert replaced.figures["now"]["outages"] == 0 and replaced.issued_via == Via.COMMAND
    assert PressBulletin.objects.count() == 1


def test_the_scheduler_issues_every_discoms_bulletin_once_from_the_press_hour(net, monkeypatch):
    early = press_bulletins_issue_due(at=at(11, 6, 59))
    monkeypatch.setattr(clock, "now", lambda: at(11, 7, 5))
    issued = press_bulletins_dispatch.enqueue().return_value
    again = press_bulletins_dispatch.enqueue().return_value

    assert early == 0
    assert issued == 2 and again == 0
    assert set(PressBulletin.objects.values_list("discom__code", "day", "issued_via")) == {
        ("MVVNL", DAY, Via.SCHEDULER),
        ("PVVNL", DAY, Via.SCHEDULER),
    }


def test_the_command_issues_on_demand_and_says_where_to_read_it(net, day_of_10_june):
    out = StringIO()
    call_command("press_bulletin", "--discom", "MVVNL", "--date", "2025-06-11", stdout=out)
    call_command("press_bulletin", "--discom", "MVVNL", "--date", "2025-06-11", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("MVVNL 2025-06-11: issued")
    assert lines[0].endswith("/outages/press/MVVNL/2025-06-11/")
    assert "exists" in lines[1]
    assert PressBulletin.objects.get().issued_via == Via.COMMAND


def test_the_command_refuses_bad_input_and_issues_nothing(net):
    with pytest.raises(CommandError, match="no discom"):
        call_command("press_bulletin", "--discom", "NOPE")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("press_bulletin", "--date", "11/06/2025")

    assert not PressBulletin.objects.exists()


def test_the_bulletin_page_in_hindi_and_english(client, net, day_of_10_june):
    bulletin = press_bulletin_issue(discom=net.mvvnl, day=DAY, via=Via.COMMAND)
    assert bulletin is not None
    url = reverse("public_outages:press_detail", args=["MVVNL", "2025-06-11"])

    hindi = client.get(url).content.decode()
    english = client.get(url, {"lang": "en"}).content.decode()
    index = client.get(reverse("public_outages:press_index"), {"lang": "en"}).content.decode()

    assert "दैनिक बिजली आपूर्ति बुलेटिन" in hindi and "daily power supply bulletin" not in hindi
    assert "Madhyanchal: daily power supply bulletin" in english
    assert "LUCKNOW CENTRAL" in english  # the zone table
    assert f'href="{url}?lang=en"' in index


def test_no_bulletin_no_page(client, net):
    missing = client.get(reverse("public_outages:press_detail", args=["MVVNL", "2025-06-11"]))
    bad_date = client.get(reverse("public_outages:press_detail", args=["MVVNL", "11-06-2025"]))
    no_discom = client.get(reverse("public_outages:press_detail", args=["NOPE", "2025-06-11"]))

    assert (missing.status_code, bad_date.status_code, no_discom.status_code) == (404, 404, 404)
