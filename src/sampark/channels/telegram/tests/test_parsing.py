"""Reading Telegram Bot API updates (recorded in payloads/, shaped as the Update object of
core.telegram.org/bots/api) into what the chatbot needs (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sampark.channels.services import Inbound
from sampark.channels.telegram.parsing import TelegramUpdate, telegram_update_read

PAYLOADS = Path(__file__).parent / "payloads"


def recorded(name: str) -> Any:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def test_a_private_text_message_is_an_inbound_keyed_by_the_chat():
    assert telegram_update_read(recorded("text_message")) == TelegramUpdate(
        inbound=Inbound(
            channel="telegram",
            user_key="5123456789",
            text="bijli nahi aa rahi 3 ghante se",
            provider_message_id="u731204518",
            display_name="रमेश कुमार",
        )
    )


def test_a_button_tap_is_its_option_id_and_is_to_be_answered():
    assert telegram_update_read(recorded("callback_query")) == TelegramUpdate(
        inbound=Inbound(
            channel="telegram",
            user_key="5123456789",
            text="no_supply",
            provider_message_id="u731204519",
            display_name="रमेश कुमार",
        ),
        callback_query_id="4382bfdwdsb323b2d9",
    )


def test_a_sticker_is_an_inbound_without_text():
    update = telegram_update_read(recorded("sticker"))

    assert update.inbound is not None
    assert (update.inbound.text, update.inbound.display_name) == ("", "रमेश")


@pytest.mark.parametrize("name", ["edited_message", "group_message"])
def test_edits_and_group_messages_are_ignored(name):
    assert telegram_update_read(recorded(name)) == TelegramUpdate(inbound=None)


def test_a_tap_in_a_group_is_ignored_but_still_answered():
    update = recorded("callback_query")
    update["callback_query"]["message"]["chat"] = {"id": -1001987654321, "type": "supergroup"}

    assert telegram_update_read(update) == TelegramUpdate(
        inbound=None, callback_query_id="4382bfdwdsb323b2d9"
    )


def test_a_service_message_in_a_private_chat_is_ignored():
    update = recorded("text_message")
    del update["message"]["text"]
    update["message"]["pinned_message"] = {"message_id": 1, "date": 0, "chat": {"id": 1}}

    assert telegram_update_read(update).inbound is None


@pytest.mark.parametrize(
    "update",
    [
        None,
        [],
        {},
        {"update_id": "7"},
        {"update_id": 7},
        {"update_id": 7, "message": {"chat": {"type": "private"}, "text": "no chat id"}},
        {"update_id": 7, "my_chat_member": {"chat": {"id": 1, "type": "private"}}},
    ],
)
def test_odd_updates_are_ignored(update):
    assert telegram_update_read(update).inbound is None
