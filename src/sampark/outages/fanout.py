"""Fan-out: one outage event becomes outbox rows for every affected consumer, set-based.

Each event that informs consumers is one `INSERT INTO notifications_notification (...)
SELECT ... FROM consumers_consumer c WHERE <reach> ... ON CONFLICT DO NOTHING`: the channel
(WhatsApp if opted in, else SMS), the language and the text are chosen per consumer with CASE
over texts rendered once per event and language. The outbox's unique keys (topic, event,
consumer, channel) make a retried or duplicated run insert nothing new. Restoration messages go
only to consumers no longer covered by any active outage, and also (as SMS, consent or not) to
consumers who reported the outage through a complaint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field

from sampark.accounts.models import Role, StaffUser
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import Feeder
from sampark.notifications.models import Notification, NotificationChannel, NotificationStatus
from sampark.notifications.services import notification_enqueue, notifications_expire
from sampark.notifications.templates import Rendered

from .models import (
    Outage,
    OutageEvent,
    OutageEventKind,
    OutageKind,
    OutageReport,
    OutageScope,
    OutageStatus,
)
from .selectors import Reach, reach_consumers, scope_reach, scope_subdivision_ids
from .wording import event_render

log = logging.getLogger(__name__)

K = OutageEventKind
RESTORATIONS = (K.RESTORED, K.PARTLY_RESTORED)


def outage_topic(outage_id: int) -> str:
    return f"outage:{outage_id}"


def event_key(event: OutageEvent) -> str:
    """The outbox `event` of an outage event: one message per consumer, channel and key."""
    if event.kind in (K.ANNOUNCED, K.DECLARED, K.REMINDED, K.CANCELLED):
        return str(event.kind)
    prefixes: dict[str, str] = {K.ETR_REVISED.value: "etr", K.OVERDUE.value: "overdue"}
    prefix = prefixes.get(event.kind, "restored")
    return f"{prefix}:{event.pk}"


@dataclass(frozen=True)
class Plan:
    template_key: str
    elements: list[OutageScope]
    restoration: bool = False
    expire: tuple[str, ...] = ()


def _earlier_keys(event: OutageEvent, *kinds: str) -> list[str]:
    earlier = OutageEvent.objects.filter(outage_id=event.outage_id, kind__in=kinds, id__lt=event.pk)
    return [event_key(e) for e in earlier.only("id", "kind", "outage_id")]


def _plan(outage: Outage, event: OutageEvent) -> Plan | None:
    """What `event` tells consumers now, or None (superseded, or nothing to tell)."""
    scope = list(outage.scope.select_related("substation", "feeder", "dt").order_by("id"))
    off = [e for e in scope if e.restored_at is None]
    status, planned = outage.status, outage.kind == OutageKind.PLANNED
    if event.kind == K.ANNOUNCED:
        return Plan("planned_announced", scope) if planned and status == "scheduled" else None
    if event.kind == K.DECLARED:
        return Plan("outage_declared", off) if status == OutageStatus.ACTIVE else None
    if event.kind == K.REMINDED:
        return Plan("planned_reminder", scope) if status == OutageStatus.SCHEDULED else None
    if event.kind == K.ETR_REVISED:
        if event.etr != outage.etr:  # a later revision supersedes this one
            return None
        stale = tuple(_earlier_keys(event, K.ETR_REVISED, K.OVERDUE))
        if status == OutageStatus.ACTIVE:
            return Plan("outage_etr_revised", off, expire=stale)
        if status == OutageStatus.SCHEDULED and planned:
            return Plan("planned_announced", scope, expire=stale)
        return None
    if event.kind == K.OVERDUE:
        live = status == OutageStatus.ACTIVE and outage.overdue_since is not None
        return Plan("outage_overdue", off) if live else None
    if event.kind in RESTORATIONS:
        restored = [e for e in scope if e.pk in set(event.scope_ids)]
        # Whole or partial: notices still queued for the restored part are pointless now.
        expire = ("declared", *_earlier_keys(event, K.ETR_REVISED, K.OVERDUE))
        return Plan("outage_restored", restored, restoration=True, expire=expire)
    if event.kind == K.CANCELLED:
        if not planned:
            return None
        expire = ("announced", "reminded", *_earlier_keys(event, K.ETR_REVISED))
        return Plan("planned_cancelled", scope, expire=expire)
    return None


def outage_event_fan_out(*, event_id: int) -> int:
    """Create the outbox rows `event_id` calls for; returns how many were new.

    Idempotent: a retry (or a second run) inserts nothing. Runs under the outage's row lock,
    so it sees the outage as the last committed change left it.
    """
    with transaction.atomic():
        event = OutageEvent.objects.get(pk=event_id)
        outage = Outage.objects.select_for_update().select_related("reason").get(pk=event.outage_id)
        plan = _plan(outage, event)
        if plan is None:
            return 0
        topic = outage_topic(outage.pk)
        reach = scope_reach(elements=plan.elements)
        if plan.expire:
            partial = event.kind == K.PARTLY_RESTORED
            notifications_expire(
                topic=topic,
                events=list(plan.expire),
                consumers=reach_consumers(reach=reach) if partial else None,
            )
        if reach.empty:
            return 0
        etr = event.etr or outage.etr
        texts = {
            language: event_render(
                key=plan.template_key,
                outage=outage,
                elements=plan.elements,
                etr=etr,
                language=language,
            )
            for language in (Language.HINDI.value, Language.ENGLISH.value)
        }
        batch = _Batch(topic=topic, event=event_key(event), texts=texts, now=clock.now())
        rows = _broadcast(batch, reach=reach, restoration=plan.restoration)
        if plan.restoration:
            rows += _reporters(batch, reach=reach, outage=outage)
        if event.kind == K.OVERDUE:
            _sdo_alert(outage=outage, event=event, elements=plan.elements)
    log.info("outage %s %s: %s notifications", outage.pk, batch.event, rows)
    return rows


# --- the INSERT ... SELECT -------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    topic: str
    event: str
    texts: dict[str, tuple[Rendered, dict[str, object]]]
    now: datetime


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _by_language(hi: object, en: object, *, cast: str = "") -> tuple[str, list[Any]]:
    sql = "CASE WHEN c.language = %s THEN %s ELSE %s END"
    if cast:
        sql = f"CAST({sql} AS {cast})"
    return sql, [Language.ENGLISH.value, en, hi]


def _sms_only(value: str, *, sms_only: bool) -> tuple[str, list[Any]]:
    if sms_only:
        return "%s", [value]
    return "CASE WHEN c.consent_whatsapp THEN %s ELSE %s END", ["", value]


def _select_list(
    batch: _Batch, *, channel: tuple[str, list[Any]], recipient: str, sms_only: bool
) -> tuple[list[str], list[str], list[Any]]:
    """Columns and SELECT expressions for every outbox column; any column this module does not
    know (added later by the notifications app) gets its model default."""
    hi, hi_vars = batch.texts[Language.HINDI]
    en, en_vars = batch.texts[Language.ENGLISH]
    variables_field = Notification._meta.get_field("variables")
    assert isinstance(variables_field, Field)

    def as_json(value: dict[str, object]) -> object:
        return variables_field.get_db_prep_save(value, connection)

    now = connection.ops.adapt_datetimefield_value(batch.now)
    json_cast = "jsonb" if connection.vendor == "postgresql" else ""
    explicit: dict[str, tuple[str, list[Any]]] = {
        "topic": ("%s", [batch.topic]),
        "event": ("%s", [batch.event]),
        "channel": channel,
        "recipient": (recipient, []),
        "consumer_id": ("c.id", []),
        "template_key": ("%s", [hi.key]),
        "language": _by_language(Language.HINDI.value, Language.ENGLISH.value),
        "text": _by_language(hi.text, en.text),
        "variables": _by_language(as_json(hi_vars), as_json(en_vars), cast=json_cast),
        # DLT registration concerns SMS only; WhatsApp rows carry none.
        "dlt_template_id": _sms_only(hi.dlt_template_id, sms_only=sms_only),
        "dlt_entity_id": _sms_only(hi.dlt_entity_id, sms_only=sms_only),
        "segments": _by_language(hi.segments, en.segments),
        "urgent": ("%s", [hi.urgent]),
        "status": ("%s", [NotificationStatus.QUEUED.value]),
        "next_attempt_at": ("%s", [now]),
        "created_at": ("%s", [now]),
    }
    columns: list[str] = []
    expressions: list[str] = []
    params: list[Any] = []
    for field in Notification._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in explicit:
            sql, values = explicit[field.attname]
        elif field.null:
            continue
        elif (default := field.get_default()) is not None:  # "" for text columns
            sql, values = "%s", [field.get_db_prep_save(default, connection)]
        else:  # pragma: no cover - a new required outbox column needs a value here
            raise RuntimeError(f"outbox column {field.attname} has no value in the fan-out")
        columns.append(_q(field.column))
        expressions.append(sql)
        params.extend(values)
    return columns, expressions, params


def _still_out_excluded() -> tuple[str, list[Any]]:
    """Consumers (c, with feeder f) covered by no unrestored element of any active outage."""
    scope, outage = _q(OutageScope._meta.db_table), _q(Outage._meta.db_table)
    probes = [
        f"NOT EXISTS (SELECT 1 FROM {scope} s JOIN {outage} o ON o.id = s.outage_id "
        f"WHERE s.{column} = {outer} AND s.restored_at IS NULL AND o.status = %s)"
        for column, outer in (
            ("feeder_id", "c.feeder_id"),
            ("dt_id", "c.dt_id"),
            ("substation_id", "f.substation_id"),
        )
    ]
    return " AND ".join(probes), [OutageStatus.ACTIVE.value] * len(probes)


def _execute(
    batch: _Batch,
    *,
    channel: tuple[str, list[Any]],
    recipient: str,
    source: str,
    where: str,
    where_params: list[Any],
    sms_only: bool,
) -> int:
    columns, expressions, params = _select_list(
        batch, channel=channel, recipient=recipient, sms_only=sms_only
    )
    sql = (
        f"INSERT INTO {_q(Notification._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM {source} WHERE {where} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return max(cursor.rowcount, 0)


def _broadcast(batch: _Batch, *, reach: Reach, restoration: bool) -> int:
    """Consumers with a mobile and consent: WhatsApp when opted in, else SMS."""
    consumer = _q(Consumer._meta.db_table)
    source = f"{consumer} c"
    where, params = reach.where()
    where += (
        " AND c.mobile IS NOT NULL AND c.mobile <> '' AND (c.consent_whatsapp OR c.consent_sms)"
    )
    if restoration:
        source += f" JOIN {_q(Feeder._meta.db_table)} f ON f.id = c.feeder_id"
        excluded, more = _still_out_excluded()
        where, params = f"{where} AND {excluded}", [*params, *more]
    channel = (
        "CASE WHEN c.consent_whatsapp THEN %s ELSE %s END",
        [NotificationChannel.WHATSAPP.value, NotificationChannel.SMS.value],
    )
    return _execute(
        batch,
        channel=channel,
        recipient="c.mobile",
        source=source,
        where=where,
        where_params=params,
        sms_only=False,
    )


def _reporters(batch: _Batch, *, reach: Reach, outage: Outage) -> int:
    """Consumers who complained of no supply during this outage: an SMS to the number they
    gave, consent or not, unless the broadcast already reached that number."""
    report, consumer = _q(OutageReport._meta.db_table), _q(Consumer._meta.db_table)
    source = (
        f"{report} r JOIN {consumer} c ON c.id = r.consumer_id "
        f"JOIN {_q(Feeder._meta.db_table)} f ON f.id = c.feeder_id"
    )
    number = "COALESCE(NULLIF(r.mobile, ''), c.mobile)"
    reached, params = reach.where()
    excluded, more = _still_out_excluded()
    where = (
        f"(r.outage_id = %s OR r.created_at >= %s) AND {reached} AND {number} IS NOT NULL "
        f"AND NOT (c.mobile IS NOT NULL AND c.mobile <> '' "
        f"AND (c.consent_whatsapp OR c.consent_sms) AND {number} = c.mobile) AND {excluded}"
    )
    since = connection.ops.adapt_datetimefield_value(outage.starts_at)
    return _execute(
        batch,
        channel=("%s", [NotificationChannel.SMS.value]),
        recipient=number,
        source=source,
        where=where,
        where_params=[outage.pk, since, *params, *more],
        sms_only=True,
    )


# --- officers --------------------------------------------------------------------------------


def _sdo_alert(*, outage: Outage, event: OutageEvent, elements: list[OutageScope]) -> int:
    """SMS to the SDO(s) of the sub-divisions the outage touches (idempotent per event)."""
    subdivisions = scope_subdivision_ids(elements=elements)
    sdos = StaffUser.objects.filter(
        role=Role.SDO, is_active=True, jurisdiction_id__in=subdivisions
    ).exclude(phone="")
    _rendered, variables = event_render(
        key="sdo_outage_overdue",
        outage=outage,
        elements=elements,
        etr=outage.etr,
        language=Language.HINDI,
    )
    sent = 0
    for sdo in sdos:
        try:
            phone = mobile_to_e164(sdo.phone)
        except ValidationFailed:
            log.warning("SDO %s has no valid mobile (%r): not alerted", sdo.username, sdo.phone)
            continue
        notification_enqueue(
            topic=outage_topic(outage.pk),
            event=f"sdo_overdue:{event.pk}",
            channel=NotificationChannel.SMS,
            recipient=phone,
            template_key="sdo_outage_overdue",
            language=Language.HINDI,
            variables=variables,
            urgent=True,
        )
        sent += 1
    return sent
