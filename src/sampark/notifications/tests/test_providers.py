"""Each provider against a local server that checks the exact request, and how every kind of
answer is classified (sent / transient / permanent)."""

from __future__ import annotations

import json
import socket
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from werkzeug import Request, Response

from sampark.notifications.providers import (
    PermanentError,
    TransientError,
    provider_for,
)
from sampark.notifications.providers.console import ConsoleProvider
from sampark.notifications.providers.http_sms import HttpSmsProvider
from sampark.notifications.providers.telegram import TelegramProvider
from sampark.notifications.providers.whatsapp_cloud import WhatsAppCloudProvider

from .conftest import RESTORED_HI, answered_wait, message, send

DLT_TEMPLATE, DLT_ENTITY = "1107161234567890123", "1101234567890123456"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def only_request(server) -> Request:
    assert len(server.log) == 1, server.log
    return server.log[0][0]


# --- console --------------------------------------------------------------------------------


def test_console_logs_the_message_and_calls_it_sent(caplog):
    with caplog.at_level("INFO", logger="sampark.notifications.console"):
        result = send(ConsoleProvider(), message(id=42))

    assert result.provider_message_id == "console-42"
    assert RESTORED_HI in caplog.text and "+919839012345" in caplog.text


def test_console_is_the_default_for_every_channel():
    for channel in ("sms", "whatsapp", "email", "telegram"):
        assert provider_for(channel=channel, concurrency=4, timeout=1).name == "console"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SAMPARK_SMS_PROVIDER", "whatsapp_cloud"),  # wrong channel
        ("SAMPARK_SMS_PROVIDER", "carrier_pigeon"),
        ("SAMPARK_WHATSAPP_PROVIDER", "whatsapp_cloud"),  # no token configured
    ],
)
def test_misconfigured_providers_are_refused_up_front(settings, setting, value):
    setattr(settings, setting, value)
    settings.SAMPARK_WHATSAPP_TOKEN = ""
    channel = "sms" if setting == "SAMPARK_SMS_PROVIDER" else "whatsapp"

    with pytest.raises(ImproperlyConfigured):
        provider_for(channel=channel, concurrency=4, timeout=1)


# --- generic HTTP SMS gateway ---------------------------------------------------------------


@pytest.fixture
def sms_gateway(gateway, settings):
    settings.SAMPARK_HTTP_SMS_URL = gateway.url_for("/api/v5/sms")
    settings.SAMPARK_HTTP_SMS_AUTH_HEADER = "authkey"
    settings.SAMPARK_HTTP_SMS_AUTH_VALUE = "gw-secret"
    settings.SAMPARK_HTTP_SMS_SENDER = "UPPCLS"
    return gateway


def test_http_sms_posts_the_form_with_dlt_ids_and_the_unicode_flag(sms_gateway):
    sms_gateway.expect_request("/api/v5/sms", method="POST").respond_with_json(
        {"status": "success", "message_id": "gw-1"}
    )

    result = send(HttpSmsProvider(), message())

    assert result.provider_message_id == "gw-1"
    request = only_request(sms_gateway)
    assert request.headers["authkey"] == "gw-secret"
    assert request.mimetype == "application/x-www-form-urlencoded"
    assert request.form.to_dict() == {
        "to": "919839012345",
        "text": RESTORED_HI,
        "sender": "UPPCLS",
        "entity_id": DLT_ENTITY,
        "template_id": DLT_TEMPLATE,
        "unicode": "1",
    }


def test_http_sms_get_with_the_gateways_own_names(sms_gateway, settings):
    """An MSG91/Gupshup-style GET: renamed fields, constant extras, 10-digit numbers."""
    settings.SAMPARK_HTTP_SMS_METHOD = "GET"
    settings.SAMPARK_HTTP_SMS_NUMBER_FORMAT = "national"
    settings.SAMPARK_HTTP_SMS_AUTH_HEADER = "Authorization"
    settings.SAMPARK_HTTP_SMS_AUTH_VALUE = "Bearer abc123"
    settings.SAMPARK_HTTP_SMS_FIELDS = {
        "to": "send_to",
        "text": "msg",
        "sender": "",  # left out
        "entity_id": "principalEntityId",
        "template_id": "dltTemplateId",
        "unicode": "msg_type",
    }
    settings.SAMPARK_HTTP_SMS_UNICODE_ON = "Unicode_text"
    settings.SAMPARK_HTTP_SMS_UNICODE_OFF = "TEXT"
    settings.SAMPARK_HTTP_SMS_EXTRA = {"method": "SendMessage", "v": "1.1"}
    settings.SAMPARK_HTTP_SMS_RESPONSE = "text"
    sms_gateway.expect_request("/api/v5/sms", method="GET").respond_with_data(
        "success | 919839012345 | 3397458384766-3278473872"
    )

    result = send(HttpSmsProvider(), message(text="Power restored in Aminabad. -UPPCL 1912"))

    assert result.provider_message_id == "3397458384766-3278473872"
    request = only_request(sms_gateway)
    assert request.headers["Authorization"] == "Bearer abc123"
    assert request.args.to_dict() == {
        "method": "SendMessage",
        "v": "1.1",
        "send_to": "9839012345",
        "msg": "Power restored in Aminabad. -UPPCL 1912",
        "principalEntityId": DLT_ENTITY,
        "dltTemplateId": DLT_TEMPLATE,
        "msg_type": "TEXT",
    }


