"""WhatsApp Cloud API: approved template messages, and the chatbot's session replies.

POST {SAMPARK_WHATSAPP_API_BASE}/{phone number id}/messages with a Bearer token and a JSON body.
Every template key but one goes as `type=template`: the template's language code, and the body
parameters taken from the row's `variables`: in the order the variables first appear in the
English Sampark template (`sender` is left out: the approved template carries the sender's name
as fixed text), or by name when `SAMPARK_WHATSAPP_PARAMETERS=named`. Parameters are flattened to
one line: Meta refuses parameters with new lines, tabs or more than four spaces in a row.

`chat_message` (a chatbot or agent reply, sent only inside the 24-hour customer-service window;
`chat_followup` is its template for later) goes as a free-form session message: plain text, or
with its options as reply buttons or a list, or as numbered lines where those do not fit.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Sequence
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


SESSION_TEMPLATE = "chat_message"

# Meta's documented limits (developers.facebook.com/docs/whatsapp/cloud-api/messages/
# text-messages, .../interactive-reply-buttons-messages, .../interactive-list-messages):
TEXT_LIMIT = 4096  # a text message's body
# An interactive body: 1,024 for reply buttons; lists say 4,096 now, 1,024 in older versions.
INTERACTIVE_BODY_LIMIT = 1024
BUTTONS_MAX = 3  # reply buttons per message
BUTTON_TITLE_LIMIT = 20  # a reply button's label, unique within the message
BUTTON_ID_LIMIT = 256  # a reply button's id, without leading or trailing spaces
ROWS_MAX = 10  # list rows, all sections together
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200  # a list row's id (shorter than a button's)
LIST_BUTTON = {"hi": "विकल्प", "en": "Options"}  # the label that opens the list (<= 20)

# "Param text cannot have new-line/tab characters or more than 4 consecutive spaces" (132000).
UNSENDABLE_SPACE = re.compile(r"\s*[\n\r\t]\s*| {4,}")


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def numbered(text: str, options: Sequence[tuple[str, str]]) -> str:
    """The text with the options as numbered lines under it (where buttons cannot be sent)."""
    lines = "\n".join(f"{number}. {title}" for number, (_, title) in enumerate(options, 1))
    return f"{text}\n\n{lines}" if text else lines


def _id_fits(option_id: str, limit: int) -> bool:
    return 0 < len(option_id) <= limit and option_id == option_id.strip()


def session_content(
    *, text: str, options: Sequence[tuple[str, str]], language: str
) -> dict[str, object]:
    """The type-specific part of a session message: text, reply buttons, or a list."""
    if not options:
        return {"type": "text", "text": {"preview_url": False, "body": clipped(text, TEXT_LIMIT)}}
    titles = [title for _, title in options]
    fits = 0 < len(text) <= INTERACTIVE_BODY_LIMIT
    if (
        fits
        and len(options) <= BUTTONS_MAX
        and len(set(titles)) == len(titles)
        and all(0 < len(title) <= BUTTON_TITLE_LIMIT for title in titles)
        and all(_id_fits(key, BUTTON_ID_LIMIT) for key, _ in options)
    ):
        buttons = [
            {"type": "reply", "reply": {"id": key, "title": title}} for key, title in options
        ]
        action: dict[str, object] = {"buttons": buttons}
        return {"type": "interactive", "interactive": _interactive("button", text, action)}
    if (
        fits
        and len(options) <= ROWS_MAX
        and all(title for title in titles)
        and all(_id_fits(key, ROW_ID_LIMIT) for key, _ in options)
    ):
        label = LIST_BUTTON.get(language, LIST_BUTTON["en"])
        rows = [_row(key, title) for key, title in options]
        action = {"button": label, "sections": [{"title": label, "rows": rows}]}
        return {"type": "interactive", "interactive": _interactive("list", text, action)}
    body = clipped(numbered(text, options), TEXT_LIMIT)
    return {"type": "text", "text": {"preview_url": False, "body": body}}


def _interactive(kind: str, text: str, action: dict[str, object]) -> dict[str, object]:
    return {"type": kind, "body": {"text": text}, "action": action}


def _row(key: str, title: str) -> dict[str, str]:
    """A list row; a title too long for a row goes whole (as far as it fits) to its
    description, and is shortened in the title."""
    if len(title) <= ROW_TITLE_LIMIT:
        return {"id": key, "title": title}
    return {
        "id": key,
        "title": clipped(title, ROW_TITLE_LIMIT),
        "description": clipped(title, ROW_DESCRIPTION_LIMIT),
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
        if message.template_key == SESSION_TEMPLATE:
            content = session_content(
                text=message.text, options=message.options, language=message.language
            )
        else:
            content = {"type": "template", "template": self.template(message)}
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.recipient.lstrip("+"),
            **content,
        }

    def template(self, message: Message) -> dict[str, object]:
        names = parameter_names(message.template_key) or tuple(sorted(message.variables))
        parameters: list[dict[str, str]] = []
        for name in names:
            value = UNSENDABLE_SPACE.sub(" ", str(message.variables.get(name, ""))).strip()
            parameter = {"type": "text", "text": value}
            if self.named:
                parameter["parameter_name"] = name
            parameters.append(parameter)
        template: dict[str, object] = {
            "name": self.names.get(message.template_key, message.template_key),
            "language": {"code": self.languages.get(message.language, message.language)},
        }
        if parameters:
            template["components"] = [{"type": "body", "parameters": parameters}]
        return template

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
