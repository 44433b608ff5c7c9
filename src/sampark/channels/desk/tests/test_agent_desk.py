"""The 1912 agent desk (/staff/desk/): who gets in, the search box (account, mobile, complaint
number in any spacing), the consumer card with the outage first, one-screen registration with
the duplicate warning, unregistered callers, the queues (handovers, callbacks and their
outcomes, the agent's status, supervision) and the page's pinned query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sampark.accounts.models import Role
from sampark.callcentre.models import (
    AgentState,
    AgentStatus,
    Call,
    Callback,
    CallbackAttempt,
    CallbackStatus,
)
from sampark.channels.models import Author, ChatMessage, Conversation, Direction, Handover
from sampark.complaints.models import Complaint, ComplaintEvent, EventKind
from sampark.complaints.services import complaint_register
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.services import outage_declare
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db

DESK = reverse("desk:home")
REGISTER = reverse("desk:register")


def _as(client, user, lang: str = "en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def _text(response) -> str:
    """The page's visible words, tags stripped and spaces squeezed."""
    body = response.content.decode()
    body = body[body.find("<main") :] if "<main" in body else body
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def _register(consumer, category: str = "no_supply") -> Complaint:
    return complaint_register(consumer=consumer, category=category, channel="web").complaint


@pytest.fixture
def supervisor(net):
    return StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)


@pytest.fixture
def agent_mv(net):
    """An agent for Madhyanchal only: Paschimanchal's consumers are outside their area."""
    return StaffFactory(username="agent_mv", role=Role.AGENT, jurisdiction=net.mvvnl)


@pytest.fixture
def outage(staff, net, django_capture_on_commit_callbacks):
    """Feeder F-AMN-1 (consumer 1's) tripped, back in 2 h; the fan-out ran (consumer 1 told)."""
    with django_capture_on_commit_callbacks(execute=True):
        return outage_declare(
            kind="unplanned",
            reason_code="feeder_11kv_trip",
            feeder_codes=[net.feeder1.code],
            etr=clock.now() + timedelta(hours=2),
            actor=staff["je"],
        )


def _callback(*, mobile: str, discom, minutes_ago: int, consumer=None) -> Callback:
    now = clock.now()
    call = Call.objects.create(
        call_id=f"call-{mobile}-{minutes_ago}",
        source="api",
        calling_number=mobile,
        consumer=consumer,
        discom=discom,
        offered_at=now - timedelta(minutes=minutes_ago + 5),
        ended_at=now - timedelta(minutes=minutes_ago + 4),
        outcome="abandoned",
    )
    return Callback.objects.create(
        call=call,
        mobile=mobile,
        consumer=consumer,
        discom=discom,
        reason="abandoned",
        due_at=now - timedelta(minutes=minutes_ago),
    )


def _handover(*, org_unit, text: str, consumer=None, mobile="+919839055555") -> Conversation:
    now = clock.now()
    conversation = Conversation.objects.create(
        channel="whatsapp",
        user_key=mobile,
        mobile=mobile,
        handover=Handover.WAITING,
        handover_at=now - timedelta(minutes=7),
        handover_reason="Asked for a person",
        org_unit=org_unit,
        consumer=consumer,
        last_inbound_at=now,
        created_at=now - timedelta(minutes=20),
        updated_at=now,
    )
    ChatMessage.objects.create(
        conversation=conversation,
        channel="whatsapp",
        direction=Direction.IN,
        author=Author.USER,
        text=text,
        created_at=now,
    )
    return conversation


# Who gets in -------------------------------------------------------------------------------


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(DESK)
    assert response.status_code == 302 and reverse("staff:login") in response["Location"]


@pytest.mark.parametrize("role", ["je", "sdo", "md"])
def test_roles_outside_the_desk_get_403_and_register_nothing(client, staff, net, role):
    client = _as(client, staff[role])
    assert client.get(DESK).status_code == 403
    assert client.get(reverse("desk:queues")).status_code == 403
    response = client.post(
        REGISTER, {"account": net.consumer1.account_number, "category": "no_supply"}
    )
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_agents_land_on_the_desk_and_the_nav_links_it(client, staff):
    response = client.post(
        reverse("staff:login"), {"username": "agent", "password": "test-pass-123"}
    )
    assert response["Location"] == DESK
    page = client.get(reverse("staff:home")).content.decode()
    assert f'href="{DESK}"' in page
    client.force_login(staff["je"])
    assert f'href="{DESK}"' not in client.get(reverse("staff:home")).content.decode()


# Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["1234567890", " 12345 67890 ", "1234-567-890", "9839012345", "+91 98390 12345"]
)
def test_account_or_mobile_in_any_spacing_opens_the_card(client, staff, net, query):
    response = _as(client, staff["agent"]).get(DESK, {"q": query})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="ad-card"' in page and net.consumer1.name in page
    assert 'name="account" value="1234567890"' in page  # registration is for this consumer


def test_a_complaint_number_in_any_case_and_spacing_opens_its_consumer(client, staff, net):
    complaint = _register(net.consumer2, "meter")
    prefix, day, seq = complaint.number.split("-")
    spoken = f"{prefix.lower()} {day[:3]} {day[3:]} {int(seq)}"  # 'mv 261 128 1'

    page = _as(client, staff["agent"]).get(DESK, {"q": spoken}).content.decode()

    assert net.consumer2.name in page and 'id="ad-card"' in page
    assert complaint.number in page


def test_a_mobile_shared_by_several_consumers_gives_a_pick_list(client, staff, net):
    sibling = ConsumerFactory(dt=net.dt2, mobile=net.consumer1.mobile, name="Second connection")

    response = _as(client, staff["agent"]).get(DESK, {"q": "9839012345"})

    page = response.content.decode()
    assert 'id="ad-card"' not in page and 'id="ad-register"' not in page
    assert f"?q={net.consumer1.account_number}" in page
    assert f"?q={sibling.account_number}" in page
    assert "2 consumers on this number" in page


