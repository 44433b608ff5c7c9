"""Admin for the outage register.

Reasons (the words consumers are told) are data an administrator edits here. Outages and their
events are read-only: every change goes through outages.services, which writes its audit event
and triggers the fan-out; an admin form would bypass both.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Outage, OutageEvent, OutageReason, OutageScope


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutageReason)
class OutageReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "text_en", "text_hi", "active")
    list_editable = ("active",)
    search_fields = ("code", "text_en", "text_hi")


class ScopeInline(ReadOnly, admin.TabularInline):
    model = OutageScope
    fields = ("substation", "feeder", "dt", "restored_at")
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnly, admin.TabularInline):
    model = OutageEvent
    fields = ("created_at", "kind", "etr", "scope_ids", "actor", "actor_label", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Outage)
class OutageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "kind", "status", "reason", "org_unit", "starts_at", "etr", "restored_at")
    list_filter = ("status", "kind", "source")
    list_select_related = ("reason", "org_unit")
    date_hierarchy = "starts_at"
    inlines = (ScopeInline, EventInline)
