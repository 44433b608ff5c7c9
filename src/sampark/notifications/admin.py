"""Admin for the outbox: read-only (every change goes through the dispatcher and receipts).

This is where the console provider's messages are "visible": text, segments, DLT ids, status
and provider id of every row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sampark.core.paginators import EstimatedCountPaginator

from .models import Notification, ProviderRateWindow
from .providers import PROVIDERS
from .templates import TEMPLATES


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ChoicesFilter(admin.SimpleListFilter):
    """A filter over a fixed list, not `SELECT DISTINCT` over a table of crores of rows."""

    values: tuple[str, ...] = ()

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, value) for value in self.values]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(**{str(self.parameter_name): value}) if value else queryset


class ProviderFilter(ChoicesFilter):
    title = _("provider")
    parameter_name = "provider"
    values = tuple(PROVIDERS)


class TemplateFilter(ChoicesFilter):
    title = _("template")
    parameter_name = "template_key"
    values = tuple(TEMPLATES)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    paginator = EstimatedCountPaginator  # the outbox grows by lakhs of rows on a storm day
    show_full_result_count = False
    list_display = (
        "id",
        "created_at",
        "channel",
        "recipient",
        "template_key",
        "language",
        "segments",
        "status",
        "attempts",
        "provider",
        "provider_message_id",
        "text_start",
    )
    list_filter = ("status", "channel", ProviderFilter, TemplateFilter, "language", "urgent")
    # Exact matches use the indexes; a topic matches from its start ("outage:17").
    search_fields = ("=recipient", "=provider_message_id", "^topic")
    ordering = ("-id",)
    raw_id_fields = ("consumer", "fallback_of")
    fieldsets = (
        (None, {"fields": ("topic", "event", "channel", "recipient", "consumer", "urgent")}),
        (
            _("Message"),
            {
                "fields": (
                    "template_key",
                    "language",
                    "text",
                    "variables",
                    "segments",
                    "dlt_template_id",
                    "dlt_entity_id",
                )
            },
        ),
        (
            _("Delivery"),
            {
                "fields": (
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "last_error",
                    "provider",
                    "provider_message_id",
                    "fallback_of",
                    "created_at",
                    "sent_at",
                    "delivered_at",
                    "failed_at",
                )
            },
        ),
    )

    @admin.display(description=_("Text"))
    def text_start(self, obj: Notification) -> str:
        return obj.text if len(obj.text) <= 60 else obj.text[:59] + "…"


@admin.register(ProviderRateWindow)
class ProviderRateWindowAdmin(ReadOnlyAdmin):
    list_display = ("provider", "second", "used")
    list_filter = ("provider",)
    ordering = ("-second",)
