"""Demo network: real names, a valid tree, determinism, proportions."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings

from sampark.network.demo import (
    ReferenceDataMissing,
    network_demo_plan,
    network_demo_write,
    reference_load,
    state_tree,
)
from sampark.network.models import Feeder, OrgLevel, OrgUnit

NETWORK_DATA = settings.SAMPARK_SHARED_DATA / "network"
needs_data = pytest.mark.skipif(
    not NETWORK_DATA.is_dir(), reason=f"reference data not found at {NETWORK_DATA}"
)


@pytest.fixture(scope="module")
def ref():
    if not NETWORK_DATA.is_dir():
        pytest.skip(f"reference data not found at {NETWORK_DATA}")
    return reference_load(data_dir=settings.SAMPARK_SHARED_DATA)


def test_missing_reference_data_is_a_clear_error(tmp_path):
    with pytest.raises(ReferenceDataMissing, match="SAMPARK_SHARED_DATA"):
        reference_load(data_dir=tmp_path)


@needs_data
def test_every_circle_and_division_gets_a_parent_by_its_place(ref):
    tree = state_tree(ref)

    assert len(tree.zones) == 40 and len(tree.circles) == 120 and len(tree.divisions) == 392
    assert all(zone.children for zone in tree.zones.values())
    assert all(circle.children for circle in tree.circles.values())
    assert sum(len(z.children) for z in tree.zones.values()) == 120
    assert sum(len(c.children) for c in tree.circles.values()) == 392
    # Matched by the town in the name:
    assert tree.circles["EUDC MEERUT"].parent in ("MEERUT I", "MEERUT II")
    assert tree.circles["EUDC CHOWK"].parent in (
        "LUCKNOW CENTRAL",
        "JANKIPURAM",
        "GOMTI NAGAR",
        "AMAUSI",
    )
    assert tree.circles["CIRCLE I"].parent == "KANPUR CITY"
    assert tree.divisions["EDD I MAWANA"].parent in ("EDC I MEERUT", "EDC II MEERUT")
    assert tree.divisions["EUDD V MEERUT"].parent == "EUDC MEERUT"
    assert tree.divisions["CHOWK"].parent == "EUDC CHOWK"
    assert tree.divisions["EDD I DHAMPUR"].parent == "EDC DHAMPUR"


@needs_data
def test_plan_is_deterministic_for_a_seed(ref):
    one = network_demo_plan(ref=ref, consumers=3000, seed=7)
    two = network_demo_plan(ref=ref, consumers=3000, seed=7)
    other = network_demo_plan(ref=ref, consumers=3000, seed=8)

    assert one.nodes() == two.nodes()
    assert one.feeders == two.feeders
    assert one.nodes() != other.nodes()
    assert one.consumers == 3000


@needs_data
def test_plan_scales_with_real_proportions(ref):
    plan = network_demo_plan(ref=ref, consumers=1_000_000, seed=1)

    feeders = len(plan.feeders)
    assert 700 <= feeders <= 800  # 26,033 feeders for ~3.46 crore consumers
    assert 120 <= len(plan.substations) <= 150  # 4,711 substations statewide
    sizes = sorted(f.consumers for f in plan.feeders if f.consumers)
    mean = sum(sizes) / len(sizes)
    assert 1200 <= mean <= 1500
    assert sizes[-1] > 4 * mean  # heavy tail
    rural = sum(f.consumers for f in plan.feeders if f.area_type == "RURAL")
    assert 0.55 <= rural / plan.consumers <= 0.65
    natures = Counter(f.nature for f in plan.feeders)
    assert natures["AGRICULTURE"] and natures["INDEPENDENT"] and natures["MIXED ABOVE 50%"]
    dt_sizes = [dt.consumers for f in plan.feeders for dt in f.dts]
    assert min(dt_sizes) >= 12 and max(dt_sizes) <= 150
    assert 40 <= sum(dt_sizes) / len(dt_sizes) <= 80


@needs_data
def test_discom_subset(ref):
    plan = network_demo_plan(ref=ref, consumers=5000, discoms=["KESCO"], seed=1)

    assert plan.discoms == ["KESCO"]
    assert {f.discom for f in plan.feeders} == {"KESCO"}
    assert {f.area_type for f in plan.feeders if f.consumers} <= {"URBAN", "TEHSIL"}
    assert {row.code for row in plan.org if row.kind == OrgLevel.DISCOM} == {"KESCO"}


@needs_data
@pytest.mark.django_db
def test_written_network_is_a_valid_tree_with_the_real_names(ref):
    plan = network_demo_plan(ref=ref, consumers=3000, seed=3)

    report, ids = network_demo_write(plan=plan)

    assert all(not problems for problems in OrgUnit.objects.find_problems())
    levels = Counter(OrgUnit.objects.values_list("level", flat=True))
    assert (levels["state"], levels["discom"], levels["zone"]) == (1, 5, 40)
    assert (levels["circle"], levels["division"]) == (120, 392)
    assert 2 * 392 <= levels["subdivision"] <= 4 * 392
    zones = set(OrgUnit.objects.filter(level="zone").values_list("name_en", flat=True))
    assert zones == {z for d in ref.discoms.values() for z in d.zones}
    mvvnl = OrgUnit.objects.get(code="MVVNL")
    assert (mvvnl.name_hi, mvvnl.complaint_prefix) == ("मध्यांचल विद्युत वितरण निगम लि.", "MV")
    assert OrgUnit.objects.get(code="Z-MEERUT-I").name_hi == "मेरठ प्रथम"
    assert OrgUnit.objects.get(code="Z-LUCKNOW-CENTRAL").a_class_city
    a_class_circles = OrgUnit.objects.filter(level="circle", a_class_city=True)
    assert {c.name_en for c in a_class_circles} >= {
        "EUDC I VARANASI",
        "EUDC I PRAYAGRAJ",
        "EDC AGRA",
    }
    assert Feeder.objects.count() == len(plan.feeders) == len(ids.feeders)
    assert report.counts("dt").created == len(ids.dts)
