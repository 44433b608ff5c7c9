"""Staff outage pages, mounted at /staff/outages/ under the "outages" namespace."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "outages"

urlpatterns = [
    path("", views.outage_list, name="list"),
    path("new/", views.outage_new, name="new"),
    path("<int:outage_id>/", views.outage_detail, name="detail"),
    path("<int:outage_id>/etr/", views.outage_etr_post, name="etr"),
    path("<int:outage_id>/restore/", views.outage_restore_post, name="restore"),
    path("<int:outage_id>/cancel/", views.outage_cancel_post, name="cancel"),
]
