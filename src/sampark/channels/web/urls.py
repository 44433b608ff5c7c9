"""Web chat, mounted at /chat/ under the "webchat" namespace."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "webchat"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("api/messages", views.api_messages, name="api_messages"),
]
