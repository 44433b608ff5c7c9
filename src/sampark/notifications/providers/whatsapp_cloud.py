"""WhatsApp Cloud API: approved template messages.

POST {SAMPARK_WHATSAPP_API_BASE}/{phone number id}/messages with a Bearer token and a JSON body
`type=template`, the template's language code, and the body parameters taken from the row's
`variables`: in the order the variables first appear in the English Sampark template (`sender`
is left out: the approved template carries the sender's name as fixed text), or by name when
`SAMPARK_WHATSAPP_PARAMETERS=named`.
"""

from __future__ import annotations

import json
import string
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..templates import TEMPLATES
from .base import Message, PermanentError, ProviderError, SendResult, TransientError
from .http import HttpProvider, dig, json_answer

# Meta's own throttling and outage codes arrive as HTTP 400 but are worth retrying.
RETRY_CODES = {
    1,  # API unknown
    2,  # API service (temporarily unavailable)
    4,  # application request limit
    80007,  # WhatsApp business account rate limit
    130429,  # throughput reached
    131000,  # something went wrong
    131016,  # service unavailable
    131056,  # pair rate limit (too many to one number)
    133004,  # server temporarily unavailable
}


@cache
def parameter_names(template_key: str) -> tuple[str, ...]:
    template = TEMPLATES.get(template_key)
    if template is None:
        return ()
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(template.en):
        if name and name != "sender" and name not in names:
            names.append(name)
    return tuple(names)


class WhatsAppCloudProvider(HttpProvider):
    name = "whatsapp_cloud"
    channels = frozenset({"whatsapp"})

    def __init__(self, *, concurrency: int = 32, timeout: float = 10.0) -> None:
        super().__init__(concurrency=concurrency, timeout=timeout)
        number_id = settings.SAMPARK_WHATSAPP_PHONE_NUMBER_ID
        token = settings.SAMPARK_WHATSAPP_TOKEN
        if not number_id or not token:
            raise ImproperlyConfigured(
                "SAMPARK_WHATSAPP_PHONE_NUMBER_ID and SAMPARK_WHATSAPP_TOKEN are required for "
                "the whatsapp_cloud provider"
            )
        self.url = f"{settings.SAMPARK_WHATSAPP_API_BASE.rstrip('/')}/{number_id}/messages"
        self.session_headers = {"Authorization": f"Bearer {token}"}
        self.names: dict[str, str] = dict(settings.SAMPARK_WHATSAPP_TEMPLATES)
        self.languages: dict[str, str] = dict(settings.SAMPARK_WHATSAPP_LANGUAGES)
        self.named = settings.SAMPARK_WHATSAPP_PARAMETERS == "named"

    def payload(self, message: Message) -> dict[str, object]:
        names = parameter_names(message.template_key) or tuple(sorted(message.variables))
        parameters: list[dict[str, str]] = []
        for name in names:
            parameter = {"type": "text", "text": str(message.variables.get(name, ""))}
            if self.named:
                parameter["parameter_name"] = name
            parameters.append(parameter)
        template: dict[str, object] = {
            "name": self.names.get(message.template_key, message.template_key),
            "language": {"code": self.languages.get(message.language, message.language)},
        }
        if parameters:
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.recipient.lstrip("+"),
            "type": "template",
            "template": template,
        }

    async def send(self, message: Message) -> SendResult:
        body = await self.request("POST", self.url, json=self.payload(message))
        found = dig(json_answer(body), "messages.0.id")
        if not isinstance(found, str) or not found:
            raise PermanentError("no message id in the answer", body=body)
        return SendResult(provider_message_id=found)

    def refused(self, *, status: int, body: str, retry_after: float | None) -> ProviderError:
        try:
            code = dig(json.loads(body), "error.code")
        except ValueError:
            code = None
        if code in RETRY_CODES:
            return TransientError(
                f"WhatsApp error {code}", status=status, body=body, retry_after=retry_after
            )
        return super().refused(status=status, body=body, retry_after=retry_after)
