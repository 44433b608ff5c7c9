"""Review pages, mounted at /staff/review/ under the "review" namespace."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.review_page, name="dashboard"),
]
