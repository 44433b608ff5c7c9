"""Network importer: the org tree and the electrical tree from one CSV, one row per node.

Columns (see docs/importing.md): kind, code, parent_code, name_en, name_hi, area_type, nature,
capacity_kva, a_class_city, complaint_prefix, latitude, longitude. `kind` is one of state,
discom, zone, circle, division, subdivision, substation, feeder, dt and each kind's parent is the
kind before it. Rows may come in any order; a parent is found in the same file or in the
database. A file with any bad row writes nothing unless `skip_invalid` (then the bad rows and
the rows under them are skipped and reported). Re-importing updates nodes by code.

The row helpers (`csv_records`, `RowReader`, `ImportReport`) live in `core.csvimport`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _

from sampark.core.csvimport import (
    IN_BATCH,
    REQUIRED,
    ImportReport,
    Record,
    Records,
    RowError,
    RowReader,
    choices_of,
    codes_to_rows,
    columns_missing,
)
from sampark.core.db import chunked, rows_insert
from sampark.core.models import AreaType

from .models import (
    LEVEL_DEPTH,
    DistributionTransformer,
    Feeder,
    FeederNature,
    OrgLevel,
    OrgUnit,
    Substation,
)

DUPLICATE = _("'%(code)s' already appears in row %(row)d.")
UNKNOWN_PARENT = _("No %(kind)s has code '%(code)s'.")
WRONG_PARENT_KIND = _("'%(code)s' is a %(found)s; a %(kind)s belongs to a %(expected)s.")
PARENT_REJECTED = _("Its parent '%(code)s' (row %(row)d) was rejected.")
ROOT_WITH_PARENT = _("A state is the root of the tree and has no parent.")
KIND_CHANGED = _("'%(code)s' already exists as a %(found)s.")


# --- network rows -------------------------------------------------------------------------

KINDS: tuple[str, ...] = (*OrgLevel.values, "substation", "feeder", "dt")
ORG_KINDS = frozenset(OrgLevel.values)
PARENT_KIND = dict(zip(KINDS[1:], KINDS[:-1], strict=True))
NETWORK_COLUMNS = (
    "kind",
    "code",
    "parent_code",
    "name_en",
    "name_hi",
    "area_type",
    "nature",
    "capacity_kva",
    "a_class_city",
    "complaint_prefix",
    "latitude",
    "longitude",
)
NETWORK_REQUIRED = ("kind", "code", "parent_code", "name_en")
KIND_CHOICES = choices_of(KINDS)
AREA_CHOICES = choices_of(AreaType.values)
NATURE_CHOICES = choices_of(FeederNature.values)


def family(kind: str) -> str:
    """Codes are unique per table: all org levels share one."""
    return "org" if kind in ORG_KINDS else kind


@dataclass(slots=True)
class NodeRow:
    """One node of either tree, typed; `name_en` is the DT's name for a DT."""

    row: int
    kind: str
    code: str
    parent_code: str
    name_en: str
    name_hi: str = ""
    area_type: str = ""
    nature: str = FeederNature.MIXED_50.value
    capacity_kva: int = 100
    a_class_city: bool = False
    complaint_prefix: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class NetworkChanges:
    """What a re-import changed that consumers' derived columns depend on."""

    dt_ids: set[int] = field(default_factory=set)  # DT moved to another feeder
    feeder_ids: set[int] = field(default_factory=set)  # other substation or area type
    substation_ids: set[int] = field(default_factory=set)  # other sub-division
    org_tree_changed: bool = False  # an org unit moved or its A-class flag changed

    def __bool__(self) -> bool:
        return bool(self.dt_ids or self.feeder_ids or self.substation_ids or self.org_tree_changed)


@dataclass
class NetworkImportReport(ImportReport):
    changes: NetworkChanges = field(default_factory=NetworkChanges)


