"""Admin for complaints.

Service standards (SlaPolicy) are data an administrator edits here. Complaints and their audit
trail are read-only: every change to a complaint goes through complaints.services, which writes
its audit event in the same transaction; an admin form would bypass that.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Complaint, ComplaintEvent, ComplaintSequence, SlaPolicy


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "area_type",
        "a_class_city",
        "hours",
        "compensation_per_day",
        "source",
    )
    list_display_links = ("category",)
    list_editable = ("hours", "compensation_per_day")
    list_filter = ("category", "area_type", "a_class_city")
    ordering = ("category", "area_type", "a_class_city")
    list_per_page = 100


class ComplaintEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "actor_label", "assignee")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ComplaintEvent]:
        return super().get_queryset(request).select_related("actor", "assignee")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "category",
        "status",
        "priority",
        "subdivision",
        "assigned_to",
        "registered_at",
        "due_at",
    )
    list_filter = ("status", "category", "channel", "priority", "area_type", "is_a_class")
    search_fields = ("=number", "=contact_mobile", "=consumer__account_number")
    list_select_related = ("subdivision", "assigned_to")
    show_full_result_count = False
    inlines = (ComplaintEventInline,)
    fieldsets = (
        (None, {"fields": ("number", "status", "priority", "category", "channel", "language")}),
        (
            _("Caller"),
            {"fields": ("consumer", "contact_name", "contact_mobile", "description")},
        ),
        (
            _("Place"),
            {
                "fields": (
                    "location_text",
                    "dt",
                    "feeder",
                    "subdivision",
                    "org_unit",
                    "area_type",
                    "is_a_class",
                )
            },
        ),
        (
            _("Service standard"),
            {
                "fields": (
                    "assigned_to",
                    "registered_at",
                    "sla_hours",
                    "due_at",
                    "paused_seconds",
                    "paused_since",
                    "resolved_at",
                    "closed_at",
                    "updated_at",
                )
            },
        ),
    )


@admin.register(ComplaintSequence)
class ComplaintSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("prefix", "day", "last")
    list_filter = ("prefix",)
    ordering = ("-day", "prefix")
