"""A mobile's one-time code: stored hashed, right once, three wrong tries lock it, ten minutes,
resend after a cool-down with a new code, and at most a few codes an hour to one number."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.complaints import closure
from sampark.consumers.mobile_verification import (
    MAX_SENDS,
    mobile_challenge_check,
    mobile_challenge_issue,
    mobile_challenge_resend,
    mobile_challenge_use,
    mobile_digest,
    mobile_masked,
)
from sampark.consumers.models import MobileChallenge, OtpPurpose, OtpStatus
from sampark.consumers.otp import otp_clean, otp_matches, otp_new
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

MOBILE = "+919839055555"
OLD = "+919839012345"
COMPLAINT = OtpPurpose.COMPLAINT


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward by some seconds."""
    start = clock.now()

    def move(seconds: float) -> None:
        monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=seconds))

    return move


def issue(**kwargs):
    values = {"purpose": COMPLAINT, "channel": "web", "mobile": MOBILE, "language": "hi"}
    return mobile_challenge_issue(**(values | kwargs))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# The code itself ------------------------------------------------------------------------------


def test_codes_are_six_digits_and_stored_only_salted_and_hashed():
    code, stored = otp_new(purpose="p")
    _other, again = otp_new(purpose="p")

    assert len(code) == 6 and code.isdigit()
    assert code not in stored and stored != again  # salted: no two stored values alike
    assert otp_matches(purpose="p", stored=stored, code=code)
    assert not otp_matches(purpose="other purpose", stored=stored, code=code)
    assert not otp_matches(purpose="p", stored=stored, code=wrong(code))


def test_the_closure_otp_is_the_same_scheme():
    code, stored = otp_new(purpose="sampark.complaints.closure")

    assert closure._otp_matches(stored=stored, otp=code)


def test_typed_codes_are_cleaned():
    assert otp_clean(" 12 34-56 ") == "123456"
    assert otp_clean("१२३४५६") == "123456"
    assert otp_clean("12345") == "" and otp_clean("1234567") == "" and otp_clean("") == ""


def test_masking_and_digest():
    assert mobile_masked(OLD) == "+91••••••2345"
    assert mobile_digest(OLD) == mobile_digest(OLD) != mobile_digest(MOBILE)
    assert "9839012345" not in mobile_digest(OLD)
    assert mobile_masked(None) == "" and mobile_digest("") == ""


# Lifecycle ------------------------------------------------------------------------------------


def test_the_right_code_proves_the_mobile_once():
    issued = issue()
    challenge = issued.challenge
    assert issued.code not in challenge.otp_hash and challenge.status == OtpStatus.PENDING
    assert not challenge.satisfied

    checked = mobile_challenge_check(token=challenge.token, purpose=COMPLAINT, code=issued.code)
    used = mobile_challenge_use(challenge=checked)

    assert checked.satisfied and used.status == OtpStatus.USED and used.used_at is not None
    with pytest.raises(Conflict) as again:
        mobile_challenge_check(token=challenge.token, purpose=COMPLAINT, code=issued.code)
    assert again.value.code == "otp_used"


def test_three_wrong_codes_lock_the_challenge_even_the_right_one_then_fails():
    issued = issue()
    token = issued.challenge.token

    for left in (2, 1):
        with pytest.raises(ValidationFailed) as error:
            mobile_challenge_check(token=token, purpose=COMPLAINT, code=wrong(issued.code))
        assert str(left) in str(error.value.fields["otp"])
    with pytest.raises(ValidationFailed):
        mobile_challenge_check(token=token, purpose=COMPLAINT, code=wrong(issued.code))

    challenge = MobileChallenge.objects.get(token=token)
    assert (challenge.status, challenge.attempts, challenge.verified_at) == ("locked", 3, None)
    with pytest.raises(Conflict) as locked:
        mobile_challenge_check(token=token, purpose=COMPLAINT, code=issued.code)
    assert locked.value.code == "otp_locked"
    with pytest.raises(Conflict):
        mobile_challenge_resend(token=token, purpose=COMPLAINT)


def test_a_malformed_code_costs_no_attempt():
    issued = issue()

    with pytest.raises(ValidationFailed):
        mobile_challenge_check(token=issued.challenge.token, purpose=COMPLAINT, code="12ab")

    assert MobileChallenge.objects.get().attempts == 0


