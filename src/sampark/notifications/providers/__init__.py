"""Providers by name, and the one each channel uses (SAMPARK_<CHANNEL>_PROVIDER)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Message, PermanentError, Provider, ProviderError, SendResult, TransientError
from .console import ConsoleProvider
from .http_sms import HttpSmsProvider
from .smtp_email import SmtpEmailProvider
from .telegram import TelegramProvider
from .whatsapp_cloud import WhatsAppCloudProvider

__all__ = [
    "Message",
    "PermanentError",
    "Provider",
    "ProviderError",
    "SendResult",
    "TransientError",
    "provider_for",
    "providers_for_channels",
]

PROVIDERS: dict[str, type[Provider]] = {
    cls.name: cls
    for cls in (
        ConsoleProvider,
        HttpSmsProvider,
        WhatsAppCloudProvider,
        SmtpEmailProvider,
        TelegramProvider,
    )
}
CHANNEL_SETTING = {
    "sms": "SAMPARK_SMS_PROVIDER",
    "whatsapp": "SAMPARK_WHATSAPP_PROVIDER",
    "email": "SAMPARK_EMAIL_PROVIDER",
    "telegram": "SAMPARK_TELEGRAM_PROVIDER",
}


def provider_name(channel: str) -> str:
    return str(getattr(settings, CHANNEL_SETTING[channel]))


def provider_for(*, channel: str, concurrency: int, timeout: float) -> Provider:
    setting = CHANNEL_SETTING[channel]
    name = provider_name(channel)
    cls = PROVIDERS.get(name)
    if cls is None or channel not in cls.channels:
        usable = sorted(n for n, c in PROVIDERS.items() if channel in c.channels)
        raise ImproperlyConfigured(f"{setting}={name!r}: use one of {usable}")
    return cls(concurrency=concurrency, timeout=timeout)


def providers_for_channels(*, concurrency: int, timeout: float) -> dict[str, Provider]:
    """One configured provider per channel; a misconfiguration raises before anything is sent."""
    return {
        channel: provider_for(channel=channel, concurrency=concurrency, timeout=timeout)
        for channel in CHANNEL_SETTING
    }
