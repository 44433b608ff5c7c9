"""Admin for the call centre.

Calls, their events, callbacks and agents' states are read-only here: they change only through
callcentre.services (telephony events, callback attempts), which keep the call's facts, the
one-pending-callback-per-mobile rule and the SMS together. The roster is master data an
administrator edits.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import AgentState, Call, Callback, CallbackAttempt, CallEvent, RosterShift


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CallEventInline(ReadOnly, admin.TabularInline):
    model = CallEvent
    fields = ("at", "kind", "agent", "queue", "detail")
    readonly_fields = fields
    extra = 0


@admin.register(Call)
class CallAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "call_id",
        "calling_number",
        "discom",
        "queue",
        "offered_at",
        "answered_at",
        "ended_at",
        "outcome",
        "agent",
        "ivr_contained",
    )
    list_filter = ("outcome", "queue", "source", "ivr_contained", "discom")
    list_select_related = ("discom", "agent")
    search_fields = ("call_id", "calling_number")
    date_hierarchy = "offered_at"
    raw_id_fields = ("consumer", "complaint")
    inlines = (CallEventInline,)


@admin.register(CallEvent)
class CallEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("call", "kind", "at", "agent", "queue")
    list_filter = ("kind",)
    list_select_related = ("call", "agent")
    search_fields = ("call__call_id",)
    date_hierarchy = "at"


class AttemptInline(ReadOnly, admin.TabularInline):
    model = CallbackAttempt
    fields = ("at", "agent", "result", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Callback)
class CallbackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "id",
        "mobile",
        "discom",
        "requested",
        "status",
        "due_at",
        "attempts",
        "agent",
        "closed_at",
    )
    list_filter = ("status", "requested", "discom")
    list_select_related = ("discom", "agent")
    search_fields = ("mobile", "call__call_id")
    date_hierarchy = "created_at"
    raw_id_fields = ("call", "consumer", "complaint")
    inlines = (AttemptInline,)


@admin.register(CallbackAttempt)
class CallbackAttemptAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("callback", "at", "agent", "result")
    list_filter = ("result",)
    list_select_related = ("callback", "agent")


@admin.register(AgentState)
class AgentStateAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("agent", "status", "since", "call")
    list_filter = ("status",)
    list_select_related = ("agent", "call")


@admin.register(RosterShift)
class RosterShiftAdmin(admin.ModelAdmin):
    list_display = ("agent", "discom", "starts_at", "ends_at")
    list_filter = ("discom",)
    list_select_related = ("agent", "discom")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("agent",)
    raw_id_fields = ("discom",)
