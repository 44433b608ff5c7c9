"""Website complaint form and tracking (no login)."""

from django.urls import URLPattern

app_name = "webform"

urlpatterns: list[URLPattern] = []
