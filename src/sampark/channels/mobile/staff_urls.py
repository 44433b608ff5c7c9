"""Staff mobile registration, mounted at /staff/mobile/ under the "mobile" namespace."""

from __future__ import annotations

from django.urls import path

from . import staff_views

app_name = "mobile"

urlpatterns = [
    path("", staff_views.consumer, name="consumer"),
    path("<str:account>/start/", staff_views.start, name="start"),
    path("verify/<str:token>/", staff_views.verify, name="verify"),
    path("verify/<str:token>/resend/", staff_views.resend, name="resend"),
]
