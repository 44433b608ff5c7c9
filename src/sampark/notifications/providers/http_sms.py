"""A generic Indian HTTP SMS gateway (MSG91, Exotel, Gupshup and the like).

Gateways differ only in names: URL, method, how parameters travel (query, form, JSON), what the
number, text, sender, DLT entity id, DLT template id and unicode flag are called, how the API key
is sent, and how success and the message id appear in the answer. All of that is configuration
(`SAMPARK_HTTP_SMS_*`, see docs/notifications.md); the code is one request.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..segments import sms_length
from .base import Message, PermanentError, SendResult
from .http import HttpProvider, dig, json_answer

NUMBER_FORMATS = ("e164", "digits", "national")
CONTENT_TYPES = {
    "form": "application/x-www-form-urlencoded",
    "json": "application/json; charset=utf-8",
}


def number_format(e164: str, *, style: str) -> str:
    """'+919839012345' as the gateway wants it: as is, '919839012345', or '9839012345'."""
    if style == "e164":
        return e164
    digits = e164.lstrip("+")
    if style == "national" and digits.startswith("91") and len(digits) == 12:
        return digits[2:]
    return digits


class HttpSmsProvider(HttpProvider):
    name = "http_sms"
    channels = frozenset({"sms"})

    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        super().__init__(concurrency=concurrency, timeout=timeout)
        self.url = settings.SAMPARK_HTTP_SMS_URL
        if not self.url:
            raise ImproperlyConfigured("SAMPARK_HTTP_SMS_URL is required for the http_sms provider")
        self.method = settings.SAMPARK_HTTP_SMS_METHOD.upper()
        self.encoding = settings.SAMPARK_HTTP_SMS_ENCODING.lower()
        if self.method not in ("GET", "POST") or self.encoding not in ("form", "json", "query"):
            raise ImproperlyConfigured(
                "SAMPARK_HTTP_SMS_METHOD must be GET or POST and SAMPARK_HTTP_SMS_ENCODING "
                "form, json or query"
            )
        self.numbers = settings.SAMPARK_HTTP_SMS_NUMBER_FORMAT
        if self.numbers not in NUMBER_FORMATS:
            raise ImproperlyConfigured(f"SAMPARK_HTTP_SMS_NUMBER_FORMAT: one of {NUMBER_FORMATS}")
        self.fields: dict[str, str] = dict(settings.SAMPARK_HTTP_SMS_FIELDS)
        self.extra: dict[str, str] = dict(settings.SAMPARK_HTTP_SMS_EXTRA)
        self.in_query = self.method == "GET" or self.encoding == "query"
        self.session_headers = {}
        if settings.SAMPARK_HTTP_SMS_AUTH_VALUE:
            self.session_headers[settings.SAMPARK_HTTP_SMS_AUTH_HEADER] = (
                settings.SAMPARK_HTTP_SMS_AUTH_VALUE
            )
        if not self.in_query:
            self.session_headers["Content-Type"] = CONTENT_TYPES[self.encoding]
        self.answer = settings.SAMPARK_HTTP_SMS_RESPONSE
        self.success_path = settings.SAMPARK_HTTP_SMS_SUCCESS_PATH
        self.success_value = str(settings.SAMPARK_HTTP_SMS_SUCCESS_VALUE).lower()
        self.id_path = settings.SAMPARK_HTTP_SMS_ID_PATH
        self.success_regex = re.compile(settings.SAMPARK_HTTP_SMS_SUCCESS_REGEX, re.IGNORECASE)

    def parameters(self, message: Message) -> dict[str, str]:
        # Hindi (anything outside GSM-7) must be flagged, or the gateway garbles it.
        unicode = sms_length(message.text).encoding == "UCS-2"
        ours = {
            "to": number_format(message.recipient, style=self.numbers),
            "text": message.text,
            "sender": settings.SAMPARK_HTTP_SMS_SENDER,
            "entity_id": message.dlt_entity_id,
            "template_id": message.dlt_template_id,
            "unicode": (
                settings.SAMPARK_HTTP_SMS_UNICODE_ON
                if unicode
                else settings.SAMPARK_HTTP_SMS_UNICODE_OFF
            ),
        }
        params = dict(self.extra)
        for key, value in ours.items():
            name = self.fields.get(key)
            if name:
                params[name] = value
        return params

    async def send(self, message: Message) -> SendResult:
        params = self.parameters(message)
        kwargs: dict[str, Any] = {}
        if self.in_query:
            kwargs["params"] = params
        elif self.encoding == "json":
            kwargs["data"] = json.dumps(params, ensure_ascii=False).encode()
        else:
            # Encoded here, not by aiohttp's FormData: a third of the client's time per message.
            kwargs["data"] = urlencode(params).encode()
        body = await self.request(self.method, self.url, **kwargs)
        return SendResult(provider_message_id=self.message_id(body))

    def message_id(self, body: str) -> str:
        """Apply the configured success rule to a 2xx answer; a 2xx that does not say success
        is a refusal (gateways often answer 200 with an error inside)."""
        if self.answer == "text":
            found = self.success_regex.search(body)
            if not found:
                raise PermanentError("gateway did not confirm", body=body or "(empty)")
            return found.group("id")
        data = json_answer(body)
        if self.success_path:
            value = dig(data, self.success_path)
            if value is None or str(value).lower() != self.success_value:
                raise PermanentError("gateway refused", body=body)
        found_id = dig(data, self.id_path)
        if found_id is None or isinstance(found_id, dict | list) or str(found_id) == "":
            raise PermanentError("no message id in the answer", body=body)
        return str(found_id)
