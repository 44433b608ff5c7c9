"""Inbound e-mail webhook."""

from django.urls import URLPattern

app_name = "email"

urlpatterns: list[URLPattern] = []
