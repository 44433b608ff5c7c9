"""Public pages, mounted at /public/ under the "public" namespace."""

from __future__ import annotations

from django.urls import path
from django.views.i18n import set_language

from . import views

app_name = "public"

urlpatterns = [
    path("language/", set_language, name="set_language"),
    path("groups/", views.groups, name="groups"),
    path("groups/verify/<str:token>/", views.verify, name="verify"),
    path("groups/member/<str:token>/", views.member, name="member"),
    path("groups/member/<str:token>/leave/", views.member_leave, name="member_leave"),
    path("groups/<str:code>/", views.zone_bulletins, name="zone_bulletins"),
]
