"""GET /api/v1/consumers/lookup: the agent's consumer card, scoped by jurisdiction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from sampark.complaints.models import Status
from sampark.complaints.services import complaint_register
from sampark.testing.factories import ConsumerFactory

LOOKUP = "/api/v1/consumers/lookup"
DEVANAGARI = re.compile("[\u0900-\u097f]")


def lookup(client: Client, query: str, *, lang: str = "en") -> Any:
    return client.get(f"{LOOKUP}?{query}", HTTP_ACCEPT_LANGUAGE=lang)


def test_card_by_account_number_shows_network_and_open_complaints(client, net, staff):
    open_one = complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr")
    closed = complaint_register(consumer=net.consumer1, category="meter", channel="ivr")
    closed.complaint.status = Status.CLOSED
    closed.complaint.save()
    client.force_login(staff["agent"])

    response = lookup(client, "account_number=1234567890")

    assert response.status_code == 200
    (card,) = response.json()
    assert card["account_number"] == "1234567890" and card["name"] == net.consumer1.name
    assert (card["mobile"], card["area_type"], card["is_a_class"]) == (
        "+919839012345",
        "URBAN",
        True,
    )
    assert card["category_label"] == "Domestic"
    assert {level: node["code"] for level, node in card["network"].items()} == {
        "dt": "DT-AMN-1",
        "feeder": "F-AMN-1",
        "substation": "SS-AMN",
        "subdivision": "SD-AMN-1",
    }
    assert card["network"]["subdivision"]["name"] == "Aminabad I"
    (pending,) = card["open_complaints"]
    assert pending["number"] == open_one.complaint.number
    assert (pending["category"], pending["status"]) == ("no_supply", "assigned")


def test_card_by_mobile_in_any_common_form(client, net, staff):
    client.force_login(staff["je"])

    cards = lookup(client, "mobile=098390%2012345").json()

    assert [c["account_number"] for c in cards] == ["1234567890"]
    assert cards[0]["open_complaints"] == []


def test_a_shared_mobile_gives_every_card_in_scope(client, net, staff):
    ConsumerFactory(account_number="1234567899", mobile=net.consumer1.mobile, dt=net.dt1)
    ConsumerFactory(account_number="1234567898", mobile=net.consumer1.mobile, dt=net.dt_p)
    client.force_login(staff["je"])

    cards = lookup(client, "mobile=9839012345").json()

    assert [c["account_number"] for c in cards] == ["1234567890", "1234567899"]


def test_names_in_hindi_when_asked(client, net, staff):
    net.sd1.name_hi = "अमीनाबाद प्रथम"
    net.sd1.save()
    client.force_login(staff["agent"])

    (card,) = lookup(client, "account_number=1234567890", lang="hi").json()

    assert card["network"]["subdivision"]["name"] == "अमीनाबाद प्रथम"
    assert card["category_label"] == "घरेलू"


@pytest.mark.parametrize("user", ["je2", "md_p"])
def test_out_of_scope_consumer_is_not_found(client, net, staff, user):
    client.force_login(staff[user])

    response = lookup(client, "account_number=1234567890")

    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "fields"}
    assert net.consumer1.name not in response.content.decode()


def test_lookup_needs_staff(client, net):
    response = lookup(client, "account_number=1234567890")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "query"),
        ("account_number=12-34", "account_number"),
        ("mobile=12345", "mobile"),
    ],
)
def test_bad_lookup_names_the_field_in_hindi(client, net, staff, query, field):
    client.force_login(staff["agent"])

    response = lookup(client, query, lang="hi")

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {field}
    assert DEVANAGARI.search(response.json()["fields"][field])


def test_lookup_does_not_query_per_consumer(client, net, staff, django_assert_max_num_queries):
    for n in range(8):
        consumer = ConsumerFactory(
            account_number=f"55555555{n:02d}", mobile="+919839055555", dt=net.dt1
        )
        complaint_register(consumer=consumer, category="no_supply", channel="ivr")
    client.force_login(staff["agent"])

    with django_assert_max_num_queries(6):
        cards = lookup(client, "mobile=9839055555").json()

    assert len(cards) == 8 and all(len(c["open_complaints"]) == 1 for c in cards)
