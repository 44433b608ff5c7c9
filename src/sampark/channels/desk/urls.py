"""Chat desk pages, mounted at /staff/chats/ under the "chats" namespace."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "chats"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("<int:conversation_id>/messages", views.conversation_messages, name="messages"),
    path("<int:conversation_id>/take/", views.conversation_take, name="take"),
    path("<int:conversation_id>/reply/", views.conversation_reply, name="reply"),
    path("<int:conversation_id>/hand-back/", views.conversation_hand_back, name="hand_back"),
]
