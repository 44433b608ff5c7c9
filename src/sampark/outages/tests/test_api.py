"""/api/v1/outages: declare (session or control-room token), list, read, ETR, restore, cancel;
the one error shape; the agent's consumer card shows the outage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sampark.accounts.services import api_token_create
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.models import Outage, OutageEvent, OutageSource, OutageStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/outages"


def _iso(hours: float) -> str:
    return timezone.localtime(clock.now() + timedelta(hours=hours)).isoformat()


def _post(client, path, body, **headers):
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "en", **headers}
    return client.post(path, body, content_type="application/json", **with_lang)


@pytest.fixture
def je_client(client, staff):
    client.force_login(staff["je"])
    return client


def _declare(client, headers=None, **changes):
    body = {
        "kind": "unplanned",
        "feeder_codes": ["F-AMN-1"],
        "reason_code": "tree_fall",
        "etr": _iso(2),
        **changes,
    }
    return _post(client, URL, body, **(headers or {}))


def test_declare_with_a_session_then_read_it(je_client, net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _declare(je_client, reason_note="pole 14")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "active" and body["source"] == "field"
    assert body["reason"] == {"code": "tree_fall", "text": "Tree fallen on the line"}
    assert body["org_unit"]["code"] == "SD-AMN-1" and body["zone"]["code"] == "Z-LKO"
    assert [e["code"] for e in body["scope"]] == ["F-AMN-1"]
    assert body["affected_consumers"] == 1 and body["events"][0]["kind"] == "declared"
    assert body["declared_by"] == "je1"
    assert Notification.objects.count() == 1

    again = je_client.get(f"{URL}/{body['id']}", HTTP_ACCEPT_LANGUAGE="hi").json()
    assert again["reason"]["text"] == "लाइन पर पेड़ गिरा"


def test_scada_token_declares_as_its_owner(client, net, staff):
    _token, raw = api_token_create(owner=staff["sdo"], name="scada-lko")
    response = _declare(client, headers={"HTTP_AUTHORIZATION": f"Bearer {raw}"})
    assert response.status_code == 201
    outage = Outage.objects.get()
    assert outage.source == OutageSource.SCADA and outage.declared_via == "api:scada-lko"
    assert outage.declared_by == staff["sdo"]


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"feeder_codes": ["F-NOPE"]}, 422, "feeder_codes"),
        ({"feeder_codes": []}, 422, "scope"),
        ({"etr": "2020-01-01T10:00"}, 422, "etr"),
        ({"etr": "tomorrow-ish"}, 422, "etr"),
        ({"kind": "meteor"}, 422, "kind"),
        ({"reason_code": "aliens"}, 422, "reason_code"),
        ({"feeder_codes": ["F-BKT-1"]}, 403, "scope"),
    ],
)
def test_bad_declarations_answer_the_error_shape_and_write_nothing(
    je_client, net, changes, status, field
):
    response = _declare(je_client, **changes)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and field in body["fields"]
    assert Outage.objects.count() == OutageEvent.objects.count() == 0


def test_anonymous_and_agents_cannot_declare(client, net, staff):
    assert _declare(client).status_code == 401
    client.force_login(staff["agent"])
    assert _declare(client).status_code == 403
    assert Outage.objects.count() == 0


def test_list_is_scoped_and_filtered(client, net, staff, django_assert_max_num_queries):
    client.force_login(staff["admin"])
    for code in ("F-AMN-1", "F-BKT-1", "F-MRT-1"):
        assert _declare(client, feeder_codes=[code]).status_code == 201
    restored = Outage.objects.get(scope__feeder__code="F-BKT-1")
    Outage.objects.filter(pk=restored.pk).update(status=OutageStatus.RESTORED)

    client.force_login(staff["md"])
    with django_assert_max_num_queries(8):
        body = client.get(URL).json()
    assert body["count"] == 2
    live = client.get(f"{URL}?live=true").json()
    assert [o["scope"][0]["code"] for o in live["items"]] == ["F-AMN-1"]

    client.force_login(staff["je2"])
    assert client.get(f"{URL}?status=restored").json()["count"] == 1
    other = Outage.objects.get(scope__feeder__code="F-MRT-1")
    assert client.get(f"{URL}/{other.pk}").status_code == 404


def test_etr_restore_and_cancel(je_client, net, django_capture_on_commit_callbacks):
    outage_id = _declare(je_client).json()["id"]

    revised = _post(je_client, f"{URL}/{outage_id}/etr", {"etr": _iso(5), "note": "crew late"})
    assert revised.status_code == 200 and revised.json()["events"][-1]["kind"] == "etr_revised"
    past = _post(je_client, f"{URL}/{outage_id}/etr", {"etr": _iso(-1)})
    assert past.status_code == 422 and "etr" in past.json()["fields"]

    element = revised.json()["scope"][0]["id"]
    stranger = _post(je_client, f"{URL}/{outage_id}/restore", {"scope_ids": [element + 999]})
    assert stranger.status_code == 409 and "scope_ids" in stranger.json()["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        restored = _post(je_client, f"{URL}/{outage_id}/restore", {"scope_ids": [element]})
    assert restored.status_code == 200 and restored.json()["status"] == "restored"
    assert _post(je_client, f"{URL}/{outage_id}/restore", {}).status_code == 409
    assert _post(je_client, f"{URL}/{outage_id}/cancel", {}).status_code == 409

    planned = _declare(
        je_client,
        kind="planned",
        reason_code="maintenance_shutdown",
        starts_at=_iso(30),
        etr=_iso(34),
    ).json()
    assert planned["status"] == "scheduled"
    cancelled = _post(je_client, f"{URL}/{planned['id']}/cancel", {"note": "postponed"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_other_subdivision_gets_404_and_nothing_changes(client, je_client, net, staff):
    outage_id = _declare(je_client).json()["id"]
    client.force_login(staff["je2"])
    for path, body in (("etr", {"etr": _iso(9)}), ("restore", {}), ("cancel", {})):
        response = _post(client, f"{URL}/{outage_id}/{path}", body)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Outage.objects.get().status == OutageStatus.ACTIVE
    assert OutageEvent.objects.count() == 1


def test_reasons_list(je_client, net):
    reasons = je_client.get(f"{URL}/reasons", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"code": "dt_burnt", "text": "Transformer burnt"} in reasons


def test_consumer_card_shows_the_outage_first(client, je_client, net, staff):
    _declare(je_client, substation_codes=["SS-AMN"], feeder_codes=[])
    client.force_login(staff["agent"])

    (card,) = client.get(
        "/api/v1/consumers/lookup?account_number=1234567890", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    (outage,) = card["active_outages"]
    assert outage["reason"] == "Tree fallen on the line" and not outage["overdue"]
    (other,) = client.get("/api/v1/consumers/lookup?account_number=2234567890").json()
    assert other["active_outages"] == []
