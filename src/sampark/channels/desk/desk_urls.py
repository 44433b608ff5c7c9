"""The 1912 agent desk: search, consumer card, one-screen registration and the queues."""

from django.urls import URLPattern

app_name = "desk"

urlpatterns: list[URLPattern] = []