def test_a_code_is_valid_ten_minutes(later):
    issued = issue()
    token = issued.challenge.token
    later(10 * 60 + 1)

    with pytest.raises(Conflict) as expired:
        mobile_challenge_check(token=token, purpose=COMPLAINT, code=issued.code)

    assert expired.value.code == "otp_expired"
    assert MobileChallenge.objects.get().verified_at is None


def test_an_unknown_token_or_another_purpose_is_not_found():
    issued = issue()

    with pytest.raises(NotFound):
        mobile_challenge_check(token="nope", purpose=COMPLAINT, code=issued.code)
    with pytest.raises(NotFound):
        mobile_challenge_check(
            token=issued.challenge.token, purpose=OtpPurpose.MOBILE_REGISTER, code=issued.code
        )


def test_resend_waits_out_the_cool_down_and_the_old_code_stops_working(later):
    issued = issue()
    token = issued.challenge.token

    with pytest.raises(ValidationFailed) as too_soon:
        mobile_challenge_resend(token=token, purpose=COMPLAINT)
    assert "otp" in too_soon.value.fields
    later(61)
    again = mobile_challenge_resend(token=token, purpose=COMPLAINT)

    assert again.code and again.challenge.sends == 2
    if again.code != issued.code:
        with pytest.raises(ValidationFailed):
            mobile_challenge_check(token=token, purpose=COMPLAINT, code=issued.code)
    checked = mobile_challenge_check(token=token, purpose=COMPLAINT, code=again.code)
    assert checked.satisfied


def test_resends_are_capped_per_challenge(later, settings):
    settings.SAMPARK_OTP_PER_MOBILE_HOUR = 100
    token = issue().challenge.token
    for n in range(1, MAX_SENDS):
        later(61 * n)
        mobile_challenge_resend(token=token, purpose=COMPLAINT)

    later(61 * MAX_SENDS)
    with pytest.raises(ValidationFailed):
        mobile_challenge_resend(token=token, purpose=COMPLAINT)

    assert MobileChallenge.objects.get().sends == MAX_SENDS


def test_an_expired_code_may_be_resent(later):
    issued = issue()
    later(11 * 60)

    again = mobile_challenge_resend(token=issued.challenge.token, purpose=COMPLAINT)

    assert mobile_challenge_check(
        token=issued.challenge.token, purpose=COMPLAINT, code=again.code
    ).satisfied


def test_a_new_challenge_replaces_the_pending_one():
    first = issue()
    second = issue()

    with pytest.raises(Conflict) as replaced:
        mobile_challenge_check(token=first.challenge.token, purpose=COMPLAINT, code=first.code)

    assert replaced.value.code == "otp_replaced"
    assert mobile_challenge_check(
        token=second.challenge.token, purpose=COMPLAINT, code=second.code
    ).satisfied


def test_codes_per_mobile_an_hour_are_limited_counting_old_mobile_codes(settings, later):
    settings.SAMPARK_OTP_PER_MOBILE_HOUR = 3
    issue()
    issue()
    issue(mobile="+919839066666", old_mobile=MOBILE, ask_old=True)  # a code to MOBILE as old

    with pytest.raises(ValidationFailed) as error:
        issue()

    assert "mobile" in error.value.fields
    assert MobileChallenge.objects.count() == 3  # nothing written for the refused one
    later(3601)
    assert issue().code


def test_a_vouched_mobile_is_proved_at_once_and_sends_nothing():
    issued = issue(send_code=False)

    assert issued.code == "" and issued.challenge.otp_hash == ""
    assert issued.challenge.satisfied


def test_two_codes_both_needed_and_one_wrong_counts_one_attempt():
    issued = issue(old_mobile=OLD, ask_old=True)
    token = issued.challenge.token

    with pytest.raises(ValidationFailed) as error:
        mobile_challenge_check(
            token=token, purpose=COMPLAINT, code=issued.code, old_code=wrong(issued.old_code)
        )

    assert set(error.value.fields) == {"old_otp"}
    challenge = MobileChallenge.objects.get()
    assert challenge.attempts == 1 and challenge.verified_at is not None
    assert not challenge.satisfied
    with pytest.raises(ValidationFailed):
        mobile_challenge_use(challenge=challenge)
    done = mobile_challenge_check(token=token, purpose=COMPLAINT, old_code=issued.old_code)
    assert done.satisfied
