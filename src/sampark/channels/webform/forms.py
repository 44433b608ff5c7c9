"""Forms of the website's complaint, tracking and mobile pages. They check the shape of what was
typed (errors beside the fields, in the page's language); the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import Category
from sampark.consumers.selectors import account_number_clean
from sampark.core.errors import SamparkError, ValidationFailed
from sampark.core.phones import mobile_to_e164

GIVE_PLACE = _("Give your 10-digit account number, or write where the problem is.")
TEL = {"inputmode": "tel", "autocomplete": "tel"}
CODE = {"inputmode": "numeric", "autocomplete": "one-time-code"}


def errors_add(form: forms.Form, error: SamparkError) -> None:
    """Service errors beside the fields they name; the rest above the form."""
    for field, text in error.fields.items():
        form.add_error(field if field in form.fields else None, str(text))
    if not error.fields:
        form.add_error(None, str(error.message))


def form_status(error: SamparkError) -> int:
    """A form page's answer: 400 for what was typed wrong (an unknown account included), 409
    when the code can no longer be used."""
    return 400 if error.status in (404, 422) else error.status


def _one(error: ValidationFailed) -> str:
    return " ".join(str(text) for text in error.fields.values()) or str(error.message)


class MobileField(forms.CharField):
    """A mobile as people type it; cleaned to E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        super().__init__(max_length=20, widget=forms.TextInput(attrs=TEL), **kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return text
        try:
            return mobile_to_e164(text)
        except ValidationFailed as error:
            raise forms.ValidationError(_one(error)) from None


class AccountField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Account number"))
        attrs = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(max_length=20, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return text
        try:
            return account_number_clean(text)
        except ValidationFailed as error:
            raise forms.ValidationError(_one(error)) from None


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("OTP"))
        super().__init__(max_length=12, widget=forms.TextInput(attrs=CODE), **kwargs)


class MobileForm(forms.Form):
    mobile = MobileField()


class DetailsForm(forms.Form):
    otp = CodeField()
    category = forms.ChoiceField(
        label=_("What is the problem?"), choices=[("", "—"), *Category.choices]
    )
    account_number = AccountField(required=False)
    location_text = forms.CharField(
        label=_("Where is the problem?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_account = "account_number" in data and not data.get("account_number")
        if no_account and len((data.get("location_text") or "").strip()) < 5:
            self.add_error("location_text", GIVE_PLACE)
        return data


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Complaint number"), max_length=24)
    mobile = MobileField()


class RegisterForm(forms.Form):
    account_number = AccountField()
    name = forms.CharField(
        label=_("First 3 letters of the name on your bill"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    mobile = MobileField(label=_("Mobile number to register"))


class RegisterVerifyForm(forms.Form):
    otp = CodeField(label=_("OTP sent to the new mobile"))
    old_otp = CodeField(label=_("OTP sent to the mobile on file"), required=False)

    def __init__(self, *args: Any, old_asked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if old_asked:
            self.fields["old_otp"].required = True
        else:
            del self.fields["old_otp"]
