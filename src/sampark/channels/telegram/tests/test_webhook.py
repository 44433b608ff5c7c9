"""POST /webhooks/telegram/ with every recorded update: the secret header, Telegram's retries,
what reaches the chatbot and what is only acknowledged."""

from __future__ import annotations

import json

import pytest

from sampark.channels.models import ChatMessage, Conversation
from sampark.channels.services import Inbound
from sampark.channels.telegram import views
from sampark.notifications.models import Notification

from .test_parsing import PAYLOADS, recorded

pytestmark = pytest.mark.django_db

WEBHOOK = "/webhooks/telegram/"
SECRET = "tg-webhook-secret"  # settings.test


def post(client, update, *, secret: str | None = SECRET, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(update).encode()
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


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


def test_every_update_has_a_recorded_payload():
    names = {path.stem for path in PAYLOADS.glob("*.json")}

    assert names == {"text_message", "callback_query", "edited_message", "group_message", "sticker"}


def test_a_private_message_is_stored_once_though_telegram_retries(client, received):
    update = recorded("text_message")

    first, retry = post(client, update), post(client, update)

    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json() == {"ok": True}
    stored = ChatMessage.objects.get()
    assert (stored.channel, stored.direction, stored.text, stored.provider_message_id) == (
        "telegram",
        "in",
        "bijli nahi aa rahi 3 ghante se",
        "u731204518",
    )
    assert (stored.conversation.channel, stored.conversation.user_key) == ("telegram", "5123456789")
    assert len(received) == 2 and received[0].display_name == "रमेश कुमार"


def test_a_button_tap_arrives_as_its_option_id_and_is_answered_in_the_reply(client, received):
    update = recorded("callback_query")

    first, retry = post(client, update), post(client, update)

    # The Bot API runs the method named in a webhook's answer: the client's spinner stops.
    assert (
        first.json()
        == retry.json()
        == {
            "method": "answerCallbackQuery",
            "callback_query_id": "4382bfdwdsb323b2d9",
        }
    )
    stored = ChatMessage.objects.get()
    assert (stored.text, stored.provider_message_id) == ("no_supply", "u731204519")


def test_the_answer_is_queued_after_commit_for_the_same_chat(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, recorded("text_message"))

    replies = Notification.objects.filter(channel="telegram", recipient="5123456789")
    assert replies.exists()
    assert set(replies.values_list("template_key", flat=True)) == {"chat_message"}


def test_a_sticker_reaches_the_chatbot_without_text(client):
    assert post(client, recorded("sticker")).json() == {"ok": True}

    assert ChatMessage.objects.get().text == ""


@pytest.mark.parametrize("name", ["edited_message", "group_message"])
def test_edits_and_group_messages_are_acknowledged_and_ignored(client, received, name):
    response = post(client, recorded(name))

    assert response.status_code == 200 and response.json() == {"ok": True}
    assert received == [] and nothing_stored()


@pytest.mark.parametrize("secret", [None, "", "tg-webhook-secreT", "tg-webhook-secret-x"])
def test_a_wrong_or_missing_secret_is_a_403_and_changes_nothing(client, received, secret):
    response = post(client, recorded("text_message"), secret=secret)

    assert response.status_code == 403
    assert received == [] and nothing_stored()


def test_without_a_configured_secret_nothing_is_accepted(client, received, settings):
    settings.SAMPARK_TELEGRAM_WEBHOOK_SECRET = ""

    assert post(client, recorded("text_message"), secret="").status_code == 403
    assert received == [] and nothing_stored()


def test_malformed_json_is_a_400_in_the_error_shape(client, received):
    response = post(client, None, raw=b'{"update_id": 1, "message": ')

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "The update could not be read.",
        "fields": {},
    }
    assert received == [] and nothing_stored()


def test_only_post_is_allowed(client):
    assert (
        client.get(WEBHOOK, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}).status_code == 405
    )
