"""Inbound e-mail webhook, mounted at /webhooks/email/ (namespace "email") by config/urls.py."""

from __future__ import annotations

from django.urls import path

from .views import email_webhook

app_name = "email"

urlpatterns = [
    path("", email_webhook, name="inbound"),
]
