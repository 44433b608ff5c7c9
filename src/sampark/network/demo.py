"""A state-shaped demo network built from the real UPPCL names in SAMPARK_SHARED_DATA/network.

The org tree uses the real 5 discoms, 40 zones, 120 circles and 392 divisions. The source does
not say which circle belongs to which zone, nor which division to which circle, so they are
placed by the place in their name (docs/importing.md, "Demo network"): the name's town maps to
a district, the district to the city of a zone. The electrical tree is scaled to the number of
consumers asked for (4,711 substations and 26,033 feeders for ~3.46 crore consumers), with
heavy-tailed feeder sizes and ~60% of consumers on rural feeders. Same seed, same network.
"""

from __future__ import annotations

import json
import math
import random
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sampark.core.models import AreaType

from .demo_places import (
    DISTRICTS,
    LUCKNOW_ZONES,
    ROMAN,
    ROMAN_HI,
    RURAL_BARE_DIVISIONS,
    District,
    district_of,
    hindi_name,
    locality,
    place_token,
)
from .importers import NetworkImportReport, NodeRow, network_load
from .models import DistributionTransformer, Feeder, FeederNature, OrgLevel, OrgUnit

DATA_FILES = (
    "discom_zones.json",
    "uppcl_hierarchy_names_fy2026_27.json",
    "uppcl_discom_feeder_summary.json",
)
COMPLAINT_PREFIX = {"PVVNL": "PV", "DVVNL": "DV", "MVVNL": "MV", "PuVVNL": "PU", "KESCO": "KE"}
FEEDER_SUMMARY_NAMES = {
    "PASCHIMANCHAL": "PVVNL",
    "DAKSHINANCHAL": "DVVNL",
    "MADHYANCHAL": "MVVNL",
    "POORVANCHAL": "PuVVNL",
    "KESCO": "KESCO",
}
RURAL_CONSUMER_SHARE = 0.60
MEAN_CONSUMERS_PER_FEEDER = 1330  # 3.46 crore / 26,033
MIN_FEEDERS_PER_DISCOM = 4
MIN_SUBSTATIONS_PER_DISCOM = 2
SPARE_FEEDER_SHARE = 0.04  # spare and station-supply feeders, with no consumers
FEEDER_SIZE_SIGMA = 0.9  # lognormal spread: a few feeders carry several times the mean
A_CLASS_CITIES = frozenset({"LUCKNOW", "KANPUR CITY", "PRAYAGRAJ", "VARANASI", "AGRA"})


class ReferenceDataMissing(Exception):
    """The shared reference data folder (SAMPARK_SHARED_DATA) is absent or incomplete."""


# --- org tree -----------------------------------------------------------------------------


@dataclass
class _Unit:
    name: str
    district: str  # for circles and divisions
    token: str
    urban: bool
    parent: str = ""
    children: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DiscomInfo:
    name_en: str
    name_hi: str
    zones: list[str]


@dataclass
class Reference:
    discoms: dict[str, DiscomInfo]
    circles: list[str]
    divisions: list[str]
    natures: list[str]
    feeder_share: dict[str, float]
    totals: dict[str, int]


def reference_load(*, data_dir: Path) -> Reference:
    folder = data_dir / "network"
    missing = [name for name in DATA_FILES if not (folder / name).is_file()]
    if missing:
        raise ReferenceDataMissing(
            f"Reference data not found: {', '.join(str(folder / m) for m in missing)} "
            "(set SAMPARK_SHARED_DATA to the shared data folder)"
        )
    zones = json.loads((folder / "discom_zones.json").read_text(encoding="utf-8"))
    names = json.loads(
        (folder / "uppcl_hierarchy_names_fy2026_27.json").read_text(encoding="utf-8")
    )
    summary = json.loads((folder / "uppcl_discom_feeder_summary.json").read_text(encoding="utf-8"))
    feeders = {FEEDER_SUMMARY_NAMES[row["discom"]]: float(row["feeders"]) for row in summary}
    discoms = {
        code: DiscomInfo(d["name_en"], d["name_hi"], list(d["zones"]))
        for code, d in zones["discoms"].items()
    }
    return Reference(
        discoms=discoms,
        circles=list(names["circles"]),
        divisions=list(names["divisions"]),
        natures=list(names["natures"]),
        feeder_share={code: count / sum(feeders.values()) for code, count in feeders.items()},
        totals=dict(zones["totals"]),
    )


