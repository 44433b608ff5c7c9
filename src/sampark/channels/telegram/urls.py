"""Mounted at /webhooks/ by config/urls.py."""

from __future__ import annotations

from django.urls import path

from .views import telegram_webhook

urlpatterns = [
    path("telegram/", telegram_webhook, name="telegram"),
]
