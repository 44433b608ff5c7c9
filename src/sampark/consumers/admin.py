"""Admin for the consumer registry: built for crores of rows (no full counts, no big selects)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core.errors import ValidationFailed
from sampark.core.paginators import EstimatedCountPaginator
from sampark.core.phones import mobile_or_none

from .mobile_registration import consumer_mobile_edited
from .models import Consumer
from .services import consumer_network_fields

# Written from the DT on every save, never typed in (see consumer_network_fields).
DERIVED_FIELDS = ("feeder", "subdivision", "area_type", "is_a_class")
IDENTITY_FIELDS = ("account_number", "name", "category", "language")
CONTACT_FIELDS = ("mobile", "alt_mobile", "email", "consent_sms", "consent_whatsapp")
PLACE_FIELDS = ("address", "latitude", "longitude")


class ConsumerAdminForm(forms.ModelForm):
    class Meta:
        model = Consumer
        fields = (*IDENTITY_FIELDS, *CONTACT_FIELDS, *PLACE_FIELDS, "dt")

    def _mobile(self, field: str) -> str | None:
        try:
            return mobile_or_none(self.cleaned_data.get(field), field=field)
        except ValidationFailed as error:
            raise forms.ValidationError(error.fields[field], code="invalid_mobile") from None

    def clean_mobile(self) -> str | None:
        return self._mobile("mobile")

    def clean_alt_mobile(self) -> str | None:
        return self._mobile("alt_mobile")

    def save(self, commit: bool = True) -> Consumer:
        consumer: Consumer = super().save(commit=False)
        # Re-derived on every save, not only when the DT changes, so that the row also follows
        # a DT that was moved to another feeder since it was last written.
        for name, value in consumer_network_fields(dt=consumer.dt).items():
            setattr(consumer, name, value)
        if commit:
            consumer.save()
            self.save_m2m()
        return consumer


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    form = ConsumerAdminForm
    paginator = EstimatedCountPaginator
    list_display = ("account_number", "name", "mobile", "category", "subdivision", "area_type")
    list_filter = ("category", "area_type", "is_a_class", "language", "consent_sms")
    # Exact matches use the unique/indexed columns; a name matches from its start.
    search_fields = ("=account_number", "=mobile", "^name")
    search_help_text = _("Account number (10 digits), mobile number, or the start of the name.")
    list_select_related = ("subdivision",)
    show_full_result_count = False
    raw_id_fields = ("dt",)
    readonly_fields = (*DERIVED_FIELDS, "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": IDENTITY_FIELDS}),
        (_("Contact"), {"fields": CONTACT_FIELDS}),
        (_("Place"), {"fields": PLACE_FIELDS}),
        (_("Network"), {"fields": ("dt", *DERIVED_FIELDS)}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def save_model(
        self, request: HttpRequest, obj: Consumer, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        user = request.user
        if change and "mobile" in form.changed_data and isinstance(user, StaffUser):
            # The admin's transaction holds the consumer and its audit row together.
            consumer_mobile_edited(
                consumer=obj, before=form.initial.get("mobile") or "", actor=user
            )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Consumer], search_term: str
    ) -> tuple[QuerySet[Consumer], bool]:
        # Mobiles are stored as E.164; let staff type them the way they say them.
        try:
            e164 = mobile_or_none(search_term)
        except ValidationFailed:
            e164 = None
        if e164:
            # Ten digits may be an account number as well as a mobile: match either.
            term = search_term.strip()
            return queryset.filter(Q(mobile=e164) | Q(account_number=term)), False
        return super().get_search_results(request, queryset, search_term)
