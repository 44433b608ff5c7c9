""" "Was this consumer told?": the staff API and page, scoped to the user's jurisdiction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from sampark.accounts.services import api_token_create
from sampark.core import clock
from sampark.notifications.selectors import recipient_mask
from sampark.testing.factories import ConsumerFactory

from .conftest import RESTORED_HI, row

pytestmark = pytest.mark.django_db

API = "/api/v1/consumers/{}/notifications"
PAGE = "/staff/consumers/{}/messages/"


@pytest.fixture
def told(net, frozen) -> dict[str, Any]:
    """consumer1 (sub-division 1) got three messages about two outages; consumer2 one."""
    start = frozen.now
    declared = row(
        consumer=net.consumer1,
        event="declared",
        status="sent",
        provider="http_sms",
        provider_message_id="gw-17",
        attempts=1,
        sent_at=start + timedelta(seconds=3),
        created_at=start,
        dlt_template_id="1107160000000000001",
        segments=2,
    )
    restored = row(
        consumer=net.consumer1,
        channel="whatsapp",
        event="restored",
        status="delivered",
        provider="whatsapp_cloud",
        provider_message_id="wamid.1",
        attempts=1,
        sent_at=start + timedelta(hours=2, seconds=2),
        delivered_at=start + timedelta(hours=2, seconds=9),
        created_at=start + timedelta(hours=2),
    )
    other = row(
        consumer=net.consumer1,
        topic="outage:18",
        status="failed",
        attempts=1,
        last_error="permanent: refused (HTTP 400): Invalid mobile",
        failed_at=start + timedelta(days=1, seconds=1),
        created_at=start + timedelta(days=1),
    )
    row(consumer=net.consumer2, recipient="+919839022222")
    return {"declared": declared, "restored": restored, "other": other}


def get(client: Client, url: str, **extra: Any) -> Any:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **extra)


# --- API -----------------------------------------------------------------------------------


def test_every_message_with_status_and_times_newest_first(client, staff, told):
    client.force_login(staff["je"])

    response = get(client, API.format("1234567890"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [
        told["other"].pk,
        told["restored"].pk,
        told["declared"].pk,
    ]
    declared = body["items"][2]
    assert declared == {
        "id": told["declared"].pk,
        "topic": "outage:17",
        "event": "declared",
        "channel": "sms",
        "channel_label": "SMS",
        "recipient": "+********2345",
        "template_key": "outage_restored",
        "language": "hi",
        "text": RESTORED_HI,
        "segments": 2,
        "dlt_template_id": "1107160000000000001",
        "status": "sent",
        "status_label": "Sent",
        "attempts": 1,
        "last_error": "",
        "provider": "http_sms",
        "provider_message_id": "gw-17",
        "fallback_of": None,
        "created_at": "2026-05-01T12:00:00+05:30",
        "next_attempt_at": "2026-05-01T12:00:00+05:30",
        "sent_at": "2026-05-01T12:00:03+05:30",
        "delivered_at": None,
        "failed_at": None,
    }
    assert body["items"][1]["delivered_at"] == "2026-05-01T14:00:09+05:30"
    assert body["items"][0]["last_error"].endswith("Invalid mobile")


def test_topic_narrows_to_one_outage(client, staff, told):
    client.force_login(staff["agent"])

    body = get(client, API.format("1234567890") + "?topic=outage:17").json()

    assert {item["id"] for item in body["items"]} == {told["declared"].pk, told["restored"].pk}


def test_the_full_number_never_leaves_the_api(client, staff, told):
    client.force_login(staff["agent"])

    text = get(client, API.format("1234567890")).content.decode()

    assert "9839012345" not in text


@pytest.mark.parametrize(("user", "status"), [("je2", 404), ("md_p", 404), ("md", 200)])
def test_consumers_outside_the_jurisdiction_are_not_found(client, staff, told, user, status):
    client.force_login(staff[user])

    response = get(client, API.format("1234567890"))

    assert response.status_code == status
    if status == 404:
        assert set(response.json()) == {"code", "message", "fields"}
        assert RESTORED_HI not in response.content.decode()


@pytest.mark.parametrize(("account", "status"), [("12345", 422), ("9999999999", 404)])
def test_bad_and_unknown_accounts(client, staff, told, account, status):
    client.force_login(staff["agent"])

    assert get(client, API.format(account)).status_code == status


def test_anonymous_callers_are_refused_and_tokens_work(client, staff, told):
    _, key = api_token_create(owner=staff["agent"], name="regulator-desk")

    anonymous = get(client, API.format("1234567890"))
    with_token = get(client, API.format("1234567890"), HTTP_AUTHORIZATION=f"Bearer {key}")

    assert anonymous.status_code == 401
    assert with_token.status_code == 200 and with_token.json()["count"] == 3


def test_the_api_does_not_query_per_row(client, staff, told, net, django_assert_max_num_queries):
    client.force_login(staff["agent"])
    with django_assert_max_num_queries(6) as few:
        assert get(client, API.format("1234567890")).json()["count"] == 3
    for n in range(30):
        row(consumer=net.consumer1, event=f"etr:{n}", created_at=clock.now())

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(get(client, API.format("1234567890") + "?limit=200").json()["items"]) == 33


def test_the_endpoint_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/consumers/{account_number}/notifications" in schema["paths"]


# --- staff page ----------------------------------------------------------------------------


def test_page_lists_every_message_masked(client, staff, told):
    client.force_login(staff["je"])

    response = get(client, PAGE.format("1234567890"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(RESTORED_HI) == 3
    assert "+********2345" in page and "9839012345" not in page
    assert "gw-17" in page and "wamid.1" in page and "Invalid mobile" in page
    assert "DLT 1107160000000000001" in page and "2 SMS segments" in page
    assert 'class="status status-delivered"' in page


def test_page_topic_filter(client, staff, told):
    client.force_login(staff["je"])

    page = get(client, PAGE.format("1234567890"), data={"topic": "outage:18"}).content.decode()

    assert page.count(RESTORED_HI) == 1 and "Invalid mobile" in page


def test_page_outside_the_area_is_404(client, staff, told):
    client.force_login(staff["je2"])

    response = get(client, PAGE.format("1234567890"))

    assert response.status_code == 404
    assert RESTORED_HI not in response.content.decode()


def test_page_needs_sign_in(client, told):
    response = get(client, PAGE.format("1234567890"))

    assert response.status_code == 302 and "/login" in response["Location"]


def test_page_in_hindi(client, staff, told):
    client.force_login(staff["je"])

    page = client.get(PAGE.format("1234567890"), HTTP_ACCEPT_LANGUAGE="hi")

    assert page.status_code == 200


def test_page_query_count_is_fixed(client, staff, told, net, django_assert_max_num_queries):
    client.force_login(staff["je"])
    with django_assert_max_num_queries(7) as few:
        assert get(client, PAGE.format("1234567890")).status_code == 200
    other = ConsumerFactory(dt=net.dt1)
    for n in range(40):
        row(consumer=net.consumer1, event=f"etr:{n}")
        row(consumer=other, event=f"etr:{n}", recipient="+919839055555")

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, PAGE.format("1234567890")).status_code == 200


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "masked"),
    [
        ("+919839012345", "+********2345"),
        ("asha.verma@example.in", "a***@example.in"),
        ("-1001234567890", "**********7890"),
        ("@uppcl_lko", "******_lko"),
        ("123", "123"),
    ],
)
def test_recipient_mask(recipient, masked):
    assert recipient_mask(recipient) == masked
