"""Chat replies on WhatsApp (session messages: text, reply buttons, lists, numbered fallback;
the follow-up template outside the 24-hour window) and Telegram (inline keyboards), each checked
as the exact request a local server receives."""

from __future__ import annotations

import pytest

from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification
from sampark.notifications.providers.telegram import TelegramProvider
from sampark.notifications.providers.whatsapp_cloud import WhatsAppCloudProvider
from sampark.notifications.services import notification_enqueue

from .conftest import message, send

MESSAGES = "/v19.0/1122334455667/messages"
SEND_MESSAGE = "/bot123456:ABC-test/sendMessage"
ASK = "आपकी शिकायत किस बारे में है?"
ENVELOPE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "919839012345"}


@pytest.fixture
def graph(gateway, settings):
    settings.SAMPARK_WHATSAPP_API_BASE = gateway.url_for("/v19.0")
    settings.SAMPARK_WHATSAPP_PHONE_NUMBER_ID = "1122334455667"
    settings.SAMPARK_WHATSAPP_TOKEN = "EAAG-test-token"
    gateway.expect_request(MESSAGES, method="POST").respond_with_json(
        {"messaging_product": "whatsapp", "messages": [{"id": "wamid.chat1"}]}
    )
    return gateway


@pytest.fixture
def bot_api(gateway, settings):
    settings.SAMPARK_TELEGRAM_API_BASE = gateway.url_for("/")
    settings.SAMPARK_TELEGRAM_BOT_TOKEN = "123456:ABC-test"
    gateway.expect_request(SEND_MESSAGE, method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 77, "chat": {"id": 5123456789}}}
    )
    return gateway


def chat(text: str = ASK, *, options=(), language: str = "hi", **fields):
    fields.setdefault("channel", "whatsapp")
    return message(
        text=text,
        template_key="chat_message",
        language=language,
        variables={"text": text},
        dlt_template_id="",
        dlt_entity_id="",
        options=tuple(options),
        **fields,
    )


def sent_json(server) -> dict:
    assert len(server.log) == 1, server.log
    return server.log[0][0].get_json()


def whatsapp(server, msg) -> dict:
    """Send `msg` through the Cloud API provider; the JSON the server received."""
    result = send(WhatsAppCloudProvider(), msg)
    assert result.provider_message_id == "wamid.chat1"
    return sent_json(server)


# --- WhatsApp session messages -------------------------------------------------------------


def test_a_reply_without_options_is_a_plain_text_message(graph):
    assert whatsapp(graph, chat("आपकी शिकायत दर्ज हो गई है: 1912-MV-0001.")) == {
        **ENVELOPE,
        "type": "text",
        "text": {"preview_url": False, "body": "आपकी शिकायत दर्ज हो गई है: 1912-MV-0001."},
    }


def test_up_to_three_short_options_are_reply_buttons(graph):
    options = [("no_supply", "बिजली नहीं है"), ("billing", "बिल की शिकायत"), ("agent", "एजेंट")]

    assert whatsapp(graph, chat(options=options)) == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": ASK},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "no_supply", "title": "बिजली नहीं है"}},
                    {"type": "reply", "reply": {"id": "billing", "title": "बिल की शिकायत"}},
                    {"type": "reply", "reply": {"id": "agent", "title": "एजेंट"}},
                ]
            },
        },
    }


def test_more_options_are_a_list_and_long_titles_move_to_the_description(graph):
    long_title = "Voltage fluctuation at my house"  # 31 characters: more than a row title
    options = [
        ("no_supply", "No supply"),
        ("voltage", long_title),
        ("billing", "Bill complaint"),
        ("meter", "Meter problem"),
    ]

    sent = whatsapp(graph, chat("What is your complaint about?", options=options, language="en"))

    assert sent == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "What is your complaint about?"},
            "action": {
                "button": "Options",
                "sections": [
                    {
                        "title": "Options",
                        "rows": [
                            {"id": "no_supply", "title": "No supply"},
                            {
                                "id": "voltage",
                                "title": "Voltage fluctuation at …",
                                "description": long_title,
                            },
                            {"id": "billing", "title": "Bill complaint"},
                            {"id": "meter", "title": "Meter problem"},
                        ],
                    }
                ],
            },
        },
    }
    assert len(sent["interactive"]["action"]["sections"][0]["rows"][1]["title"]) == 24


def test_a_button_title_over_20_characters_makes_it_a_list_labelled_in_hindi(graph):
    options = [("yes", "हाँ"), ("other", "किसी और कनेक्शन की शिकायत")]  # 25 characters

    interactive = whatsapp(graph, chat(options=options))["interactive"]

    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "विकल्प"
    assert interactive["action"]["sections"][0]["rows"][1] == {
        "id": "other",
        "title": "किसी और कनेक्शन की शिकायत"[:23] + "…",
        "description": "किसी और कनेक्शन की शिकायत",
    }


