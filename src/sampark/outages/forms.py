"""Forms of the staff outage pages. They parse input; services decide what is allowed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sampark.core import clock
from sampark.network.models import Feeder, Substation

from .models import OutageKind, OutageReason
from .selectors import network_codes_classify

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
ETR_CHOICES = [(1, _("1 hour")), (2, _("2 hours")), (4, _("4 hours")), (8, _("8 hours"))]
CUSTOM = 0


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _local_field(label: Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, input_formats=LOCAL_INPUT, widget=LocalDateTimeInput()
    )


class SubstationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Substation) -> str:
        return f"{obj.name_en} ({obj.code})"


class FeederChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Feeder) -> str:
        return f"{obj.name_en} ({obj.code})"


class DeclareForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OutageKind.choices, initial=OutageKind.UNPLANNED
    )
    substations = SubstationChoice(
        label=_("Whole substations"),
        queryset=Substation.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    feeders = FeederChoice(
        label=_("Feeders"),
        queryset=Feeder.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    other_codes = forms.CharField(
        label=_("Other codes (substation, feeder or transformer), separated by commas"),
        required=False,
        max_length=2000,
    )
    reason = forms.ChoiceField(label=_("Reason"))
    reason_note = forms.CharField(label=_("Note"), required=False, max_length=300)
    etr_in = forms.TypedChoiceField(
        label=_("Supply back in"),
        choices=[*ETR_CHOICES, (CUSTOM, _("at the time below"))],
        coerce=int,
        initial=2,
    )
    etr = _local_field(_("Expected back at"))
    starts_at = _local_field(_("Starts at (planned work; empty: now)"))
    emergency = forms.BooleanField(
        label=_("Emergency (less than 24 hours' notice)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        substations: list[Substation],
        feeders: list[Feeder],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set_queryset(
            "substations", Substation.objects.filter(pk__in=[s.pk for s in substations])
        )
        self._set_queryset("feeders", Feeder.objects.filter(pk__in=[f.pk for f in feeders]))
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [
            (r.code, r.text_en if not _hindi() else r.text_hi)
            for r in OutageReason.objects.filter(active=True).order_by("id")
        ]

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = queryset.order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = network_codes_classify(codes=(data.get("other_codes") or "").split(","))
        if typed.unknown:
            self.add_error(
                "other_codes",
                _("No substation, feeder or transformer has the code(s): %(codes)s.")
                % {"codes": ", ".join(typed.unknown)},
            )
        data["substation_codes"] = [
            *(s.code for s in data.get("substations") or []),
            *typed.substation_codes,
        ]
        data["feeder_codes"] = [*(f.code for f in data.get("feeders") or []), *typed.feeder_codes]
        data["dt_codes"] = typed.dt_codes
        if data.get("etr_in") == CUSTOM and not data.get("etr"):
            self.add_error("etr", _("Give the time supply is expected back."))
        return data

    def etr_value(self) -> datetime:
        data = self.cleaned_data
        if data.get("etr_in") == CUSTOM:
            return _aware(data["etr"])
        start = _aware(data["starts_at"]) if data.get("starts_at") else clock.now()
        return start + timedelta(hours=data["etr_in"])

    def starts_value(self) -> datetime | None:
        value = self.cleaned_data.get("starts_at")
        return _aware(value) if value else None


class EtrForm(forms.Form):
    plus_hours = forms.TypedChoiceField(
        choices=[(1, "+1"), (2, "+2"), (4, "+4")], coerce=int, required=False
    )
    etr = _local_field(_("New time"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("plus_hours") and not data.get("etr"):
            raise forms.ValidationError(_("Choose +1, +2 or +4 hours, or give a time."))
        return data

    def etr_value(self, *, current: datetime) -> datetime:
        """+N hours counts from the current ETR, or from now once that has passed."""
        plus = self.cleaned_data.get("plus_hours")
        if plus:
            return max(current, clock.now()) + timedelta(hours=plus)
        return _aware(self.cleaned_data["etr"])


class RestoreForm(forms.Form):
    scope_ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    whole = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("whole") and not data.get("scope_ids"):
            raise forms.ValidationError(_("Tick the feeders or transformers that are back."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _hindi() -> bool:
    return (get_language() or "hi").startswith("hi")
