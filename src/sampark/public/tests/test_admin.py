"""Admin: the pages load; adding and removing members goes through the audited services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampark.notifications.models import Notification
from sampark.ops.schedule import JOBS
from sampark.outages.models import OutageEventKind
from sampark.public.joining import stakeholder_join_request
from sampark.public.models import (
    FeedWatermark,
    JoinedVia,
    MemberEventKind,
    StakeholderGroup,
    StakeholderMember,
    StakeholderOtp,
)
from sampark.public.tasks import stakeholder_bulletins_dispatch, stakeholder_digests_dispatch

from .conftest import event_add, member_add

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "public_stakeholdergroup",
    "public_stakeholdermember",
    "public_stakeholderotp",
    "public_bulletin",
    "public_digestrun",
    "public_feedwatermark",
]


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff["admin"])
    return client


@pytest.fixture
def scene(net, lko_staff, lko_outage):
    member = member_add(net.zone, "+919839066621", name="Ramesh")
    stakeholder_join_request(
        zone=net.zone,
        mobile="9839066622",
        name="Asha",
        role="citizen",
        language="hi",
        channel="sms",
        delivery="immediate",
    )
    event_add(lko_outage, OutageEventKind.DECLARED)
    stakeholder_bulletins_dispatch.enqueue()
    return member


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_load(admin_client, scene, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_change_pages_load(admin_client, scene):
    group = StakeholderGroup.objects.get()
    for name, obj in [
        ("public_stakeholdergroup", group),
        ("public_stakeholdermember", scene),
        ("public_bulletin", group.bulletins.get()),
        ("public_stakeholderotp", StakeholderOtp.objects.get()),
        ("public_feedwatermark", FeedWatermark.objects.get()),
    ]:
        response = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert response.status_code == 200, name
    assert admin_client.get(reverse("admin:public_stakeholdermember_add")).status_code == 200
    assert admin_client.get(reverse("admin:public_stakeholdergroup_add")).status_code == 200


def test_admin_adds_a_member_through_the_service(admin_client, staff, net):
    group = member_add(net.zone, "+919839066630").group
    response = admin_client.post(
        reverse("admin:public_stakeholdermember_add"),
        {
            "group": group.pk,
            "name": "MLA office",
            "mobile": "98390 66631",
            "role": "public_representative",
            "language": "hi",
            "channel": "whatsapp",
            "delivery": "immediate",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = StakeholderMember.objects.get(mobile="+919839066631")
    assert member.joined_via == JoinedVia.ADMIN and member.verified_at is not None
    event = member.events.get()
    assert (event.kind, event.actor) == (MemberEventKind.JOINED, staff["admin"])


def test_admin_cannot_add_the_same_mobile_twice(admin_client, net):
    member = member_add(net.zone, "+919839066640")
    response = admin_client.post(
        reverse("admin:public_stakeholdermember_add"),
        {
            "group": member.group.pk,
            "name": "",
            "mobile": "9839066640",
            "role": "citizen",
            "language": "hi",
            "channel": "sms",
            "delivery": "immediate",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert StakeholderMember.objects.count() == 1


def test_admin_edits_and_removes_members(admin_client, staff, net):
    member = member_add(net.zone, "+919839066650", name="Old name")
    url = reverse("admin:public_stakeholdermember_change", args=[member.pk])
    response = admin_client.post(
        url,
        {
            "name": "New name",
            "role": "journalist",
            "language": "en",
            "channel": "sms",
            "delivery": "digest",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.name, member.role, member.delivery) == ("New name", "journalist", "digest")
    assert member.events.last().kind == MemberEventKind.UPDATED

    response = admin_client.post(
        reverse("admin:public_stakeholdermember_changelist"),
        {"action": "remove_from_group", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.active and member.left_at is not None
    removed = member.events.last()
    assert (removed.kind, removed.actor, removed.via) == (
        MemberEventKind.LEFT,
        staff["admin"],
        JoinedVia.ADMIN,
    )
    assert not Notification.objects.exists()


def test_admin_creates_a_group_for_a_zone(admin_client, net):
    url = reverse("admin:public_stakeholdergroup_add")
    response = admin_client.post(url, {"zone": net.zone.pk})
    assert response.status_code == 302
    assert StakeholderGroup.objects.get().zone == net.zone


def test_the_scheduler_runs_the_bulletin_and_digest_tasks():
    seconds = {job.task: job.seconds for job in JOBS}
    assert seconds[stakeholder_bulletins_dispatch] <= 10
    assert seconds[stakeholder_digests_dispatch] <= 600
