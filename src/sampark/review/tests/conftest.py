"""A small fixed history, written through the real services with a pinned clock.

Local (Asia/Kolkata) days D1 = 10 March 2026 and D2 = 11 March; confirmation requests expire
after 1 hour. Network and staff: the shared `net` and `staff` fixtures (je1 works SD1's
substation, je2 is SD2's JE).

  A  SD1 no_supply  ivr          D1 10:00, due 14:00 (4 h urban). Resolved 15:00 by je1 (late,
                                 18,000 s); breach sweep 14:30 (je1 breached); confirmed 15:30;
                                 rated 4 at 16:00.
  B  SD1 meter      whatsapp     D1 11:00 (168 h). Resolved 13:00 by je1 (7,200 s), rejected by
                                 the consumer 13:30 (reopened, escalated at the 21:00 sweep to
                                 sdo1); resolved again D2 11:00 (86,400 s); closed unconfirmed by
                                 the expiry sweep D2 12:30.
  C  SD2 no_supply  agent        D1 12:00, due 20:00 (8 h rural). Breached at 21:00 (je2),
                                 escalated to sdo2 at 21:00. Open, overdue.
  D  PVVNL sd_p voltage chatbot  D1 13:00. Resolved 15:00 by je_p (7,200 s); closed unconfirmed
                                 D2 12:30; rated 2 at D2 13:00.
  E  place unknown, other, email D2 09:00 (state node; 72 h). Open.
  F  SD2 bill_reading ivr        D2 10:00 (168 h). Open.

The clock ends at D2 15:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sampark.complaints.closure import closures_expire_unconfirmed
from sampark.complaints.escalation import complaints_escalate
from sampark.complaints.feedback import complaint_rate, complaint_resolution_answer
from sampark.complaints.models import Complaint, Status
from sampark.complaints.services import (
    complaint_register,
    complaint_transition,
    complaints_mark_breached,
)
from sampark.core import clock

IST = ZoneInfo("Asia/Kolkata")
D1 = date(2026, 3, 10)
D2 = date(2026, 3, 11)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=IST)


@pytest.fixture
def pin(monkeypatch):
    """Pin the clock; call with a datetime to move it."""
    now = {"t": at(D1, 9)}
    monkeypatch.setattr(clock, "now", lambda: now["t"])

    def move(when: datetime) -> datetime:
        now["t"] = when
        return when

    return move


@dataclass
class History:
    a: Complaint
    b: Complaint
    c: Complaint
    d: Complaint
    e: Complaint
    f: Complaint


def _register(feeder, category: str, channel: str, mobile: str) -> Complaint:
    return complaint_register(
        category=category, channel=channel, contact_mobile=mobile, feeder=feeder
    ).complaint


@pytest.fixture
def history(net, staff, pin, settings) -> History:
    settings.SAMPARK_CONFIRMATION_HOURS = 1
    je1, je_p = staff["je"], staff["je_p"]
    pin(at(D1, 10))
    a = _register(net.feeder1, "no_supply", "ivr", "+919839000001")
    pin(at(D1, 11))
    b = _register(net.feeder1, "meter", "whatsapp", "+919839000002")
    pin(at(D1, 12))
    c = _register(net.feeder2_rural, "no_supply", "agent", "+919839000003")
    pin(at(D1, 13))
    d = _register(net.feeder_p, "voltage_fluctuation", "chatbot_web", "+919839000004")
    complaint_transition(complaint=b, to_status=Status.RESOLVED, actor=je1)
    pin(at(D1, 13, 30))
    complaint_resolution_answer(complaint=b, confirmed=False, channel="whatsapp")
    pin(at(D1, 14, 30))
    complaints_mark_breached()
    pin(at(D1, 15))
    complaint_transition(complaint=a, to_status=Status.RESOLVED, actor=je1)
    complaint_transition(complaint=d, to_status=Status.RESOLVED, actor=je_p)
    pin(at(D1, 15, 30))
    complaint_resolution_answer(complaint=a, confirmed=True, channel="ivr")
    pin(at(D1, 16))
    complaint_rate(complaint=a, rating=4, channel="ivr")
    pin(at(D1, 21))
    complaints_mark_breached()
    complaints_escalate()
    pin(at(D2, 9))
    e = complaint_register(
        category="other", channel="email", contact_mobile="+919839000005"
    ).complaint
    pin(at(D2, 10))
    f = _register(net.feeder2_rural, "bill_reading", "ivr", "+919839000006")
    pin(at(D2, 11))
    complaint_transition(complaint=b, to_status=Status.RESOLVED, actor=je1)
    pin(at(D2, 12, 30))
    closures_expire_unconfirmed()
    pin(at(D2, 13))
    complaint_rate(complaint=d, rating=2, channel="web")
    pin(at(D2, 15))
    return History(*(Complaint.objects.get(pk=x.pk) for x in (a, b, c, d, e, f)))


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
