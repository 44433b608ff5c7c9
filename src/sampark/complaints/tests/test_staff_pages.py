"""Staff pages: home list, consumer look-up and registration, complaint detail and actions.

Everything goes through the scoped selectors, so another area's complaint or consumer is a 404
and a refused action changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sampark.complaints.models import Complaint, ComplaintEvent, Status
from sampark.complaints.services import complaint_register
from sampark.core import clock
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db


def _register(consumer, category="no_supply") -> Complaint:
    return complaint_register(consumer=consumer, category=category, channel="web").complaint


@pytest.fixture
def complaints(net, staff):
    """One open complaint in each of MVVNL SD1 (routed to je1), MVVNL SD2 and PVVNL."""
    return {
        "sd1": _register(net.consumer1),
        "sd2": _register(net.consumer2),
        "pv": _register(net.consumer_p),
    }


def _as(client, user):
    client.force_login(user)
    return client


def _snapshot(complaint: Complaint) -> tuple[str, int | None, int]:
    complaint.refresh_from_db()
    return complaint.status, complaint.assigned_to_id, complaint.events.count()


# Home -------------------------------------------------------------------------------------


def test_home_shows_who_is_signed_in(client, staff, net):
    page = _as(client, staff["je"]).get(reverse("staff:home")).content.decode()
    assert staff["je"].first_name in page
    assert net.sd1.name_en in page


def test_home_lists_only_complaints_in_the_users_area(client, staff, complaints):
    numbers = {key: c.number for key, c in complaints.items()}
    page = _as(client, staff["je"]).get(reverse("staff:home")).content.decode()
    assert numbers["sd1"] in page
    assert numbers["sd2"] not in page and numbers["pv"] not in page

    page = _as(client, staff["md"]).get(reverse("staff:home")).content.decode()
    assert numbers["sd1"] in page and numbers["sd2"] in page
    assert numbers["pv"] not in page

    page = _as(client, staff["agent"]).get(reverse("staff:home")).content.decode()
    assert all(number in page for number in numbers.values())


def test_home_shows_open_complaints_by_due_time_and_filters(client, staff, net, complaints):
    closed = _register(net.consumer1, category="meter")
    Complaint.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    Complaint.objects.filter(pk=complaints["sd2"].pk).update(
        due_at=clock.now() - timedelta(hours=1)
    )
    client = _as(client, staff["md"])

    page = client.get(reverse("staff:home")).content.decode()
    assert closed.number not in page
    # Due soonest first: the overdue one leads.
    assert page.index(complaints["sd2"].number) < page.index(complaints["sd1"].number)
    assert page.count('class="badge badge-overdue"') == 1

    page = client.get(reverse("staff:home"), {"overdue": "on"}).content.decode()
    assert complaints["sd2"].number in page and complaints["sd1"].number not in page

    page = client.get(reverse("staff:home"), {"status": "all"}).content.decode()
    assert closed.number in page

    page = client.get(reverse("staff:home"), {"category": "meter", "status": "all"})
    assert closed.number in page.content.decode()
    assert complaints["sd1"].number not in page.content.decode()


def test_home_pages_fifty_at_a_time_with_a_fixed_number_of_queries(
    client, staff, net, django_assert_max_num_queries
):
    for _ in range(60):
        _register(ConsumerFactory(dt=net.dt1))
    client = _as(client, staff["je"])
    with django_assert_max_num_queries(6):
        first = client.get(reverse("staff:home"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("staff:home"), {"page": "2"})
    assert len(second.context["page"].object_list) == 10


def test_home_query_count_does_not_grow_with_rows(
    client, staff, net, django_assert_max_num_queries
):
    _register(net.consumer1)
    client = _as(client, staff["agent"])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("staff:home")).status_code == 200


def test_complaint_number_box_opens_the_complaint_or_says_not_in_area(client, staff, complaints):
    client = _as(client, staff["je"])
    number = complaints["sd1"].number
    response = client.get(reverse("staff:complaint_go"), {"number": number.replace("-", " ")})
    assert response["Location"] == reverse("staff:complaint", args=[number])
    response = client.get(reverse("staff:complaint_go"), {"number": complaints["pv"].number})
    assert response["Location"] == reverse("staff:home")


# Consumer look-up and registration --------------------------------------------------------


def test_consumer_search_by_mobile_and_by_account(client, staff, net):
    client = _as(client, staff["agent"])
    for query in ("98390 12345", "+919839012345", "1234567890"):
        response = client.get(reverse("staff:consumers"), {"q": query})
        assert response.status_code == 200, query
        page = response.content.decode()
        assert net.consumer1.name in page and net.consumer1.account_number in page
        assert net.dt1.code in page and net.feeder1.code in page and net.ss1.code in page


def test_consumer_card_lists_open_complaints(client, staff, net):
    complaint = _register(net.consumer1)
    page = _as(client, staff["agent"]).get(reverse("staff:consumers"), {"q": "1234567890"})
    assert complaint.number in page.content.decode()


def test_consumer_outside_the_area_is_not_found(client, staff, net):
    response = _as(client, staff["je"]).get(reverse("staff:consumers"), {"q": "3234567890"})
    assert response.status_code == 404
    assert net.consumer_p.name not in response.content.decode()


def test_register_from_the_card_then_repeat_shows_the_same_number(client, staff, net):
    client = _as(client, staff["agent"])
    url = reverse("staff:complaint_register", args=[net.consumer1.account_number])
    form = {"category": "no_supply", "description": "Light gayi hai"}

    first = client.post(url, form, follow=True)
    complaint = Complaint.objects.get()
    assert first.redirect_chain[-1][0] == reverse("staff:complaint", args=[complaint.number])
    assert complaint.channel == "agent" and complaint.description == "Light gayi hai"
    assert complaint.number in first.content.decode()
    assert [m.level_tag for m in first.context["messages"]] == ["success"]

    second = client.post(url, form, follow=True)
    assert Complaint.objects.count() == 1
    assert second.redirect_chain[-1][0] == reverse("staff:complaint", args=[complaint.number])
    (message,) = second.context["messages"]
    assert message.level_tag == "warning" and complaint.number in message.message


def test_register_for_a_consumer_outside_the_area_is_not_found(client, staff, net):
    url = reverse("staff:complaint_register", args=[net.consumer_p.account_number])
    response = _as(client, staff["je"]).post(url, {"category": "no_supply"})
    assert response.status_code == 404
    assert not Complaint.objects.exists()


def test_register_with_a_bad_category_changes_nothing(client, staff, net):
    url = reverse("staff:complaint_register", args=[net.consumer1.account_number])
    response = _as(client, staff["agent"]).post(url, {"category": "weather"})
    assert response.status_code == 302
    assert not Complaint.objects.exists()


# Complaint detail and actions -------------------------------------------------------------


def test_detail_shows_audit_trail_and_the_allowed_buttons(
    client, staff, complaints, django_assert_max_num_queries
):
    complaint = complaints["sd1"]
    client = _as(client, staff["je"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff:complaint", args=[complaint.number]))
    offered = [status for status, _label in response.context["transitions"]]
    # Assigned to je1: work, wait, resolve, cancel, duplicate. Not close/reopen (not from here).
    assert offered == [
        Status.IN_PROGRESS,
        Status.WAITING_CONSUMER,
        Status.RESOLVED,
        Status.CANCELLED,
        Status.DUPLICATE,
    ]
    assert len(response.context["events"]) == 2  # registered, routed
    assert response.context["assign_form"] is None  # a JE does not reassign


def test_desk_agent_gets_no_field_work_buttons(client, staff, complaints):
    response = _as(client, staff["agent"]).get(
        reverse("staff:complaint", args=[complaints["sd1"].number])
    )
    offered = {status for status, _label in response.context["transitions"]}
    assert offered == {Status.CANCELLED, Status.DUPLICATE}


def test_transition_button_moves_the_complaint_and_records_it(client, staff, complaints):
    complaint = complaints["sd1"]
    url = reverse("staff:complaint_transition", args=[complaint.number])
    response = _as(client, staff["je"]).post(
        url, {"to_status": Status.IN_PROGRESS, "note": "lineman on the way"}, follow=True
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    last = complaint.events.last()
    assert last is not None and last.note == "lineman on the way"
    assert last.actor == staff["je"]
    assert "lineman on the way" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "to_status"),
    [
        ("je", Status.CLOSED),  # not from "assigned": the table refuses
        ("je", Status.ASSIGNED),  # a JE may not assign
        ("agent", Status.RESOLVED),  # the desk does not do field work
        ("je", "teleported"),  # not a status at all
    ],
)
def test_refused_transition_changes_nothing(client, staff, complaints, role, to_status):
    complaint = complaints["sd1"]
    before = _snapshot(complaint)
    url = reverse("staff:complaint_transition", args=[complaint.number])
    response = _as(client, staff[role]).post(url, {"to_status": to_status}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert _snapshot(complaint) == before


def test_other_subdivision_gets_404_and_changes_nothing(client, staff, complaints):
    complaint = complaints["sd1"]
    before = _snapshot(complaint)
    client = _as(client, staff["je2"])
    assert client.get(reverse("staff:complaint", args=[complaint.number])).status_code == 404
    response = client.post(
        reverse("staff:complaint_transition", args=[complaint.number]),
        {"to_status": Status.IN_PROGRESS},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("staff:complaint_assign", args=[complaint.number]),
        {"assignee": str(staff["je2"].pk)},
    )
    assert response.status_code == 404
    assert _snapshot(complaint) == before


def test_sdo_reassigns_within_the_area_only(client, staff, complaints):
    complaint = complaints["sd1"]
    client = _as(client, staff["sdo"])
    detail = client.get(reverse("staff:complaint", args=[complaint.number]))
    choices = set(detail.context["assign_form"].fields["assignee"].queryset)
    assert choices == {staff["je"], staff["sdo"]}

    url = reverse("staff:complaint_assign", args=[complaint.number])
    before = _snapshot(complaint)
    client.post(url, {"assignee": str(staff["je2"].pk)})  # another sub-division's JE
    assert _snapshot(complaint) == before

    client.post(url, {"assignee": str(staff["sdo"].pk), "note": "taking it myself"})
    complaint.refresh_from_db()
    assert complaint.assigned_to == staff["sdo"]
    assert ComplaintEvent.objects.filter(complaint=complaint, note="taking it myself").exists()


def test_unknown_complaint_number_is_404(client, staff):
    response = _as(client, staff["admin"]).get(reverse("staff:complaint", args=["MV-000000-1"]))
    assert response.status_code == 404
