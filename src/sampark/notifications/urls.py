"""Staff pages of the outbox, mounted at /staff/ under the "notifications" namespace."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path(
        "consumers/<str:account_number>/messages/",
        views.consumer_messages,
        name="consumer_messages",
    ),
]