@dataclass
class StateTree:
    discom_zones: dict[str, list[str]]
    zones: dict[str, _Unit]
    circles: dict[str, _Unit]
    divisions: dict[str, _Unit]


def _least_loaded(candidates: Iterable[_Unit]) -> _Unit:
    return min(candidates, key=lambda unit: (len(unit.children), unit.name))


def zone_city(name: str) -> str:
    if name in LUCKNOW_ZONES:
        return "LUCKNOW"
    if name == "KANPUR CITY":
        return name
    return place_token(name)


def state_tree(ref: Reference) -> StateTree:
    """Place the 120 circles under the 40 zones and the 392 divisions under the circles."""
    zones = {
        zone: _Unit(zone, "", zone_city(zone), urban=False, parent=code)
        for code, discom in ref.discoms.items()
        for zone in discom.zones
    }
    zones_of_city: dict[str, list[_Unit]] = defaultdict(list)
    for zone in zones.values():
        zones_of_city[zone.token].append(zone)
    circles: dict[str, _Unit] = {}
    for name in sorted(ref.circles):
        token = "KANPUR CITY" if name.startswith("CIRCLE ") else place_token(name)
        district = district_of(token) or ""
        urban = not name.startswith("EDC ")
        circle = circles[name] = _Unit(name, district, token.replace(" ", ""), urban)
        city = DISTRICTS[district].zone_city if district else ""
        zone = _least_loaded(zones_of_city.get(city) or zones.values())
        circle.parent = zone.name
        zone.children.append(name)
    divisions: dict[str, _Unit] = {}
    for name in sorted(ref.divisions):
        bare = name.split()[0] not in ("EDD", "EUDD")
        token = place_token(name)
        urban = name.startswith("EUDD") or (bare and name not in RURAL_BARE_DIVISIONS)
        division = divisions[name] = _Unit(name, district_of(token) or "", token, urban)
        circle = _least_loaded(_division_circles(division, circles, zones))
        division.parent = circle.name
        circle.children.append(name)
    _rebalance(circles, zones)
    _rebalance(divisions, circles)
    discom_zones = {code: discom.zones for code, discom in ref.discoms.items()}
    return StateTree(discom_zones, zones, circles, divisions)


def _division_circles(
    division: _Unit, circles: dict[str, _Unit], zones: dict[str, _Unit]
) -> list[_Unit]:
    """Best candidates first: same place and kind (urban/rural), same district and kind, same
    district, the circles of the district's zones, anywhere."""
    same_district = [
        c for c in circles.values() if division.district and c.district == division.district
    ]
    token = division.token.replace(" ", "")
    city = DISTRICTS[division.district].zone_city if division.district else ""
    in_city_zones = [c for c in circles.values() if zones[c.parent].token == city]
    for candidates in (
        [c for c in same_district if c.token == token and c.urban == division.urban],
        [c for c in same_district if c.urban == division.urban],
        same_district,
        in_city_zones,
    ):
        if candidates:
            return candidates
    return list(circles.values())


def _rebalance(children: dict[str, _Unit], parents: dict[str, _Unit]) -> None:
    """Give every parent at least one child, taken from its fullest sibling."""
    for parent in sorted(parents.values(), key=lambda p: p.name):
        if parent.children:
            continue
        grand = parent.parent
        siblings = [p for p in parents.values() if p.parent == grand and len(p.children) > 1]
        donors = siblings or [p for p in parents.values() if len(p.children) > 1]
        donor = max(donors, key=lambda p: (len(p.children), p.name))
        moved = donor.children.pop()
        children[moved].parent = parent.name
        parent.children.append(moved)


