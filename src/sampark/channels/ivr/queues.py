"""Where each agent queue is, per provider: Twilio queue names, the numbers Plivo dials and
Exotel connects (settings SAMPARK_IVR_QUEUE_NAMES, SAMPARK_IVR_AGENT_NUMBERS). A queue with no
entry of its own uses "general"'s."""

from __future__ import annotations

from django.conf import settings


def queue_name(queue: str) -> str:
    names = settings.SAMPARK_IVR_QUEUE_NAMES
    return names.get(queue) or names.get("general") or queue


def agent_number(queue: str) -> str:
    numbers = settings.SAMPARK_IVR_AGENT_NUMBERS
    return numbers.get(queue) or numbers.get("general") or ""
