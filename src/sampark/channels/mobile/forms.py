"""The staff page's forms: shape only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..webform.forms import CodeField, MobileField


class AccountLookupForm(forms.Form):
    account = forms.CharField(
        label=_("Account number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StaffRegisterForm(forms.Form):
    mobile = MobileField(label=_("New mobile number"))
    note = forms.CharField(
        label=_("How you checked the consumer"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StaffCodeForm(forms.Form):
    otp = CodeField(label=_("OTP the consumer reads out"))
