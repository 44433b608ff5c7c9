from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sampark.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sampark.ops.urls")),  # /metrics, /healthz
    path("api/", api.urls),  # /api/v1/... endpoints, /api/docs
    path("staff/outages/", include("sampark.outages.urls", namespace="outages")),
    path("staff/desk/", include("sampark.channels.desk.desk_urls", namespace="desk")),
    path("staff/chats/", include("sampark.channels.desk.urls", namespace="chats")),
    path("staff/review/packs/", include("sampark.review.pack_urls", namespace="review_packs")),
    path("staff/review/", include("sampark.review.urls", namespace="review")),
    path("staff/", include("sampark.complaints.urls", namespace="staff")),
    path("staff/", include("sampark.notifications.urls", namespace="notifications")),
    path("webhooks/", include("sampark.notifications.webhooks.urls", namespace="webhooks")),
    path("webhooks/", include("sampark.channels.urls", namespace="channels")),  # inbound
    path("staff/callcentre/", include("sampark.callcentre.urls", namespace="callcentre")),
    path("staff/mobile/", include("sampark.channels.mobile.staff_urls", namespace="mobile")),
    path("webhooks/ivr/", include("sampark.channels.ivr.urls", namespace="ivr")),
    path("webhooks/email/", include("sampark.channels.email.urls", namespace="email")),
    path("open311/v2/", include("sampark.channels.open311.urls", namespace="open311")),
    path("complaint/", include("sampark.channels.webform.urls", namespace="webform")),
    path("outages/", include("sampark.public.outage_urls", namespace="public_outages")),
    path("public/", include("sampark.public.urls", namespace="public")),
    path("chat/", include("sampark.channels.web.urls", namespace="webchat")),  # public web chat
    path("", RedirectView.as_view(pattern_name="staff:home", permanent=False)),
]
# Field photos under DEBUG only (static() is empty otherwise); in production the proxy serves
# MEDIA_ROOT at MEDIA_URL (docs/field.md).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
