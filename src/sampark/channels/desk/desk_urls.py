"""The 1912 agent desk: search, consumer card, one-screen registration and the queues."""

from __future__ import annotations

from django.urls import path

from . import desk_views

app_name = "desk"

urlpatterns = [
    path("", desk_views.home, name="home"),
    path("register/", desk_views.register, name="register"),
    path("queues/", desk_views.queues_fragment, name="queues"),
    path("supervision/", desk_views.supervision_fragment, name="supervision"),
    path("status/", desk_views.status_set, name="status"),
    path("callbacks/<int:callback_id>/", desk_views.callback_outcome, name="callback_outcome"),
]
