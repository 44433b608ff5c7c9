"""Archived packs at /staff/review/packs/: who lists and fetches which (404 outside one's
jurisdiction, 403 without the review permission)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sampark.accounts.models import Role
from sampark.review.models import ReviewPack
from sampark.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def packs(net, settings, tmp_path: Path) -> dict[str, ReviewPack]:
    """One archived pack per discom (files with known bytes)."""
    settings.SAMPARK_REVIEW_PACK_ROOT = str(tmp_path)
    settings.SAMPARK_REVIEW_PACK_ROLES = ["md", "ce"]
    made = {}
    for discom in (net.mvvnl, net.pvvnl):
        pack = ReviewPack(
            discom=discom,
            day=DAY,
            language="hi",
            generated_at=datetime(2026, 3, 11, 1, 30, tzinfo=UTC),
            generated_via="scheduler",
            emailed_to=[f"md@{discom.code.lower()}.example"],
        )
        pack.pdf.save(
            f"pack-{discom.code}.pdf", ContentFile(b"%PDF-1.7 " + discom.code.encode()), save=False
        )
        pack.xlsx.save(
            f"pack-{discom.code}.xlsx", ContentFile(b"PK " + discom.code.encode()), save=False
        )
        pack.save()
        made[discom.code] = pack
    return made


def file_url(pack: ReviewPack, kind: str) -> str:
    return reverse("review_packs:file", args=[pack.pk, kind])


def test_md_lists_and_fetches_only_their_discoms_packs(client, staff, packs):
    client.force_login(staff["md"])

    page = client.get(reverse("review_packs:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [packs["MVVNL"]]
    assert file_url(packs["MVVNL"], "pdf").encode() in page.content
    assert file_url(packs["PVVNL"], "pdf").encode() not in page.content

    pdf = client.get(file_url(packs["MVVNL"], "pdf"))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 MVVNL"
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="pack-MVVNL.pdf"'
    xlsx = client.get(file_url(packs["MVVNL"], "xlsx"))
    assert b"".join(xlsx.streaming_content) == b"PK MVVNL"

    assert client.get(file_url(packs["PVVNL"], "pdf")).status_code == 404


def test_chairman_sees_every_discom(client, net, packs):
    chairman = StaffFactory(username="chairman", role=Role.CHAIRMAN, jurisdiction=net.state)
    client.force_login(chairman)

    page = client.get(reverse("review_packs:list"))
    assert set(page.context["page"].object_list) == set(packs.values())
    assert client.get(file_url(packs["PVVNL"], "xlsx")).status_code == 200
    only = client.get(reverse("review_packs:list") + "?discom=PVVNL")
    assert list(only.context["page"].object_list) == [packs["PVVNL"]]


def test_zone_chief_engineer_gets_their_discoms_pack(client, net, packs):
    ce = StaffFactory(username="ce", role=Role.CE, jurisdiction=net.zone)
    client.force_login(ce)

    assert client.get(file_url(packs["MVVNL"], "pdf")).status_code == 200
    assert client.get(file_url(packs["PVVNL"], "pdf")).status_code == 404


def test_sub_division_officer_sees_no_discom_pack(client, staff, packs):
    client.force_login(staff["sdo"])

    page = client.get(reverse("review_packs:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert list(page.context["page"].object_list) == []
    assert b"No review packs yet." in page.content
    assert client.get(file_url(packs["MVVNL"], "pdf")).status_code == 404


def test_junior_engineer_and_agent_are_refused(client, staff, packs):
    for who in ("je", "agent"):
        client.force_login(staff[who])
        assert client.get(reverse("review_packs:list")).status_code == 403
        assert client.get(file_url(packs["MVVNL"], "pdf")).status_code == 403


def test_unknown_kind_missing_file_and_anonymous(client, staff, packs):
    assert client.get(reverse("review_packs:list")).status_code == 302  # to the login page

    client.force_login(staff["md"])
    assert client.get(file_url(packs["MVVNL"], "docx")).status_code == 404
    Path(packs["MVVNL"].pdf.path).unlink()
    assert client.get(file_url(packs["MVVNL"], "pdf")).status_code == 404


def test_failed_pack_is_listed_with_its_error(client, staff, packs):
    failed = packs["MVVNL"]
    failed.pdf, failed.xlsx, failed.error = "", "", "ImproperlyConfigured: fonts missing"
    failed.save()
    client.force_login(staff["md"])

    page = client.get(reverse("review_packs:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"ImproperlyConfigured: fonts missing" in page.content
    assert client.get(file_url(failed, "pdf")).status_code == 404
