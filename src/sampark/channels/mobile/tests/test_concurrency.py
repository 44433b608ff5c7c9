"""The same code submitted many times at once (a double tap, a script): the challenge's row lock
lets it count once. PostgreSQL only: SQLite serializes writers, so the race cannot happen."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from sampark.channels.mobile.services import (
    complaint_otp_request,
    mobile_registration_finish,
    mobile_registration_start,
)
from sampark.channels.webform.services import web_complaint_submit
from sampark.complaints.models import Complaint
from sampark.consumers.models import MobileChallenge, MobileChange
from sampark.core.errors import Conflict, ValidationFailed
from sampark.notifications.models import Notification
from sampark.testing.concurrency import race
from sampark.testing.factories import small_network_build
from sampark.testing.reference import reference_data_ensure

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8
NEW = "+919839055555"


def code_of(template: str, recipient: str) -> str:
    return (
        Notification.objects.filter(template_key=template, recipient=recipient)
        .latest("id")
        .variables["otp"]
    )


def test_the_right_codes_sent_at_once_change_the_mobile_once():
    cache.clear()
    net = small_network_build()
    old = net.consumer1.mobile
    challenge = mobile_registration_start(
        account_number=net.consumer1.account_number,
        mobile=NEW,
        name_letters=net.consumer1.name[:3],
        channel="web",
        language="hi",
    )
    code = code_of("mobile_register_otp", NEW)
    old_code = code_of("mobile_change_old_otp", old)

    results = race(
        lambda: mobile_registration_finish(token=challenge.token, code=code, old_code=old_code),
        threads=THREADS,
    )

    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(done) == 1 and all(isinstance(r, Conflict) for r in refused), refused
    assert MobileChange.objects.count() == 1
    assert Notification.objects.filter(template_key="mobile_changed_notice").count() == 1


def test_wrong_codes_sent_at_once_lock_after_exactly_three():
    cache.clear()
    net = small_network_build()
    challenge = mobile_registration_start(
        account_number=net.consumer1.account_number,
        mobile=NEW,
        name_letters=net.consumer1.name[:3],
        channel="web",
        language="hi",
    )
    right = code_of("mobile_register_otp", NEW)
    wrong = f"{(int(right) + 1) % 10**6:06d}"

    results = race(
        lambda: mobile_registration_finish(token=challenge.token, code=wrong), threads=THREADS
    )

    assert sum(isinstance(r, ValidationFailed) for r in results) == 3
    assert sum(isinstance(r, Conflict) for r in results) == THREADS - 3
    challenge.refresh_from_db()
    assert (challenge.attempts, challenge.status) == (3, "locked")
    assert not MobileChange.objects.exists()


def test_one_complaint_for_one_code_however_often_it_is_posted():
    cache.clear()
    net = small_network_build()
    reference_data_ensure()
    challenge = complaint_otp_request(mobile=NEW, language="hi")
    code = code_of("web_complaint_otp", NEW)

    results = race(
        lambda: web_complaint_submit(
            token=challenge.token,
            otp=code,
            category="no_supply",
            language="hi",
            account_number=net.consumer1.account_number,
        ),
        threads=THREADS,
    )

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert Complaint.objects.count() == 1
    assert MobileChallenge.objects.get().status == "used"
