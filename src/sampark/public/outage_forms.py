"""The account-number look-up on the public outage page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import account_number_validator


class SupplyForm(forms.Form):
    account = forms.CharField(
        label=_("Account number (10 digits)"),
        max_length=10,
        min_length=10,
        validators=[account_number_validator],
        error_messages={
            "required": _("Enter your 10-digit account number."),
            "min_length": _("An account number has exactly 10 digits."),
            "max_length": _("An account number has exactly 10 digits."),
        },
    )
