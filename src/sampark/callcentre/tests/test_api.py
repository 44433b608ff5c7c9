"""/api/v1/callcentre: telephony events (single, batch, bare list) and KPIs; bearer-token and
session auth; every refusal in the one error shape, nothing half-written."""

from __future__ import annotations

import pytest
from django.test import TestCase

from sampark.accounts.models import Role
from sampark.accounts.services import api_token_create
from sampark.callcentre.models import Call, Callback, CallEvent
from sampark.notifications.models import Notification
from sampark.testing.factories import StaffFactory

from .conftest import ist

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/callcentre/events"
KPIS = "/api/v1/callcentre/kpis"


@pytest.fixture
def supervisor(net):
    return StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)


@pytest.fixture
def bearer(supervisor):
    _, raw = api_token_create(owner=supervisor, name="exotel")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, body, headers, raw=False):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            EVENTS,
            body,
            content_type="application/json" if not raw else "text/plain",
            **headers,
        )


def event(call_id="e1", kind="offered", at="2026-05-04T10:00:00+05:30", **extra):
    return {"call_id": call_id, "kind": kind, "at": at, "source": "exotel", **extra}


def test_a_single_event_with_a_token(client, bearer, net):
    response = post(client, event(calling_number="9839012345", discom="MVVNL"), bearer)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["received"] == 1
    (call,) = body["calls"]
    assert call["call_id"] == "e1" and call["outcome"] == "in_progress"
    assert call["offered_at"] == "2026-05-04T10:00:00+05:30"
    assert call["discom"] == "MVVNL" and call["callback_id"] is None
    assert Call.objects.get().source == "exotel"


def test_a_batch_and_a_bare_list_with_naive_times_taken_as_ist(client, bearer, staff):
    batch = {
        "events": [
            event("b1", "offered", "2026-05-04T10:00:00", calling_number="9839022222"),
            event("b1", "queued", "2026-05-04T10:00:20", queue="general"),
            event("b1", "abandoned", "2026-05-04T10:01:20"),
        ]
    }
    bare = [
        event("b2", "offered", "2026-05-04T10:05:00", calling_number="9839012345"),
        event("b2", "answered", "2026-05-04T10:05:30", agent="agent"),
        event("b2", "completed", "2026-05-04T10:08:30"),
    ]

    first = post(client, batch, bearer)
    second = post(client, bare, bearer)

    assert first.status_code == second.status_code == 200
    (abandoned,) = first.json()["calls"]
    assert abandoned["outcome"] == "abandoned"
    # Opened after commit (here: when the test's capture ends, after the answer was rendered).
    assert Callback.objects.filter(call__call_id="b1").exists()
    (answered,) = second.json()["calls"]
    assert answered["outcome"] == "answered" and answered["agent"] == "agent"
    assert Call.objects.get(call_id="b1").queued_at == ist(4, 10, 0, 20)


def test_a_replayed_batch_changes_nothing(client, bearer, net):
    batch = [
        event("r1", "offered", calling_number="9839022222"),
        event("r1", "abandoned", "2026-05-04T10:01:00+05:30"),
    ]
    post(client, batch, bearer)

    again = post(client, batch, bearer)

    assert again.status_code == 200 and again.json()["received"] == 2
    assert CallEvent.objects.count() == 2
    assert Callback.objects.count() == 1 and Notification.objects.count() == 1


def test_a_bad_event_in_a_batch_refuses_the_batch_naming_it(client, bearer, net):
    batch = {
        "events": [
            event("v1", "offered"),
            event("v1", "ringing"),  # not a kind: the service's own message
            event("v2", "offered", "not a time"),
        ]
    }

    response = post(client, batch, bearer)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    # Shape problems are found first, before anything is recorded.
    assert body["fields"] == {
        "events.2.at": "Enter a date and time, for example 2026-05-01T14:30+05:30."
    }
    assert not Call.objects.exists()


def test_a_service_refusal_names_the_event_and_rolls_back_the_batch(client, bearer, net):
    batch = [event("v1", "offered"), event("v1", "ringing"), event("v1", "queued", queue="vip")]

    response = post(client, batch, bearer)

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "events.1.kind": (
            "Choose offered, queued, answered, abandoned, transferred, completed, dropped or ivr."
        )
    }
    assert not Call.objects.exists() and not CallEvent.objects.exists()


def test_unknown_agents_and_discoms_are_named(client, bearer, net):
    response = post(client, event(agent="ghost", discom="NOPE"), bearer)

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "agent": "No staff user has this username.",
        "discom": "No discom in your area has this code.",
    }


def test_missing_fields_and_unreadable_bodies(client, bearer, net):
    missing = post(client, {"kind": "offered"}, bearer)
    garbage = post(client, "{not json", bearer, raw=True)
    scalar = post(client, 42, bearer)
    empty_batch = post(client, {"events": []}, bearer)

    assert missing.status_code == 422
    assert missing.json()["fields"] == {
        "call_id": "This field is required.",
        "at": "This field is required.",
    }
    assert garbage.status_code == 400 and garbage.json()["code"] == "bad_request"
    assert scalar.status_code == 400
    assert empty_batch.status_code == 422 and "events" in empty_batch.json()["fields"]
    assert not Call.objects.exists()


