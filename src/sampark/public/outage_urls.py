"""Public outage page and feeds (no login), mounted at /outages/."""

from __future__ import annotations

from django.urls import path

from . import outage_views as views

app_name = "public_outages"

urlpatterns = [
    path("", views.page, name="page"),
    path("supply/", views.supply, name="supply"),
    path("feeds/current.geojson", views.feed_geojson, name="feed_geojson"),
    path("feeds/bulletins.atom", views.feed_bulletins, name="feed_bulletins"),
    path("feeds/press.atom", views.feed_press, name="feed_press"),
    path("feeds/planned/<str:zone>.ics", views.feed_planned, name="feed_planned"),
    path("press/", views.press_index, name="press_index"),
    path("press/<str:discom>/<str:day>/", views.press_detail, name="press_detail"),
]
