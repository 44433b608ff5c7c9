"""Admin for stakeholder groups.

An administrator adds members (a verified membership, joined via "admin"), edits their details and
removes them; each of these goes through the member services, so it is audited like a keyword or
web change, and removing ends the membership instead of deleting its history. Bulletins, OTPs,
digests and the feed watermark are read-only records.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core.errors import ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgLevel, OrgUnit

from .members import (
    stakeholder_group_ensure,
    stakeholder_member_join,
    stakeholder_member_leave,
    stakeholder_member_update,
)
from .models import (
    Bulletin,
    BulletinDelivery,
    DigestRun,
    FeedWatermark,
    JoinedVia,
    StakeholderGroup,
    StakeholderMember,
    StakeholderMemberEvent,
    StakeholderOtp,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _staff(request: HttpRequest) -> StaffUser | None:
    return request.user if isinstance(request.user, StaffUser) else None


class GroupForm(forms.ModelForm):
    class Meta:
        model = StakeholderGroup
        fields = ("zone",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields.get("zone")  # read-only once the group exists
        if isinstance(zone, forms.ModelChoiceField):
            zone.queryset = OrgUnit.objects.filter(level=OrgLevel.ZONE).order_by("path")


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(admin.ModelAdmin):
    form = GroupForm
    list_display = ("zone", "zone_code", "active_members", "created_at")
    search_fields = ("zone__code", "zone__name_en", "zone__name_hi")
    list_select_related = ("zone",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[StakeholderGroup]:
        return (
            super()
            .get_queryset(request)
            .annotate(active_count=Count("members", filter=Q(members__active=True)))
        )

    @admin.display(description=_("zone code"), ordering="zone__code")
    def zone_code(self, obj: StakeholderGroup) -> str:
        return obj.zone.code

    @admin.display(description=_("active members"), ordering="active_count")
    def active_members(self, obj: StakeholderGroup) -> int:
        return getattr(obj, "active_count", 0)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("zone", "created_at") if obj else ("created_at",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.pk = stakeholder_group_ensure(zone=form.cleaned_data["zone"]).pk
            obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MemberForm(forms.ModelForm):
    class Meta:
        model = StakeholderMember
        fields = ("group", "name", "mobile", "role", "language", "channel", "delivery")

    def clean_mobile(self) -> str:
        try:
            return mobile_to_e164(self.cleaned_data["mobile"])
        except ValidationFailed as error:
            raise forms.ValidationError(str(error.fields["mobile"])) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group, mobile = data.get("group"), data.get("mobile")
        taken = StakeholderMember.objects.filter(group=group, mobile=mobile, active=True)
        if self.instance.pk is None and group and mobile and taken.exists():
            self.add_error("mobile", _("This mobile is already a member of this group."))
        return data


class MemberEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StakeholderMemberEvent
    extra = 0
    fields = ("created_at", "kind", "via", "actor", "note")
    readonly_fields = fields


@admin.register(StakeholderMember)
class StakeholderMemberAdmin(admin.ModelAdmin):
    form = MemberForm
    list_display = (
        "mobile",
        "name",
        "group",
        "role",
        "language",
        "channel",
        "delivery",
        "active",
        "joined_via",
        "joined_at",
        "left_at",
    )
    list_filter = ("active", "role", "delivery", "channel", "language", "joined_via")
    search_fields = ("=mobile", "name", "group__zone__code", "group__zone__name_en")
    list_select_related = ("group__zone",)
    readonly_fields = ("active", "verified_at", "joined_via", "joined_at", "left_at", "updated_at")
    inlines = (MemberEventInline,)
    actions = ("remove_from_group",)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj else ()  # a new member has no history yet

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = ("group", "mobile") if obj else ()
        return (*fixed, *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        details = {key: data[key] for key in ("role", "language", "channel", "delivery")}
        if change:
            stakeholder_member_update(
                member=obj, via=JoinedVia.ADMIN, actor=_staff(request), name=data["name"], **details
            )
            return
        joined = stakeholder_member_join(
            group=data["group"],
            mobile=data["mobile"],
            name=data["name"],
            via=JoinedVia.ADMIN,
            actor=_staff(request),
            **details,
        )
        obj.pk = joined.member.pk
        obj.refresh_from_db()

    @admin.action(description=_("Remove the selected members from their group"))
    def remove_from_group(
        self, request: HttpRequest, queryset: QuerySet[StakeholderMember]
    ) -> None:
        removed = sum(
            stakeholder_member_leave(member=member, via=JoinedVia.ADMIN, actor=_staff(request))
            for member in queryset.filter(active=True)
        )
        self.message_user(
            request, _("%(count)d members removed.") % {"count": removed}, messages.SUCCESS
        )

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # removing keeps the history: use the action


@admin.register(StakeholderOtp)
class StakeholderOtpAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("mobile", "group", "created_at", "expires_at", "attempts", "verified_at")
    search_fields = ("=mobile",)
    list_select_related = ("group__zone",)
    exclude = ("code_digest", "token")


class BulletinDeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BulletinDelivery
    extra = 0
    fields = ("recipient", "channel", "language", "member", "staff", "held", "digested_at")
    readonly_fields = fields


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "group", "kind", "outage", "recipients", "held")
    list_filter = ("kind",)
    list_select_related = ("group__zone", "outage")
    search_fields = ("group__zone__code", "=outage__id")
    inlines = (BulletinDeliveryInline,)


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "group", "recipients", "window_start", "window_end")
    list_select_related = ("group__zone",)


@admin.register(FeedWatermark)
class FeedWatermarkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reader", "last_event_id", "updated_at")