def node_parse(row: int, record: Record) -> tuple[NodeRow, list[RowError]]:
    r = RowReader(row, record)
    kind = r.choice("kind", KIND_CHOICES, required=True)
    node = NodeRow(
        row=row,
        kind=kind,
        code=r.text("code", required=True, max_length=40),
        parent_code=r.text("parent_code", max_length=40),
        name_en=r.text("name_en", required=True, max_length=120),
        name_hi=r.text("name_hi", max_length=120),
    )
    if kind == OrgLevel.STATE and node.parent_code:
        r.error("parent_code", ROOT_WITH_PARENT)
    elif kind and kind != OrgLevel.STATE and not node.parent_code:
        r.error("parent_code", REQUIRED)
    # Columns that do not apply to a row's kind are ignored.
    if kind in ORG_KINDS:
        node.a_class_city = r.flag("a_class_city")
        node.complaint_prefix = r.text("complaint_prefix", max_length=4)
    elif kind == "feeder":
        node.area_type = r.choice("area_type", AREA_CHOICES, required=True)
        node.nature = r.choice("nature", NATURE_CHOICES, default=FeederNature.MIXED_50.value)
    elif kind == "dt":
        node.capacity_kva = r.number("capacity_kva", low=1, high=100_000, default=100)
    if kind in ("substation", "dt"):
        node.latitude = r.coordinate("latitude", limit=90)
        node.longitude = r.coordinate("longitude", limit=180)
    return node, r.errors


def network_import(*, rows: Records, skip_invalid: bool = False) -> NetworkImportReport:
    """Parse and load a network CSV (see the module docstring). Call
    `consumers.importers.consumers_derived_refresh(changes=report.changes)` afterwards, in the
    same transaction, so that consumers follow moved DTs, feeders and substations."""
    report = NetworkImportReport()
    nodes: list[NodeRow] = []
    rejected: dict[tuple[str, str], int] = {}
    for index, (row, record) in enumerate(rows):
        if index == 0:
            missing = columns_missing(record=record, required=NETWORK_REQUIRED)
            if missing:
                report.row_rejected(missing)
                report.refused = True
                return report
        node, errors = node_parse(row, record)
        if errors:
            report.row_rejected(errors)
            if node.kind and node.code:
                rejected.setdefault((family(node.kind), node.code), row)
        else:
            nodes.append(node)
    return network_load(nodes=nodes, skip_invalid=skip_invalid, report=report, rejected=rejected)


def network_load(
    *,
    nodes: Sequence[NodeRow],
    skip_invalid: bool = False,
    report: NetworkImportReport | None = None,
    rejected: Mapping[tuple[str, str], int] | None = None,
) -> NetworkImportReport:
    """Validate typed rows against each other and the database, then write them in one
    transaction (or nothing, when a row is bad and `skip_invalid` is false)."""
    report = report if report is not None else NetworkImportReport()
    resolver = _Resolver(report=report, rejected=dict(rejected or {}))
    accepted = resolver.resolve(nodes)
    if report.bad_rows and not skip_invalid:
        report.refused = True
        return report
    with transaction.atomic():
        _Writer(report=report, resolver=resolver).write(accepted)
    return report


# --- validation ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Org:
    id: int
    level: str
    path: str
    name_en: str
    name_hi: str
    a_class_city: bool
    complaint_prefix: str


def org_units_load() -> dict[str, _Org]:
    fields = (
        "code",
        "id",
        "level",
        "path",
        "name_en",
        "name_hi",
        "a_class_city",
        "complaint_prefix",
    )
    return {row[0]: _Org(*row[1:]) for row in OrgUnit.objects.values_list(*fields)}


SUBSTATION_FIELDS = ("name_en", "name_hi", "subdivision_id", "latitude", "longitude")
FEEDER_FIELDS = ("name_en", "name_hi", "substation_id", "area_type", "nature")
DT_FIELDS = ("name", "feeder_id", "capacity_kva", "latitude", "longitude")