def test_http_sms_json_body_and_a_nested_id(sms_gateway, settings):
    settings.SAMPARK_HTTP_SMS_ENCODING = "json"
    settings.SAMPARK_HTTP_SMS_NUMBER_FORMAT = "e164"
    settings.SAMPARK_HTTP_SMS_SUCCESS_PATH = "type"
    settings.SAMPARK_HTTP_SMS_SUCCESS_VALUE = "SUCCESS"
    settings.SAMPARK_HTTP_SMS_ID_PATH = "data.0.request_id"
    sms_gateway.expect_request("/api/v5/sms", method="POST").respond_with_json(
        {"type": "success", "data": [{"request_id": "3461716a6d6f"}]}
    )

    result = send(HttpSmsProvider(), message())

    assert result.provider_message_id == "3461716a6d6f"
    body = only_request(sms_gateway).get_json()
    assert body["to"] == "+919839012345" and body["unicode"] == "1"
    assert body["text"] == RESTORED_HI  # UTF-8 JSON, not mangled


def slow(seconds: float):
    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response(json.dumps({"status": "success", "message_id": "late"}))

    return handler


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "retry_after"),
    [
        (429, "Too Many Requests", {"Retry-After": "17"}, TransientError, 17.0),
        (500, "Internal Server Error", {}, TransientError, None),
        (503, "", {}, TransientError, None),
        (400, '{"status": "error", "message": "invalid number"}', {}, PermanentError, None),
        (401, "bad key", {}, PermanentError, None),
        (200, "<html><body>Maintenance</body></html>", {}, PermanentError, None),
        (200, "", {}, PermanentError, None),
        (200, '{"status": "error", "message": "DLT template mismatch"}', {}, PermanentError, None),
        (200, '{"status": "success"}', {}, PermanentError, None),  # no id
        (200, '["success"]', {}, PermanentError, None),
    ],
)
def test_http_sms_answers_are_classified(sms_gateway, status, body, headers, error, retry_after):
    sms_gateway.expect_request("/api/v5/sms").respond_with_data(
        body, status=status, headers=headers
    )

    with pytest.raises(error) as raised:
        send(HttpSmsProvider(), message())

    assert raised.value.status == (None if status == 200 else status)
    assert raised.value.retry_after == retry_after
    assert body[:50] in raised.value.describe()  # the answer is kept for last_error


def test_http_sms_timeout_is_transient(sms_gateway, settings):
    sms_gateway.expect_request("/api/v5/sms").respond_with_handler(slow(1.0))

    with pytest.raises(TransientError, match=r"no answer within 0\.2 s"):
        send(HttpSmsProvider(timeout=0.2), message())
    answered_wait(sms_gateway)


def test_http_sms_connection_refused_is_transient(settings):
    settings.SAMPARK_HTTP_SMS_URL = f"http://127.0.0.1:{closed_port()}/sms"

    with pytest.raises(TransientError, match="connection failed"):
        send(HttpSmsProvider(), message())


def test_http_sms_needs_a_url(settings):
    settings.SAMPARK_HTTP_SMS_URL = ""

    with pytest.raises(ImproperlyConfigured):
        HttpSmsProvider()


# --- WhatsApp Cloud API ---------------------------------------------------------------------


@pytest.fixture
def graph(gateway, settings):
    settings.SAMPARK_WHATSAPP_API_BASE = gateway.url_for("/v19.0")
    settings.SAMPARK_WHATSAPP_PHONE_NUMBER_ID = "1122334455667"
    settings.SAMPARK_WHATSAPP_TOKEN = "EAAG-test-token"
    return gateway


DECLARED = message(
    channel="whatsapp",
    template_key="outage_declared",
    variables={"area": "अमीनाबाद", "reason": "पेड़ गिरना", "etr": "14:00"},
)


