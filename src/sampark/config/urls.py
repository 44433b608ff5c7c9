from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sampark.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),  # /api/v1/... endpoints, /api/docs
    path("staff/", include("sampark.complaints.urls", namespace="staff")),
    path("", RedirectView.as_view(pattern_name="staff:home", permanent=False)),
]
