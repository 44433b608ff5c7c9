"""Mounted at /webhooks/ by config/urls.py. /webhooks/whatsapp/ and /webhooks/sms/<secret>/inbound
are in sampark.channels (they reach the keyword handler of sampark.public)."""

from __future__ import annotations

from django.urls import path

from .sms import sms_dlr

app_name = "webhooks"

urlpatterns = [
    path("sms/<str:secret>/dlr", sms_dlr, name="sms_dlr"),
]