def test_a_body_over_1024_characters_goes_as_text_with_numbered_options(graph):
    body = "क" * 1025

    assert whatsapp(graph, chat(body, options=[("yes", "हाँ"), ("no", "नहीं")])) == {
        **ENVELOPE,
        "type": "text",
        "text": {"preview_url": False, "body": f"{body}\n\n1. हाँ\n2. नहीं"},
    }


def test_more_than_ten_options_are_numbered_lines(graph):
    options = [(f"d{n}", f"Division {n}") for n in range(1, 12)]

    text = whatsapp(graph, chat("Choose your division:", options=options, language="en"))["text"]

    assert text["body"].startswith("Choose your division:\n\n1. Division 1\n2. Division 2\n")
    assert text["body"].endswith("\n11. Division 11")


def test_a_row_id_over_200_characters_is_numbered_lines(graph):
    options = [("a" * 201, "One"), ("b", "Two"), ("c", "Three"), ("d", "Four")]

    assert whatsapp(graph, chat("Pick", options=options))["type"] == "text"


def test_a_text_over_4096_characters_is_shortened(graph):
    body = whatsapp(graph, chat("ख" * 5000))["text"]["body"]

    assert len(body) == 4096 and body.endswith("…")


def test_the_followup_outside_the_window_is_the_approved_template_on_one_line(graph):
    text = "आपकी शिकायत 1912-MV-0001 पर काम हो रहा है।\nJE: 9839000001"
    followup = message(
        channel="whatsapp",
        template_key="chat_followup",
        variables={"text": text},
        options=(("status", "स्थिति"),),
    )

    assert whatsapp(graph, followup) == {
        **ENVELOPE,
        "type": "template",
        "template": {
            "name": "chat_followup",
            "language": {"code": "hi"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        # Meta refuses parameters with new lines, tabs or 4+ spaces in a row.
                        {
                            "type": "text",
                            "text": "आपकी शिकायत 1912-MV-0001 पर काम हो रहा है। JE: 9839000001",
                        }
                    ],
                }
            ],
        },
    }


def test_outbox_options_reach_whatsapp_as_buttons(graph, settings, db):
    settings.SAMPARK_WHATSAPP_PROVIDER = "whatsapp_cloud"
    notification_enqueue(
        topic="chat:1",
        event="m:1",
        channel="whatsapp",
        recipient="+919839012345",
        template_key="chat_message",
        language="hi",
        variables={"text": ASK},
        options=[("no_supply", "बिजली नहीं है"), ("billing", "बिल की शिकायत")],
    )

    assert notifications_dispatch_run(budget=10.0).sent == 1

    buttons = sent_json(graph)["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["no_supply", "billing"]
    assert Notification.objects.get().provider_message_id == "wamid.chat1"


# --- Telegram -------------------------------------------------------------------------------


def telegram(server, msg) -> dict:
    """Send `msg` through the Bot API provider; the JSON the server received."""
    result = send(TelegramProvider(), msg)
    assert result.provider_message_id == "5123456789:77"
    return sent_json(server)


def test_telegram_options_are_an_inline_keyboard_one_button_a_row(bot_api):
    options = [("no_supply", "बिजली नहीं है"), ("billing", "बिल की शिकायत")]

    assert telegram(bot_api, chat(options=options, channel="telegram", recipient="5123456789")) == {
        "chat_id": "5123456789",
        "text": ASK,
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "बिजली नहीं है", "callback_data": "no_supply"}],
                [{"text": "बिल की शिकायत", "callback_data": "billing"}],
            ]
        },
    }


def test_telegram_callback_data_over_64_bytes_falls_back_to_numbered_lines(bot_api):
    # 22 Devanagari letters are 66 bytes of UTF-8, though only 22 characters.
    options = [("क" * 22, "बिजली नहीं है"), ("billing", "बिल की शिकायत")]

    assert telegram(bot_api, chat(options=options, channel="telegram", recipient="5123456789")) == {
        "chat_id": "5123456789",
        "text": f"{ASK}\n\n1. बिजली नहीं है\n2. बिल की शिकायत",
    }


def test_telegram_text_is_shortened_to_4096_characters(bot_api):
    text = telegram(bot_api, chat("ग" * 4097, channel="telegram", recipient="5123456789"))["text"]

    assert len(text) == 4096 and text.endswith("…")


def test_outbox_options_reach_telegram_as_an_inline_keyboard(bot_api, settings, db):
    settings.SAMPARK_TELEGRAM_PROVIDER = "telegram"
    notification_enqueue(
        topic="chat:2",
        event="m:1",
        channel="telegram",
        recipient="5123456789",
        template_key="chat_message",
        language="en",
        variables={"text": "Is the supply back?"},
        options=[("yes", "Yes"), ("no", "No")],
    )

    assert notifications_dispatch_run(budget=10.0).sent == 1

    assert sent_json(bot_api)["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Yes", "callback_data": "yes"}],
            [{"text": "No", "callback_data": "no"}],
        ]
    }
