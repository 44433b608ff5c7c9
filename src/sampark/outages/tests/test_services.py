"""The register: declare, revise the ETR, restore (wholly, in parts), cancel; and every bad
input answered with a clear error and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.core import clock
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.notifications.models import Notification
from sampark.outages.models import (
    Outage,
    OutageEvent,
    OutageEventKind,
    OutageReason,
    OutageScope,
    OutageStatus,
)
from sampark.outages.services import (
    outage_cancel,
    outage_declare,
    outage_etr_revise,
    outage_restore,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _written() -> tuple[int, int, int, int]:
    return (
        Outage.objects.count(),
        OutageScope.objects.count(),
        OutageEvent.objects.count(),
        Notification.objects.count(),
    )


def test_reasons_are_loaded_in_hindi_and_english(db):
    codes = set(OutageReason.objects.values_list("code", flat=True))
    assert {"line_33kv_breakdown", "feeder_11kv_trip", "dt_burnt", "tree_fall"} <= codes
    assert {"maintenance_shutdown", "sldc_rostering", "other"} <= codes
    trip = OutageReason.objects.get(code="feeder_11kv_trip")
    assert trip.text_in("hi") == "11 केवी फीडर ट्रिप" and trip.text_in("en") == "11 kV feeder tripped"


def test_declare_unplanned_is_active_with_scope_event_and_answerable_units(declare, net, staff):
    etr = clock.now() + 2 * HOUR
    outage = declare(feeder_codes=["F-AMN-1"], dt_codes=["DT-BKT-1"], actor=staff["md"], etr=etr)

    assert outage.status == OutageStatus.ACTIVE and outage.etr == etr
    # Two sub-divisions: answerable is their common division; the zone is Lucknow Central.
    assert (outage.org_unit, outage.zone) == (net.division, net.zone)
    assert outage.declared_by == staff["md"] and outage.declared_via == "staff"
    elements = list(outage.scope.order_by("id").values_list("feeder__code", "dt__code"))
    assert elements == [("F-AMN-1", None), (None, "DT-BKT-1")]
    (event,) = outage.events.all()
    assert (event.kind, event.etr, event.actor) == (OutageEventKind.DECLARED, etr, staff["md"])
    assert sorted(event.scope_ids) == sorted(outage.scope.values_list("id", flat=True))


def test_declare_in_one_subdivision_answers_to_it(declare, net):
    outage = declare(substation_codes=["SS-AMN"])
    assert (outage.org_unit, outage.zone) == (net.sd1, net.zone)


def test_system_may_declare_without_an_actor(declare, net):
    outage = declare(feeder_codes=["F-MRT-1"], actor=None, source="inferred")
    assert outage.declared_by is None and outage.declared_via == "system"
    assert outage.events.get().actor_label == "system"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"feeder_codes": ["F-NOPE"]}, "feeder_codes"),
        ({"substation_codes": ["SS-NOPE"]}, "substation_codes"),
        ({"dt_codes": ["DT-NOPE"]}, "dt_codes"),
        ({"feeder_codes": []}, "scope"),
        ({"feeder_codes": ["  "]}, "scope"),
        ({"reason_code": "aliens"}, "reason_code"),
        ({"kind": "meteor"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"etr": "past"}, "etr"),
        ({"etr": "before_start", "kind": "planned", "emergency": True}, "etr"),
        ({"kind": "planned", "starts_at": "in_3h"}, "starts_at"),
        ({"feeder_codes": ["F-AMN-1", "F-MRT-1"], "actor": None}, "scope"),  # two zones
    ],
)
def test_bad_declarations_write_nothing(net, staff, changes, field):
    now = clock.now()
    times = {
        "past": now - HOUR,
        "before_start": now + 30 * HOUR,
        "in_3h": now + 3 * HOUR,
    }
    values = {
        "kind": "unplanned",
        "reason_code": "tree_fall",
        "etr": now + 2 * HOUR,
        "feeder_codes": ["F-AMN-1"],
        "actor": staff["admin"],
    }
    values.update({k: times.get(v, v) if isinstance(v, str) else v for k, v in changes.items()})
    if changes.get("etr") == "before_start":
        values["starts_at"] = now + 40 * HOUR
    if changes.get("starts_at") == "in_3h":
        values["etr"] = now + 5 * HOUR

    with pytest.raises(ValidationFailed) as caught:
        outage_declare(**values)

    assert field in caught.value.fields
    assert _written() == (0, 0, 0, 0)


def test_unknown_codes_are_named(net, staff):
    with pytest.raises(ValidationFailed) as caught:
        outage_declare(
            kind="unplanned",
            reason_code="tree_fall",
            etr=clock.now() + HOUR,
            feeder_codes=["F-AMN-1", "F-X1", "F-X2"],
            actor=staff["je"],
        )
    assert "F-X1, F-X2" in str(caught.value.fields["feeder_codes"])


def test_outside_jurisdiction_is_refused_and_writes_nothing(net, staff):
    with pytest.raises(NotAllowed) as caught:
        outage_declare(
            kind="unplanned",
            reason_code="tree_fall",
            etr=clock.now() + HOUR,
            feeder_codes=["F-AMN-1", "F-BKT-1"],  # JE 1 covers sub-division 1 only
            actor=staff["je"],
        )
    assert caught.value.code == "out_of_jurisdiction"
    assert "F-BKT-1" in str(caught.value.fields["scope"])
    assert _written() == (0, 0, 0, 0)


def test_an_agent_may_not_declare(net, staff):
    with pytest.raises(NotAllowed):
        outage_declare(
            kind="unplanned",
            reason_code="tree_fall",
            etr=clock.now() + HOUR,
            feeder_codes=["F-AMN-1"],
            actor=staff["agent"],
        )
    assert _written() == (0, 0, 0, 0)


def test_planned_work_needs_notice_unless_an_emergency(declare, net):
    now = clock.now()
    planned = declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-1"],
        starts_at=now + 25 * HOUR,
        etr=now + 29 * HOUR,
    )
    assert planned.status == OutageStatus.SCHEDULED
    assert planned.events.get().kind == OutageEventKind.ANNOUNCED

    urgent = declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-1"],
        starts_at=now + HOUR,
        etr=now + 3 * HOUR,
        emergency=True,
    )
    assert urgent.status == OutageStatus.SCHEDULED and urgent.emergency


def test_etr_revision_keeps_history_and_clears_overdue(declare, committed, net, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    Outage.objects.filter(pk=outage.pk).update(overdue_since=clock.now())
    new_etr = clock.now() + 5 * HOUR

    revised = committed(outage_etr_revise, outage=outage, etr=new_etr, actor=staff["je"])

    assert revised.etr == new_etr and revised.overdue_since is None
    history = list(outage.events.values_list("kind", "etr"))
    assert history == [
        (OutageEventKind.DECLARED, outage.etr),
        (OutageEventKind.ETR_REVISED, new_etr),
    ]


def test_bad_etr_revisions_change_nothing(declare, net, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    before = _written()
    for etr in (clock.now() - HOUR, outage.starts_at - HOUR):
        with pytest.raises(ValidationFailed):
            outage_etr_revise(outage=outage, etr=etr, actor=staff["je"])
    assert _written() == before
    outage.refresh_from_db()
    assert outage.events.count() == 1


def test_partial_then_whole_restoration(declare, committed, net, staff, area):
    outage = declare(feeder_codes=["F-AMN-1", "F-AMN-2"])
    first, second = outage.scope.order_by("id")

    partly = committed(outage_restore, outage=outage, scope_ids=[first.pk], actor=staff["je"])
    assert partly.status == OutageStatus.ACTIVE
    last = outage.events.last()
    assert (last.kind, last.scope_ids) == (OutageEventKind.PARTLY_RESTORED, [first.pk])

    whole = committed(outage_restore, outage=outage, actor=staff["je"])
    assert whole.status == OutageStatus.RESTORED and whole.restored_at is not None
    last = outage.events.last()
    assert (last.kind, last.scope_ids) == (OutageEventKind.RESTORED, [second.pk])
    assert not outage.scope.filter(restored_at__isnull=True).exists()


def test_bad_restorations_are_conflicts_and_change_nothing(declare, committed, net, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    other = declare(feeder_codes=["F-BKT-1"], actor=staff["md"])
    stranger = other.scope.get().pk
    before = _written()

    with pytest.raises(Conflict) as caught:
        outage_restore(outage=outage, scope_ids=[stranger], actor=staff["je"])
    assert "scope_ids" in caught.value.fields
    with pytest.raises(ValidationFailed):
        outage_restore(outage=outage, scope_ids=[], actor=staff["je"])
    assert _written() == before

    committed(outage_restore, outage=outage, actor=staff["je"])
    after = _written()
    with pytest.raises(Conflict):
        outage_restore(outage=outage, actor=staff["je"])
    with pytest.raises(Conflict):
        outage_restore(outage=outage, scope_ids=[outage.scope.get().pk], actor=staff["je"])
    with pytest.raises(Conflict):
        outage_etr_revise(outage=outage, etr=clock.now() + HOUR, actor=staff["je"])
    assert _written() == after


def test_restoring_a_restored_part_again_is_a_conflict(declare, committed, net, staff, area):
    outage = declare(feeder_codes=["F-AMN-1", "F-AMN-2"])
    first = outage.scope.order_by("id").first()
    committed(outage_restore, outage=outage, scope_ids=[first.pk], actor=staff["je"])
    with pytest.raises(Conflict):
        outage_restore(outage=outage, scope_ids=[first.pk], actor=staff["je"])
    assert outage.events.count() == 2


def test_cancel_only_before_the_start(declare, committed, net, staff):
    now = clock.now()
    planned = declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-1"],
        starts_at=now + 30 * HOUR,
        etr=now + 34 * HOUR,
    )
    cancelled = committed(outage_cancel, outage=planned, actor=staff["je"], note="crew busy")
    assert cancelled.status == OutageStatus.CANCELLED and cancelled.cancelled_at is not None
    assert planned.events.last().kind == OutageEventKind.CANCELLED

    with pytest.raises(Conflict):
        outage_cancel(outage=planned, actor=staff["je"])
    active = declare(feeder_codes=["F-AMN-1"])
    with pytest.raises(Conflict):
        outage_cancel(outage=active, actor=staff["je"])
    with pytest.raises(Conflict):  # not started yet: cancel it instead of restoring
        outage_restore(outage=planned, actor=staff["je"])


def test_je_of_another_subdivision_gets_not_found_and_nothing_changes(declare, net, staff):
    outage = declare(feeder_codes=["F-AMN-1"])
    before = _written()
    for act in (
        lambda: outage_etr_revise(outage=outage, etr=clock.now() + 9 * HOUR, actor=staff["je2"]),
        lambda: outage_restore(outage=outage, actor=staff["je2"]),
        lambda: outage_cancel(outage=outage, actor=staff["je_p"]),
    ):
        with pytest.raises(NotFound):
            act()
    outage.refresh_from_db()
    assert outage.status == OutageStatus.ACTIVE and _written() == before
