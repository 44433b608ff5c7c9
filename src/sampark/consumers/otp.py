"""One-time codes: six digits, kept only as "<salt>$<HMAC-SHA256>" keyed with SECRET_KEY.

The same scheme as the closure OTP (sampark.complaints.closure): a purpose string keys the HMAC,
so a code stored for one purpose never matches another's. `otp_new(purpose=
"sampark.complaints.closure")` writes exactly what closure.py writes. The code itself is written
out only in the outbox row that carries it to the phone.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

OTP_DIGITS = 6
DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _digest(*, purpose: str, salt: str, code: str) -> str:
    return salted_hmac(purpose, f"{salt}:{code}", algorithm="sha256").hexdigest()


def otp_new(*, purpose: str) -> tuple[str, str]:
    """A fresh code and what is stored of it."""
    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(8)
    return code, f"{salt}${_digest(purpose=purpose, salt=salt, code=code)}"


def otp_matches(*, purpose: str, stored: str, code: str) -> bool:
    salt, _sep, digest = stored.partition("$")
    return bool(digest) and constant_time_compare(
        _digest(purpose=purpose, salt=salt, code=code), digest
    )


def otp_clean(raw: str) -> str:
    """What people type: spaces, dashes, Devanagari digits. "" unless exactly six digits."""
    code = "".join(ch for ch in str(raw or "").translate(DIGITS) if ch.isdigit())
    return code if len(code) == OTP_DIGITS and code.isascii() else ""