def subdivision_count(division: str) -> int:
    """2-4 sub-divisions, fixed per division name (the same tree for every seed)."""
    return 2 + zlib.crc32(division.encode()) % 3


def slug(name: str) -> str:
    return name.replace(" ", "-")


# --- the plan -----------------------------------------------------------------------------


@dataclass(slots=True)
class DemoDt:
    code: str
    name: str
    capacity_kva: int
    latitude: Decimal
    longitude: Decimal
    consumers: int
    address_tail: str  # ", <mohalla or village>, <district>": consumers add a house number


@dataclass(slots=True)
class DemoFeeder:
    code: str
    name_en: str
    name_hi: str
    substation: str
    subdivision: str
    discom: str
    area_type: str
    nature: str
    a_class: bool
    consumers: int
    dts: list[DemoDt] = field(default_factory=list)


@dataclass
class NetworkPlan:
    seed: int
    discoms: list[str]
    org: list[NodeRow]
    substations: list[NodeRow]
    feeders: list[DemoFeeder]

    @property
    def consumers(self) -> int:
        return sum(f.consumers for f in self.feeders)

    def nodes(self) -> list[NodeRow]:
        rows = [*self.org, *self.substations]
        for f in self.feeders:
            rows.append(
                NodeRow(
                    0, "feeder", f.code, f.substation, f.name_en, f.name_hi, f.area_type, f.nature
                )
            )
        for f in self.feeders:
            for dt in f.dts:
                rows.append(
                    NodeRow(
                        0,
                        "dt",
                        dt.code,
                        f.code,
                        dt.name,
                        capacity_kva=dt.capacity_kva,
                        latitude=dt.latitude,
                        longitude=dt.longitude,
                    )
                )
        for number, row in enumerate(rows, start=1):
            row.row = number
        return rows


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder): the parts sum to total."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def network_demo_plan(
    *, ref: Reference, consumers: int, discoms: Sequence[str] | None = None, seed: int = 1912
) -> NetworkPlan:
    """The whole demo network, in memory, deterministic for (consumers, discoms, seed)."""
    chosen = [code for code in ref.discoms if not discoms or code in discoms]
    tree = state_tree(ref)
    rng = random.Random(f"sampark-demo-network:{seed}")
    org = _org_rows(ref, tree, chosen)
    a_class_subdivisions = _a_class_subdivisions(org)
    share = [ref.feeder_share[code] for code in chosen]
    builder = _ElectricalBuilder(ref=ref, tree=tree, rng=rng, a_class=a_class_subdivisions)
    for code, count in zip(chosen, apportion(consumers, share), strict=True):
        builder.discom_add(code, count)
    builder.consumers_assign()
    builder.areas_assign()
    builder.dts_assign()
    return NetworkPlan(seed, chosen, org, builder.substations, builder.feeders)


