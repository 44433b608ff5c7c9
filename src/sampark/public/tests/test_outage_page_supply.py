"""'Is my supply off?' by account number: the outage over the account's supply with its reason
and ETR, or 'no known outage'; never a name or address; an unknown number gets the same answer
as a known one without outage (no enumeration); rate-limited per client address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sampark.outages.models import OutageScope
from sampark.testing.factories import ConsumerFactory

from .conftest import outage_make
from .outage_page_scene import (
    MAINTENANCE_EN,
    REASON_EN,
    REASON_HI,
    SECRET_ADDRESS,
    scene_build,
)

pytestmark = pytest.mark.django_db

SUPPLY = reverse("public_outages:supply")
UNKNOWN = "9999999999"


@pytest.fixture
def scene(net):
    return scene_build(net)


def answer(client, account: str, **params) -> str:
    response = client.get(SUPPLY, {"account": account, **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_an_account_under_an_outage_is_told_its_reason_and_etr(client, net, scene):
    hindi = answer(client, net.consumer1.account_number)
    english = answer(client, net.consumer1.account_number, lang="en")

    assert f"#{scene.active.pk}" in hindi and REASON_HI in hindi
    assert timezone.localtime(scene.active.etr).strftime("%d/%m/%Y %H:%M") in hindi
    assert f"Supply off: outage #{scene.active.pk}" in english and REASON_EN in english
    for page in (hindi, english):
        assert net.consumer1.name not in page
        assert net.consumer1.mobile not in page
        assert SECRET_ADDRESS not in page
        assert "Aminabad" not in page and "अमीनाबाद" not in page  # not even where the supply is


def test_planned_work_over_the_supply_is_told_too(client, net, scene):
    english = answer(client, net.consumer2.account_number, lang="en")

    assert f"Planned outage #{scene.planned.pk}" in english and MAINTENANCE_EN in english
    assert f"#{scene.planned_far.pk}" not in english  # beyond 30 days
    assert net.consumer2.name not in english


def test_a_substation_or_dt_outage_reaches_the_accounts_under_it(client, net, scene):
    whole = outage_make(subdivision=net.sd2, zone=net.zone, feeders=[])
    OutageScope.objects.create(outage=whole, substation=net.ss2)
    other_dt = ConsumerFactory(dt__feeder=net.feeder_p)
    on_dt = outage_make(subdivision=net.sd_p, zone=scene.zone_meerut, feeders=[])
    OutageScope.objects.create(outage=on_dt, dt=net.dt_p)

    rural = answer(client, net.consumer2.account_number, lang="en")
    on_the_dt = answer(client, net.consumer_p.account_number, lang="en")
    beside_the_dt = answer(client, other_dt.account_number, lang="en")

    assert f"Supply off: outage #{whole.pk}" in rural
    assert f"Supply off: outage #{on_dt.pk}" in on_the_dt
    assert f"#{on_dt.pk}" not in beside_the_dt
    assert "No known outage on this supply." in beside_the_dt


def test_restored_places_no_longer_count(client, net, scene):
    scene.active.scope.update(restored_at=timezone.now())

    english = answer(client, net.consumer1.account_number, lang="en")

    assert "No known outage on this supply." in english


def test_an_unknown_account_gets_the_same_answer_as_a_quiet_one_in_the_same_queries(
    client, net, scene, django_assert_num_queries
):
    quiet = ConsumerFactory(dt__feeder__substation=net.ss_p)
    with django_assert_num_queries(1):
        known = answer(client, quiet.account_number, lang="en")
    with django_assert_num_queries(1):
        unknown = answer(client, UNKNOWN, lang="en")

    assert "No known outage on this supply." in known
    assert known.replace(quiet.account_number, UNKNOWN) == unknown


def test_a_malformed_number_is_told_so_without_a_look_up(client, net, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SUPPLY, {"account": "12345", "lang": "en"})

    assert response.status_code == 400
    assert "An account number has exactly 10 digits." in response.content.decode()
    assert "Your supply" not in response.content.decode()


def test_the_form_alone_asks_for_a_number(client, net):
    response = client.get(SUPPLY, {"lang": "en"})

    assert response.status_code == 200
    assert 'name="account"' in response.content.decode()
    assert "Your supply" not in response.content.decode()


@override_settings(SAMPARK_PUBLIC_SUPPLY_RATE="2/m")
def test_look_ups_are_rate_limited_per_address(client, net, scene, django_assert_num_queries):
    answer(client, net.consumer1.account_number)
    answer(client, UNKNOWN)
    with django_assert_num_queries(0):
        third = client.get(SUPPLY, {"account": net.consumer1.account_number, "lang": "en"})
    elsewhere = client.get(SUPPLY, {"account": UNKNOWN}, REMOTE_ADDR="10.1.2.3")

    assert third.status_code == 429
    assert "Too many look-ups" in third.content.decode()
    assert f"#{scene.active.pk}" not in third.content.decode()
    assert elsewhere.status_code == 200


def test_answers_are_never_stored_by_caches(client, net, scene):
    response = client.get(SUPPLY, {"account": net.consumer1.account_number})

    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_switching_language_keeps_the_question(client, net, scene):
    hindi = answer(client, net.consumer1.account_number)

    assert f'href="?account={net.consumer1.account_number}&amp;lang=en"' in hindi


def test_overdue_is_not_hidden(client, net, scene):
    late = outage_make(
        subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1], etr_in=-timedelta(minutes=5)
    )

    english = answer(client, net.consumer1.account_number, lang="en")

    assert f"#{late.pk}" in english and f"#{scene.active.pk}" in english
    assert english.count("Restoration time passed") == 1
