"""The chat desk: the handover queue (scoped, oldest first, query count pinned), one
conversation's transcript and its poll, take / reply / hand back; roles without CHAT_HANDLE get
a 403, another jurisdiction's conversation is a 404, and refused actions change nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sampark.accounts.models import Role
from sampark.channels.models import Author, ChatMessage, Conversation, Direction, Handover
from sampark.core import clock
from sampark.network.models import OrgUnit
from sampark.notifications.models import Notification
from sampark.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("chats:queue")
# Session, user, jurisdiction, then the page's own: waiting + taken lists, or the conversation
# + its transcript. Neither grows with conversations or messages.
QUERIES = 5


def _page(conversation: Conversation, name: str = "conversation") -> str:
    return reverse(f"chats:{name}", args=[conversation.pk])


def _as(client, user, lang: str = "en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def _conversation(
    *,
    org_unit: OrgUnit | None,
    user_key: str = "+919839012345",
    channel: str = "whatsapp",
    handover: str = Handover.WAITING,
    waiting_minutes: int = 10,
    **fields: Any,
) -> Conversation:
    now = clock.now()
    phone = channel in ("whatsapp", "sms")
    return Conversation.objects.create(
        channel=channel,
        user_key=user_key,
        mobile=user_key if phone else None,
        handover=handover,
        handover_at=None if handover == Handover.NONE else now - timedelta(minutes=waiting_minutes),
        handover_reason=fields.pop("handover_reason", "Asked for a person"),
        org_unit=org_unit,
        last_inbound_at=now - timedelta(minutes=1),
        created_at=now - timedelta(hours=1),
        updated_at=now,
        **fields,
    )


def _message(
    conversation: Conversation,
    author: str,
    text: str,
    *,
    options: list[list[str]] | None = None,
    agent: Any = None,
) -> ChatMessage:
    return ChatMessage.objects.create(
        conversation=conversation,
        agent=agent,
        channel=conversation.channel,
        direction=Direction.IN if author == Author.USER else Direction.OUT,
        author=author,
        text=text,
        options=options or [],
        created_at=clock.now(),
    )


def _messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def _snapshot(conversation: Conversation) -> tuple[Any, ...]:
    conversation.refresh_from_db()
    return (
        conversation.handover,
        conversation.agent_id,
        conversation.handover_at,
        conversation.messages.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def agent_mv(net):
    """A 1912 agent for Madhyanchal only: Paschimanchal's chats are outside their scope."""
    return StaffFactory(username="agent_mv", role=Role.AGENT, jurisdiction=net.mvvnl)


@pytest.fixture
def chats(net, staff):
    """Waiting in SD1 (oldest, a verified consumer) and SD2, waiting in PVVNL, one taken by the
    state agent in SD1, one still with the chatbot."""
    sd1 = _conversation(
        org_unit=net.sd1,
        waiting_minutes=30,
        consumer=net.consumer1,
        verified=True,
        display_name="रमेश कुमार",
        handover_reason="Bill dispute",
    )
    _message(sd1, Author.USER, "बिजली नहीं है")
    _message(sd1, Author.BOT, "Choose one", options=[["complaint", "शिकायत"], ["agent", "Agent"]])
    _message(sd1, Author.USER, "मुझे किसी व्यक्ति से बात करनी है")
    sd2 = _conversation(
        org_unit=net.sd2, user_key="+919839099871", waiting_minutes=5, consumer=net.consumer2
    )
    _message(sd2, Author.USER, "meter is burnt")
    pv = _conversation(org_unit=net.sd_p, user_key="+919839033333", handover_reason="Meerut case")
    taken = _conversation(
        org_unit=net.sd1,
        user_key="tg-5551234",
        channel="telegram",
        handover=Handover.AGENT,
        agent=staff["agent"],
        handover_reason="Taken case",
    )
    bot = _conversation(
        org_unit=net.sd1, user_key="+919839000777", handover=Handover.NONE, handover_reason=""
    )
    return {"sd1": sd1, "sd2": sd2, "pv": pv, "taken": taken, "bot": bot}


# Who gets in -------------------------------------------------------------------------------


