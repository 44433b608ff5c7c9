"""Consumer importer: one CSV row per consumer, upserted by account number.

Columns (see docs/importing.md): account_number, name, mobile, alt_mobile, email, language,
category, consent_sms, consent_whatsapp, dt_code, address, latitude, longitude and the optional
annual_fixed_charges (rupees; kept as it is on re-import when the file has no such column). The
feeder, sub-division, area type and A-class flag are derived from the DT, never read from it.
Rows are streamed in chunks (memory stays flat apart from the account numbers seen, needed to
report duplicates); a file with any bad row writes nothing unless `skip_invalid`.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.core.csvimport import (
    IN_BATCH,
    ImportReport,
    Record,
    Records,
    RowError,
    RowReader,
    choices_of,
    columns_missing,
)
from sampark.core.db import chunked, rows_insert
from sampark.core.errors import ValidationFailed
from sampark.core.models import AreaType, Language
from sampark.core.phones import mobile_or_none
from sampark.network.importers import NetworkChanges
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit
from sampark.network.selectors import a_class_subdivision_ids

from .mobile_registration import mobile_change_row
from .models import (
    ACCOUNT_NUMBER_RE,
    Consumer,
    ConsumerCategory,
    MobileChange,
    MobileChannel,
    MobileProof,
)

CONSUMER_COLUMNS = (
    "account_number",
    "name",
    "mobile",
    "alt_mobile",
    "email",
    "language",
    "category",
    "consent_sms",
    "consent_whatsapp",
    "dt_code",
    "address",
    "latitude",
    "longitude",
    "annual_fixed_charges",
)
CONSUMER_REQUIRED = ("account_number", "name", "dt_code")
# Written and compared on re-import, in this order (created_at/updated_at/account_number aside).
WRITE_FIELDS = (
    "name",
    "mobile",
    "alt_mobile",
    "email",
    "language",
    "category",
    "consent_sms",
    "consent_whatsapp",
    "address",
    "latitude",
    "longitude",
    "dt_id",
    "feeder_id",
    "subdivision_id",
    "area_type",
    "is_a_class",
)
MOBILE = WRITE_FIELDS.index("mobile")

BAD_ACCOUNT = _("An account number has exactly 10 digits.")
BAD_EMAIL = _("Enter a valid e-mail address.")
BAD_CHARGES = _("'%(value)s' is not an amount in rupees (a number, 0 or more).")
# Optional: the cap of SoP compensation (30% of it). Written after WRITE_FIELDS, and only when
# the file has the column, so an older export does not wipe the figures on re-import.
CHARGES = "annual_fixed_charges"
CHARGES_LIMIT = Decimal("99999999.99")  # the column's 10 digits, 2 after the point
UNKNOWN_DT = _("No distribution transformer has code '%(code)s'.")
DUPLICATE_ACCOUNT = _("Account number %(account)s already appears in row %(row)d.")

LANGUAGE_CHOICES = choices_of(Language.values)
CATEGORY_CHOICES = choices_of(ConsumerCategory.values)
ACCOUNT = re.compile(ACCOUNT_NUMBER_RE)
email_valid = EmailValidator()


@dataclass(frozen=True, slots=True)
class DtPlace:
    """Where a DT sits: the consumer columns derived from it."""

    dt_id: int
    feeder_id: int
    subdivision_id: int
    area_type: str
    is_a_class: bool


def dt_places(*, codes: Iterable[str], a_class: set[int]) -> dict[str, DtPlace]:
    found: dict[str, DtPlace] = {}
    fields = ("code", "id", "feeder_id", "feeder__substation__subdivision_id", "feeder__area_type")
    for batch in chunked(sorted(set(codes)), IN_BATCH):
        rows = DistributionTransformer.objects.filter(code__in=batch).values_list(*fields)
        for code, dt_id, feeder_id, sd_id, area in rows:
            urban_a_class = area == AreaType.URBAN and sd_id in a_class
            found[code] = DtPlace(dt_id, feeder_id, sd_id, area, urban_a_class)
    return found


class _Refused(Exception):
    """Raised inside the transaction to roll back a file that has bad rows."""


def consumers_import(
    *, rows: Records, skip_invalid: bool = False, chunk_size: int = 5000
) -> ImportReport:
    """Validate and upsert consumers by account number, all in one transaction."""
    report = ImportReport()
    try:
        with transaction.atomic():
            _ConsumerImport(report=report, skip_invalid=skip_invalid).run(rows, chunk_size)
            if report.refused or (report.bad_rows and not skip_invalid):
                raise _Refused
    except _Refused:
        report.refused = True
        report.kinds.clear()
    return report


@dataclass(slots=True)
class _Parsed:
    row: int
    account: str
    values: list[object]  # WRITE_FIELDS up to longitude; the DT-derived ones are appended
    dt_code: str
    errors: list[RowError]
    charges: Decimal  # 0 when not given


class _ConsumerImport:
    def __init__(self, *, report: ImportReport, skip_invalid: bool) -> None:
        self.report = report
        self.skip_invalid = skip_invalid
        self.counts = report.counts("consumer")
        self.seen: dict[str, int] = {}  # account number -> first row
        self.places: dict[str, DtPlace | None] = {}
        self.a_class = a_class_subdivision_ids()
        # With an empty table there is nothing to compare against (accounts are unique per file).
        self.table_was_empty = not Consumer.objects.exists()
        self.audit_now = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(self.audit_now)
        self.charges_given = False  # the file has an annual_fixed_charges column

    def run(self, rows: Records, chunk_size: int) -> None:
        for index, chunk in enumerate(chunked(rows, chunk_size)):
            if index == 0:
                missing = columns_missing(record=chunk[0][1], required=CONSUMER_REQUIRED)
                if missing:  # refused even with skip_invalid: every row would be bad
                    self.report.row_rejected(missing)
                    self.report.refused = True
                    return
                self.charges_given = CHARGES in chunk[0][1]
            parsed = [self._parse(row, record) for row, record in chunk]
            valid = self._resolve(parsed)
            # Once the file is known to be refused, keep validating but stop writing.
            if self.skip_invalid or not self.report.bad_rows:
                self._write(valid)

    def _parse(self, row: int, record: Record) -> _Parsed:
        r = RowReader(row, record)
        account = r.text("account_number", required=True)
        if account and not ACCOUNT.fullmatch(account):
            r.error("account_number", BAD_ACCOUNT)
        elif account:
            first = self.seen.setdefault(account, row)
            if first != row:
                r.error("account_number", DUPLICATE_ACCOUNT % {"account": account, "row": first})
        values: list[object] = [
            r.text("name", required=True, max_length=120),
            self._mobile(r, "mobile"),
            self._mobile(r, "alt_mobile"),
            self._email(r),
            r.choice("language", LANGUAGE_CHOICES, default=Language.HINDI.value),
            r.choice("category", CATEGORY_CHOICES, default=ConsumerCategory.DOMESTIC.value),
            r.flag("consent_sms"),
            r.flag("consent_whatsapp"),
            r.text("address", max_length=300),
            r.coordinate("latitude", limit=90),
            r.coordinate("longitude", limit=180),
        ]
        dt_code = r.text("dt_code", required=True, max_length=40)
        charges = self._charges(r)
        return _Parsed(row, account, values, dt_code, r.errors, charges)

    @staticmethod
    def _charges(r: RowReader) -> Decimal:
        value = (r.record.get(CHARGES) or "").strip().replace(",", "")
        if not value:
            return Decimal(0)
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not 0 <= number <= CHARGES_LIMIT:
            r.error(CHARGES, BAD_CHARGES % {"value": r.record.get(CHARGES)})
            return Decimal(0)
        return number.quantize(Decimal("0.01"))

    @staticmethod
    def _mobile(r: RowReader, name: str) -> str | None:
        try:
            return mobile_or_none(r.record.get(name), field=name)
        except ValidationFailed as exc:
            r.error(name, exc.fields[name])
            return None

    @staticmethod
    def _email(r: RowReader) -> str:
        value = r.text("email", max_length=254)
        if value:
            try:
                email_valid(value)
            except ValidationError:
                r.error("email", BAD_EMAIL)
        return value

    def _resolve(self, parsed: Sequence[_Parsed]) -> list[_Parsed]:
        """Attach the DT-derived columns; report rows that end up bad."""
        unknown = {p.dt_code for p in parsed if p.dt_code and p.dt_code not in self.places}
        if unknown:
            found = dt_places(codes=unknown, a_class=self.a_class)
            self.places.update((code, found.get(code)) for code in unknown)
        valid: list[_Parsed] = []
        for p in parsed:
            place = self.places.get(p.dt_code) if p.dt_code else None
            if p.dt_code and place is None:
                p.errors.append(RowError(p.row, "dt_code", str(UNKNOWN_DT % {"code": p.dt_code})))
            if p.errors:
                self.report.row_rejected(p.errors)
                continue
            assert place is not None
            p.values += [
                place.dt_id,
                place.feeder_id,
                place.subdivision_id,
                place.area_type,
                place.is_a_class,
            ]
            valid.append(p)
        return valid

    def _write(self, valid: Sequence[_Parsed]) -> None:
        existing: dict[str, tuple[Any, ...]] = {}
        fields = (*WRITE_FIELDS, CHARGES) if self.charges_given else WRITE_FIELDS
        if not self.table_was_empty:
            for batch in chunked([p.account for p in valid], IN_BATCH):
                qs = Consumer.objects.filter(account_number__in=batch)
                for row in qs.values_list("account_number", "id", *fields):
                    existing[row[0]] = row[1:]
        inserts: list[tuple[object, ...]] = []
        updates: list[tuple[Any, ...]] = []
        audits: list[MobileChange] = []
        for p in valid:
            current = existing.get(p.account)
            values = [*p.values, p.charges] if self.charges_given else p.values
            if current is None:
                inserts.append((self.now, self.now, p.account, *p.values, p.charges))
            elif list(current[1:]) != values:
                updates.append((*values, self.now, current[0]))
                if (current[1 + MOBILE] or "") != (values[MOBILE] or ""):  # None and "" alike
                    audits.append(self._mobile_audit(current, values))
            else:
                self.counts.unchanged += 1
        columns = ["created_at", "updated_at", "account_number", *WRITE_FIELDS, CHARGES]
        self.counts.created += rows_insert(model=Consumer, columns=columns, rows=inserts)
        if updates:
            table = connection.ops.quote_name(Consumer._meta.db_table)
            names = [*fields, "updated_at"]
            assignments = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in names)
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", updates)
            self.counts.updated += len(updates)
        MobileChange.objects.bulk_create(audits, batch_size=1000)

    def _mobile_audit(self, current: tuple[Any, ...], values: list[object]) -> MobileChange:
        """A re-import that changes an account's mobile is audited like any other change: the
        billing system's record is the proof. `current`: (id, *fields) as stored."""
        return mobile_change_row(
            consumer_id=current[0],
            before=current[1 + MOBILE] or "",
            after=str(values[MOBILE] or ""),
            channel=MobileChannel.IMPORT,
            proof=MobileProof.BILLING_RECORD,
            actor=None,
            actor_label="consumer import",
            now=self.audit_now,
        )


