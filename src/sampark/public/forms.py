"""Forms of the public group pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sampark.core.errors import ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgUnit

from .models import Delivery, MemberChannel, StakeholderRole
from .selectors import zones_by_discom


class JoinForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"))
    name = forms.CharField(label=_("Your name"), max_length=120)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    role = forms.ChoiceField(label=_("You are"), choices=StakeholderRole.choices)
    language = forms.ChoiceField(label=_("Messages in"), choices=Language.choices)
    channel = forms.ChoiceField(
        label=_("Send them by"), choices=MemberChannel.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label=_("How often"), choices=Delivery.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = "en" if (get_language() or "").startswith("en") else "hi"
        self.zones: dict[str, OrgUnit] = {}
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for discom, zones in zones_by_discom():
            self.zones |= {zone.code: zone for zone in zones}
            options = [(zone.code, zone.name_in(language)) for zone in zones]
            groups.append((discom.name_in(language), options))
        zone_field = self.fields["zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [("", _("Choose your zone")), *groups]
        self.initial.setdefault("language", language)
        self.initial.setdefault("channel", MemberChannel.SMS)
        self.initial.setdefault("delivery", Delivery.IMMEDIATE)

    def clean_mobile(self) -> str:
        try:
            return mobile_to_e164(self.cleaned_data["mobile"])
        except ValidationFailed as error:
            raise forms.ValidationError(str(error.fields["mobile"])) from None

    def clean_zone(self) -> OrgUnit:
        return self.zones[self.cleaned_data["zone"]]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("OTP"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )
