"""Mounted at /webhooks/ by config/urls.py."""

from __future__ import annotations

from django.urls import path

from .sms import sms_dlr
from .whatsapp import whatsapp_webhook

app_name = "webhooks"

urlpatterns = [
    path("sms/<str:secret>/dlr", sms_dlr, name="sms_dlr"),
    path("whatsapp/", whatsapp_webhook, name="whatsapp"),
]
