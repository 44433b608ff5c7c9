"""Reading users' messages out of the recorded WhatsApp webhook payloads (no database)."""

from __future__ import annotations

import pytest

from sampark.notifications.webhooks.whatsapp import whatsapp_inbound_messages

from .recorded import EXPECTED, recorded_messages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_recorded_message_is_read_as_the_chatbot_needs_it(name):
    expected = EXPECTED[name]

    found = whatsapp_inbound_messages(recorded_messages()[name])

    if expected is None:
        assert found == []
        return
    (message,) = found
    assert (message.kind, message.text, message.title) == expected
    assert (message.sender, message.profile_name) == ("972987654321", "Test Name")
    assert message.message_id.startswith("wamid.")


def test_every_recorded_sample_has_an_expectation():
    assert set(recorded_messages()) == set(EXPECTED)


def test_several_messages_and_contacts_in_one_payload_keep_their_own_names():
    value = {
        "contacts": [
            {"profile": {"name": "Asha"}, "wa_id": "919839055555"},
            {"profile": {"name": "Ravi"}, "wa_id": "919839066666"},
        ],
        "messages": [
            {"from": "919839066666", "id": "wamid.2", "type": "text", "text": {"body": "hi"}},
            {"from": "919839055555", "id": "wamid.1", "type": "image", "image": {"id": "1"}},
        ],
    }
    payload = {"entry": [{"changes": [{"value": value, "field": "messages"}]}]}

    found = whatsapp_inbound_messages(payload)

    assert [(m.message_id, m.profile_name, m.kind, m.text) for m in found] == [
        ("wamid.2", "Ravi", "text", "hi"),
        ("wamid.1", "Asha", "image", ""),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "text",
        {"entry": "x"},
        {"entry": [{"changes": [{"value": {"messages": "x"}}]}]},
        {"entry": [{"changes": [{"value": {"messages": [{"type": "text"}]}}]}]},  # no id, sender
        {"entry": [{"changes": [{"value": {"messages": [None, 3]}}]}]},
    ],
)
def test_odd_payloads_yield_nothing(payload):
    assert whatsapp_inbound_messages(payload) == []
