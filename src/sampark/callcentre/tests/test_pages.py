"""Staff pages: the KPI page (supervisors and officers) and the callbacks list where the desk
records its tries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampark.accounts.models import Role
from sampark.callcentre.models import Callback, CallbackStatus
from sampark.testing.factories import StaffFactory

from .conftest import ist, replay

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(net):
    return StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)


def _calls(staff):
    replay(
        [
            ("p1", "offered", ist(4, 10, 0), {"calling_number": "9839012345"}),
            ("p1", "queued", ist(4, 10, 0, 10), {"queue": "general"}),
            ("p1", "answered", ist(4, 10, 0, 20), {"agent": staff["agent"]}),
            ("p1", "completed", ist(4, 10, 3, 20)),
            ("p2", "offered", ist(4, 11, 0), {"calling_number": "9839022222"}),
            ("p2", "queued", ist(4, 11, 0, 10), {"queue": "general"}),
            ("p2", "abandoned", ist(4, 11, 2, 10)),
            ("p3", "offered", ist(4, 17, 59), {"calling_number": "9839033333"}),
            ("p3", "queued", ist(4, 17, 59, 30), {"queue": "emergency"}),
        ]
    )


def test_the_kpi_page_shows_the_hours_the_total_the_queues_and_agents(client, supervisor, staff):
    _calls(staff)
    client.force_login(supervisor)

    response = client.get(reverse("callcentre:kpis"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.period.hour, row.offered) for row in rows] == [(10, 1), (11, 1), (17, 1)]
    assert response.context["total"].offered == 3
    queues = {q.queue: q for q in response.context["queues"]}
    assert queues["emergency"].waiting == 1 and queues["emergency"].longest_wait_seconds == 30
    assert (queues["general"].answered_today, queues["general"].abandoned_today) == (1, 1)
    (agent,) = response.context["agents"]
    name = staff["agent"].get_full_name()
    assert (agent.name, agent.answered_today, agent.aht_seconds) == (name, 1, 180.0)
    assert "Call KPIs" in response.content.decode()


def test_the_kpi_page_by_discom_over_days(client, supervisor, staff):
    _calls(staff)
    client.force_login(supervisor)

    response = client.get(
        reverse("callcentre:kpis"),
        {"day_from": "2026-05-03", "day_to": "2026-05-04", "bucket": "day", "by": "discom"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert [(row.discom.code, row.offered) for row in response.context["rows"]] == [
        ("MVVNL", 2),
        ("PVVNL", 1),
    ]


def test_a_bad_period_falls_back_to_today_and_says_why(client, supervisor, staff):
    client.force_login(supervisor)

    response = client.get(
        reverse("callcentre:kpis"),
        {"day_from": "2026-05-04", "day_to": "2026-05-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "The last day must not come before the first." in response.content.decode()
    assert response.context["choice"].start == ist(4, 0)


def test_agents_and_field_staff_cannot_see_the_kpi_page(client, staff):
    for who in ("agent", "je"):
        client.force_login(staff[who])
        assert client.get(reverse("callcentre:kpis")).status_code == 403


def test_the_desk_sees_callbacks_due_and_records_a_try(client, staff):
    _calls(staff)
    client.force_login(staff["agent"])
    callback = Callback.objects.get()

    page = client.get(reverse("callcentre:callbacks"), HTTP_ACCEPT_LANGUAGE="en")
    posted = client.post(
        reverse("callcentre:callback_attempt", args=[callback.pk]),
        {"result": "reached", "note": "supply back, thanked"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 200 and page.context["showing_due"]
    assert [cb.pk for cb in page.context["page"].object_list] == [callback.pk]
    assert "+919839022222" in page.content.decode()
    assert posted.status_code == 302
    callback.refresh_from_db()
    assert (callback.status, callback.agent, callback.note) == (
        CallbackStatus.REACHED,
        staff["agent"],
        "supply back, thanked",
    )


def test_a_refused_try_changes_nothing_and_says_why(client, staff):
    _calls(staff)
    client.force_login(staff["agent"])
    callback = Callback.objects.get()

    response = client.post(
        reverse("callcentre:callback_attempt", args=[callback.pk]),
        {"result": "complaint", "complaint_number": "MV-000000-99999"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "No complaint in your area has this number." in response.content.decode()
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.PENDING and callback.attempts == 0


def test_another_areas_callback_is_a_404(client, net, staff):
    _calls(staff)
    pv_desk = StaffFactory(username="sup_pv", role=Role.SUPERVISOR, jurisdiction=net.pvvnl)
    client.force_login(pv_desk)
    callback = Callback.objects.get()  # an MVVNL consumer's

    response = client.post(
        reverse("callcentre:callback_attempt", args=[callback.pk]), {"result": "reached"}
    )

    assert response.status_code == 404
    assert Callback.objects.get().attempts == 0


def test_officers_see_every_callback_by_status_without_forms(client, staff):
    _calls(staff)
    client.force_login(staff["md"])

    response = client.get(
        reverse("callcentre:callbacks"), {"status": "pending"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200 and not response.context["can_work"]
    assert len(response.context["page"].object_list) == 1
    assert "/attempt/" not in response.content.decode()
    client.force_login(staff["je"])
    assert client.get(reverse("callcentre:callbacks")).status_code == 403


@pytest.mark.parametrize(
    "model", ["call", "callevent", "callback", "callbackattempt", "agentstate", "rostershift"]
)
def test_every_model_has_an_admin_page(client, staff, model):
    _calls(staff)
    client.force_login(staff["admin"])

    response = client.get(reverse(f"admin:callcentre_{model}_changelist"))

    assert response.status_code == 200
