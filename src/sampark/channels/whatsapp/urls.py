"""Mounted at /webhooks/ by config/urls.py."""

from __future__ import annotations

from django.urls import path

from .views import whatsapp_webhook

urlpatterns = [
    path("whatsapp/", whatsapp_webhook, name="whatsapp"),
]
