"""Staff outage pages: list (scoped, overdue flagged, query count pinned), declare form,
outage page with ETR buttons and restoration; refused actions change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sampark.core import clock
from sampark.outages.models import Outage, OutageEvent, OutageEventKind, OutageStatus

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_nav_links_to_outages(client, staff):
    page = _as(client, staff["agent"]).get(reverse("staff:home")).content.decode()
    assert reverse("outages:list") in page


def test_list_shows_live_outages_in_scope_with_overdue_flag(
    client, declare, net, staff, area, django_assert_max_num_queries
):
    mine = declare(feeder_codes=["F-AMN-1"])
    declare(substation_codes=["SS-AMN"])
    declare(feeder_codes=["F-AMN-2"])
    other = declare(feeder_codes=["F-MRT-1"], actor=staff["admin"])
    Outage.objects.filter(pk=mine.pk).update(etr=clock.now() - timedelta(minutes=5))
    client = _as(client, staff["je"])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("outages:list"))

    page = response.content.decode()
    assert f"#{mine.pk}" in page and f"#{other.pk}" not in page
    assert "badge-overdue" in page and "F-AMN-1" in page
    assert reverse("outages:new") in page


def test_list_query_count_does_not_grow_with_outages(
    client, declare, net, staff, area, django_assert_max_num_queries
):
    for _ in range(6):
        declare(feeder_codes=["F-AMN-1"], dt_codes=["DT-AMN-2"])
    client = _as(client, staff["je"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("outages:list") + "?all=1").content.decode()
    assert page.count("DT-AMN-2") == 6


def test_agents_see_the_list_but_not_the_declare_form(client, declare, staff, area):
    declare(feeder_codes=["F-AMN-1"])
    client = _as(client, staff["agent"])
    assert reverse("outages:new") not in client.get(reverse("outages:list")).content.decode()
    assert client.get(reverse("outages:new")).status_code == 404


def test_declare_form_offers_the_jes_substation_and_feeders(client, staff, area):
    page = _as(client, staff["je"]).get(reverse("outages:new")).content.decode()
    assert "SS-AMN" in page and "F-AMN-1" in page and "F-AMN-2" in page
    assert "F-BKT-1" not in page


def test_declare_from_the_form_in_two_steps(
    client, staff, area, django_capture_on_commit_callbacks
):
    client = _as(client, staff["je"])
    form = {"kind": "unplanned", "feeders": ["F-AMN-2"], "reason": "tree_fall", "etr_in": "2"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outages:new"), form)

    outage = Outage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outages:detail", args=[outage.pk])
    assert outage.scope.get().feeder.code == "F-AMN-2"
    assert timedelta(minutes=119) < outage.etr - clock.now() <= timedelta(hours=2)


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "unplanned", "reason": "tree_fall", "etr_in": "2"},  # no scope
        {"kind": "unplanned", "other_codes": "F-NOPE", "reason": "tree_fall", "etr_in": "2"},
        {"kind": "unplanned", "other_codes": "F-BKT-1", "reason": "tree_fall", "etr_in": "2"},
        {"kind": "unplanned", "feeders": ["F-AMN-1"], "reason": "tree_fall", "etr_in": "0"},
        {"kind": "planned", "feeders": ["F-AMN-1"], "reason": "tree_fall", "etr_in": "2"},
    ],
)
def test_declare_form_errors_are_shown_and_nothing_is_written(client, staff, area, form):
    response = _as(client, staff["je"]).post(reverse("outages:new"), form)
    assert response.status_code in (403, 422)
    assert "message-error" in response.content.decode()
    assert Outage.objects.count() == 0


def test_outage_page_revise_and_restore_in_one_click_each(
    client, declare, staff, area, django_capture_on_commit_callbacks
):
    outage = declare(feeder_codes=["F-AMN-1", "F-AMN-2"])
    client = _as(client, staff["je"])
    page = client.get(reverse("outages:detail", args=[outage.pk])).content.decode()
    assert "+1" in page and "whole" in page
    old_etr = outage.etr

    client.post(reverse("outages:etr", args=[outage.pk]), {"plus_hours": "2"})
    outage.refresh_from_db()
    assert outage.etr == old_etr + timedelta(hours=2)

    first = outage.scope.order_by("id").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outages:restore", args=[outage.pk]), {"scope_ids": [first.pk]})
    outage.refresh_from_db()
    assert outage.status == OutageStatus.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outages:restore", args=[outage.pk]), {"whole": "on"})
    outage.refresh_from_db()
    assert response.status_code == 302 and outage.status == OutageStatus.RESTORED
    kinds = list(outage.events.values_list("kind", flat=True))
    assert kinds == ["declared", "etr_revised", "partly_restored", "restored"]


def test_refused_actions_show_an_error_and_change_nothing(client, declare, staff, area):
    outage = declare(feeder_codes=["F-AMN-1"])
    client = _as(client, staff["je"])
    response = client.post(
        reverse("outages:etr", args=[outage.pk]), {"etr": "2020-01-01T10:00"}, follow=True
    )
    assert "message-error" in response.content.decode()
    assert client.post(reverse("outages:restore", args=[outage.pk]), {}).status_code == 302
    assert OutageEvent.objects.count() == 1

    other = _as(client, staff["je2"])
    assert other.get(reverse("outages:detail", args=[outage.pk])).status_code == 404
    restore = reverse("outages:restore", args=[outage.pk])
    assert other.post(restore, {"whole": "on"}).status_code == 404
    outage.refresh_from_db()
    assert outage.status == OutageStatus.ACTIVE and OutageEvent.objects.count() == 1


def test_cancel_planned_from_its_page(client, declare, staff, area):
    now = clock.now()
    planned = declare(
        kind="planned",
        reason_code="maintenance_shutdown",
        feeder_codes=["F-AMN-1"],
        starts_at=now + timedelta(hours=30),
        etr=now + timedelta(hours=34),
    )
    client = _as(client, staff["je"])
    assert (
        reverse("outages:cancel", args=[planned.pk])
        in client.get(reverse("outages:detail", args=[planned.pk])).content.decode()
    )
    client.post(reverse("outages:cancel", args=[planned.pk]), {"note": "rain"})
    planned.refresh_from_db()
    assert planned.status == OutageStatus.CANCELLED
    assert planned.events.last().kind == OutageEventKind.CANCELLED


def test_agent_consumer_page_shows_the_outage_at_the_top(client, declare, staff, area):
    outage = declare(feeder_codes=["F-AMN-1"], reason_code="dt_burnt")
    client = _as(client, staff["agent"])
    page = client.get(
        reverse("staff:consumers") + "?q=1234567890", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "outage-banner" in page and reverse("outages:detail", args=[outage.pk]) in page
    assert page.index("outage-banner") < page.index(area["c1"].name)


def test_admin_lists_outages_and_edits_reasons(client, declare, staff, area):
    outage = declare(feeder_codes=["F-AMN-1"])
    client = _as(client, staff["admin"])
    assert client.get(reverse("admin:outages_outage_changelist")).status_code == 200
    assert client.get(reverse("admin:outages_outage_change", args=[outage.pk])).status_code == 200
    assert client.get(reverse("admin:outages_outagereason_changelist")).status_code == 200


def test_outage_page_counts_its_messages_by_translated_status(client, declare, staff, area):
    from sampark.notifications.models import Notification

    outage = declare(feeder_codes=["F-AMN-1"])
    queued = Notification.objects.filter(topic=f"outage:{outage.pk}").count()
    client = _as(client, staff["je"])

    page = client.get(
        reverse("outages:detail", args=[outage.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert queued > 0
    assert f"Queued: {queued}" in page