def test_an_unknown_mobile_offers_registration_for_the_caller(client, staff, net):
    response = _as(client, staff["agent"]).get(DESK, {"q": "98765 43210"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "No consumer or complaint" in page and 'id="ad-card"' not in page
    assert 'name="mobile" value="+919876543210"' in page
    assert 'name="location"' in page


def test_an_unreadable_query_is_refused_in_the_agents_language(client, staff):
    response = _as(client, staff["agent"]).get(DESK, {"q": "12345"})
    assert response.status_code == 422
    assert "Enter a mobile number, a 10-digit account number or a complaint number." in _text(
        response
    )
    assert 'id="ad-register"' not in response.content.decode()


def test_consumers_of_another_discom_are_not_found(client, agent_mv, net):
    page = _as(client, agent_mv).get(DESK, {"q": net.consumer_p.account_number})
    text = _text(page)
    assert net.consumer_p.name not in text and "No consumer or complaint" in text


# The card ----------------------------------------------------------------------------------


def test_the_card_puts_the_outage_first_with_reason_and_etr(client, staff, net, outage):
    complaint = _register(net.consumer1, "meter")
    Complaint.objects.filter(pk=complaint.pk).update(due_at=clock.now() - timedelta(hours=1))

    page = _as(client, staff["agent"]).get(DESK, {"q": "1234567890"}).content.decode()

    card = page[page.index('id="ad-card"') :]
    banner = card.index('class="ad-outage"')
    assert banner < card.index(net.consumer1.name)  # before anything else on the card
    assert "11 kV feeder tripped" in card[banner:]
    assert f'datetime="{outage.etr.isoformat()}"' in card or "ad-etr" in card
    # Network, sub-division and the JE of the consumer's substation.
    assert net.feeder1.code in card and net.dt1.code in card and "Aminabad I" in card
    assert staff["je"].first_name in card
    # Open complaint with due time and overdue flag; the outage SMS among recent messages.
    assert complaint.number in card and "badge-overdue" in card
    told = Notification.objects.filter(consumer=net.consumer1).first()
    assert told is not None and told.text[:40] in card
    # The script tells the caller the same reason and ETR.
    assert "11 केवी फीडर ट्रिप" in page and "Power in your area is off because of" in page


def test_the_outage_reason_is_in_hindi_for_a_hindi_agent(client, staff, outage):
    page = _as(client, staff["agent"], "hi").get(DESK, {"q": "1234567890"}).content.decode()
    card = page[page.index('class="ad-outage"') :]
    assert "11 केवी फीडर ट्रिप" in card[:600] and "बिजली आपूर्ति बंद:" in card[:600]


# Session, user, scope; the search; the card: open complaints, scope check + messages,
# outages, engineers, time limits; the queues: agent state, handovers, callbacks; supervision:
# agents and their calls, queues waiting and today.
QUERIES = 17


def test_desk_page_with_a_card_has_a_fixed_number_of_queries(
    client, staff, supervisor, net, outage, django_assert_max_num_queries
):
    """More complaints, messages, callbacks or chats add no query."""
    client = _as(client, supervisor)
    _register(net.consumer1, "meter")
    _callback(mobile="+919839077777", discom=net.mvvnl, minutes_ago=3)
    _handover(org_unit=net.sd1, text="help")
    with django_assert_max_num_queries(QUERIES):
        assert client.get(DESK, {"q": "1234567890"}).status_code == 200
    for category in ("bill_reading", "voltage_fluctuation", "new_connection"):
        _register(net.consumer1, category)
    for minutes in (5, 8, 13):
        _callback(mobile=f"+9198390{minutes:05d}", discom=net.mvvnl, minutes_ago=minutes)
        _handover(org_unit=net.sd1, text=f"help {minutes}", mobile=f"+9198390600{minutes:02d}")
    with django_assert_max_num_queries(QUERIES):
        assert client.get(DESK, {"q": "1234567890"}).status_code == 200


# Registration ------------------------------------------------------------------------------


def test_register_shows_the_number_to_read_out_with_its_time_limit(client, staff, net):
    client = _as(client, staff["agent"])
    response = client.post(
        REGISTER,
        {
            "account": net.consumer1.account_number,
            "category": "line_breakdown",
            "description": "Wire down near the temple",
            "q": "1234567890",
        },
    )

    complaint = Complaint.objects.get()
    assert (complaint.consumer, complaint.category, complaint.channel) == (
        net.consumer1,
        "line_breakdown",
        "agent",
    )
    assert complaint.events.get(kind=EventKind.REGISTERED).actor == staff["agent"]
    assert response.status_code == 302
    assert response["Location"] == f"{DESK}?q=1234567890&done={complaint.number}"
    text = _text(client.get(response["Location"]))
    assert "Complaint registered: read the number out" in text
    prefix, day, _seq = complaint.number.split("-")
    assert f"{prefix} {day[:3]} {day[3:]}" in text  # grouped for reading out
    assert "Time limit 6 hours" in text  # overhead line, urban
    assert f"Your complaint number is {prefix} {day[:3]} {day[3:]}" in text
    assert "आपकी शिकायत संख्या" in text


def test_the_done_panel_needs_this_sessions_registration(client, staff, net):
    complaint = _register(net.consumer1)
    page = _as(client, staff["agent"]).get(DESK, {"q": "1234567890", "done": complaint.number})
    assert "read the number out" not in _text(page)


def test_an_open_complaint_of_the_same_category_needs_register_anyway(client, staff, net):
    client = _as(client, staff["agent"])
    existing = _register(net.consumer1, "no_supply")
    events = ComplaintEvent.objects.count()
    post = {"account": net.consumer1.account_number, "category": "no_supply", "q": "1234567890"}

    # The page marks the category before anything is posted (the script shows the warning).
    page = client.get(DESK, {"q": "1234567890"}).content.decode()
    assert f'data-open="{existing.number}"' in page

    refused = client.post(REGISTER, post)
    assert refused.status_code == 409
    text = _text(refused)
    assert f"This caller already has an open complaint of this category: {existing.number}" in (
        text
    )
    assert "Register anyway" in text
    assert Complaint.objects.count() == 1 and ComplaintEvent.objects.count() == events
    # Enter submits with the form's first button: the plain one, never "Register anyway".
    html = refused.content.decode()
    assert html.index('id="ad-submit"') < html.index('name="confirm_duplicate"')

    again = client.post(REGISTER, {**post, "confirm_duplicate": "on"})
    assert again.status_code == 302 and existing.number in again["Location"]
    assert Complaint.objects.count() == 1
    assert existing.events.filter(kind=EventKind.DUPLICATE_REQUEST).count() == 1
    assert "a repeat request was recorded" in _text(client.get(again["Location"]))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Choose a category for the complaint."), ("hi", "शिकायत की श्रेणी चुनें।")],
)
def test_register_without_a_category_writes_nothing(client, staff, net, lang, expected):
    response = _as(client, staff["agent"], lang).post(
        REGISTER, {"account": net.consumer1.account_number, "category": "", "q": "1234567890"}
    )
    assert response.status_code == 422
    assert expected in _text(response)
    assert 'id="ad-card"' in response.content.decode()  # the caller is still on screen
    assert not Complaint.objects.exists()


def test_register_for_another_discoms_consumer_is_404(client, agent_mv, net):
    response = _as(client, agent_mv).post(
        REGISTER, {"account": net.consumer_p.account_number, "category": "no_supply"}
    )
    assert response.status_code == 404
    assert not Complaint.objects.exists()


def test_an_unregistered_caller_is_registered_with_mobile_and_place(client, staff, net):
    response = _as(client, staff["agent"]).post(
        REGISTER,
        {
            "mobile": "98765 43210",
            "name": "Ram Prasad",
            "location": "Near Hanuman temple, Aminabad",
            "category": "safety_hazard",
            "q": "9876543210",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.consumer is None and complaint.contact_mobile == "+919876543210"
    assert (complaint.contact_name, complaint.location_text) == (
        "Ram Prasad",
        "Near Hanuman temple, Aminabad",
    )
    assert complaint.priority == "emergency"
    assert response["Location"] == f"{DESK}?q={complaint.number}&done={complaint.number}"
    text = _text(client.get(response["Location"]))
    assert complaint.number in text and "Emergency" in text


def test_a_callers_complaint_without_an_account_is_found_by_its_number(client, staff, net):
    complaint = complaint_register(
        category="no_supply",
        channel="agent",
        contact_mobile="+919876543210",
        location_text="Behind the bus stand",
    ).complaint

    page = _as(client, staff["agent"]).get(DESK, {"q": complaint.number.replace("-", " ")})

    html = page.content.decode()
    assert "Complaint of a caller without an account" in html and complaint.number in html
    assert "Behind the bus stand" in html
    assert 'name="mobile" value="+919876543210"' in html  # another complaint: same caller


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mobile": "12345", "location": "Aminabad"}, "Enter a valid 10-digit mobile number."),
        ({"mobile": "9876543210", "location": " "}, "Say where the problem is"),
    ],
)
def test_an_unregistered_caller_needs_a_mobile_and_a_place(client, staff, net, fields, message):
    response = _as(client, staff["agent"]).post(
        REGISTER, {"category": "no_supply", "q": "9876543210", **fields}
    )
    assert response.status_code == 422
    assert message in _text(response)
    assert not Complaint.objects.exists()


# Queues ------------------------------------------------------------------------------------


def test_queues_show_handovers_and_callbacks_oldest_first(client, staff, net):
    _handover(org_unit=net.sd1, text="मुझे किसी से बात करनी है", consumer=net.consumer1)
    newer = _callback(mobile="+919839011111", discom=net.mvvnl, minutes_ago=2)
    older = _callback(mobile="+919839022221", discom=net.mvvnl, minutes_ago=20)

    fragment = _as(client, staff["agent"]).get(reverse("desk:queues"))

    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert "मुझे किसी से बात करनी है" in html
    assert reverse("chats:conversation", args=[Conversation.objects.get().pk]) in html
    assert html.index(f"ad-callback-{older.pk}") < html.index(f"ad-callback-{newer.pk}")
    assert f"?q=%2B919839022221&amp;callback={older.pk}" in html
    # The same panel is on the page itself (it works without the script).
    assert f"ad-callback-{older.pk}" in client.get(DESK).content.decode()


@pytest.mark.parametrize(
    ("result", "status", "closed"),
    [
        ("reached", CallbackStatus.REACHED, True),
        ("no_answer", CallbackStatus.PENDING, False),
        ("busy", CallbackStatus.PENDING, False),
    ],
)
def test_callback_outcome_is_recorded(client, staff, net, result, status, closed):
    callback = _callback(mobile="+919839011111", discom=net.mvvnl, minutes_ago=5)

    response = _as(client, staff["agent"]).post(
        reverse("desk:callback_outcome", args=[callback.pk]),
        {"result": result, "note": "spoke to son", "q": "1234567890"},
    )

    assert response.status_code == 302 and response["Location"] == f"{DESK}?q=1234567890"
    callback.refresh_from_db()
    assert (callback.status, callback.attempts, callback.agent) == (status, 1, staff["agent"])
    assert (callback.closed_at is not None) == closed
    attempt = CallbackAttempt.objects.get()
    assert (attempt.result, attempt.note) == (result, "spoke to son")


def test_callback_complaint_outcome_needs_a_complaint_in_the_area(client, staff, net):
    callback = _callback(mobile="+919839011111", discom=net.mvvnl, minutes_ago=5)
    complaint = _register(net.consumer1)
    client = _as(client, staff["agent"])
    url = reverse("desk:callback_outcome", args=[callback.pk])

    missing = client.post(url, {"result": "complaint"})
    assert ("error", "Give the number of the complaint you registered.") in _messages_of(missing)
    unknown = client.post(url, {"result": "complaint", "complaint": "MV-000000-99999"})
    level, text = _messages_of(unknown)[-1]
    assert level == "error" and "No complaint in your area has this number." in text
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == (CallbackStatus.PENDING, 0)

    client.post(url, {"result": "complaint", "complaint": complaint.number.lower()})
    callback.refresh_from_db()
    assert (callback.status, callback.complaint) == (
        CallbackStatus.COMPLAINT_REGISTERED,
        complaint,
    )


def test_registering_while_calling_back_closes_the_callback(client, staff, net):
    callback = _callback(
        mobile=net.consumer1.mobile, discom=net.mvvnl, minutes_ago=5, consumer=net.consumer1
    )
    client = _as(client, staff["agent"])
    page = client.get(DESK, {"q": net.consumer1.mobile, "callback": callback.pk})
    assert f'name="callback" value="{callback.pk}"' in page.content.decode()

    client.post(
        REGISTER,
        {
            "account": net.consumer1.account_number,
            "category": "meter",
            "callback": callback.pk,
            "q": "9839012345",
        },
    )

    callback.refresh_from_db()
    assert callback.status == CallbackStatus.COMPLAINT_REGISTERED
    assert callback.complaint == Complaint.objects.get()


def test_another_discoms_callback_is_404_and_unchanged(client, agent_mv, net):
    callback = _callback(mobile="+919839033333", discom=net.pvvnl, minutes_ago=5)
    page = _as(client, agent_mv).get(DESK).content.decode()
    assert f"ad-callback-{callback.pk}" not in page

    response = client.post(
        reverse("desk:callback_outcome", args=[callback.pk]), {"result": "reached"}
    )

    assert response.status_code == 404
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == (CallbackStatus.PENDING, 0)


def test_agents_set_their_own_status(client, staff):
    client = _as(client, staff["agent"])
    client.post(reverse("desk:status"), {"status": "break"})
    state = AgentState.objects.get(agent=staff["agent"])
    assert state.status == AgentStatus.BREAK

    refused = client.post(reverse("desk:status"), {"status": "on_call"})  # telephony's to say
    assert _messages_of(refused)[0][0] == "error"
    state.refresh_from_db()
    assert state.status == AgentStatus.BREAK

    client.post(reverse("desk:status"), {"status": "available"})
    state.refresh_from_db()
    assert state.status == AgentStatus.AVAILABLE
    assert "status-available" in client.get(DESK).content.decode()


def test_supervision_is_for_supervisors_only(client, staff, supervisor, net):
    AgentState.objects.create(agent=staff["agent"], status="available", since=clock.now())
    url = reverse("desk:supervision")

    assert _as(client, staff["agent"]).get(url).status_code == 403
    assert 'id="ad-supervision"' not in client.get(DESK).content.decode()

    client = _as(client, supervisor)
    fragment = client.get(url)
    assert fragment.status_code == 200
    html = _text(fragment)
    assert staff["agent"].get_full_name() in html and "Available" in html
    assert "Safety emergency" in html and "General" in html  # one row per queue
    assert 'id="ad-supervision"' in client.get(DESK).content.decode()
