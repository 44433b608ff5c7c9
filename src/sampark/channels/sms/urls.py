"""Mounted at /webhooks/ by config/urls.py."""

from __future__ import annotations

from django.urls import path

from .missed_call import missed_call
from .views import sms_inbound

urlpatterns = [
    path("sms/<str:secret>/inbound", sms_inbound, name="sms_inbound"),
    path("missed-call/<str:secret>", missed_call, name="missed_call"),
]