def test_nav_links_to_chats_only_for_roles_that_handle_them(client, staff):
    page = _as(client, staff["agent"]).get(reverse("staff:home")).content.decode()
    assert f'href="{QUEUE}"' in page
    page = _as(client, staff["je"]).get(reverse("staff:home")).content.decode()
    assert QUEUE not in page


@pytest.mark.parametrize("role", ["je", "sdo", "md"])
def test_roles_without_chat_handling_get_403_and_change_nothing(client, staff, chats, role):
    client = _as(client, staff[role])
    conversation = chats["sd1"]
    before = _snapshot(conversation)
    assert client.get(QUEUE).status_code == 403
    assert client.get(_page(conversation)).status_code == 403
    assert client.get(_page(conversation, "messages")).status_code == 403
    assert client.post(_page(conversation, "take")).status_code == 403
    assert client.post(_page(conversation, "reply"), {"text": "hello"}).status_code == 403
    assert client.post(_page(conversation, "hand_back")).status_code == 403
    assert _snapshot(conversation) == before


def test_signed_out_users_are_sent_to_sign_in(client, chats):
    for url in (QUEUE, _page(chats["sd1"]), _page(chats["sd1"], "messages")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("staff:login") in response["Location"]


# Queue -------------------------------------------------------------------------------------


def test_queue_shows_waiting_chats_in_scope_oldest_first_then_taken_ones(
    client, staff, agent_mv, chats, net
):
    page = _as(client, agent_mv).get(QUEUE).content.decode()

    waiting, taken = page.split('id="taken-heading"')
    # Oldest handover first; another discom's chat and the chatbot's own are not there.
    assert waiting.index(_page(chats["sd1"])) < waiting.index(_page(chats["sd2"]))
    assert _page(chats["pv"]) not in page and "Meerut case" not in page
    assert _page(chats["bot"]) not in page
    # The columns: name or masked key, consumer and verified flag, reason, last user words.
    assert '<span lang="hi">रमेश कुमार</span>' in waiting
    assert "+********9871" in waiting and "+919839099871" not in page
    assert net.consumer1.account_number in waiting and "badge-verified" in waiting
    assert net.consumer2.account_number in waiting and "badge-unverified" in waiting
    assert "Bill dispute" in waiting and "WhatsApp" in waiting
    assert "मुझे किसी व्यक्ति से बात करनी है" in waiting and "बिजली नहीं है" not in waiting
    assert "meter is burnt" in waiting and "30\xa0minutes" in waiting
    # Taken: who has it.
    assert _page(chats["taken"]) in taken and staff["agent"].first_name in taken
    assert "Taken case" in taken and "Telegram" in taken


def test_a_state_agent_sees_every_discoms_chats(client, staff, chats):
    page = _as(client, staff["agent"]).get(QUEUE).content.decode()
    assert _page(chats["pv"]) in page and _page(chats["sd1"]) in page


def test_queue_query_count_does_not_grow_with_conversations(
    client, staff, chats, net, django_assert_max_num_queries
):
    client = _as(client, staff["agent"])
    with django_assert_max_num_queries(QUERIES) as few:
        client.get(QUEUE)
    for n in range(12):
        more = _conversation(org_unit=net.sd2, user_key=f"+91983910{n:04d}", consumer=net.consumer2)
        _message(more, Author.USER, f"message {n}")
        _conversation(
            org_unit=net.sd1,
            user_key=f"+91983920{n:04d}",
            handover=Handover.AGENT,
            agent=StaffFactory(role=Role.AGENT, jurisdiction=net.state),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(QUEUE).content.decode()
    assert "message 11" in page


# Conversation page and poll ------------------------------------------------------------------


def test_conversation_page_shows_the_transcript_in_order_with_options_and_consumer_link(
    client, agent_mv, chats, net
):
    conversation = chats["sd1"]
    page = _as(client, agent_mv).get(_page(conversation)).content.decode()

    first = page.index("बिजली नहीं है")
    assert first < page.index("Choose one") < page.index("मुझे किसी व्यक्ति से बात करनी है")
    assert '<div class="chat-text" lang="hi">बिजली नहीं है</div>' in page
    assert '<li class="chip" lang="hi">शिकायत</li>' in page and "Agent</li>" in page
    consumer_url = reverse("staff:consumers") + f"?q={net.consumer1.account_number}"
    assert consumer_url in page
    # Waiting: take it, or reply straight away (which takes it), or hand it back.
    assert _page(conversation, "take") in page and _page(conversation, "hand_back") in page
    assert 'name="text"' in page and "autofocus" in page
    assert _page(conversation, "messages") in page and "channels/desk.js" in page


def test_conversation_page_in_hindi(client, agent_mv, chats):
    response = _as(client, agent_mv, lang="hi").get(_page(chats["sd1"]))
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="hi">' in page
    assert '<div class="chat-text" lang="en">Choose one</div>' in page


def test_conversation_outside_the_agents_jurisdiction_is_404_and_unchanged(client, agent_mv, chats):
    conversation = chats["pv"]
    before = _snapshot(conversation)
    client = _as(client, agent_mv)
    assert client.get(_page(conversation)).status_code == 404
    assert client.get(_page(conversation, "messages")).status_code == 404
    assert client.post(_page(conversation, "take")).status_code == 404
    assert client.post(_page(conversation, "reply"), {"text": "hello"}).status_code == 404
    assert client.post(_page(conversation, "hand_back")).status_code == 404
    assert _snapshot(conversation) == before


@pytest.mark.parametrize("name", ["conversation", "messages"])
def test_conversation_page_and_poll_query_counts_do_not_grow_with_messages(
    client, staff, chats, name, django_assert_max_num_queries
):
    conversation = chats["taken"]
    client = _as(client, staff["agent"])
    _message(conversation, Author.AGENT, "first", agent=staff["agent"])
    with django_assert_max_num_queries(QUERIES) as few:
        client.get(_page(conversation, name))
    for n in range(15):
        other = StaffFactory(role=Role.AGENT, jurisdiction=staff["agent"].jurisdiction)
        _message(conversation, Author.AGENT, f"m{n}", agent=other)
        _message(conversation, Author.USER, f"u{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_page(conversation, name))
    assert "m14" in response.content.decode()


def test_poll_returns_only_newer_messages_rendered_like_the_page(client, agent_mv, chats):
    conversation = chats["sd1"]
    first, *rest = conversation.messages.order_by("id")
    client = _as(client, agent_mv)

    answer = client.get(_page(conversation, "messages"), {"after": first.pk}).json()
    assert answer["last_id"] == rest[-1].pk
    assert "बिजली नहीं है" not in answer["html"]
    assert f'data-id="{rest[0].pk}"' in answer["html"] and "शिकायत" in answer["html"]
    assert answer["state"] == "waiting:"

    answer = client.get(_page(conversation, "messages"), {"after": rest[-1].pk}).json()
    assert answer == {"last_id": None, "html": "", "state": "waiting:"}
    all_ = client.get(_page(conversation, "messages")).json()
    assert all_["html"].count("data-id=") == 3


def test_poll_escapes_what_users_write(client, agent_mv, chats):
    _message(chats["sd2"], Author.USER, "<script>alert(1)</script>")
    html = _as(client, agent_mv).get(_page(chats["sd2"], "messages")).json()["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_poll_rejects_a_bad_after(client, agent_mv, chats):
    response = _as(client, agent_mv).get(_page(chats["sd1"], "messages"), {"after": "x"})
    assert response.status_code == 400 and "after" in json.loads(response.content)["fields"]


# Take, reply, hand back ----------------------------------------------------------------------


def test_take_reply_and_hand_back_a_whatsapp_chat(
    client, agent_mv, chats, django_capture_on_commit_callbacks
):
    conversation = chats["sd1"]
    client = _as(client, agent_mv)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(conversation, "take"))
    assert response.status_code == 302 and response["Location"] == _page(conversation)
    assert [level for level, _text in _messages_of(response)] == ["success"]
    conversation.refresh_from_db()
    assert conversation.handover == Handover.AGENT and conversation.agent_id == agent_mv.pk

    page = client.get(_page(conversation)).content.decode()
    assert (
        'name="text"' in page and "autofocus" in page and _page(conversation, "hand_back") in page
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _page(conversation, "reply"), {"text": "  Namaste, main dekhta hoon  "}
        )
    assert response.status_code == 302 and response["Location"] == _page(conversation)
    reply = conversation.messages.latest("id")
    assert (reply.author, reply.agent_id, reply.text) == (
        Author.AGENT,
        agent_mv.pk,
        "Namaste, main dekhta hoon",
    )
    (queued,) = Notification.objects.filter(template_key="chat_message")
    assert reply.notification_id == queued.pk
    assert (queued.channel, queued.recipient, queued.status) == (
        "whatsapp",
        conversation.user_key,
        "queued",
    )
    assert "Namaste, main dekhta hoon" in queued.text
    assert "Namaste, main dekhta hoon" in client.get(_page(conversation)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(conversation, "hand_back"))
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert [level for level, _text in _messages_of(response)] == ["success"]
    conversation.refresh_from_db()
    assert conversation.handover == Handover.NONE
    assert _page(conversation) not in client.get(QUEUE).content.decode()


def test_a_second_agent_cannot_take_a_taken_chat(client, staff, agent_mv, chats):
    conversation = chats["taken"]  # the state agent has it
    before = _snapshot(conversation)

    response = _as(client, agent_mv).post(_page(conversation, "take"))

    assert response.status_code == 302 and response["Location"] == _page(conversation)
    ((level, text),) = _messages_of(response)
    assert level == "error" and text
    assert _snapshot(conversation) == before
    page = client.get(_page(conversation)).content.decode()
    assert 'name="text"' not in page and _page(conversation, "take") not in page
    assert _page(conversation, "hand_back") not in page
    assert f"{staff['agent'].get_full_name()} is handling this conversation." in page

    # A page left open from before: replying or handing back is refused the same way.
    response = client.post(_page(conversation, "reply"), {"text": "I will help"})
    assert response.status_code == 409 and response.context["form"].non_field_errors()
    assert "I will help" in response.content.decode()  # the typed text is not lost
    response = client.post(_page(conversation, "hand_back"))
    assert response["Location"] == _page(conversation)
    assert [level for level, _text in _messages_of(response)] == ["error"]
    assert _snapshot(conversation) == before


def test_replying_to_a_waiting_chat_takes_it(
    client, agent_mv, chats, django_capture_on_commit_callbacks
):
    conversation = chats["sd2"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, agent_mv).post(_page(conversation, "reply"), {"text": "Hello"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.handover, conversation.agent_id) == (Handover.AGENT, agent_mv.pk)
    assert conversation.messages.latest("id").author == Author.AGENT


def test_a_waiting_chat_can_be_handed_back_without_taking_it(
    client, agent_mv, chats, django_capture_on_commit_callbacks
):
    conversation = chats["sd2"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, agent_mv).post(_page(conversation, "hand_back"))
    assert response["Location"] == QUEUE
    conversation.refresh_from_db()
    assert (conversation.handover, conversation.agent_id) == (Handover.NONE, None)
    # The user is told, by the chatbot.
    assert conversation.messages.latest("id").author == Author.BOT


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_an_empty_or_overlong_reply_is_a_field_error_and_nothing_is_sent(
    client, agent_mv, chats, text, django_capture_on_commit_callbacks
):
    conversation = chats["sd1"]
    Conversation.objects.filter(pk=conversation.pk).update(handover=Handover.AGENT, agent=agent_mv)
    before = _snapshot(conversation)

    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, agent_mv).post(_page(conversation, "reply"), {"text": text})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["text"]
    assert 'class="message message-error"' in response.content.decode()
    assert _snapshot(conversation) == before


def test_a_reply_of_exactly_the_limit_is_sent(
    client, agent_mv, chats, django_capture_on_commit_callbacks
):
    conversation = chats["sd1"]
    Conversation.objects.filter(pk=conversation.pk).update(handover=Handover.AGENT, agent=agent_mv)
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, agent_mv).post(_page(conversation, "reply"), {"text": "क" * 1000})
    assert response.status_code == 302
    assert conversation.messages.latest("id").text == "क" * 1000


def test_pages_only_take_posts_for_actions(client, agent_mv, chats):
    client = _as(client, agent_mv)
    assert client.get(_page(chats["sd1"], "take")).status_code == 405
    assert client.post(QUEUE).status_code == 405