def _org_rows(ref: Reference, tree: StateTree, chosen: Sequence[str]) -> list[NodeRow]:
    rows = [
        NodeRow(
            0,
            OrgLevel.STATE,
            "UPPCL",
            "",
            "Uttar Pradesh Power Corporation Ltd",
            "उत्तर प्रदेश पावर कारपोरेशन लि.",
        )
    ]
    for code in chosen:
        discom = ref.discoms[code]
        rows.append(
            NodeRow(
                0,
                OrgLevel.DISCOM,
                code,
                "UPPCL",
                discom.name_en,
                discom.name_hi,
                complaint_prefix=COMPLAINT_PREFIX.get(code, code[:2]),
            )
        )
        for zone_name in tree.discom_zones[code]:
            zone = tree.zones[zone_name]
            zone_a = zone.token in ("LUCKNOW", "KANPUR CITY")
            rows.append(_org_row(OrgLevel.ZONE, "Z", zone_name, code, a_class=zone_a))
            for circle_name in sorted(zone.children):
                circle = tree.circles[circle_name]
                circle_a = not zone_a and circle.district in A_CLASS_CITIES
                rows.append(
                    _org_row(
                        OrgLevel.CIRCLE, "C", circle_name, f"Z-{slug(zone_name)}", a_class=circle_a
                    )
                )
                for division_name in sorted(circle.children):
                    rows.append(
                        _org_row(OrgLevel.DIVISION, "D", division_name, f"C-{slug(circle_name)}")
                    )
                    for i in range(subdivision_count(division_name)):
                        name = f"{division_name} {ROMAN[i]}"
                        hindi = hindi_name(division_name)
                        rows.append(
                            NodeRow(
                                0,
                                OrgLevel.SUBDIVISION,
                                f"SD-{slug(division_name)}-{i + 1}",
                                f"D-{slug(division_name)}",
                                name,
                                f"{hindi} उपखंड {ROMAN_HI[ROMAN[i]]}" if hindi else "",
                            )
                        )
    return rows


def _org_row(level: str, prefix: str, name: str, parent: str, *, a_class: bool = False) -> NodeRow:
    return NodeRow(
        0, level, f"{prefix}-{slug(name)}", parent, name, hindi_name(name), a_class_city=a_class
    )


def _a_class_subdivisions(org: Sequence[NodeRow]) -> set[str]:
    parent = {row.code: row.parent_code for row in org}
    flagged = {row.code for row in org if row.a_class_city}
    found = set()
    for row in org:
        if row.kind != OrgLevel.SUBDIVISION:
            continue
        code = row.code
        while code:
            if code in flagged:
                found.add(row.code)
                break
            code = parent[code]
    return found


_NATURE_WEIGHTS = {
    AreaType.URBAN: {
        FeederNature.INDEPENDENT: 40,
        FeederNature.MIXED_50: 25,
        FeederNature.MIXED_25: 12,
        FeederNature.INDUSTRIAL: 12,
        FeederNature.OTHER: 7,
    },
    AreaType.TEHSIL: {
        FeederNature.MIXED_50: 35,
        FeederNature.MIXED_25: 25,
        FeederNature.INDEPENDENT: 22,
        FeederNature.INDUSTRIAL: 5,
        FeederNature.OTHER: 9,
    },
    AreaType.RURAL: {
        FeederNature.AGRICULTURE: 28,
        FeederNature.MIXED_50: 30,
        FeederNature.MIXED_25: 20,
        FeederNature.INDEPENDENT: 10,
        FeederNature.OTHER: 8,
    },
}
# Consumers per DT (uniform range) and kVA per consumer, by area type.
_DT_SIZE = {
    AreaType.URBAN: (50, 100, 2.5),
    AreaType.TEHSIL: (35, 90, 2.0),
    AreaType.RURAL: (25, 70, 1.2),
}
_KVA = (10, 16, 25, 63, 100, 160, 250, 400, 630)
_FEEDER_SUFFIX: dict[str, tuple[str, str]] = {
    FeederNature.AGRICULTURE.value: (" Agri", " कृषि"),
    FeederNature.INDUSTRIAL.value: (" Industrial", " औद्योगिक"),
    AreaType.RURAL.value: (" Rural", " ग्रामीण"),
    AreaType.TEHSIL.value: (" Town", " टाउन"),
}


@dataclass(slots=True)
class _Slot:
    """A substation's place: its sub-division, district and whether the division is urban."""

    subdivision: str
    district: District
    urban: bool


