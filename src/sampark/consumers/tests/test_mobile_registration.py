"""Who may set an account's mobile: the bill's details for self-service, the old mobile's code to
replace a number, staff with a note otherwise; a limit of accounts per mobile; an audit row per
change; nothing written on a refusal."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sampark.consumers.mobile_registration import (
    consumer_mobile_set,
    mobile_registration_check,
    name_letters_match,
    name_starts,
)
from sampark.consumers.mobile_verification import (
    mobile_challenge_check,
    mobile_challenge_issue,
    mobile_digest,
)
from sampark.consumers.models import Consumer, MobileChange, OtpPurpose
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db

NEW = "+919839055555"
REGISTER = OtpPurpose.MOBILE_REGISTER


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the per-account request count lives in the cache


@pytest.fixture
def bare(net):
    """An account with no mobile on file (seven in ten in UP)."""
    return ConsumerFactory(
        account_number="4234567890", name="Ram Prakash Yadav", mobile=None, dt=net.dt1
    )


def challenge_for(asked, *, staff=None, note="", ask_old=None):
    return mobile_challenge_issue(
        purpose=REGISTER,
        channel="agent" if staff else "web",
        mobile=asked.mobile,
        language="hi",
        consumer=asked.consumer,
        old_mobile=asked.on_file,
        ask_old=asked.replaces if ask_old is None else ask_old,
        requested_by=staff,
        note=note,
    )


# The account proof ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "typed", "ok"),
    [
        ("Ram Prakash Yadav", "RAM", True),
        ("Ram Prakash Yadav", "ram", True),
        ("Ram Prakash Yadav", "r a m", True),
        ("Ram Prakash Yadav", "Ramesh", True),  # only the first three letters count
        ("Ram Prakash Yadav", "SHY", False),
        ("SMT. Sunita Devi", "SUN", True),  # the title may be left out ...
        ("SMT. Sunita Devi", "SMT", True),  # ... or typed as printed
        ("M/S Gupta Traders", "GUP", True),
        ("राम प्रकाश", "राम", True),
        ("राम प्रकाश", "", False),
    ],
)
def test_name_letters(name, typed, ok):
    assert name_letters_match(name=name, typed=typed) is ok


def test_name_starts_are_three_letters():
    assert name_starts("Ram Prakash") == {"ram"}


def test_a_self_service_request_needs_the_account_and_the_name_letters(bare):
    asked = mobile_registration_check(
        account_number="42345 67890", mobile="98390 55555", name_letters="ram"
    )

    assert (asked.consumer, asked.mobile, asked.on_file, asked.replaces) == (bare, NEW, "", False)


def test_wrong_name_letters_are_refused_beside_the_name(bare):
    with pytest.raises(ValidationFailed) as error:
        mobile_registration_check(
            account_number=bare.account_number, mobile=NEW, name_letters="SHY"
        )

    assert set(error.value.fields) == {"name"}


def test_every_bad_field_is_named_at_once(net):
    with pytest.raises(ValidationFailed) as error:
        mobile_registration_check(account_number="12345", mobile="12", name_letters="")

    assert set(error.value.fields) == {"account_number", "mobile", "name"}


def test_an_unknown_account_is_not_found(net):
    with pytest.raises(NotFound) as error:
        mobile_registration_check(account_number="9999999999", mobile=NEW, name_letters="RAM")

    assert set(error.value.fields) == {"account_number"}


def test_an_account_takes_a_few_requests_a_day_then_refuses_even_the_right_letters(bare, settings):
    settings.SAMPARK_MOBILE_ACCOUNT_RATE = "3/d"
    for guess in ("AAA", "BBB", "CCC"):
        with pytest.raises(ValidationFailed):
            mobile_registration_check(
                account_number=bare.account_number, mobile=NEW, name_letters=guess
            )

    with pytest.raises(ValidationFailed) as error:
        mobile_registration_check(
            account_number=bare.account_number, mobile=NEW, name_letters="RAM"
        )

    assert set(error.value.fields) == {"account_number"}


def test_one_mobile_may_be_on_a_few_accounts_only(net, settings):
    settings.SAMPARK_MOBILE_MAX_ACCOUNTS = 2
    ConsumerFactory.create_batch(2, mobile=NEW, dt=net.dt1)
    target = ConsumerFactory(name="Geeta Devi", mobile=None, dt=net.dt1)

    with pytest.raises(ValidationFailed) as error:
        mobile_registration_check(
            account_number=target.account_number, mobile=NEW, name_letters="GEE"
        )

    assert set(error.value.fields) == {"mobile"}


def test_staff_need_a_note_and_the_account_in_their_area(net, staff, bare):
    with pytest.raises(ValidationFailed) as error:
        mobile_registration_check(
            account_number=bare.account_number, mobile=NEW, staff=staff["agent"], note=""
        )
    assert set(error.value.fields) == {"note"}

    with pytest.raises(NotFound):  # consumer_p is in PVVNL, outside sub-division 2
        mobile_registration_check(
            account_number=net.consumer_p.account_number,
            mobile=NEW,
            staff=staff["je2"],
            note="caller gave name and address",
        )
    gone = StaffFactory(username="left", role="agent", jurisdiction=net.state, is_active=False)
    with pytest.raises(NotAllowed):  # a deactivated account
        mobile_registration_check(
            account_number=bare.account_number, mobile=NEW, staff=gone, note="checked id"
        )

    asked = mobile_registration_check(
        account_number=bare.account_number, mobile=NEW, staff=staff["agent"], note="checked id"
    )
    assert asked.consumer == bare


# Setting the mobile --------------------------------------------------------------------------


def test_registering_on_an_account_without_a_mobile(bare):
    asked = mobile_registration_check(
        account_number=bare.account_number, mobile=NEW, name_letters="RAM"
    )
    issued = challenge_for(asked)
    assert not issued.old_code
    challenge = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, code=issued.code
    )

    done = consumer_mobile_set(challenge=challenge, actor_label="consumer via web")

    bare.refresh_from_db()
    assert (bare.mobile, bare.consent_sms) == (NEW, True)
    change = MobileChange.objects.get()
    assert (change.consumer, change.kind, change.channel, change.proof) == (
        bare,
        "registered",
        "web",
        "account_details",
    )
    assert (change.old_mobile_masked, change.new_mobile_masked) == ("", "+91••••••5555")
    assert change.new_mobile_digest == mobile_digest(NEW)
    assert change.actor is None and change.actor_label == "consumer via web"
    assert done.old_mobile == "" and done.new_mobile == NEW


def test_replacing_a_mobile_by_self_service_needs_the_old_mobiles_code(net):
    consumer = net.consumer1  # has +919839012345 on file
    old = consumer.mobile
    asked = mobile_registration_check(
        account_number=consumer.account_number,
        mobile=NEW,
        name_letters=consumer.name[:3],
    )
    issued = challenge_for(asked)
    assert asked.replaces and issued.old_code and issued.challenge.old_mobile == old

    # The new mobile's code alone (a takeover attempt by whoever knows the bill) changes nothing.
    half = mobile_challenge_check(token=issued.challenge.token, purpose=REGISTER, code=issued.code)
    with pytest.raises(ValidationFailed) as refused:
        consumer_mobile_set(challenge=half)
    assert set(refused.value.fields) == {"old_otp"}
    consumer.refresh_from_db()
    assert consumer.mobile == old and not MobileChange.objects.exists()

    both = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, old_code=issued.old_code
    )
    done = consumer_mobile_set(challenge=both)

    consumer.refresh_from_db()
    assert consumer.mobile == NEW
    change = MobileChange.objects.get()
    assert (change.kind, change.proof) == ("changed", "old_mobile")
    assert (
        change.old_mobile_masked == "+91••••••2345"
        and change.old_mobile_digest == mobile_digest(old)
    )
    assert done.old_mobile == old


def test_the_same_mobile_again_is_a_verification(net):
    consumer = net.consumer1
    asked = mobile_registration_check(
        account_number=consumer.account_number, mobile=consumer.mobile, name_letters=consumer.name
    )
    issued = challenge_for(asked)
    assert not asked.replaces and not issued.old_code

    checked = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, code=issued.code
    )
    consumer_mobile_set(challenge=checked)

    assert MobileChange.objects.get().kind == "verified"


def test_staff_replace_a_mobile_with_a_note_and_no_old_code(net, staff):
    consumer = net.consumer1
    asked = mobile_registration_check(
        account_number=consumer.account_number,
        mobile=NEW,
        staff=staff["agent"],
        note="caller gave name, address and last bill amount",
    )
    issued = challenge_for(
        asked, staff=staff["agent"], note="caller gave name, address", ask_old=False
    )
    checked = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, code=issued.code
    )

    consumer_mobile_set(challenge=checked, actor=staff["agent"])

    change = MobileChange.objects.get()
    assert (change.kind, change.proof, change.actor, change.actor_label) == (
        "changed",
        "staff_check",
        staff["agent"],
        "agent",
    )
    assert change.note == "caller gave name, address"


def test_staff_outside_the_area_cannot_finish_what_another_started(net, staff):
    consumer = net.consumer1
    asked = mobile_registration_check(
        account_number=consumer.account_number, mobile=NEW, staff=staff["agent"], note="checked id"
    )
    issued = challenge_for(asked, staff=staff["agent"], note="checked id", ask_old=False)
    checked = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, code=issued.code
    )

    with pytest.raises(NotFound):
        consumer_mobile_set(challenge=checked, actor=staff["je2"])

    consumer.refresh_from_db()
    assert consumer.mobile != NEW and not MobileChange.objects.exists()


def test_a_mobile_changed_meanwhile_is_a_conflict(bare):
    asked = mobile_registration_check(
        account_number=bare.account_number, mobile=NEW, name_letters="RAM"
    )
    issued = challenge_for(asked)
    checked = mobile_challenge_check(
        token=issued.challenge.token, purpose=REGISTER, code=issued.code
    )
    Consumer.objects.filter(pk=bare.pk).update(mobile="+919839077777")  # an agent, meanwhile

    with pytest.raises(Conflict):
        consumer_mobile_set(challenge=checked)

    bare.refresh_from_db()
    assert bare.mobile == "+919839077777" and not MobileChange.objects.exists()


def test_a_complaint_challenge_cannot_set_a_mobile(bare):
    issued = mobile_challenge_issue(
        purpose=OtpPurpose.COMPLAINT, channel="web", mobile=NEW, language="hi"
    )
    checked = mobile_challenge_check(
        token=issued.challenge.token, purpose=OtpPurpose.COMPLAINT, code=issued.code
    )

    with pytest.raises(NotFound):
        consumer_mobile_set(challenge=checked)
    assert not MobileChange.objects.exists()
