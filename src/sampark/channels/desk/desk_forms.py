"""Forms of the 1912 agent desk. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sampark.callcentre.models import AgentStatus, CallbackAttempt
from sampark.complaints.forms import RegisterComplaintForm
from sampark.complaints.models import Category
from sampark.core.errors import ValidationFailed
from sampark.core.phones import mobile_to_e164

# Category quick-keys, the most frequent calls first: digit -> category. The rest have no key.
QUICK_KEYS: dict[str, str] = {
    "1": Category.NO_SUPPLY,
    "2": Category.LINE_BREAKDOWN,
    "3": Category.DT_FAILURE,
    "4": Category.SUBSTATION_LOW_VOLTAGE,
    "5": Category.VOLTAGE_FLUCTUATION,
    "6": Category.SAFETY_HAZARD,
    "7": Category.METER,
    "8": Category.BILL_READING,
    "9": Category.NEW_CONNECTION,
    "0": Category.OTHER,
}
CHOOSE_CATEGORY = _("Choose a category for the complaint.")


def categories_with_keys() -> list[tuple[str, Any, str]]:
    """(value, label, key) for every category, those with a quick-key first in key order."""
    key_of = {category: key for key, category in QUICK_KEYS.items()}
    labels = dict(Category.choices)
    keyed = [(category, labels[category], key) for key, category in QUICK_KEYS.items()]
    rest = [(value, label, "") for value, label in Category.choices if value not in key_of]
    return keyed + rest


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mobile, account or complaint number"),
        max_length=40,
        error_messages={"required": _("Type a mobile, account or complaint number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "enterkeyhint": "search"}
        ),
    )


class DeskRegisterForm(RegisterComplaintForm):
    """The complaints registration form, plus who is calling: a consumer's account number, or
    an unregistered caller's mobile, name and place."""

    account = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    mobile = forms.CharField(label=_("Caller's mobile"), required=False, max_length=16)
    name = forms.CharField(label=_("Caller's name"), required=False, max_length=120)
    location = forms.CharField(label=_("Place (address, landmark)"), required=False, max_length=300)
    # Set by "Register anyway": the agent has seen the open complaint of the same category.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    callback = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    q = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].error_messages.update(
            required=CHOOSE_CATEGORY, invalid_choice=CHOOSE_CATEGORY
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        known = bool(data.get("account"))
        if data.get("mobile") or not known:  # a known consumer may give another number
            try:
                data["mobile"] = mobile_to_e164(data.get("mobile") or "")
            except ValidationFailed as error:
                self.add_error("mobile", str(error.fields["mobile"]))
        if not known and not (data.get("location") or "").strip():
            self.add_error("location", _("Say where the problem is: address and a landmark."))
        return data


class CallbackOutcomeForm(forms.Form):
    result = forms.ChoiceField(choices=CallbackAttempt.Result.choices)
    note = forms.CharField(required=False, max_length=300)
    complaint = forms.CharField(required=False, max_length=24)  # with "complaint registered"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result") == CallbackAttempt.Result.COMPLAINT and not data.get("complaint"):
            self.add_error("complaint", _("Give the number of the complaint you registered."))
        return data


class AgentStatusForm(forms.Form):
    """Agents set only these themselves; on-call and wrap-up come from the telephony."""

    status = forms.ChoiceField(
        choices=[
            (AgentStatus.AVAILABLE, AgentStatus.AVAILABLE.label),
            (AgentStatus.BREAK, AgentStatus.BREAK.label),
        ]
    )
