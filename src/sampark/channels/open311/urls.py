"""Open311 GeoReport v2."""

from django.urls import URLPattern

app_name = "open311"

urlpatterns: list[URLPattern] = []