def consumers_derived_refresh(*, changes: NetworkChanges) -> int:
    """Re-derive feeder, sub-division, area type and A-class for consumers a network re-import
    moved (DT to another feeder, feeder to another substation or area type, substation to
    another sub-division, A-class flags or org moves). Returns the consumer rows updated."""
    if not changes:
        return 0
    now = timezone.now()
    touched = 0
    feeder_of_dt = DistributionTransformer.objects.filter(pk=OuterRef("dt_id")).values("feeder_id")
    for batch in chunked(sorted(changes.dt_ids), IN_BATCH):
        qs = Consumer.objects.filter(dt_id__in=batch)
        touched += qs.update(feeder_id=Subquery(feeder_of_dt[:1]), updated_at=now)
    feeder_ids = set(changes.feeder_ids)
    for batch in chunked(sorted(changes.substation_ids), IN_BATCH):
        feeder_ids.update(
            Feeder.objects.filter(substation_id__in=batch).values_list("id", flat=True)
        )
    for batch in chunked(sorted(changes.dt_ids), IN_BATCH):
        dts = DistributionTransformer.objects.filter(pk__in=batch)
        feeder_ids.update(dts.values_list("feeder_id", flat=True))
    feeder = Feeder.objects.filter(pk=OuterRef("feeder_id"))
    for batch in chunked(sorted(feeder_ids), IN_BATCH):
        touched += Consumer.objects.filter(feeder_id__in=batch).update(
            subdivision_id=Subquery(feeder.values("substation__subdivision_id")[:1]),
            area_type=Subquery(feeder.values("area_type")[:1]),
            updated_at=now,
        )
    if changes.org_tree_changed:
        touched += _a_class_refresh(Consumer.objects.all(), now=now)
    else:
        for batch in chunked(sorted(feeder_ids), IN_BATCH):
            touched += _a_class_refresh(Consumer.objects.filter(feeder_id__in=batch), now=now)
    return touched


def _a_class_refresh(scope: QuerySet[Consumer], *, now: object) -> int:
    paths = OrgUnit.objects.filter(a_class_city=True).values_list("path", flat=True)
    under = [Q(subdivision__path__startswith=path) for path in paths]
    if not under:
        return scope.filter(is_a_class=True).update(is_a_class=False, updated_at=now)
    a_class = Q(area_type=AreaType.URBAN) & functools.reduce(operator.or_, under)
    gained = scope.filter(a_class, is_a_class=False).update(is_a_class=True, updated_at=now)
    lost = scope.filter(is_a_class=True).exclude(a_class).update(is_a_class=False, updated_at=now)
    return gained + lost