class _Resolver:
    """Checks duplicates and parents; knows the existing rows the writer compares against."""

    def __init__(self, *, report: NetworkImportReport, rejected: dict[tuple[str, str], int]):
        self.report = report
        self.rejected = rejected
        self.org: dict[str, _Org] = {}
        self.existing: dict[str, dict[str, tuple[Any, ...]]] = {}

    def _existing_load(self, nodes: Sequence[NodeRow]) -> None:
        codes: dict[str, set[str]] = defaultdict(set)
        for node in nodes:
            codes[family(node.kind)].add(node.code)
            if node.kind in ("feeder", "dt"):
                codes[PARENT_KIND[node.kind]].add(node.parent_code)
        self.org = org_units_load()
        tables: list[tuple[str, type[Model], Sequence[str]]] = [
            ("substation", Substation, SUBSTATION_FIELDS),
            ("feeder", Feeder, FEEDER_FIELDS),
            ("dt", DistributionTransformer, DT_FIELDS),
        ]
        for kind, model, fields in tables:
            # An empty table (first load) needs no look-ups at all.
            if codes[kind] and model._default_manager.exists():
                self.existing[kind] = codes_to_rows(model=model, codes=codes[kind], fields=fields)
            else:
                self.existing[kind] = {}

    def existing_kind(self, fam: str, code: str) -> str | None:
        if fam == "org":
            org = self.org.get(code)
            return org.level if org else None
        return fam if code in self.existing[fam] else None

    def resolve(self, nodes: Sequence[NodeRow]) -> dict[str, list[NodeRow]]:
        self._existing_load(nodes)
        first_row: dict[tuple[str, str], int] = {}
        duplicate_of: dict[int, int] = {}
        for index, node in enumerate(nodes):
            key = (family(node.kind), node.code)
            earlier = [
                row
                for row in (first_row.get(key), self.rejected.get(key))
                if row is not None and row < node.row
            ]
            if earlier:
                duplicate_of[index] = min(earlier)
            else:
                first_row.setdefault(key, node.row)
        accepted: dict[tuple[str, str], NodeRow] = {}
        by_kind: dict[str, list[NodeRow]] = {kind: [] for kind in KINDS}
        rank = {kind: i for i, kind in enumerate(KINDS)}
        order = sorted(range(len(nodes)), key=lambda i: rank[nodes[i].kind])
        for index in order:  # parents before children, so rejections cascade down
            node = nodes[index]
            errors = self._node_check(node, duplicate_of.get(index), accepted)
            key = (family(node.kind), node.code)
            if errors:
                self.report.row_rejected(errors)
                self.rejected.setdefault(key, node.row)
            else:
                accepted[key] = node
                by_kind[node.kind].append(node)
        return by_kind

    def _node_check(
        self, node: NodeRow, duplicate_row: int | None, accepted: Mapping[tuple[str, str], NodeRow]
    ) -> list[RowError]:
        errors: list[RowError] = []
        fam = family(node.kind)
        if duplicate_row is not None:
            message = DUPLICATE % {"code": node.code, "row": duplicate_row}
            return [RowError(node.row, "code", str(message))]
        found = self.existing_kind(fam, node.code)
        if fam == "org" and found and found != node.kind:
            errors.append(
                RowError(node.row, "kind", str(KIND_CHANGED % {"code": node.code, "found": found}))
            )
        parent_kind = PARENT_KIND.get(node.kind)
        if parent_kind:
            message = self._parent_problem(node, parent_kind, accepted)
            if message:
                errors.append(RowError(node.row, "parent_code", message))
        return errors

    def _parent_problem(
        self, node: NodeRow, parent_kind: str, accepted: Mapping[tuple[str, str], NodeRow]
    ) -> str:
        key = (family(parent_kind), node.parent_code)
        parent = accepted.get(key)
        if parent is not None:
            found: str | None = parent.kind
        elif key in self.rejected:
            return str(PARENT_REJECTED % {"code": node.parent_code, "row": self.rejected[key]})
        else:
            found = self.existing_kind(*key)
        if found is None:
            return str(UNKNOWN_PARENT % {"kind": parent_kind, "code": node.parent_code})
        if found != parent_kind:
            names = {"code": node.parent_code, "found": found, "kind": node.kind}
            return str(WRONG_PARENT_KIND % {**names, "expected": parent_kind})
        return ""


