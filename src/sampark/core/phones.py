"""Mobile numbers: parsed with `phonenumbers`, stored as E.164 (+91XXXXXXXXXX)."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

MALFORMED_MOBILE = _("Enter a valid 10-digit mobile number.")


def mobile_to_e164(raw: str, *, field: str = "mobile") -> str:
    """Return the E.164 form of a mobile number or raise ValidationFailed naming `field`."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, settings.SAMPARK_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationFailed(fields={field: MALFORMED_MOBILE}) from None
    kind = phonenumbers.number_type(number)
    mobile_kinds = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if not phonenumbers.is_valid_number(number) or kind not in mobile_kinds:
        raise ValidationFailed(fields={field: MALFORMED_MOBILE})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mobile_or_none(raw: str | None, *, field: str = "mobile") -> str | None:
    return mobile_to_e164(raw, field=field) if raw and raw.strip() else None
