"""The review page's period and unit choice. Parsing only; the selectors check the rest."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

PRESETS = {"today": 1, "7d": 7, "30d": 30}
DEFAULT_PRESET = "7d"
DAY = forms.DateInput({"type": "date"})


class ReviewForm(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    preset = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("today", _("Today")), ("7d", _("Last 7 days")), ("30d", _("Last 30 days"))],
    )
    start = forms.DateField(label=_("From"), required=False, widget=DAY)
    end = forms.DateField(label=_("To"), required=False, widget=DAY)
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Give both the start and the end of the period."))
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self, *, today: date) -> tuple[date, date]:
        """The chosen days (both included): dates if given, else the preset up to today."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        days = PRESETS[data.get("preset") or DEFAULT_PRESET]
        return today - timedelta(days=days - 1), today