# --- writing ------------------------------------------------------------------------------


class _Writer:
    def __init__(self, *, report: NetworkImportReport, resolver: _Resolver) -> None:
        self.report = report
        self.resolver = resolver
        self.changes = report.changes

    def write(self, accepted: Mapping[str, list[NodeRow]]) -> None:
        for level in OrgLevel.values:
            if accepted[level]:
                self._org_level_write(level, accepted[level])
        org = self.resolver.org
        self._table_write(
            kind="substation",
            model=Substation,
            fields=SUBSTATION_FIELDS,
            nodes=accepted["substation"],
            values=lambda n, parent: (n.name_en, n.name_hi, parent, n.latitude, n.longitude),
            parent_ids={code: o.id for code, o in org.items()},
            insert_extra={"voltage": "33/11 kV"},
            parent_changed=self.changes.substation_ids,
        )
        self._table_write(
            kind="feeder",
            model=Feeder,
            fields=FEEDER_FIELDS,
            nodes=accepted["feeder"],
            values=lambda n, parent: (n.name_en, n.name_hi, parent, n.area_type, n.nature),
            parent_ids=self._ids(Substation, accepted["feeder"]),
            insert_extra={"voltage": "11 kV"},
            parent_changed=self.changes.feeder_ids,
            also_changed=(3,),  # area type
        )
        self._table_write(
            kind="dt",
            model=DistributionTransformer,
            fields=DT_FIELDS,
            nodes=accepted["dt"],
            values=lambda n, parent: (n.name_en, parent, n.capacity_kva, n.latitude, n.longitude),
            parent_ids=self._ids(Feeder, accepted["dt"]),
            insert_extra={},
            parent_changed=self.changes.dt_ids,
        )

    @staticmethod
    def _ids(model: type[Model], children: Sequence[NodeRow]) -> dict[str, int]:
        """Parent code -> id for `children`, once the parents are written."""
        codes = {child.parent_code for child in children}
        found = codes_to_rows(model=model, codes=codes, fields=())
        return {code: row[0] for code, row in found.items()}

    # Org units: materialized paths are computed here so a state-sized tree is a few bulk
    # INSERTs; treebeard's own add_child/move is used only where existing siblings must shift.

    def _org_level_write(self, level: str, nodes: Sequence[NodeRow]) -> None:
        counts = self.report.counts(level)
        org = self.resolver.org
        moves: list[NodeRow] = []
        new: dict[str, list[NodeRow]] = defaultdict(list)
        for node in nodes:
            current = org.get(node.code)
            if current is None:
                new[node.parent_code].append(node)
                counts.created += 1
                continue
            wanted = (node.name_en, node.name_hi, node.a_class_city, node.complaint_prefix)
            have = (
                current.name_en,
                current.name_hi,
                current.a_class_city,
                current.complaint_prefix,
            )
            parent_path = org[node.parent_code].path if node.parent_code else ""
            moved = current.path[: -OrgUnit.steplen] != parent_path
            if wanted != have:
                OrgUnit.objects.filter(pk=current.id).update(
                    name_en=node.name_en,
                    name_hi=node.name_hi,
                    a_class_city=node.a_class_city,
                    complaint_prefix=node.complaint_prefix,
                )
            if moved:
                moves.append(node)
            if moved or node.a_class_city != current.a_class_city:
                self.changes.org_tree_changed = True
            if wanted != have or moved:
                counts.updated += 1
            else:
                counts.unchanged += 1
        for node in moves:
            target = OrgUnit.objects.get(code=node.parent_code)
            OrgUnit.objects.move(OrgUnit.objects.get(code=node.code), target, "sorted-child")
        if moves:
            self.resolver.org = org = org_units_load()
        if new:
            self._org_create(level, new, org)
            self.resolver.org = org_units_load()

    def _org_create(
        self, level: str, new: Mapping[str, list[NodeRow]], org: dict[str, _Org]
    ) -> None:
        depth = LEVEL_DEPTH[level]
        steplen = OrgUnit.steplen
        siblings: dict[str, list[tuple[str, str]]] = defaultdict(
            list
        )  # parent path -> (code, path)
        for code, unit in org.items():
            if len(unit.path) == depth * steplen:
                siblings[unit.path[:-steplen]].append((code, unit.path))
        bulk: list[OrgUnit] = []
        grown: dict[int, int] = defaultdict(int)  # parent id -> children added in bulk
        for parent_code, children in new.items():
            parent = org.get(parent_code) if parent_code else None
            parent_path = parent.path if parent else ""
            children = sorted(children, key=lambda n: n.code)
            existing = siblings.get(parent_path, [])
            if existing and children[0].code < max(existing)[0]:
                # Would interleave with existing siblings (ordered by code): let treebeard shift.
                for child in children:
                    self._org_add_slow(parent, child)
                continue
            last = max((OrgUnit._str2int(path[-steplen:]) for _, path in existing), default=0)
            for step, child in enumerate(children, start=last + 1):
                unit = OrgUnit(**self._org_fields(child))
                unit.path = OrgUnit._get_path(parent_path or None, depth, step)
                unit.depth, unit.numchild = depth, 0
                bulk.append(unit)
            if parent is not None:
                grown[parent.id] += len(children)
        OrgUnit.objects.bulk_create(bulk, batch_size=500)
        by_amount: dict[int, list[int]] = defaultdict(list)
        for parent_id, amount in grown.items():
            by_amount[amount].append(parent_id)
        for amount, ids in by_amount.items():
            for batch in chunked(ids, IN_BATCH):
                OrgUnit.objects.filter(pk__in=batch).update(numchild=F("numchild") + amount)

    @staticmethod
    def _org_fields(node: NodeRow) -> dict[str, Any]:
        return {
            "level": node.kind,
            "code": node.code,
            "name_en": node.name_en,
            "name_hi": node.name_hi,
            "a_class_city": node.a_class_city,
            "complaint_prefix": node.complaint_prefix,
        }

    def _org_add_slow(self, parent: _Org | None, node: NodeRow) -> None:
        if parent is None:
            OrgUnit.objects.add_root(self._org_fields(node))
        else:
            OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.id), self._org_fields(node))

    def _table_write(
        self,
        *,
        kind: str,
        model: type[Model],
        fields: Sequence[str],
        nodes: Sequence[NodeRow],
        values: Callable[[NodeRow, int], tuple[object, ...]],
        parent_ids: Mapping[str, int],
        insert_extra: Mapping[str, object],
        parent_changed: set[int],
        also_changed: Sequence[int] = (),
    ) -> None:
        """Set-based write of one table: INSERT new codes, UPDATE rows that differ."""
        if not nodes:
            return
        counts = self.report.counts(kind)
        existing = self.resolver.existing[kind]
        parent_position = fields.index(next(f for f in fields if f.endswith("_id")))
        inserts: list[tuple[object, ...]] = []
        updates: list[tuple[object, ...]] = []
        for node in nodes:
            row = values(node, parent_ids[node.parent_code])
            current = existing.get(node.code)
            if current is None:
                inserts.append((node.code, *row, *insert_extra.values()))
                counts.created += 1
            elif tuple(current[1:]) != row:
                updates.append((*row, current[0]))
                counts.updated += 1
                watched = (parent_position, *also_changed)
                if any(current[1 + i] != row[i] for i in watched):
                    parent_changed.add(current[0])
            else:
                counts.unchanged += 1
        rows_insert(model=model, columns=["code", *fields, *insert_extra], rows=inserts)
        if updates:
            table = connection.ops.quote_name(model._meta.db_table)
            assignments = ", ".join(f"{connection.ops.quote_name(f)} = %s" for f in fields)
            with connection.cursor() as cursor:
                for batch in chunked(updates, 5000):
                    cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", batch)
