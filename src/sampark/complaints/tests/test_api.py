"""The complaint JSON API: register, track, staff list and actions, errors, auth, i18n."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sampark.accounts.models import Role
from sampark.accounts.services import api_token_create, api_token_revoke
from sampark.complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintSequence,
    EventKind,
    Status,
)
from sampark.complaints.services import complaint_register
from sampark.testing.factories import ConsumerFactory, StaffFactory

API = "/api/v1/complaints"
DEVANAGARI = re.compile("[\u0900-\u097f]")


def post(client: Client, url: str, body: Any, *, lang: str = "en", **extra: Any) -> Any:
    return client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang, **extra
    )


def get(client: Client, url: str, *, lang: str = "en", **extra: Any) -> Any:
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang, **extra)


def written() -> tuple[int, int, int]:
    return (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        ComplaintSequence.objects.count(),
    )


def duration(answer: dict[str, Any]) -> timedelta:
    start = datetime.fromisoformat(answer["registered_at"])
    return datetime.fromisoformat(answer["due_at"]) - start


def assert_error_shape(body: dict[str, Any]) -> None:
    assert set(body) == {"code", "message", "fields"}
    assert isinstance(body["message"], str) and body["message"]
    assert all(isinstance(v, str) and v for v in body["fields"].values())


@pytest.fixture
def registered(net, staff) -> dict[str, Complaint]:
    """One open no-supply complaint per consumer (both MVVNL sub-divisions and PVVNL)."""
    return {
        name: complaint_register(
            consumer=getattr(net, name), category="no_supply", channel="ivr"
        ).complaint
        for name in ("consumer1", "consumer2", "consumer_p")
    }


# --- register ------------------------------------------------------------------------------


def test_register_by_account_number_is_numbered_routed_and_timed(client, net, staff):
    response = post(client, API, {"account_number": "1234567890", "category": "dt_failure"})

    assert response.status_code == 201
    body = response.json()
    today = timezone.localdate()
    assert re.fullmatch(rf"MV-{today:%y%m%d}-00001", body["number"])
    assert body["duplicate"] is False
    assert (body["status"], body["status_label"]) == ("assigned", "Assigned")
    assert body["category_label"] == "Distribution transformer failure"
    assert body["assigned_officer"] == {
        "name": staff["je"].get_full_name(),
        "designation": "Junior Engineer",
    }
    assert body["sla_hours"] == 6 and duration(body) == timedelta(hours=6)  # A-class Lucknow
    complaint = Complaint.objects.get(number=body["number"])
    assert complaint.consumer == net.consumer1 and complaint.assigned_to == staff["je"]
    assert complaint.channel == "web"
    assert complaint.events.get(kind=EventKind.REGISTERED).actor_label == "consumer"


@pytest.mark.parametrize(
    ("account", "category", "hours"),
    [
        ("1234567890", "dt_failure", 6),  # urban, A-class city
        ("1234567890", "no_supply", 4),
        ("2234567890", "no_supply", 8),  # rural
        ("3234567890", "dt_failure", 8),  # urban, not A-class
    ],
)
def test_due_time_follows_the_service_standard(client, net, account, category, hours):
    body = post(client, API, {"account_number": account, "category": category}).json()

    assert body["sla_hours"] == hours
    assert duration(body) == timedelta(hours=hours)


def test_same_request_again_answers_the_open_complaint(client, net, staff):
    request = {"account_number": "12345 67890", "category": "no_supply"}  # spaces are fine
    first = post(client, API, request)
    again = post(client, API, request)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert again.json()["duplicate"] is True
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.filter(kind=EventKind.DUPLICATE_REQUEST).count() == 1


def test_register_by_registered_mobile(client, net, staff):
    response = post(client, API, {"mobile": "98390 12345", "category": "meter"})

    assert response.status_code == 201
    assert Complaint.objects.get().consumer == net.consumer1


def test_mobile_of_several_consumers_asks_for_the_account_number(client, net):
    ConsumerFactory(mobile=net.consumer1.mobile, dt=net.dt1)
    before = written()

    response = post(client, API, {"mobile": "9839012345", "category": "meter"})

    assert response.status_code == 422
    assert_error_shape(response.json())
    assert set(response.json()["fields"]) == {"account_number"}
    assert written() == before


def test_unregistered_caller_with_a_feeder_is_routed_there(client, net, staff):
    response = post(
        client,
        API,
        {
            "contact_mobile": "9811100000",
            "contact_name": "Asha",
            "location_text": "near Hanuman mandir",
            "feeder_code": "F-AMN-1",
            "category": "line_breakdown",
        },
    )

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.consumer is None and complaint.contact_mobile == "+919811100000"
    assert complaint.subdivision == net.sd1 and complaint.assigned_to == staff["je"]


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ({"account_number": "12345", "category": "no_supply"}, 422, {"account_number"}),
        ({"account_number": "9999999999", "category": "no_supply"}, 404, {"account_number"}),
        ({"account_number": "1234567890", "category": "kite_flying"}, 422, {"category"}),
        ({"account_number": "1234567890"}, 422, {"category"}),
        ({"account_number": "1234567890", "category": "meter", "channel": "fax"}, 422, {"channel"}),
        ({"mobile": "12ab", "category": "no_supply"}, 422, {"mobile"}),
        ({"mobile": "9839099999", "category": "no_supply"}, 404, {"mobile"}),
        ({"category": "no_supply"}, 422, {"account_number"}),
        (
            {"contact_mobile": "9811100000", "category": "no_supply"},
            422,
            {"contact_name", "location_text"},
        ),
        (
            {
                "contact_mobile": "98111",
                "contact_name": "A",
                "location_text": "B",
                "category": "meter",
            },
            422,
            {"contact_mobile"},
        ),
        (
            {
                "contact_mobile": "9811100000",
                "contact_name": "A",
                "location_text": "B",
                "feeder_code": "NOPE",
                "category": "meter",
            },
            422,
            {"feeder_code"},
        ),
        (
            {"account_number": "1234567890", "category": "meter", "description": "x" * 2001},
            422,
            {"description"},
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, net, staff, body, status, fields):
    before = written()

    response = post(client, API, body)

    assert response.status_code == status
    assert_error_shape(response.json())
    assert set(response.json()["fields"]) == fields
    assert written() == before


def test_malformed_json_is_a_400_in_the_same_shape(client, net):
    response = client.post(API, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["code"] == "bad_request"
    assert Complaint.objects.count() == 0


# --- languages -----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{"HTTP_ACCEPT_LANGUAGE": "hi"}, {}])  # Hindi is default
def test_errors_are_in_hindi_by_default_and_on_request(client, net, headers):
    response = client.post(
        API,
        {"account_number": "12345", "category": "kite_flying"},
        content_type="application/json",
        **headers,
    )

    body = response.json()
    assert response.status_code == 422
    assert DEVANAGARI.search(body["message"])
    assert body["fields"]["account_number"] == "खाता संख्या में ठीक 10 अंक होते हैं।"
    assert DEVANAGARI.search(body["fields"]["category"])


def test_errors_are_in_english_on_request(client, net):
    body = post(client, API, {"account_number": "12345", "category": "kite_flying"}).json()

    assert body["message"] == "Some fields are not valid."
    assert body["fields"] == {
        "account_number": "An account number has exactly 10 digits.",
        "category": "Choose one of the listed categories.",
    }


def test_missing_field_message_is_ours_in_both_languages(client, net):
    english = post(client, API, {"account_number": "1234567890"}).json()
    hindi = post(client, API, {"account_number": "1234567890"}, lang="hi").json()

    assert english["fields"] == {"category": "This field is required."}
    assert hindi["fields"] == {"category": "यह जानकारी देना आवश्यक है।"}


def test_labels_follow_the_language(client, net, staff):
    body = post(
        client, API, {"account_number": "1234567890", "category": "dt_failure"}, lang="hi"
    ).json()

    assert body["category_label"] == "वितरण ट्रांसफ़ॉर्मर खराब"
    assert body["status_label"] == "सौंपी गई"
    assert body["assigned_officer"]["designation"] == "अवर अभियंता"


# --- channel and actor -----------------------------------------------------------------------


def test_anonymous_requests_are_always_web(client, net):
    post(client, API, {"account_number": "1234567890", "category": "meter", "channel": "ivr"})

    assert Complaint.objects.get().channel == "web"


def test_staff_session_registers_as_agent_unless_told(client, net, staff):
    client.force_login(staff["agent"])
    post(client, API, {"account_number": "1234567890", "category": "meter"})
    post(client, API, {"account_number": "2234567890", "category": "meter", "channel": "ivr"})

    channels = dict(Complaint.objects.values_list("consumer__account_number", "channel"))
    assert channels == {"1234567890": "agent", "2234567890": "ivr"}
    assert set(
        ComplaintEvent.objects.filter(kind=EventKind.REGISTERED).values_list("actor", flat=True)
    ) == {staff["agent"].pk}


def test_token_registers_as_api_and_is_named_in_the_audit_trail(client, net, staff):
    _, key = api_token_create(owner=staff["agent"], name="website")

    response = post(
        client,
        API,
        {"account_number": "1234567890", "category": "meter"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.channel == "api"
    event = complaint.events.get(kind=EventKind.REGISTERED)
    assert (event.actor, event.actor_label) == (staff["agent"], "api:website")


def test_a_wrong_token_is_refused_even_where_anonymous_is_allowed(client, net):
    response = post(
        client,
        API,
        {"account_number": "1234567890", "category": "meter"},
        HTTP_AUTHORIZATION="Bearer smp_wrong",
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert Complaint.objects.count() == 0


# --- public tracking ---------------------------------------------------------------------------


def test_anyone_can_track_by_a_loosely_typed_number(client, registered):
    complaint = registered["consumer1"]
    prefix, day, seq = complaint.number.split("-")

    response = get(client, f"{API}/{prefix.lower()} {day} {int(seq)}")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == complaint.number
    assert [(t["status"], t["status_label"]) for t in body["timeline"]] == [
        ("registered", "Registered"),
        ("assigned", "Assigned"),
    ]
    assert body["assigned_officer"]["designation"] == "Junior Engineer"


def test_tracking_reveals_no_personal_data_or_staff_usernames(client, registered, staff):
    complaint = registered["consumer1"]

    text = get(client, f"{API}/{complaint.number}").content.decode()

    for secret in (
        complaint.consumer.name,
        complaint.consumer.account_number,
        "9839012345",
        staff["je"].username,
        "routed automatically",
    ):
        assert secret not in text


def test_tracking_an_unknown_number_is_404(client, net):
    response = get(client, f"{API}/MV-010101-00009")

    assert response.status_code == 404
    assert_error_shape(response.json())


# --- staff list --------------------------------------------------------------------------------


def numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


def test_staff_list_needs_authentication(client, registered):
    response = get(client, API)

    assert response.status_code == 401
    assert_error_shape(response.json())


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("je", {"consumer1"}),
        ("je2", {"consumer2"}),  # sd2's JE does not see sd1
        ("md", {"consumer1", "consumer2"}),
        ("md_p", {"consumer_p"}),  # PVVNL's MD sees nothing of MVVNL
        ("agent", {"consumer1", "consumer2", "consumer_p"}),  # state jurisdiction
    ],
)
def test_staff_list_is_scoped_to_the_jurisdiction(client, registered, staff, user, visible):
    client.force_login(staff[user])

    assert numbers(get(client, API)) == {registered[name].number for name in visible}


def test_staff_list_item_carries_the_desk_details(client, registered, staff, net):
    client.force_login(staff["je"])

    (item,) = get(client, API).json()["items"]

    assert item["consumer"] == {"account_number": "1234567890", "name": net.consumer1.name}
    assert item["mobile"] == "+919839012345"
    assert item["subdivision"] == {"code": "SD-AMN-1", "name": "Aminabad I"}
    assert item["assigned_officer"]["username"] == "je1"
    assert item["overdue"] is False


def test_staff_list_filters(client, registered, staff, net):
    client.force_login(staff["agent"])
    late = registered["consumer2"]
    Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    meter = complaint_register(consumer=net.consumer1, category="meter", channel="sms").complaint
    everything = {c.number for c in registered.values()} | {meter.number}

    assert numbers(get(client, f"{API}?overdue=true")) == {late.number}
    assert numbers(get(client, f"{API}?category=meter")) == {meter.number}
    assert numbers(get(client, f"{API}?channel=sms")) == {meter.number}
    assert numbers(get(client, f"{API}?org=PVVNL")) == {registered["consumer_p"].number}
    assert numbers(get(client, f"{API}?org=SD-AMN-1&open=true")) == {
        registered["consumer1"].number,
        meter.number,
    }
    assert numbers(get(client, f"{API}?status=assigned")) == everything
    assert numbers(get(client, f"{API}?status=in_progress")) == set()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert numbers(get(client, f"{API}?registered_from={tomorrow}")) == set()
    assert numbers(get(client, f"{API}?registered_to={tomorrow}")) == everything
    assert get(client, f"{API}?overdue=true").json()["items"][0]["overdue"] is True


def test_assigned_to_me(client, registered, staff):
    client.force_login(staff["md"])
    assert numbers(get(client, f"{API}?assigned_to_me=true")) == set()
    client.force_login(staff["je2"])
    assert numbers(get(client, f"{API}?assigned_to_me=true")) == {registered["consumer2"].number}


def test_staff_list_is_paginated(client, registered, staff):
    client.force_login(staff["agent"])

    page = get(client, f"{API}?limit=2&offset=0").json()
    rest = get(client, f"{API}?limit=2&offset=2").json()
    too_many = get(client, f"{API}?limit=201")

    assert page["count"] == rest["count"] == 3
    assert len(page["items"]) == 2 and len(rest["items"]) == 1
    assert too_many.status_code == 422 and set(too_many.json()["fields"]) == {"limit"}


def test_bad_filters_are_named_in_our_words(client, registered, staff):
    client.force_login(staff["agent"])

    response = get(client, f"{API}?status=lost&overdue=maybe&registered_from=soon")

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "status": "Choose one of the listed statuses.",
        "overdue": "Enter true or false.",
        "registered_from": "Enter a date and time, for example 2026-05-01T14:30+05:30.",
    }


def test_staff_list_does_not_query_per_row(client, net, staff, django_assert_max_num_queries):
    """Session, user, jurisdiction, count, page: the same handful for 1 row or 30."""
    client.force_login(staff["agent"])
    complaint_register(consumer=net.consumer1, category="no_supply", channel="ivr")
    with django_assert_max_num_queries(6) as one_row:
        assert len(get(client, API).json()["items"]) == 1
    for dt in (net.dt1, net.dt2, net.dt_p) * 10:
        consumer = ConsumerFactory(dt=dt)
        complaint_register(consumer=consumer, category="meter", channel="ivr")

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert len(get(client, f"{API}?limit=200").json()["items"]) == 31


# --- staff actions -----------------------------------------------------------------------------


def test_audit_trail_for_staff(client, registered, staff):
    client.force_login(staff["je"])
    number = registered["consumer1"].number

    events = get(client, f"{API}/{number}/events").json()

    assert [(e["kind"], e["to_status"]) for e in events] == [
        ("registered", "registered"),
        ("assigned", "assigned"),
    ]
    assert events[1]["assignee"] == "je1" and events[1]["note"] == "routed automatically"


def test_transition_moves_the_complaint_and_records_who(client, registered, staff):
    client.force_login(staff["je"])
    number = registered["consumer1"].number

    response = post(
        client, f"{API}/{number}/transition", {"status": "in_progress", "note": "on the way"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    complaint = Complaint.objects.get(number=number)
    event = complaint.events.get(kind=EventKind.TRANSITION)
    assert (complaint.status, event.actor, event.note) == ("in_progress", staff["je"], "on the way")


def test_illegal_transition_is_409_and_changes_nothing(client, registered, staff):
    client.force_login(staff["agent"])  # the desk may close, but not an unresolved complaint
    number = registered["consumer1"].number
    events_before = ComplaintEvent.objects.count()

    response = post(client, f"{API}/{number}/transition", {"status": "closed"})

    assert response.status_code == 409
    assert_error_shape(response.json())
    assert response.json()["code"] == "illegal_transition"
    assert Complaint.objects.get(number=number).status == Status.ASSIGNED
    assert ComplaintEvent.objects.count() == events_before


def test_illegal_transition_message_in_hindi(client, registered, staff):
    client.force_login(staff["agent"])
    number = registered["consumer1"].number

    body = post(client, f"{API}/{number}/transition", {"status": "closed"}, lang="hi").json()

    assert body["message"] == "शिकायत “सौंपी गई” से “बंद” स्थिति में नहीं जा सकती।"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "/events", None),
        ("post", "/transition", {"status": "in_progress"}),
        ("post", "/assign", {"username": "je1"}),
    ],
)
def test_out_of_scope_complaints_are_not_found(client, registered, staff, method, suffix, body):
    client.force_login(staff["sdo"])  # sub-division 1; the complaint is in sub-division 2
    other = registered["consumer2"]
    events_before = ComplaintEvent.objects.count()
    url = f"{API}/{other.number}{suffix}"

    response = post(client, url, body) if method == "post" else get(client, url)

    assert response.status_code == 404
    assert_error_shape(response.json())
    assert Complaint.objects.get(pk=other.pk).status == other.status
    assert ComplaintEvent.objects.count() == events_before


def test_sdo_reassigns_within_the_area(client, registered, staff, net):
    other_je = StaffFactory(username="je1b", role=Role.JE, jurisdiction=net.sd1)
    client.force_login(staff["sdo"])
    number = registered["consumer1"].number

    response = post(client, f"{API}/{number}/assign", {"username": "je1b", "note": "nearer"})

    assert response.status_code == 200
    assert response.json()["assigned_officer"]["username"] == "je1b"
    assert Complaint.objects.get(number=number).assigned_to == other_je


@pytest.mark.parametrize(
    ("username", "field"),
    [("je2", "username"), ("nobody", "username")],  # another area; unknown
)
def test_assignee_must_be_an_engineer_of_the_area(client, registered, staff, username, field):
    client.force_login(staff["sdo"])
    number = registered["consumer1"].number

    response = post(client, f"{API}/{number}/assign", {"username": username})

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {field}
    assert Complaint.objects.get(number=number).assigned_to == staff["je"]


def test_a_je_may_not_reassign(client, registered, staff):
    client.force_login(staff["je"])
    number = registered["consumer1"].number

    response = post(client, f"{API}/{number}/assign", {"username": "je1"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_staff_actions_by_token(client, registered, staff):
    token, key = api_token_create(owner=staff["je"], name="field-app")
    number = registered["consumer1"].number
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    moved = post(client, f"{API}/{number}/transition", {"status": "in_progress"}, **auth)
    listed = get(client, API, **auth)
    api_token_revoke(token=token)
    refused = get(client, API, **auth)

    assert moved.status_code == 200 and listed.status_code == 200
    assert ComplaintEvent.objects.get(kind=EventKind.TRANSITION).actor_label == "api:field-app"
    assert refused.status_code == 401


def test_session_posts_need_the_csrf_token(registered, staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["je"])
    number = registered["consumer1"].number

    response = post(browser, f"{API}/{number}/transition", {"status": "in_progress"})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert Complaint.objects.get(number=number).status == Status.ASSIGNED


def test_anonymous_posts_need_no_csrf_token(net):
    browser = Client(enforce_csrf_checks=True)

    response = post(browser, API, {"account_number": "1234567890", "category": "meter"})

    assert response.status_code == 201


# --- the API itself ----------------------------------------------------------------------------


def test_openapi_lists_the_endpoints_and_the_error_shape(client, db):
    schema = get(client, "/api/v1/openapi.json").json()

    assert {
        "/api/v1/complaints",
        "/api/v1/complaints/{number}",
        "/api/v1/complaints/{number}/events",
        "/api/v1/complaints/{number}/transition",
        "/api/v1/complaints/{number}/assign",
        "/api/v1/consumers/lookup",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/complaints"]) == {"get", "post"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "message",
        "fields",
    }
    register = schema["paths"]["/api/v1/complaints"]["post"]["responses"]
    assert {"200", "201", "4XX"} <= set(register)


def test_docs_page(client, db):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("delete", API, 405, "method_not_allowed"),
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("post", "/api/v2/complaints", 404, "not_found"),
    ],
)
def test_protocol_errors_have_the_same_shape(client, db, method, url, status, code):
    response = getattr(client, method)(url)

    assert response.status_code == status
    assert_error_shape(response.json())
    assert response.json()["code"] == code


def test_docs_page_loads_nothing_from_a_cdn(client, db):
    assert b"cdn." not in client.get("/api/docs").content
