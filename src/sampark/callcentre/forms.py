"""Forms of the call-centre staff pages: the KPI period and cut, a callback attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.network.models import OrgLevel, OrgUnit

from .kpis import BUCKETS, BYS, Bucket, By
from .models import CallbackAttempt, CallbackStatus

MAX_DAYS = {"hour": 31, "day": 400}


@dataclass(frozen=True)
class KpiChoice:
    start: datetime
    end: datetime
    bucket: Bucket
    by: By
    discom: OrgUnit | None
    service_level_seconds: int | None


class KpiFilterForm(forms.Form):
    day_from = forms.DateField(label=_("From"), required=False)
    day_to = forms.DateField(label=_("To (inclusive)"), required=False)
    bucket = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("hour", _("Hour")), ("day", _("Day"))]
    )
    by = forms.ChoiceField(
        label=_("Cut by"),
        required=False,
        choices=[("total", _("Total")), ("discom", _("Discom")), ("agent", _("Agent"))],
    )
    discom = forms.ModelChoiceField(
        label=_("Discom"),
        required=False,
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        empty_label=_("All in your area"),
    )
    service_level_seconds = forms.IntegerField(
        label=_("Service level threshold (seconds)"), required=False, min_value=1, max_value=3600
    )

    def __init__(self, *args: Any, user: StaffUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        discoms = OrgUnit.objects.filter(level=OrgLevel.DISCOM).order_by("code")
        field = self.fields["discom"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_scope(user).apply(discoms, org_path="path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate(clock.now())
        first: date = data.get("day_from") or today
        last: date = data.get("day_to") or max(first, today)
        if last < first:
            self.add_error("day_to", _("The last day must not come before the first."))
        bucket = data.get("bucket") or "hour"
        if (last - first).days + 1 > MAX_DAYS[bucket]:
            self.add_error("day_from", _("At most 31 days by the hour, or 400 days by the day."))
        data["day_from"], data["day_to"], data["bucket"] = first, last, bucket
        return data

    def choice(self) -> KpiChoice:
        """The period asked for, or today by the hour when the form is not valid."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate(clock.now())
        first = data.get("day_from") or today
        last = data.get("day_to") or first
        zone = timezone.get_current_timezone()
        return KpiChoice(
            start=datetime.combine(first, time.min, tzinfo=zone),
            end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
            bucket=BUCKETS.get(data.get("bucket") or "", "hour"),
            by=BYS.get(data.get("by") or "", "total"),
            discom=data.get("discom"),
            service_level_seconds=data.get("service_level_seconds"),
        )


class CallbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *CallbackStatus.choices],
    )


class AttemptForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=CallbackAttempt.Result.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    complaint_number = forms.CharField(
        label=_("Complaint number (if registered)"), required=False, max_length=24
    )
