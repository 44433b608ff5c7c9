"""Staff pages of the call centre: KPIs, callbacks, staffing."""

from django.urls import URLPattern

app_name = "callcentre"

urlpatterns: list[URLPattern] = []
