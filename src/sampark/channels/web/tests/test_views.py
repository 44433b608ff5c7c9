"""The web chat page without JavaScript (form posts, POST/redirect/GET) and the JSON API its
script uses. Refused requests store nothing and answer in the one error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from sampark.channels.models import Author, ChatMessage, Conversation
from sampark.channels.services import chat_agent_reply
from sampark.channels.web import forms, views
from sampark.core.errors import SamparkError

pytestmark = pytest.mark.django_db

PAGE = reverse("webchat:chat")
API = reverse("webchat:api_messages")
NO_POWER = "बिजली नहीं आ रही है"
DEVANAGARI = range(0x0900, 0x0980)


def hindi(text: str) -> bool:
    return any(ord(ch) in DEVANAGARI for ch in text)


def post_json(client: Client, body: object, **extra):
    return client.post(API, json.dumps(body), content_type="application/json", **extra)


def nothing_stored() -> bool:
    return not Conversation.objects.exists() and not ChatMessage.objects.exists()


def visitor(client: Client) -> Conversation:
    return Conversation.objects.get(user_key=client.session[views.SESSION_KEY])


class TooManyMessages(SamparkError):
    status = 429
    code = "rate_limited"


# The page, without JavaScript ---------------------------------------------------------------


def test_the_page_is_hindi_by_default_and_makes_no_session(client, net):
    response = client.get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in page
    assert 'id="wc-form" method="post"' in page and 'name="csrfmiddlewaretoken"' in page
    assert reverse("public:set_language") in page  # the site's language switch
    assert "sessionid" not in response.cookies  # nobody is stored for looking
    assert "csrftoken" in response.cookies


def test_the_page_follows_the_site_language(client, net):
    response = client.post(
        reverse("public:set_language"), {"language": "en", "next": PAGE}, follow=True
    )

    assert response.redirect_chain[-1][0] == PAGE
    assert '<html lang="en">' in response.content.decode()


def test_a_posted_message_is_answered_and_the_page_shows_both(client, net):
    response = client.post(PAGE, {"text": NO_POWER})

    assert response.status_code == 302 and response["Location"] == PAGE
    conversation = visitor(client)
    assert conversation.channel == "web"
    transcript = list(conversation.messages.order_by("id"))
    assert [m.author for m in transcript][:2] == [Author.USER, Author.BOT]
    page = client.get(PAGE).content.decode()
    assert NO_POWER in page
    assert escape(transcript[1].text) in page
    for key, title in transcript[-1].options:  # the bot's buttons, as submit buttons
        assert f'name="text" value="{key}"' in page and escape(title) in page


def test_the_visitor_key_is_random_and_not_the_session_key(client, net):
    other = Client()

    client.post(PAGE, {"text": NO_POWER})
    other.post(PAGE, {"text": NO_POWER})

    keys = {client.session[views.SESSION_KEY], other.session[views.SESSION_KEY]}
    assert len(keys) == 2 and all(len(key) >= 32 for key in keys)
    assert client.session.session_key not in keys and other.session.session_key not in keys
    assert set(Conversation.objects.values_list("user_key", flat=True)) == keys


def test_a_tapped_button_is_shown_as_its_title(client, net):
    client.post(PAGE, {"text": NO_POWER})
    key, title = visitor(client).messages.order_by("id").last().options[0]

    client.post(PAGE, {"text": key})

    stored = visitor(client).messages.filter(author=Author.USER).order_by("id").last()
    assert stored.text == key
    page = client.get(PAGE).content.decode()
    assert f'<p class="wc-text" lang="{"hi" if hindi(title) else "en"}">{escape(title)}</p>' in page


def test_an_empty_post_is_refused_and_stores_nothing(client, net):
    response = client.post(PAGE, {"text": "   "})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert nothing_stored() and views.SESSION_KEY not in client.session


def test_an_over_large_post_is_refused(client, net):
    response = client.post(PAGE, {"text": "x" * (forms.MAX_BODY + 1)})

    assert response.status_code == 400
    assert nothing_stored()


def test_a_refusal_from_the_service_keeps_the_text(client, net, monkeypatch):
    def refuse(*, inbound):
        raise TooManyMessages("Slow down.")

    monkeypatch.setattr(views, "chat_message_answer_now", refuse)

    response = client.post(PAGE, {"text": "hello there"})

    page = response.content.decode()
    assert response.status_code == 429
    assert "Slow down." in page and 'value="hello there"' in page


def test_the_page_needs_a_csrf_token(net):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(PAGE, {"text": NO_POWER})

    assert response.status_code == 403 and nothing_stored()


# The JSON API ---------------------------------------------------------------------------------


def test_a_json_message_answers_with_the_bots_replies(client, net):
    response = post_json(client, {"text": NO_POWER})

    assert response.status_code == 200
    messages = response.json()["messages"]
    assert messages and {m["author"] for m in messages} == {"bot"}
    first = messages[0]
    assert set(first) == {"id", "author", "text", "options", "at"}
    assert all(set(option) == {"id", "title"} for m in messages for option in m["options"])
    stored = ChatMessage.objects.get(pk=first["id"])
    assert first["at"] == stored.created_at.isoformat()
    assert visitor(client).messages.filter(author=Author.USER).get().text == NO_POWER


def test_with_after_the_answer_has_the_visitors_own_message_too(client, net):
    first = post_json(client, {"text": NO_POWER, "after": 0}).json()["messages"]
    last_id = first[-1]["id"]

    answer = post_json(client, {"text": net.consumer1.account_number, "after": last_id})

    messages = answer.json()["messages"]
    assert messages[0]["author"] == "user"
    assert messages[0]["text"] == net.consumer1.account_number
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)
    assert all(m["id"] > last_id for m in messages)
    assert first[0] == {**first[0], "author": "user", "text": NO_POWER}


def test_the_poll_brings_an_agents_reply(client, net, staff):
    replies = post_json(client, {"text": "agent"}).json()["messages"]
    last_id = replies[-1]["id"]
    chat_agent_reply(conversation=visitor(client), agent=staff["agent"], text="Main dekhta hoon.")

    answer = client.get(API, {"after": last_id})

    assert answer.status_code == 200
    assert [(m["author"], m["text"]) for m in answer.json()["messages"]] == [
        ("agent", "Main dekhta hoon.")
    ]
    newest = answer.json()["messages"][0]["id"]
    assert client.get(API, {"after": newest}).json() == {"messages": []}


def test_the_poll_without_a_conversation_is_empty_and_makes_no_session(client, net):
    response = client.get(API, {"after": 0})

    assert response.json() == {"messages": []}
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("after", ["-1", "x", "1.5", str(2**63)])
def test_a_bad_after_is_a_400(client, net, after):
    response = client.get(API, {"after": after})

    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}
    assert "after" in response.json()["fields"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", "bad_request"),
        ("", "bad_request"),
        ("[1, 2]", "bad_request"),
        ('{"text": 12}', "bad_request"),
        ('{"message": "hello"}', "bad_request"),
        ('{"text": "   "}', "empty"),
        ('{"text": "hello", "after": "x"}', "invalid"),
        ('{"text": "hello", "after": 99999999999999999999}', "invalid"),
        ('"\\ud800"', "bad_request"),
    ],
)
def test_unusable_bodies_are_400s_and_store_nothing(client, net, body, code):
    response = client.post(API, body, content_type="application/json")

    assert response.status_code == 400
    answer = response.json()
    assert set(answer) == {"code", "message", "fields"} and answer["code"] == code
    assert answer["message"]
    assert nothing_stored()


def test_invalid_utf8_is_a_400(client, net):
    response = client.post(API, b'{"text": "\xff"}', content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    assert nothing_stored()


def test_a_body_over_16_kb_is_refused_unread(client, net):
    body = json.dumps({"text": "ब" * 6000}, ensure_ascii=False)  # 18,000 bytes of UTF-8

    response = client.post(API, body, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert nothing_stored()


def test_a_long_message_under_the_cap_is_for_the_bot_to_answer(client, net):
    response = post_json(client, {"text": "a" * 5000})

    assert response.status_code == 200
    assert len(response.json()["messages"]) == 1  # "too long for me", politely
    assert ChatMessage.objects.filter(author=Author.USER).count() == 1


def test_other_methods_are_refused_in_the_error_shape(client, net):
    response = client.put(API, "{}", content_type="application/json")

    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response.json()["code"] == "method_not_allowed"


def test_the_api_needs_the_csrf_token_of_the_page(net):
    strict = Client(enforce_csrf_checks=True)

    refused = post_json(strict, {"text": NO_POWER})

    assert refused.status_code == 403 and nothing_stored()
    strict.get(PAGE)
    token = strict.cookies["csrftoken"].value
    accepted = post_json(strict, {"text": NO_POWER}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200 and accepted.json()["messages"]


def test_a_rate_limit_refusal_passes_through(client, net, monkeypatch):
    def refuse(*, inbound):
        raise TooManyMessages("Slow down.", fields={"text": "Wait a minute."})

    monkeypatch.setattr(views, "chat_message_answer_now", refuse)

    response = post_json(client, {"text": "hello"})

    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": "Slow down.",
        "fields": {"text": "Wait a minute."},
    }


def test_a_flood_gets_the_bots_slow_down_reply_once(client, net, settings):
    settings.SAMPARK_CHAT_RATE = "2/m"
    for text in ("namaste", "menu"):
        post_json(client, {"text": text})

    flooded = post_json(client, {"text": "menu"})
    again = post_json(client, {"text": "menu"})

    assert flooded.status_code == 200 and again.status_code == 200
    [reply] = flooded.json()["messages"]
    assert reply["author"] == "bot" and reply["options"] == []  # "slow down", not the menu
    assert again.json() == {"messages": []}  # told once, then quiet until they slow down
    assert ChatMessage.objects.filter(author=Author.USER).count() == 4  # every message kept
