"""The recorded WhatsApp Cloud API payloads (../shared/data/protocols/whatsapp_cloud_api_samples,
from pywa, MIT) and what the chatbot should read from each message among them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SAMPLES = Path(settings.SAMPARK_SHARED_DATA) / "protocols" / "whatsapp_cloud_api_samples"
MESSAGE_FILES = ("message.json", "callback_button.json", "callback_selection.json")

# sample name -> (type, text, title) the chatbot gets; None: not a message to answer.
EXPECTED: dict[str, tuple[str, str, str] | None] = {
    "text": ("text", "Body Text", ""),
    "image": ("image", "", ""),
    "media_with_url": ("image", "", ""),
    "video": ("video", "", ""),
    "document": ("document", "", ""),
    "audio": ("audio", "", ""),
    "voice": ("audio", "", ""),
    "static_sticker": ("sticker", "", ""),
    "animated_sticker": ("sticker", "", ""),
    "reaction": None,
    "unreaction_empty": None,
    "unreaction_no_emoji": None,
    "current_location": ("location", "", ""),
    "chosen_location": ("location", "", ""),
    "contacts": ("contacts", "", ""),
    "order": ("order", "", ""),
    "unsupported": ("unsupported", "", ""),
    "unsupported_with_type": ("unsupported", "", ""),
    "reply": ("text", "replied text", ""),
    "forwarded": ("text", "forwarded text", ""),
    "forwarded_many_times": ("text", "text forwarded many times", ""),
    "interactive_message_with_err": ("interactive", "", ""),
    "referral": ("text", "BODY", ""),
    # A reply button and list rows arrive as the id we gave them; a template's quick-reply
    # button as its payload.
    "button": ("interactive", "callback_data", "title"),
    "quick_reply": ("button", "callback_data", "title"),
    "quick_reply_without_context": ("button", "callback_data", "title"),
    "callback": ("interactive", "callback_data", "title"),
    "description": ("interactive", "callback_data", "title"),
}


def recorded_messages() -> dict[str, Any]:
    """Every recorded message payload by sample name (skips when the data is not there)."""
    if not all((SAMPLES / name).exists() for name in MESSAGE_FILES):
        pytest.skip(f"recorded WhatsApp payloads not found in {SAMPLES}")
    found: dict[str, Any] = {}
    for name in MESSAGE_FILES:
        found.update(json.loads((SAMPLES / name).read_text()))
    return found


def recorded_statuses() -> dict[str, Any]:
    if not (SAMPLES / "message_status.json").exists():
        pytest.skip(f"recorded WhatsApp payloads not found in {SAMPLES}")
    return json.loads((SAMPLES / "message_status.json").read_text())


def from_indian_mobile(payload: Any, *, sender: str, wamid: str) -> Any:
    """The recorded payload as if sent from `sender` (a wa_id: 91 and ten digits), with its
    own message id (the recorded ones share "wamid.xyzxyz")."""
    payload = copy.deepcopy(payload)
    value = payload["entry"][0]["changes"][0]["value"]
    for contact in value.get("contacts", []):
        contact["wa_id"] = sender
    for message in value.get("messages", []):
        message.update({"from": sender, "id": wamid})
    return payload
