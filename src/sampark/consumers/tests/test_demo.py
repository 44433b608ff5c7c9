"""`sampark demo`: consumers that look like UP's, consistent with the network, reproducible."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from sampark.consumers.demo import consumers_demo_rows
from sampark.consumers.models import Consumer
from sampark.core.phones import mobile_to_e164
from sampark.network.demo import NetworkIds, network_demo_plan, reference_load
from sampark.network.models import Feeder, OrgUnit
from sampark.network.selectors import a_class_subdivision_ids

NETWORK_DATA = settings.SAMPARK_SHARED_DATA / "network"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not NETWORK_DATA.is_dir(), reason=f"reference data not found at {NETWORK_DATA}"
    ),
]


def demo(**options: object) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def test_demo_loads_consumers_that_look_like_up():
    output = demo(consumers=3000, seed=11)

    assert "3000 consumers" in output
    consumers = Consumer.objects.all()
    total = consumers.count()
    assert total == 3000
    no_mobile = consumers.filter(mobile__isnull=True).count() / total
    assert 0.22 <= no_mobile <= 0.38  # ~30%
    rural = consumers.filter(area_type="RURAL").count() / total
    urban = consumers.filter(area_type="URBAN").count() / total
    assert 0.45 <= rural <= 0.75 and rural > urban  # mostly rural
    assert consumers.filter(language="hi").count() / total > 0.8
    with_mobile = consumers.filter(mobile__isnull=False)
    assert with_mobile.filter(consent_sms=True).count() / with_mobile.count() > 0.7
    assert 0 < with_mobile.filter(consent_whatsapp=True).count() < with_mobile.count() / 2
    assert not consumers.filter(mobile__isnull=True, consent_sms=True).exists()
    accounts = list(consumers.values_list("account_number", flat=True))
    assert len(set(accounts)) == 3000 and all(re.fullmatch(r"\d{10}", a) for a in accounts)
    for mobile in with_mobile.values_list("mobile", flat=True)[:300]:
        assert mobile_to_e164(mobile) == mobile  # valid, already E.164
    sample = consumers.first()
    assert sample is not None and sample.address.startswith("H.No. ")
    assert all(problems == [] for problems in OrgUnit.objects.find_problems())


def test_derived_columns_agree_with_the_network():
    demo(consumers=3000, seed=12)

    consumers = Consumer.objects.all()
    assert not consumers.exclude(feeder=F("dt__feeder")).exists()
    assert not consumers.exclude(subdivision=F("feeder__substation__subdivision")).exists()
    assert not consumers.exclude(area_type=F("feeder__area_type")).exists()
    a_class = a_class_subdivision_ids()
    expected = consumers.filter(area_type="URBAN", subdivision_id__in=a_class)
    assert set(consumers.filter(is_a_class=True).values_list("id", flat=True)) == set(
        expected.values_list("id", flat=True)
    )
    assert expected.exists()  # Lucknow, Kanpur, Prayagraj, Varanasi, Agra are A-class


def test_same_seed_same_rows():
    demo(consumers=3000, seed=13)
    ref = reference_load(data_dir=settings.SAMPARK_SHARED_DATA)
    plan = network_demo_plan(ref=ref, consumers=3000, seed=13)
    ids = NetworkIds(
        subdivisions=dict(OrgUnit.objects.values_list("code", "id")),
        feeders=dict(Feeder.objects.values_list("code", "id")),
        dts=dict(Consumer.objects.values_list("dt__code", "dt_id").distinct()),
    )

    regenerated = [row[2:] for row in consumers_demo_rows(plan=plan, ids=ids, seed=13, now=None)]

    stored = Consumer.objects.order_by("id").values_list(
        "account_number", "name", "mobile", "address", "dt_id", "area_type"
    )
    assert [tuple(r) for r in stored] == [
        (r[0], r[1], r[2], r[9], r[12], r[15]) for r in regenerated
    ]


def test_discom_subset():
    demo(consumers=2000, discoms="mvvnl,KESCO", seed=14)

    discoms = set(OrgUnit.objects.filter(level="discom").values_list("code", flat=True))
    assert discoms == {"MVVNL", "KESCO"}
    assert Consumer.objects.count() == 2000
    assert {a[0] for a in Consumer.objects.values_list("account_number", flat=True)} == {"3", "5"}


def test_unknown_discom_is_refused():
    with pytest.raises(CommandError, match="Unknown discom"):
        demo(consumers=10, discoms="NOIDA-POWER")

    assert not OrgUnit.objects.exists()


def test_non_empty_database_is_refused_or_skipped(net):
    before = (OrgUnit.objects.count(), Consumer.objects.count())

    with pytest.raises(CommandError, match="empty database"):
        demo(consumers=100)
    output = demo(consumers=100, if_empty=True)

    assert "not loaded" in output
    assert (OrgUnit.objects.count(), Consumer.objects.count()) == before


def test_missing_reference_data_fails_clearly(settings, tmp_path):
    settings.SAMPARK_SHARED_DATA = tmp_path

    with pytest.raises(CommandError, match="Reference data not found"):
        demo(consumers=100)

    assert not OrgUnit.objects.exists()
