"""SoP compensation: amount per day of delay and its cap, automatic claims, decisions and payment,
the scoped register and its CSV.

Complaints are put into their late or closed state with direct updates, so these tests depend
on the compensation rules only, not on how the closure flow gets a complaint there.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sampark.complaints.compensation import (
    compensation_claim_decide,
    compensation_claim_lodge,
    compensation_claim_pay,
    compensation_claims_raise,
    compensation_compute,
    complaint_compensable,
)
from sampark.complaints.compensation_selectors import RegisterFilters, compensation_register
from sampark.complaints.models import (
    ClaimSource,
    ClaimStatus,
    CompensationClaim,
    Complaint,
    ComplaintEvent,
    EventKind,
    SlaPolicy,
    Status,
)
from sampark.complaints.services import complaint_register
from sampark.core import clock
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.notifications.models import Notification

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2026-03-02T09:00:00+05:30")


@pytest.fixture
def at(monkeypatch):
    """A controllable clock: `at(hours)` sets now to T0 + hours."""

    def set_to(hours: float = 0) -> datetime:
        moment = T0 + timedelta(hours=hours)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    set_to(0)
    return set_to


def _register(consumer, category: str = "dt_failure") -> Complaint:
    return complaint_register(consumer=consumer, category=category, channel="agent").complaint


def _late_close(complaint: Complaint, *, resolved_after_due: timedelta) -> Complaint:
    """Resolved `resolved_after_due` past its due time, then closed an hour later."""
    resolved = complaint.due_at + resolved_after_due
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.CLOSED,
        sla_breached_at=complaint.due_at + timedelta(minutes=1),
        resolved_at=resolved,
        closed_at=resolved + timedelta(hours=1),
    )
    complaint.refresh_from_db()
    return complaint


def _charges(consumer, rupees: str) -> None:
    consumer.annual_fixed_charges = Decimal(rupees)
    consumer.save(update_fields=["annual_fixed_charges"])


# Amount -------------------------------------------------------------------------------------


def test_amount_is_started_days_times_the_a_class_rate(net, at):
    _charges(net.consumer1, "2640")  # cap 792.00
    complaint = _register(net.consumer1)  # Lucknow urban A-class: DT failure 6 h, Rs 150/day
    assert complaint.sla_hours == 6
    complaint = _late_close(complaint, resolved_after_due=timedelta(days=2, minutes=1))

    result = compensation_compute(complaint=complaint)

    assert result.days_late == 3  # two days and a minute: the third day has started
    assert result.rate_per_day == Decimal("150.00")
    assert result.cap == Decimal("792.00")
    assert result.amount == Decimal("450.00")


def test_amount_is_capped_at_30_percent_of_annual_fixed_charges(net, at):
    _charges(net.consumer1, "1000")  # cap 300.00
    complaint = _late_close(_register(net.consumer1), resolved_after_due=timedelta(days=4))

    result = compensation_compute(complaint=complaint)

    assert (result.days_late, result.cap, result.amount) == (
        4,
        Decimal("300.00"),
        Decimal("300.00"),
    )


def test_unknown_fixed_charges_leave_the_amount_uncapped_and_flagged(net, at):
    complaint = _late_close(_register(net.consumer1), resolved_after_due=timedelta(days=10))

    result = compensation_compute(complaint=complaint)

    assert result.cap is None and not result.cap_known
    assert result.amount == Decimal("1500.00")


def test_an_open_complaint_is_computed_up_to_now(net, at):
    complaint = _register(net.consumer2, category="line_breakdown")  # rural: 24 h, Rs 50/day
    at(24 + 30)  # 30 hours late

    assert compensation_compute(complaint=complaint).days_late == 2
    assert compensation_compute(complaint=complaint, at=T0 + timedelta(hours=25)).days_late == 1


def test_the_rate_follows_the_most_specific_policy(net, at):
    SlaPolicy.objects.filter(category="dt_failure", area_type="URBAN", a_class_city=True).update(
        compensation_per_day=0
    )
    a_class = _late_close(_register(net.consumer1), resolved_after_due=timedelta(days=1))
    assert not complaint_compensable(complaint=a_class)
    assert compensation_compute(complaint=a_class).amount == Decimal("0.00")


# Lodging ------------------------------------------------------------------------------------


def test_lodging_fills_the_amount_and_the_60_day_limit_once(net, at):
    _charges(net.consumer1, "2640")
    complaint = _late_close(_register(net.consumer1), resolved_after_due=timedelta(hours=5))
    moment = at(100)

    first = compensation_claim_lodge(complaint=complaint, channel="whatsapp")
    again = compensation_claim_lodge(complaint=complaint, channel="ivr")

    assert first.created and not again.created and again.claim.pk == first.claim.pk
    claim = CompensationClaim.objects.get()
    assert claim.number == f"CC-{complaint.number}" and claim.source == ClaimSource.CONSUMER
    assert (claim.days_late, claim.amount) == (1, Decimal("150.00"))
    assert claim.lodged_at == moment and claim.pay_by == moment + timedelta(days=60)
    events = complaint.events.filter(kind=EventKind.COMPENSATION_CLAIMED)
    assert events.count() == 1 and claim.number in events.get().note


def test_a_complaint_within_its_limit_owes_nothing(net, at):
    complaint = _register(net.consumer1)
    with pytest.raises(Conflict) as caught:
        compensation_claim_lodge(complaint=complaint, channel="whatsapp")
    assert caught.value.code == "not_breached"
    assert not CompensationClaim.objects.exists()


def test_a_non_compensable_category_owes_nothing(net, at):
    complaint = _late_close(
        _register(net.consumer1, category="safety_hazard"), resolved_after_due=timedelta(days=1)
    )
    with pytest.raises(Conflict) as caught:
        compensation_claim_lodge(complaint=complaint, channel="whatsapp")
    assert caught.value.code == "not_compensable"
    assert compensation_claims_raise() == 0


def test_a_claim_lodged_while_open_is_recomputed_at_closure(net, at):
    complaint = _register(net.consumer1)
    at(6 + 1)  # an hour late, still open
    Complaint.objects.filter(pk=complaint.pk).update(sla_breached_at=clock.now())
    claim = compensation_claim_lodge(complaint=complaint, channel="agent").claim
    assert claim.days_late == 1

    at(6 + 24 * 3)
    _late_close(complaint, resolved_after_due=timedelta(days=2, hours=12))
    compensation_claims_raise()

    claim.refresh_from_db()
    assert (claim.days_late, claim.amount) == (3, Decimal("450.00"))
    assert CompensationClaim.objects.count() == 1  # not raised again


# Automatic claims ---------------------------------------------------------------------------


def test_claims_are_raised_once_for_closed_late_complaints_and_the_consumer_told(net, at):
    _charges(net.consumer1, "2640")
    net.consumer1.consent_whatsapp = True
    net.consumer1.save(update_fields=["consent_whatsapp"])
    late = _late_close(_register(net.consumer1), resolved_after_due=timedelta(hours=30))
    on_time = _register(net.consumer2)
    Complaint.objects.filter(pk=on_time.pk).update(
        status=Status.CLOSED, resolved_at=on_time.due_at - timedelta(hours=1)
    )
    _register(net.consumer_p)  # open and late, but not closed yet
    at(24 * 5)
    Complaint.objects.update(sla_breached_at=None)  # the SLA sweep did not come by: still late

    assert compensation_claims_raise() == 1
    assert compensation_claims_raise() == 0

    claim = CompensationClaim.objects.get()
    assert claim.complaint_id == late.pk and claim.source == ClaimSource.AUTOMATIC
    assert claim.channel == "api" and claim.amount == Decimal("300.00")  # 2 days x 150
    assert claim.pay_by == clock.now() + timedelta(days=60)
    message = Notification.objects.get(topic=f"claim:{claim.pk}")
    assert message.channel == "whatsapp" and message.recipient == net.consumer1.mobile
    assert claim.number in message.text and "300.00" in message.text
    assert (
        ComplaintEvent.objects.filter(complaint=late, kind=EventKind.COMPENSATION_CLAIMED).count()
        == 1
    )


def test_a_consumer_without_whatsapp_is_told_by_sms_in_their_language(net, at):
    complaint = _late_close(_register(net.consumer2, "ug_cable"), resolved_after_due=timedelta(1))
    compensation_claims_raise()
    claim = CompensationClaim.objects.get(complaint=complaint)
    message = Notification.objects.get(topic=f"claim:{claim.pk}")
    assert message.channel == "sms" and message.language == "hi"
    assert "क्षतिपूर्ति" in message.text


# Decisions and payment ----------------------------------------------------------------------


@pytest.fixture
def claim(net, at) -> CompensationClaim:
    _charges(net.consumer1, "2640")
    complaint = _late_close(_register(net.consumer1), resolved_after_due=timedelta(hours=2))
    return compensation_claim_lodge(complaint=complaint, channel="agent").claim


def test_an_sdo_approves_and_pays_with_events(claim, staff, at):
    approved = compensation_claim_decide(claim=claim, approved=True, actor=staff["sdo"], note="")
    assert approved.status == ClaimStatus.APPROVED and approved.amount == Decimal("150.00")
    moment = at(48)
    paid = compensation_claim_pay(claim=claim, reference=" BILL-CR-77 ", actor=staff["sdo"])

    claim.refresh_from_db()
    assert paid.status == claim.status == ClaimStatus.PAID
    assert claim.paid_at == moment and claim.payment_reference == "BILL-CR-77"
    notes = list(claim.complaint.events.filter(kind=EventKind.NOTE).values_list("note", flat=True))
    assert any("approved" in n for n in notes) and any("BILL-CR-77" in n for n in notes)


def test_illegal_moves_are_conflicts_and_change_nothing(claim, staff):
    sdo = staff["sdo"]
    with pytest.raises(Conflict) as caught:
        compensation_claim_pay(claim=claim, reference="X1", actor=sdo)
    assert caught.value.code == "claim_not_approved"
    with pytest.raises(ValidationFailed):
        compensation_claim_decide(claim=claim, approved=False, actor=sdo, note="  ")
    compensation_claim_decide(claim=claim, approved=False, actor=sdo, note="duplicate claim")
    with pytest.raises(Conflict) as caught:
        compensation_claim_decide(claim=claim, approved=True, actor=sdo, note="")
    assert caught.value.code == "claim_decided"
    with pytest.raises(Conflict):
        compensation_claim_pay(claim=claim, reference="X1", actor=sdo)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.paid_at is None


def test_approval_waits_for_closure(net, staff, at):
    complaint = _register(net.consumer1)
    at(10)
    Complaint.objects.filter(pk=complaint.pk).update(sla_breached_at=clock.now())
    claim = compensation_claim_lodge(complaint=complaint, channel="agent").claim
    with pytest.raises(Conflict) as caught:
        compensation_claim_decide(claim=claim, approved=True, actor=staff["sdo"], note="")
    assert caught.value.code == "complaint_not_closed"


def test_only_officers_of_the_area_decide(claim, staff):
    with pytest.raises(NotAllowed):
        compensation_claim_decide(claim=claim, approved=True, actor=staff["je"], note="")
    with pytest.raises(NotFound):
        compensation_claim_decide(claim=claim, approved=True, actor=staff["sdo2"], note="")
    with pytest.raises(NotFound):
        compensation_claim_pay(claim=claim, reference="X", actor=staff["md_p"])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.LODGED


# Register, page and CSV ---------------------------------------------------------------------


def test_register_is_scoped_and_flags_overdue_payment(net, staff, claim, at):
    other = _late_close(_register(net.consumer2, "ug_cable"), resolved_after_due=timedelta(1))
    compensation_claims_raise()
    sdo_numbers = {c.number for c in compensation_register(user=staff["sdo"])}
    assert sdo_numbers == {claim.number}  # not the sibling sub-division's claim
    md_numbers = {c.number for c in compensation_register(user=staff["md"])}
    assert md_numbers == {claim.number, f"CC-{other.number}"}
    assert not compensation_register(user=staff["md_p"]).exists()

    at(24 * 61)
    overdue = compensation_register(user=staff["md"], filters=RegisterFilters(overdue_only=True))
    assert {c.number for c in overdue} == md_numbers
    assert all(c.payment_overdue for c in overdue)


def _as(client, user):
    client.force_login(user)
    return client


def test_the_csv_has_a_bom_hindi_labels_and_the_figures(client, net, staff, claim):
    net.sd1.name_hi = "अमीनाबाद प्रथम"
    net.sd1.save(update_fields=["name_hi"])

    response = _as(client, staff["sdo"]).get(
        reverse("staff:compensation_csv"), HTTP_ACCEPT_LANGUAGE="hi"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1]) == 17
    row = rows[1]
    assert row[:3] == [claim.number, claim.complaint.number, net.consumer1.account_number]
    assert row[3] == "वितरण ट्रांसफ़ॉर्मर खराब" and row[4].startswith("शहरी")
    assert row[5] == "अमीनाबाद प्रथम"
    assert row[6:10] == ["1", "150.00", "792.00", "150.00"]


def test_the_csv_is_scoped(client, staff, claim):
    response = _as(client, staff["sdo2"]).get(reverse("staff:compensation_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert claim.number not in body


def test_register_page_has_forms_for_officers_and_fixed_queries(client, net, staff, claim):
    client = _as(client, staff["md"])
    url = reverse("staff:compensation")
    client.get(url)  # warm up: session, translations
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert (
        claim.number in page and reverse("staff:compensation_decide", args=[claim.number]) in page
    )

    for category in ("ug_cable", "line_breakdown", "meter"):
        _late_close(_register(net.consumer2, category), resolved_after_due=timedelta(days=20))
    compensation_claims_raise()
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count("CC-") >= 4
    # Session, user, jurisdiction, count, one page of rows: whatever the number of claims.
    assert len(one.captured_queries) == len(four.captured_queries) == 5


def test_a_je_sees_the_register_but_no_forms(client, staff, claim):
    page = _as(client, staff["je"]).get(reverse("staff:compensation")).content.decode()
    assert claim.number in page
    assert reverse("staff:compensation_decide", args=[claim.number]) not in page


def test_deciding_and_paying_through_the_page(client, staff, claim):
    client = _as(client, staff["sdo"])
    client.post(reverse("staff:compensation_decide", args=[claim.number]), {"decision": "approve"})
    client.post(reverse("staff:compensation_pay", args=[claim.number]), {"reference": "NEFT-1"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.payment_reference == "NEFT-1"

    other = _as(client, staff["sdo2"])
    response = other.post(
        reverse("staff:compensation_pay", args=[claim.number]), {"reference": "x"}
    )
    assert response.status_code == 404
