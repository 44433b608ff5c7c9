"""Open311 GeoReport v2, mounted at /open311/v2/ (namespace "open311"). Every resource ends in
its format, .json or .xml, as the spec has it; another suffix answers a 404 in XML."""

from django.urls import URLPattern, re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>[a-z0-9]+)$"

urlpatterns: list[URLPattern] = [
    re_path(rf"^discovery{FMT}", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>[\w-]+){FMT}", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+){FMT}", views.service_request, name="request"),
    re_path(rf"^tokens/(?P<token_id>[\w-]+){FMT}", views.token, name="token"),
]
