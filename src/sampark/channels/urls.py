"""Inbound webhooks, mounted at /webhooks/ by config/urls.py (next to the delivery reports of
sampark.notifications.webhooks)."""

from __future__ import annotations

from django.urls import include, path

app_name = "channels"

urlpatterns = [
    path("", include("sampark.channels.sms.urls")),
    path("", include("sampark.channels.whatsapp.urls")),
    path("", include("sampark.channels.telegram.urls")),
]