def test_errors_are_in_hindi_by_default(client, bearer, net):
    headers = {**bearer, "HTTP_ACCEPT_LANGUAGE": "hi"}

    response = post(client, {"kind": "offered"}, headers)

    assert response.status_code == 422
    assert response.json()["fields"]["call_id"] != "This field is required."


def test_authentication_and_permission(client, net, staff):
    anonymous = post(client, event(), {"HTTP_ACCEPT_LANGUAGE": "en"})
    wrong = post(client, event(), {"HTTP_AUTHORIZATION": "Bearer smp_wrong"})
    _, agent_key = api_token_create(owner=staff["agent"], name="desk")
    agent = post(client, event(), {"HTTP_AUTHORIZATION": f"Bearer {agent_key}"})

    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert wrong.status_code == 401
    assert agent.status_code == 403 and agent.json()["code"] == "forbidden"
    assert not Call.objects.exists()


def test_a_discom_outside_the_tokens_area_is_refused(client, net):
    pv_sup = StaffFactory(username="sup_pv", role=Role.SUPERVISOR, jurisdiction=net.pvvnl)
    _, raw = api_token_create(owner=pv_sup, name="pv-exotel")

    response = post(
        client,
        event(discom="MVVNL"),
        {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"},
    )

    assert response.status_code == 422 and "discom" in response.json()["fields"]


def _stream(client, bearer):
    post(
        client,
        [
            event("k1", "offered", "2026-05-04T10:00:00+05:30", calling_number="9839012345"),
            event("k1", "queued", "2026-05-04T10:00:10+05:30", queue="general"),
            event("k1", "answered", "2026-05-04T10:00:40+05:30", agent="agent"),
            event("k1", "completed", "2026-05-04T10:03:40+05:30"),
            event("k2", "offered", "2026-05-04T10:30:00+05:30", calling_number="9839033333"),
            event("k2", "queued", "2026-05-04T10:30:10+05:30", queue="general"),
            event("k2", "abandoned", "2026-05-04T10:31:10+05:30"),
        ],
        bearer,
    )


def test_kpis_by_hour(client, bearer, staff):
    _stream(client, bearer)

    response = client.get(
        KPIS, {"start": "2026-05-04T00:00:00+05:30", "end": "2026-05-05T00:00:00+05:30"}, **bearer
    )

    assert response.status_code == 200, response.json()
    (row,) = response.json()
    assert row["period"] == "2026-05-04T10:00:00+05:30"
    assert (row["offered"], row["answered"], row["abandoned"]) == (2, 1, 1)
    assert (row["asa_seconds"], row["aht_seconds"]) == (30.0, 180.0)
    assert row["service_level"] == 0.0  # 30 s > 20 s, and k2 gave up after 60 s
    assert (row["abandonment_rate"], row["callbacks_owed"], row["not_called_back"]) == (0.5, 1, 1)


def test_kpis_default_to_today_by_the_hour_and_take_a_threshold(client, bearer, staff):
    _stream(client, bearer)

    default = client.get(KPIS, **bearer)
    lenient = client.get(KPIS, {"service_level_seconds": 30, "by": "agent"}, **bearer)

    assert [row["offered"] for row in default.json()] == [2]
    assert [(row["agent"], row["service_level"]) for row in lenient.json()] == [
        (None, 0.0),  # k2: abandoned after 60 s
        ("agent", 1.0),
    ]


def test_kpis_per_discom_only_in_the_users_area(client, bearer, net, staff):
    _stream(client, bearer)
    md_pv = staff["md_p"]
    _, raw = api_token_create(owner=md_pv, name="md dashboard")
    md = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}

    everyone = client.get(KPIS, {"by": "discom"}, **bearer).json()
    pv_only = client.get(KPIS, {"by": "discom"}, **md).json()
    mv_asked = client.get(KPIS, {"discom": "MVVNL"}, **md)

    assert [(row["discom"], row["offered"]) for row in everyone] == [("MVVNL", 1), ("PVVNL", 1)]
    assert [(row["discom"], row["offered"]) for row in pv_only] == [("PVVNL", 1)]
    assert mv_asked.status_code == 422 and "discom" in mv_asked.json()["fields"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"bucket": "week"}, "bucket"),
        ({"by": "zone"}, "by"),
        ({"start": "2026-05-04T10:00", "end": "2026-05-04T09:00"}, "end"),
        ({"start": "2026-01-01T00:00", "end": "2026-05-01T00:00"}, "start"),
        ({"service_level_seconds": 0}, "service_level_seconds"),
        ({"start": "soon"}, "start"),
    ],
)
def test_bad_kpi_queries(client, bearer, net, query, field):
    response = client.get(KPIS, query, **bearer)

    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_kpis_need_a_supervisor(client, staff):
    client.force_login(staff["agent"])

    assert client.get(KPIS, HTTP_ACCEPT_LANGUAGE="en").status_code == 403
    client.force_login(staff["md"])
    assert client.get(KPIS, HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_the_events_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()

    body = schema["paths"]["/api/v1/callcentre/events"]["post"]["requestBody"]
    assert len(body["content"]["application/json"]["schema"]["oneOf"]) == 3
    assert "/api/v1/callcentre/kpis" in schema["paths"]
