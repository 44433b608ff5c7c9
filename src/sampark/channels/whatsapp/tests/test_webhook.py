"""The WhatsApp webhook with every recorded Cloud API payload, signed with the app secret:
messages reach the chatbot once each (Meta retries), statuses reach the outbox, and a request
without a valid signature changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from sampark.channels.models import ChatMessage, Conversation
from sampark.channels.services import Inbound
from sampark.channels.whatsapp import views
from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification
from sampark.notifications.tests.conftest import row

from .recorded import EXPECTED, from_indian_mobile, recorded_messages, recorded_statuses

pytestmark = pytest.mark.django_db

APP_SECRET = "wa-app-secret"
WEBHOOK = "/webhooks/whatsapp/"
SENDER, MOBILE = "919839055555", "+919839055555"


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:
    settings.SAMPARK_WHATSAPP_APP_SECRET = APP_SECRET
    settings.SAMPARK_WHATSAPP_VERIFY_TOKEN = "verify-me"


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload: Any, *, signature: str | None = "auto", raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signed(body) if signature == "auto" else signature
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


def sample(name: str, *, wamid: str | None = None) -> Any:
    """A recorded message as sent from an Indian mobile, with its own message id."""
    return from_indian_mobile(
        recorded_messages()[name], sender=SENDER, wamid=wamid or f"wamid.{name}"
    )


@pytest.fixture
def received(monkeypatch) -> list[Inbound]:
    """Every Inbound the view hands to the chatbot (which still stores it)."""
    seen: list[Inbound] = []
    real = views.chat_message_receive

    def spy(*, inbound: Inbound):
        seen.append(inbound)
        return real(inbound=inbound)

    monkeypatch.setattr(views, "chat_message_receive", spy)
    return seen


def nothing_stored() -> bool:
    return not ChatMessage.objects.exists() and not Conversation.objects.exists()


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_recorded_message_is_stored_once_even_when_meta_retries(client, name):
    expected = EXPECTED[name]
    payload = sample(name)

    first, retry = post(client, payload), post(client, payload)

    assert first.status_code == retry.status_code == 200
    assert retry.json()["queued"] == 0
    if expected is None:  # reactions: nothing to answer
        assert first.json()["queued"] == 0 and nothing_stored()
        return
    assert first.json()["queued"] == 1
    stored = ChatMessage.objects.get()
    assert (stored.direction, stored.author, stored.text) == ("in", "user", expected[1])
    assert (stored.channel, stored.provider_message_id) == ("whatsapp", f"wamid.{name}")
    conversation = stored.conversation
    assert (conversation.channel, conversation.user_key) == ("whatsapp", MOBILE)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("button", "callback_data"),  # a reply button: its id
        ("callback", "callback_data"),  # a list row: its id
        ("quick_reply", "callback_data"),  # a template's quick-reply button: its payload
        ("text", "Body Text"),
        ("static_sticker", ""),  # so that the chatbot asks for words
    ],
)
def test_the_chatbot_gets_the_mobile_the_profile_name_and_the_choice(client, received, name, text):
    post(client, sample(name, wamid="wamid.HBgMOTE5ODM5MDU1NTU1FQIAEhggQTdB"))

    assert received == [
        Inbound(
            channel="whatsapp",
            user_key=MOBILE,
            mobile=MOBILE,
            text=text,
            provider_message_id="wamid.HBgMOTE5ODM5MDU1NTU1FQIAEhggQTdB",
            display_name="Test Name",
        )
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_recorded_messages_as_they_are_come_from_a_non_mobile_and_are_ignored(
    client, received, name
):
    # The recorded sender, "972987654321", is no mobile number by SAMPARK_PHONE_REGION's rules.
    response = post(client, recorded_messages()[name])

    assert response.status_code == 200 and response.json()["queued"] == 0
    assert received == [] and nothing_stored()


def test_a_stakeholder_keyword_goes_to_the_chatbot_like_any_text(client, received):
    payload = sample("text")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "JOIN Z-LKO"

    assert post(client, payload).json()["queued"] == 1

    assert [inbound.text for inbound in received] == ["JOIN Z-LKO"]
    assert not Notification.objects.exists()  # no reply before the chatbot's task runs


def test_the_answer_leaves_after_commit_as_a_session_message(
    client, settings, httpserver, django_capture_on_commit_callbacks
):
    """From Meta's POST to the chatbot's reply reaching the Cloud API: the whole way."""
    settings.SAMPARK_WHATSAPP_PROVIDER = "whatsapp_cloud"
    settings.SAMPARK_WHATSAPP_API_BASE = httpserver.url_for("/v19.0")
    settings.SAMPARK_WHATSAPP_PHONE_NUMBER_ID = "1122334455667"
    settings.SAMPARK_WHATSAPP_TOKEN = "EAAG-test-token"
    settings.SAMPARK_PROVIDER_RATES = {name: 0 for name in settings.SAMPARK_PROVIDER_RATES}
    httpserver.expect_request("/v19.0/1122334455667/messages").respond_with_json(
        {"messages": [{"id": "wamid.reply"}]}
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, sample("text")).status_code == 200
    assert not httpserver.log  # the webhook itself sends nothing

    replies = Notification.objects.filter(channel="whatsapp", recipient=MOBILE)
    assert replies.exists()
    assert set(replies.values_list("template_key", flat=True)) == {"chat_message"}
    assert notifications_dispatch_run(budget=10.0).sent == replies.count()
    for request, _response in httpserver.log:
        sent = request.get_json()
        assert sent["to"] == SENDER and sent["type"] in ("text", "interactive")


# --- statuses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("sent", "sent"),
        ("delivered", "delivered"),
        ("read", "delivered"),
        ("played", "delivered"),
        ("failed", "failed"),
        ("with_tracker", "sent"),
        ("group", "sent"),  # another message id: untouched
    ],
)
def test_every_recorded_status_reaches_the_outbox_and_no_chat(client, name, status):
    message = row(
        channel="whatsapp",
        status="sent",
        provider="whatsapp_cloud",
        provider_message_id="wamid.xyzxyz",
    )

    response = post(client, recorded_statuses()[name])

    assert response.status_code == 200
    assert Notification.objects.get(pk=message.pk).status == status
    assert nothing_stored()


def test_statuses_and_messages_are_one_transaction(client, monkeypatch):
    message = row(
        channel="whatsapp",
        status="sent",
        provider="whatsapp_cloud",
        provider_message_id="wamid.xyzxyz",
    )
    payload = sample("text")
    value = payload["entry"][0]["changes"][0]["value"]
    value["statuses"] = recorded_statuses()["delivered"]["entry"][0]["changes"][0]["value"][
        "statuses"
    ]

    def broken(*, inbound: Inbound):
        raise RuntimeError("the chatbot is down")

    monkeypatch.setattr(views, "chat_message_receive", broken)

    with pytest.raises(RuntimeError):
        post(client, payload)  # a 500: Meta delivers the whole payload again later

    assert Notification.objects.get(pk=message.pk).status == "sent"


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("signature", [None, "", "sha256=" + "0" * 64, "wrong-secret"])
def test_a_bad_or_missing_signature_is_a_403_and_changes_nothing(client, received, signature):
    message = row(
        channel="whatsapp",
        status="sent",
        provider="whatsapp_cloud",
        provider_message_id="wamid.xyzxyz",
    )
    payload = sample("button")
    payload["entry"][0]["changes"][0]["value"]["statuses"] = [
        {"id": "wamid.xyzxyz", "status": "delivered", "timestamp": "1698266945"}
    ]
    body = json.dumps(payload).encode()
    if signature == "wrong-secret":
        signature = signed(body, secret="not-the-app-secret")

    response = post(client, None, raw=body, signature=signature)

    assert response.status_code == 403
    assert received == [] and nothing_stored()
    assert Notification.objects.get(pk=message.pk).status == "sent"


def test_signed_garbage_is_a_400_in_the_error_shape(client):
    response = post(client, None, raw=b"<html>not json</html>")

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "The payload could not be read.",
        "fields": {},
    }
    assert nothing_stored()


def test_subscription_check(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}

    assert client.get(WEBHOOK, query).content == b"42"
