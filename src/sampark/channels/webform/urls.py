"""Website complaint form, tracking and mobile registration (no login), mounted at /complaint/."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "webform"

urlpatterns = [
    path("", views.start, name="start"),
    path("details/", views.details, name="details"),
    path("resend/", views.resend, name="resend"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("mobile/", views.mobile, name="mobile"),
    path("mobile/verify/", views.mobile_verify, name="mobile_verify"),
    path("mobile/resend/", views.mobile_resend, name="mobile_resend"),
    path("mobile/done/", views.mobile_done, name="mobile_done"),
]
