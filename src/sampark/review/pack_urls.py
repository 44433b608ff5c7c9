"""Archived daily review packs, at /staff/review/packs/ (namespace review_packs)."""

from django.urls import URLPattern, path

from . import pack_views

app_name = "review_packs"

urlpatterns: list[URLPattern] = [
    path("", pack_views.pack_list, name="list"),
    path("<int:pack_id>/<str:kind>/", pack_views.pack_file, name="file"),
]
