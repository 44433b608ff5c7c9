"""Admin for master data: pages load for an administrator; the consumer form cleans its input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampark.accounts.services import api_token_create
from sampark.complaints.models import SlaPolicy
from sampark.complaints.services import complaint_register
from sampark.consumers.mobile_verification import mobile_digest
from sampark.consumers.models import Consumer, MobileChange
from sampark.consumers.services import consumer_network_fields

CHANGELISTS = [
    "consumers_consumer",
    "network_orgunit",
    "network_substation",
    "network_feeder",
    "network_distributiontransformer",
    "complaints_slapolicy",
    "complaints_complaint",
    "complaints_complaintsequence",
    "accounts_staffuser",
    "accounts_apitoken",
]


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff["admin"])
    return client


def _consumer_post(**overrides):
    data = {
        "account_number": "5550000001",
        "name": "Ramesh Kumar",
        "category": "domestic",
        "language": "hi",
        "mobile": "",
        "alt_mobile": "",
        "email": "",
        "address": "12 Aminabad Road",
        "latitude": "",
        "longitude": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_load_for_the_administrator(admin_client, staff, net, name):
    complaint_register(consumer=net.consumer1, category="no_supply", channel="web")
    api_token_create(owner=staff["agent"], name="website")
    response = admin_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_orgunit_search_lists_matches_from_the_whole_tree(admin_client, net):
    response = admin_client.get(reverse("admin:network_orgunit_changelist"), {"q": "SD-AMN"})
    assert response.status_code == 200
    assert "Aminabad I" in response.content.decode()


def test_change_pages_load(admin_client, net, staff):
    complaint = complaint_register(
        consumer=net.consumer1, category="no_supply", channel="web"
    ).complaint
    pages = [
        ("admin:consumers_consumer_change", net.consumer1.pk),
        ("admin:network_feeder_change", net.feeder1.pk),
        ("admin:network_orgunit_change", net.sd1.pk),
        ("admin:complaints_complaint_change", complaint.pk),
        ("admin:accounts_staffuser_change", staff["je"].pk),
    ]
    for name, pk in pages:
        assert admin_client.get(reverse(name, args=[pk])).status_code == 200, name


def test_sla_hours_are_editable_in_the_list(admin_client):
    policy = SlaPolicy.objects.order_by("id").first()
    assert policy is not None
    policies = list(SlaPolicy.objects.order_by("category", "area_type", "a_class_city"))
    data = {
        "form-TOTAL_FORMS": str(len(policies)),
        "form-INITIAL_FORMS": str(len(policies)),
        "_save": "Save",
    }
    for i, row in enumerate(policies):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-hours"] = str(row.hours + 1 if row.pk == policy.pk else row.hours)
        data[f"form-{i}-compensation_per_day"] = str(row.compensation_per_day)
    response = admin_client.post(reverse("admin:complaints_slapolicy_changelist"), data)
    assert response.status_code == 302
    assert SlaPolicy.objects.get(pk=policy.pk).hours == policy.hours + 1


def test_admin_consumer_form_stores_mobile_as_e164_and_derives_network(admin_client, net):
    response = admin_client.post(
        reverse("admin:consumers_consumer_add"),
        _consumer_post(mobile="98390 55555", alt_mobile="09839066666", dt=str(net.dt1.pk)),
    )
    assert response.status_code == 302
    consumer = Consumer.objects.get(account_number="5550000001")
    assert consumer.mobile == "+919839055555"
    assert consumer.alt_mobile == "+919839066666"
    assert (consumer.feeder, consumer.subdivision) == (net.feeder1, net.sd1)
    assert consumer.area_type == "URBAN" and consumer.is_a_class is True


def test_admin_consumer_form_rejects_a_malformed_mobile(admin_client, net):
    response = admin_client.post(
        reverse("admin:consumers_consumer_add"),
        _consumer_post(mobile="12345", dt=str(net.dt1.pk)),
    )
    assert response.status_code == 200
    assert "mobile" in response.context["adminform"].form.errors
    assert not Consumer.objects.filter(account_number="5550000001").exists()


def test_changing_the_dt_moves_feeder_subdivision_and_area(admin_client, net):
    consumer = net.consumer1
    response = admin_client.post(
        reverse("admin:consumers_consumer_change", args=[consumer.pk]),
        _consumer_post(
            account_number=consumer.account_number,
            name=consumer.name,
            mobile=consumer.mobile,
            dt=str(net.dt2.pk),
        ),
    )
    assert response.status_code == 302
    consumer.refresh_from_db()
    assert (consumer.dt, consumer.feeder, consumer.subdivision) == (
        net.dt2,
        net.feeder2_rural,
        net.sd2,
    )
    assert consumer.area_type == "RURAL" and consumer.is_a_class is False


def _change(admin_client, consumer, **overrides):
    fields = {
        "account_number": consumer.account_number,
        "name": consumer.name,
        "mobile": consumer.mobile,
        "dt": str(consumer.dt_id),
        **overrides,
    }
    return admin_client.post(
        reverse("admin:consumers_consumer_change", args=[consumer.pk]), _consumer_post(**fields)
    )


def test_a_mobile_changed_in_the_admin_is_audited(admin_client, net, staff):
    consumer = net.consumer1
    old = consumer.mobile

    response = _change(admin_client, consumer, mobile="9415077777")

    assert response.status_code == 302
    change = MobileChange.objects.get(consumer=consumer)
    assert (change.kind, change.channel, change.proof) == ("changed", "admin", "staff_check")
    assert (change.actor, change.actor_label) == (staff["admin"], staff["admin"].username)
    assert change.old_mobile_digest == mobile_digest(old)
    assert change.new_mobile_digest == mobile_digest("+919415077777")
    assert change.new_mobile_masked == "+91••••••7777"


def test_removing_a_mobile_in_the_admin_is_audited_and_other_edits_are_not(admin_client, net):
    consumer = net.consumer1

    assert _change(admin_client, consumer, name="Renamed").status_code == 302
    assert not MobileChange.objects.exists()
    assert _change(admin_client, consumer, mobile="").status_code == 302

    change = MobileChange.objects.get()
    assert (change.kind, change.new_mobile_digest) == ("removed", "")
    assert change.old_mobile_masked.endswith(consumer.mobile[-4:])


def test_admin_consumer_search_takes_a_mobile_as_people_say_it(admin_client, net):
    url = reverse("admin:consumers_consumer_changelist")
    page = admin_client.get(url, {"q": "98390 12345"}).content.decode()
    assert net.consumer1.account_number in page
    assert net.consumer2.account_number not in page
    page = admin_client.get(url, {"q": net.consumer2.account_number}).content.decode()
    assert net.consumer2.account_number in page


def test_network_fields_follow_the_dt(net):
    urban = consumer_network_fields(dt=net.dt1)
    assert urban == {
        "dt": net.dt1,
        "feeder": net.feeder1,
        "subdivision": net.sd1,
        "area_type": "URBAN",
        "is_a_class": True,
    }
    rural = consumer_network_fields(dt=net.dt2)
    assert (rural["subdivision"], rural["area_type"], rural["is_a_class"]) == (
        net.sd2,
        "RURAL",
        False,
    )
    assert consumer_network_fields(dt=net.dt_p)["is_a_class"] is False


def test_staff_user_admin_adds_with_role_and_normalises_phone(admin_client, net, staff):
    assert admin_client.get(reverse("admin:accounts_staffuser_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:accounts_staffuser_add"),
        {
            "username": "je_new",
            "usable_password": "true",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
            "role": "je",
            "jurisdiction": str(net.sd2.pk),
        },
    )
    assert response.status_code == 302
    user = type(staff["je"]).objects.get(username="je_new")
    assert (user.role, user.jurisdiction) == ("je", net.sd2)

    form_class = (
        admin_client.get(reverse("admin:accounts_staffuser_change", args=[user.pk]))
        .context["adminform"]
        .form.__class__
    )
    data = {
        "username": "je_new",
        "role": "je",
        "jurisdiction": str(net.sd2.pk),
        "phone": "98390 77777",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "is_active": "on",
    }
    form = form_class(data, instance=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+919839077777"
    assert not form_class({**data, "phone": "555"}, instance=user).is_valid()


def test_api_tokens_are_listed_without_their_secret(admin_client, staff):
    token, raw_key = api_token_create(owner=staff["agent"], name="website")
    page = admin_client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "website" in page and token.prefix in page
    assert raw_key not in page and token.digest not in page
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_admin_can_rename_but_not_move_network_nodes(admin_client, net):
    from sampark.network.models import Feeder, OrgUnit

    page = admin_client.get(f"/admin/network/feeder/{net.feeder1.pk}/change/")
    assert page.status_code == 200 and b'name="substation"' not in page.content
    posted = admin_client.post(
        f"/admin/network/orgunit/{net.sd1.pk}/change/",
        {"name_en": "Aminabad One", "name_hi": "अमीनाबाद प्रथम", "complaint_prefix": ""},
    )
    assert posted.status_code == 302
    net.sd1.refresh_from_db()
    assert net.sd1.name_en == "Aminabad One" and net.sd1.path.startswith(net.division.path)
    assert not any(OrgUnit.objects.find_problems())
    assert Feeder.objects.get(pk=net.feeder1.pk).substation == net.ss1
