"""Cloud-telephony IVR webhooks, one set per provider."""

from django.urls import URLPattern

app_name = "ivr"

urlpatterns: list[URLPattern] = []
