"""Sign-in, sign-out and language switch; included under the "staff" namespace."""

from __future__ import annotations

from django.urls import path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set_language"),
]
