"""Admin for staff users (role, jurisdiction, substations) and a read-only view of API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sampark.core.errors import ValidationFailed
from sampark.core.phones import mobile_or_none

from .models import ApiToken, StaffUser

SAMPARK_FIELDS = ("role", "jurisdiction", "phone", "substations")


class StaffUserChangeForm(UserChangeForm):
    # No Meta needed: the admin builds the form for StaffUser (modelform_factory).

    def clean_phone(self) -> str:
        try:
            return mobile_or_none(self.cleaned_data.get("phone"), field="phone") or ""
        except ValidationFailed as error:
            raise forms.ValidationError(error.fields["phone"], code="invalid_mobile") from None


@admin.register(StaffUser)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Sampark role and area"), {"fields": SAMPARK_FIELDS}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Sampark role and area"), {"fields": ("role", "jurisdiction")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "jurisdiction", "is_active")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    list_select_related = ("jurisdiction",)
    autocomplete_fields = ("jurisdiction", "substations")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: a raw key is shown once when the token is issued and never stored; only its
    hash and first characters are kept, and only those characters are shown here."""

    list_display = ("name", "owner", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "=prefix", "owner__username")
    list_select_related = ("owner",)
    fields = ("name", "owner", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
