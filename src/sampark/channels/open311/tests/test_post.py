"""POST requests: an integration's api_key, the spec's fields and our attributes become one
complaint through complaint_register; every refusal writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest

from sampark.accounts.services import api_token_create, api_token_revoke
from sampark.channels.models import Open311Request
from sampark.complaints.models import Channel, Complaint, ComplaintEvent, EventKind

from .conformance import valid_json, valid_xml

BASE = "/open311/v2"


@pytest.fixture
def api_key(staff) -> str:
    _token, raw_key = api_token_create(owner=staff["agent"], name="city app")
    return raw_key


def submit(client, fields: dict[str, Any], *, fmt: str = "json", lang: str = "en") -> Any:
    return client.post(
        f"{BASE}/requests.{fmt}",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def nothing_written() -> bool:
    return (
        Complaint.objects.count() == 0
        and ComplaintEvent.objects.count() == 0
        and Open311Request.objects.count() == 0
    )


def consumer_fields(api_key: str, **more: str) -> dict[str, str]:
    return {
        "api_key": api_key,
        "service_code": "dt_failure",
        "attribute[account_number]": "1234567890",
        "attribute[mobile]": "9839012345",
        "description": "Transformer burst near the temple",
        **more,
    }


def test_consumer_request_creates_one_complaint_and_answers_its_id(client, net, api_key):
    response = submit(client, consumer_fields(api_key, account_id="app-user-7"))

    assert response.status_code == 201
    [answer] = valid_json(response, "post_response")
    complaint = Complaint.objects.get()
    assert answer["service_request_id"] == complaint.number
    assert answer["account_id"] == "app-user-7"
    assert "by" in answer["service_notice"] and "6 hours" in answer["service_notice"]
    assert complaint.channel == Channel.OPEN311
    assert complaint.consumer == net.consumer1
    assert complaint.category == "dt_failure"
    assert complaint.language == "en"
    assert complaint.description == "Transformer burst near the temple"
    registered = complaint.events.get(kind=EventKind.REGISTERED)
    assert registered.actor.username == "agent"
    assert registered.actor_label == "api:city app"
    row = Open311Request.objects.get()
    assert (row.complaint, row.created, row.token) == (complaint, True, answer["token"])


def test_the_token_of_a_request_answers_its_id(client, net, api_key):
    [answer] = valid_json(submit(client, consumer_fields(api_key)), "post_response")

    as_json = client.get(f"{BASE}/tokens/{answer['token']}.json")
    as_xml = client.get(f"{BASE}/tokens/{answer['token']}.xml")
    unknown = client.get(f"{BASE}/tokens/not-a-token.json", HTTP_ACCEPT_LANGUAGE="en")

    assert valid_json(as_json, "tokens") == [
        {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    ]
    assert (
        valid_xml(as_xml, "tokens")["request"][0]["service_request_id"]
        == (answer["service_request_id"])
    )
    assert unknown.status_code == 404
    assert valid_json(unknown, "errors")[0]["description"] == "No service request has this token."


def test_post_answers_in_xml_too(client, net, api_key):
    response = submit(client, consumer_fields(api_key), fmt="xml")

    assert response.status_code == 201
    request = valid_xml(response, "post_response")["request"]
    assert request["service_request_id"] == Complaint.objects.get().number
    assert "account_id" not in request  # none given: the element is left out


def test_unregistered_caller_by_point_is_placed_on_the_nearest_transformer(client, net, api_key):
    net.dt1.latitude, net.dt1.longitude = Decimal("26.846700"), Decimal("80.946200")
    net.dt1.save()
    fields = {
        "api_key": api_key,
        "service_code": "line_breakdown",
        "lat": "26.8469",
        "long": "80.9460",
        "address_string": "Gali 4, Aminabad",
        "phone": "98390 55555",
        "first_name": "Ravi",
        "last_name": "Verma",
        "email": "ravi@example.org",
        "device_id": "device-1",
        "media_url": "https://img.example.org/wire.jpg",
        "description": "Wire down on the road",
    }

    response = submit(client, fields)

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.consumer is None
    assert (complaint.dt, complaint.feeder, complaint.subdivision) == (
        net.dt1,
        net.feeder1,
        net.sd1,
    )
    assert complaint.contact_mobile == "+919839055555"
    assert complaint.contact_name == "Ravi Verma"
    assert complaint.location_text == "Gali 4, Aminabad; 26.846900, 80.946000"
    assert complaint.description == "Wire down on the road\nhttps://img.example.org/wire.jpg"
    row = Open311Request.objects.get()
    assert (row.email, row.device_id, row.media_url) == (
        "ravi@example.org",
        "device-1",
        "https://img.example.org/wire.jpg",
    )


def test_a_point_far_from_any_transformer_leaves_the_complaint_with_the_state_desk(
    client, net, api_key
):
    fields = {
        "api_key": api_key,
        "service_code": "other",
        "lat": "25.0",
        "long": "82.0",
        "phone": "9839055555",
    }

    assert submit(client, fields).status_code == 201
    complaint = Complaint.objects.get()
    assert (complaint.dt, complaint.org_unit) == (None, net.state)
    assert complaint.location_text == "25.000000, 82.000000"


def test_address_id_names_a_transformer_or_feeder(client, net, api_key):
    base = {"api_key": api_key, "service_code": "other", "phone": "9839055555"}

    by_feeder = submit(client, {**base, "address_id": "F-BKT-1"})
    unknown = submit(client, {**base, "service_code": "meter", "address_id": "NOPE"})

    assert by_feeder.status_code == 201
    assert Complaint.objects.get().feeder == net.feeder2_rural
    assert unknown.status_code == 400
    assert valid_json(unknown, "errors") == [
        {
            "code": 400,
            "description": "address_id: No distribution transformer or feeder has this code.",
        }
    ]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"api_key": "smp_not-a-key"},
    ],
    ids=["missing", "wrong"],
)
def test_missing_or_wrong_api_key_is_a_403_and_nothing_is_written(client, net, fields):
    response = submit(client, {**consumer_fields(""), **fields})

    assert response.status_code == 403
    [error] = valid_json(response, "errors")
    assert error["code"] == 403 and "api_key" in error["description"]
    assert nothing_written()


def test_revoked_api_key_is_refused_in_xml_too(client, net, staff):
    token, raw_key = api_token_create(owner=staff["agent"], name="old app")
    api_token_revoke(token=token)

    response = submit(client, consumer_fields(raw_key), fmt="xml")

    assert response.status_code == 403
    assert valid_xml(response, "errors")["error"][0]["code"] == 403
    assert nothing_written()


def test_missing_fields_are_each_named_and_nothing_is_written(client, net, api_key):
    response = submit(client, {"api_key": api_key})

    assert response.status_code == 400
    errors = valid_json(response, "errors")
    assert {e["code"] for e in errors} == {400}
    named = {e["description"].split(": ", 1)[0]: e["description"] for e in errors}
    assert set(named) == {"service_code", "address_string"}
    assert named["service_code"] == "service_code: This field is required."
    assert nothing_written()


def test_field_errors_come_in_hindi_and_in_xml(client, net, api_key):
    response = submit(client, {"api_key": api_key, "address_string": "x"}, fmt="xml", lang="hi")

    assert response.status_code == 400
    errors = valid_xml(response, "errors")["error"]
    assert errors == [{"code": 400, "description": "service_code: यह जानकारी देना आवश्यक है।"}]
    assert nothing_written()


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"service_code": "pothole"}, "service_code"),
        ({"lat": "north"}, "lat"),
        ({"lat": "95", "long": "80"}, "lat"),
        ({"lat": "26.8"}, "long"),
        ({"email": "not-an-address"}, "email"),
        ({"media_url": "ftp://files.example.org/a.jpg"}, "media_url"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_malformed_fields_are_a_400_naming_the_field(client, net, api_key, more, field):
    response = submit(client, consumer_fields(api_key, **more))

    assert response.status_code == 400
    descriptions = [e["description"] for e in valid_json(response, "errors")]
    assert [d.split(": ", 1)[0] for d in descriptions] == [field]
    assert nothing_written()


@pytest.mark.parametrize(
    ("more", "field", "text"),
    [
        (
            {"attribute[account_number]": "9999999999"},
            "attribute[account_number]",
            "No consumer has this account number.",
        ),
        (
            {"attribute[account_number]": "12345"},
            "attribute[account_number]",
            "An account number has exactly 10 digits.",
        ),
        (
            {"attribute[mobile]": "9839099999"},
            "attribute[mobile]",
            "This is not the mobile number registered for this account.",
        ),
        (
            {"attribute[mobile]": "", "phone": ""},
            "phone",
            "Give the mobile number registered for this account.",
        ),
        ({"attribute[mobile]": "12"}, "attribute[mobile]", "Enter a valid 10-digit mobile number."),
    ],
)
def test_the_consumer_must_be_known_and_the_mobile_theirs(client, net, api_key, more, field, text):
    response = submit(client, consumer_fields(api_key, **more))

    assert response.status_code == 400
    assert valid_json(response, "errors") == [{"code": 400, "description": f"{field}: {text}"}]
    assert nothing_written()


def test_an_unregistered_caller_must_give_a_mobile(client, net, api_key):
    fields = {"api_key": api_key, "service_code": "other", "address_string": "Near the park"}

    response = submit(client, fields)

    assert response.status_code == 400
    assert valid_json(response, "errors") == [
        {"code": 400, "description": "phone: Give a mobile number the field team can call."}
    ]
    assert nothing_written()


def test_a_repeated_request_joins_the_open_complaint(client, net, api_key):
    first = valid_json(submit(client, consumer_fields(api_key)), "post_response")[0]

    again = submit(client, consumer_fields(api_key, description="Still no power"), fmt="xml")

    assert again.status_code == 200
    request = valid_xml(again, "post_response")["request"]
    assert request["service_request_id"] == first["service_request_id"]
    assert request["token"] != first["token"]
    assert request["service_notice"].startswith("An open complaint of this kind already exists")
    complaint = Complaint.objects.get()
    assert complaint.events.filter(kind=EventKind.DUPLICATE_REQUEST).count() == 1
    assert list(Open311Request.objects.order_by("id").values_list("created", flat=True)) == [
        True,
        False,
    ]
    second_token = client.get(f"{BASE}/tokens/{request['token']}.json")
    assert valid_json(second_token, "tokens")[0]["service_request_id"] == complaint.number


def test_the_request_language_is_the_complaints(client, net, api_key):
    response = submit(client, consumer_fields(api_key), lang="hi")

    assert response.status_code == 201
    assert Complaint.objects.get().language == "hi"
    assert response["Content-Language"] == "hi"
