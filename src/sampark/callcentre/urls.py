"""Staff pages of the call centre: KPIs, callbacks, staffing."""

from django.urls import URLPattern, path

from . import staffing_views, views

app_name = "callcentre"

urlpatterns: list[URLPattern] = [
    path("kpis/", views.kpi_page, name="kpis"),
    path("callbacks/", views.callback_list, name="callbacks"),
    path("callbacks/<int:callback_id>/attempt/", views.callback_attempt, name="callback_attempt"),
    path("staffing/", staffing_views.staffing_page, name="staffing"),
]