def test_whatsapp_sends_the_template_with_body_parameters(graph):
    graph.expect_request("/v19.0/1122334455667/messages", method="POST").respond_with_json(
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "919839012345", "wa_id": "919839012345"}],
            "messages": [{"id": "wamid.HBgMOTE5ODM5MDEyMzQ1FQIAERgSQ0Y"}],
        }
    )

    result = send(WhatsAppCloudProvider(), DECLARED)

    assert result.provider_message_id == "wamid.HBgMOTE5ODM5MDEyMzQ1FQIAERgSQ0Y"
    request = only_request(graph)
    assert request.headers["Authorization"] == "Bearer EAAG-test-token"
    assert request.mimetype == "application/json"
    assert request.get_json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "919839012345",
        "type": "template",
        "template": {
            "name": "outage_declared",
            "language": {"code": "hi"},
            "components": [
                {
                    "type": "body",
                    "parameters": [  # in the order of the English template; no sender
                        {"type": "text", "text": "अमीनाबाद"},
                        {"type": "text", "text": "पेड़ गिरना"},
                        {"type": "text", "text": "14:00"},
                    ],
                }
            ],
        },
    }


def test_whatsapp_template_names_languages_and_named_parameters(graph, settings):
    settings.SAMPARK_WHATSAPP_TEMPLATES = {"outage_declared": "supply_off_v2"}
    settings.SAMPARK_WHATSAPP_LANGUAGES = {"hi": "hi", "en": "en_US"}
    settings.SAMPARK_WHATSAPP_PARAMETERS = "named"
    graph.expect_request("/v19.0/1122334455667/messages").respond_with_json(
        {"messages": [{"id": "wamid.2"}]}
    )
    english = message(
        channel="whatsapp",
        template_key="outage_declared",
        language="en",
        variables={"area": "Aminabad", "reason": "Tree fall", "etr": "2 PM"},
    )

    send(WhatsAppCloudProvider(), english)

    template = only_request(graph).get_json()["template"]
    assert template["name"] == "supply_off_v2"
    assert template["language"] == {"code": "en_US"}
    assert template["components"][0]["parameters"][0] == {
        "type": "text",
        "parameter_name": "area",
        "text": "Aminabad",
    }


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            400,
            {"error": {"message": "(#131026) Message undeliverable", "code": 131026}},
            PermanentError,
        ),
        (
            400,
            {"error": {"message": "(#132001) Template does not exist", "code": 132001}},
            PermanentError,
        ),
        (400, {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}, TransientError),
        (401, {"error": {"message": "Error validating access token", "code": 190}}, PermanentError),
        (429, {"error": {"message": "Too many calls", "code": 4}}, TransientError),
        (500, {"error": {"message": "Unknown error", "code": 1}}, TransientError),
        (200, {"messaging_product": "whatsapp", "messages": []}, PermanentError),
    ],
)
def test_whatsapp_errors_are_classified(graph, status, body, error):
    graph.expect_request("/v19.0/1122334455667/messages").respond_with_json(body, status=status)

    with pytest.raises(error) as raised:
        send(WhatsAppCloudProvider(), DECLARED)

    # The provider's answer is kept for last_error.
    assert body.get("error", {}).get("message", '"messages": []') in raised.value.describe()


def test_whatsapp_html_answer_is_a_permanent_failure_with_the_body(graph):
    graph.expect_request("/v19.0/1122334455667/messages").respond_with_data(
        "<!DOCTYPE html><title>Bad gateway</title>", status=200, content_type="text/html"
    )

    with pytest.raises(PermanentError, match=r"not JSON.*Bad gateway"):
        send(WhatsAppCloudProvider(), DECLARED)


# --- Telegram -------------------------------------------------------------------------------


@pytest.fixture
def bot_api(gateway, settings):
    settings.SAMPARK_TELEGRAM_API_BASE = gateway.url_for("/")
    settings.SAMPARK_TELEGRAM_BOT_TOKEN = "123456:ABC-test"
    return gateway


def test_telegram_send_message(bot_api):
    bot_api.expect_request("/bot123456:ABC-test/sendMessage", method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 42, "chat": {"id": -1001234567890}}}
    )

    result = send(TelegramProvider(), message(channel="telegram", recipient="-1001234567890"))

    assert result.provider_message_id == "-1001234567890:42"
    assert only_request(bot_api).get_json() == {"chat_id": "-1001234567890", "text": RESTORED_HI}


@pytest.mark.parametrize(
    ("status", "body", "error", "retry_after"),
    [
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
            PermanentError,
            None,
        ),
        (
            403,
            {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"},
            PermanentError,
            None,
        ),
        (
            429,
            {"ok": False, "error_code": 429, "parameters": {"retry_after": 3}},
            TransientError,
            3,
        ),
        (200, {"ok": False}, PermanentError, None),
    ],
)
def test_telegram_errors(bot_api, status, body, error, retry_after):
    bot_api.expect_request("/bot123456:ABC-test/sendMessage").respond_with_json(body, status=status)

    with pytest.raises(error) as raised:
        send(TelegramProvider(), message(channel="telegram", recipient="-1001234567890"))

    assert raised.value.retry_after == retry_after
