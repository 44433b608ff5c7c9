"""Public outage page and feeds (no login)."""

from django.urls import URLPattern

app_name = "public_outages"

urlpatterns: list[URLPattern] = []