class _ElectricalBuilder:
    def __init__(
        self, *, ref: Reference, tree: StateTree, rng: random.Random, a_class: set[str]
    ) -> None:
        self.ref = ref
        self.tree = tree
        self.rng = rng
        self.a_class = a_class
        self.substations: list[NodeRow] = []
        self.feeders: list[DemoFeeder] = []
        self.feeder_urban: list[bool] = []
        self.feeder_district: list[District] = []
        self.discom_consumers: dict[str, int] = {}
        self.ss_coords: dict[str, tuple[float, float]] = {}

    def _slots(self, discom: str) -> list[_Slot]:
        """Sub-divisions in placement order: one per zone in turn (zones and sub-divisions
        shuffled), so that a demo with few substations still spreads over the discom."""
        per_zone: list[list[_Slot]] = []
        zones = list(self.tree.discom_zones[discom])
        self.rng.shuffle(zones)  # the source lists the city (urban) zones first
        for zone in zones:
            slots = []
            for circle in sorted(self.tree.zones[zone].children):
                for name in sorted(self.tree.circles[circle].children):
                    division = self.tree.divisions[name]
                    # Every source name maps to a district (tested); the circle's is a fallback.
                    district = DISTRICTS[division.district or self.tree.circles[circle].district]
                    for i in range(subdivision_count(name)):
                        slots.append(_Slot(f"SD-{slug(name)}-{i + 1}", district, division.urban))
            self.rng.shuffle(slots)
            per_zone.append(slots)
        order: list[_Slot] = []
        for i in range(max(len(z) for z in per_zone)):
            order.extend(z[i] for z in per_zone if i < len(z))
        return order

    def discom_add(self, code: str, consumers: int) -> None:
        if consumers <= 0:
            return
        totals = self.ref.totals
        scale = consumers / totals["consumers_approx"]
        feeders = max(MIN_FEEDERS_PER_DISCOM, round(totals["feeders_11kv"] * scale))
        per_ss = totals["feeders_11kv"] / totals["substations_33_11kv"]
        substations = min(feeders, max(MIN_SUBSTATIONS_PER_DISCOM, round(feeders / per_ss)))
        slots = self._slots(code)
        prefix = COMPLAINT_PREFIX.get(code, code[:2])
        ss_codes = []
        for n in range(substations):
            slot = slots[n % len(slots)]
            ss_code = f"{prefix}SS{n + 1:05d}"
            spread = 0.04 if slot.urban else 0.15  # degrees: a town vs a rural district
            lat = slot.district.latitude + self.rng.gauss(0, spread)
            lon = slot.district.longitude + self.rng.gauss(0, spread)
            name_en, name_hi = locality(self.rng, urban=slot.urban)
            self.substations.append(
                NodeRow(
                    0,
                    "substation",
                    ss_code,
                    slot.subdivision,
                    name_en,
                    name_hi,
                    latitude=_coordinate(lat),
                    longitude=_coordinate(lon),
                )
            )
            self.ss_coords[ss_code] = (lat, lon)
            ss_codes.append((ss_code, slot))
        # Every substation gets a feeder; the rest go where the dice say.
        owners = ss_codes + [self.rng.choice(ss_codes) for _ in range(feeders - substations)]
        owners.sort(key=lambda owner: owner[0])
        for n, (ss_code, slot) in enumerate(owners):
            self.feeders.append(
                DemoFeeder(
                    code=f"{prefix}FD{n + 1:06d}",
                    name_en="",
                    name_hi="",
                    substation=ss_code,
                    subdivision=slot.subdivision,
                    discom=code,
                    area_type="",
                    nature="",
                    a_class=False,
                    consumers=0,
                )
            )
            self.feeder_urban.append(slot.urban)
            self.feeder_district.append(slot.district)
        self.discom_consumers[code] = consumers

    def consumers_assign(self) -> None:
        """Heavy-tailed consumers per feeder (lognormal around the real mean); spare and
        station-supply feeders carry none."""
        for feeder in self.feeders:
            if self.rng.random() < SPARE_FEEDER_SHARE:
                feeder.nature = self.rng.choice([FeederNature.SPARE, FeederNature.SUBSTATION])
        for code, total in self.discom_consumers.items():
            feeders = [f for f in self.feeders if f.discom == code]
            weights = [
                0.0 if f.nature else self.rng.lognormvariate(0, FEEDER_SIZE_SIGMA) for f in feeders
            ]
            if not any(weights):  # a tiny demo where every feeder came out spare
                weights = [1.0] * len(feeders)
            for feeder, count in zip(feeders, apportion(total, weights), strict=True):
                feeder.consumers = count

    def areas_assign(self) -> None:
        """Urban divisions get urban feeders (a few tehsil towns). Rural divisions' feeders, in
        random order, are rural until ~60% of all consumers are rural, then tehsil towns."""
        total = sum(f.consumers for f in self.feeders)
        rural_left = RURAL_CONSUMER_SHARE * total
        order = list(range(len(self.feeders)))
        self.rng.shuffle(order)
        for index in order:
            feeder = self.feeders[index]
            if self.feeder_urban[index]:
                area = AreaType.TEHSIL if self.rng.random() < 0.08 else AreaType.URBAN
            elif rural_left > 0:
                area = AreaType.RURAL
                rural_left -= feeder.consumers
            else:
                area = AreaType.TEHSIL
            if not feeder.nature:
                natures = _NATURE_WEIGHTS[area]
                feeder.nature = self.rng.choices(list(natures), weights=list(natures.values()))[0]
            name_en, name_hi = locality(self.rng, urban=area == AreaType.URBAN)
            feeder.area_type, feeder.nature = area.value, FeederNature(feeder.nature).value
            suffix = _FEEDER_SUFFIX.get(feeder.nature) or _FEEDER_SUFFIX.get(area.value, ("", ""))
            feeder.name_en, feeder.name_hi = name_en + suffix[0], name_hi + suffix[1]
            feeder.a_class = area == AreaType.URBAN and feeder.subdivision in self.a_class

    def dts_assign(self) -> None:
        for index, feeder in enumerate(self.feeders):
            self._dts_add(feeder, self.feeder_district[index])

    def _dts_add(self, feeder: DemoFeeder, district: District) -> None:
        low, high, kva_each = _DT_SIZE[AreaType(feeder.area_type)]
        urban = feeder.area_type == AreaType.URBAN
        ss_lat, ss_lon = self.ss_coords[feeder.substation]
        left = feeder.consumers
        while left > 0:
            size = min(left, self.rng.randint(low, high))
            if left - size < low // 2:  # no stub DTs: the last one takes the tail
                size = left
            left -= size
            name_en, _hindi = locality(self.rng, urban=urban)
            where = name_en if urban else f"Gram {name_en}"
            capacity = next((k for k in _KVA if k >= size * kva_each), _KVA[-1])
            number = len(feeder.dts) + 1
            feeder.dts.append(
                DemoDt(
                    code=f"{feeder.code}-{number:03d}",
                    name=f"{name_en} {number}",
                    capacity_kva=capacity,
                    latitude=_coordinate(ss_lat + self.rng.gauss(0, 0.01)),
                    longitude=_coordinate(ss_lon + self.rng.gauss(0, 0.01)),
                    consumers=size,
                    address_tail=f", {where}, {district.display}",
                )
            )


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


# --- writing ------------------------------------------------------------------------------


@dataclass
class NetworkIds:
    subdivisions: dict[str, int]
    feeders: dict[str, int]
    dts: dict[str, int]


def network_demo_write(*, plan: NetworkPlan) -> tuple[NetworkImportReport, NetworkIds]:
    """Load the plan through the network importer (one write path for CSV and demo)."""
    report = network_load(nodes=plan.nodes())
    if report.refused:  # a generator bug, not bad input
        raise RuntimeError("demo network rejected: " + "; ".join(map(str, report.errors[:5])))
    ids = NetworkIds(
        subdivisions=dict(
            OrgUnit.objects.filter(level=OrgLevel.SUBDIVISION).values_list("code", "id")
        ),
        feeders=dict(Feeder.objects.values_list("code", "id")),
        dts=dict(DistributionTransformer.objects.values_list("code", "id")),
    )
    return report, ids
