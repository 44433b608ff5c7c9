"""The JE's phone page: order and colours, scoping, the four actions and their errors, photos
(re-encoded, EXIF gone), and the SMS whose link opens a new complaint."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from sampark.accounts.models import Role
from sampark.complaints.escalation import complaints_escalate
from sampark.complaints.field import ACK_NOTE
from sampark.complaints.models import (
    Complaint,
    ComplaintEscalation,
    ComplaintEvent,
    ComplaintPhoto,
    EventKind,
    Status,
)
from sampark.complaints.services import complaint_assign, complaint_register
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _register(consumer, category: str = "no_supply") -> Complaint:
    return complaint_register(consumer=consumer, category=category, channel="agent").complaint


def _due_in(complaint: Complaint, delta: timedelta) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(due_at=clock.now() + delta)
    complaint.refresh_from_db()
    return complaint


def _as(client, user):
    """Signed in, reading English (the page's words are asserted; Hindi is the default)."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _act(client, complaint: Complaint, action: str, **data):
    url = reverse("staff:field_action", args=[complaint.number, action])
    return client.post(url, data)


def _state(complaint: Complaint) -> tuple[str, int, int, int]:
    complaint.refresh_from_db()
    return (
        complaint.status,
        complaint.events.count(),
        ComplaintPhoto.objects.filter(complaint=complaint).count(),
        Notification.objects.filter(topic=f"complaint:{complaint.pk}").count(),
    )


def _photo(fmt: str = "JPEG", size: tuple[int, int] = (3000, 2000), exif: bool = True) -> bytes:
    image = Image.new("RGB" if fmt == "JPEG" else "RGBA", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[MAKE] = "SecretPhoneMaker"
        data[MODEL] = "Model X1"
        data[ORIENTATION] = 6  # taken sideways: must come out upright
        data.get_ifd(GPS_IFD).update({1: "N", 2: (26.0, 51.0, 12.0), 3: "E", 4: (80.0, 56.0, 1.0)})
        image.save(out, format=fmt, exif=data.tobytes())
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def mine(net, staff):
    """Four complaints routed to je1 (SD1): green, amber, overdue, and an emergency."""
    consumers = [ConsumerFactory(dt=net.dt1) for _ in range(3)]
    green = _due_in(_register(consumers[0]), timedelta(hours=3, minutes=30))
    amber = _due_in(_register(consumers[1]), timedelta(minutes=30))  # 4 h limit: < 25% left
    overdue = _due_in(_register(consumers[2]), timedelta(minutes=-75))
    hazard = _due_in(_register(net.consumer1, "safety_hazard"), timedelta(minutes=40))
    for complaint in (green, amber, overdue, hazard):
        assert complaint.assigned_to == staff["je"]
    return {"green": green, "amber": amber, "overdue": overdue, "hazard": hazard}


# The list --------------------------------------------------------------------------------


def test_list_is_sorted_by_time_left_overdue_first_and_coloured(client, staff, mine):
    page = _as(client, staff["je"]).get(reverse("staff:field")).content.decode()
    order = sorted(mine, key=lambda key: page.index(mine[key].number))
    assert order == ["overdue", "amber", "hazard", "green"]
    for key, colour in (("overdue", "overdue"), ("amber", "soon"), ("green", "ok")):
        section = page[page.rindex("<section", 0, page.index(mine[key].number)) :]
        assert section.startswith(f'<section class="c {colour}">')
    assert "Overdue by 1 h 15 min" in page
    hazard = page[page.index(mine["hazard"].number) :]
    assert hazard.index("Emergency") < hazard.index("</section>")


def test_list_rows_have_tap_to_call_and_one_tap_buttons(client, staff, net, mine):
    page = _as(client, staff["je"]).get(reverse("staff:field")).content.decode()
    assert f'href="tel:{net.consumer1.mobile}"' in page
    assert net.consumer1.name in page
    assert page.count("csrfmiddlewaretoken") == 2 * len(mine)  # acknowledge, on site
    assert reverse("staff:field_complaint", args=[mine["green"].number]) + "#resolve" in page
    assert "<script" not in page and "<img" not in page


def test_a_je_sees_only_complaints_assigned_to_them_an_sdo_their_subdivision(
    client, staff, net, mine
):
    other_je = StaffFactory(username="je1b", role=Role.JE, jurisdiction=net.sd1)
    complaint_assign(complaint=mine["green"], assignee=other_je, actor=staff["sdo"])
    theirs = _register(net.consumer2)  # SD2
    je_page = _as(client, staff["je"]).get(reverse("staff:field")).content.decode()
    assert mine["green"].number not in je_page and mine["amber"].number in je_page
    sdo_page = _as(client, staff["sdo"]).get(reverse("staff:field")).content.decode()
    assert all(c.number in sdo_page for c in mine.values())
    assert theirs.number not in sdo_page


def test_a_sibling_subdivisions_je_gets_404_and_does_not_see_it(client, staff, mine):
    complaint = mine["green"]
    client = _as(client, staff["je2"])
    assert complaint.number not in client.get(reverse("staff:field")).content.decode()
    url = reverse("staff:field_complaint", args=[complaint.number])
    assert client.get(url).status_code == 404
    before = _state(complaint)
    assert _act(client, complaint, "on_site").status_code == 404
    assert _state(complaint) == before


def test_desk_staff_are_refused(client, staff, mine):
    assert _as(client, staff["agent"]).get(reverse("staff:field")).status_code == 403


def test_query_count_does_not_grow_with_the_complaints(client, staff, net):
    client = _as(client, staff["je"])
    _register(ConsumerFactory(dt=net.dt1))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("staff:field")).status_code == 200
        return len(queries)

    one = count()
    for _ in range(6):
        _register(ConsumerFactory(dt=net.dt1))
    assert count() == one
    assert one <= 4  # session, user, the list (one query); no per-row queries


def test_the_page_weighs_a_few_kb(client, staff, net):
    client = _as(client, staff["je"])
    for _ in range(10):
        _register(ConsumerFactory(dt=net.dt1))
    page = client.get(reverse("staff:field")).content
    assert len(page) < 16_000, len(page)  # about 1.2 KB a complaint, uncompressed
    css = Path(__file__).parents[1] / "static" / "complaints" / "field.css"
    assert css.stat().st_size < 2_500


# Acknowledge and on site ------------------------------------------------------------------


def test_acknowledge_records_an_event_once_and_keeps_the_status(client, staff, mine):
    complaint = mine["green"]
    client = _as(client, staff["je"])
    response = _act(client, complaint, "acknowledge", next="list")
    assert response.status_code == 302 and response.url == reverse("staff:field")
    _act(client, complaint, "acknowledge", next="list")  # a double tap
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    acks = ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.NOTE, note=ACK_NOTE)
    assert [e.actor for e in acks] == [staff["je"]]
    page = client.get(reverse("staff:field")).content.decode()
    link = reverse("staff:field_complaint", args=[complaint.number])
    row = page[page.index(f'<a href="{link}">') :]
    assert "✓" in row[: row.index("</h2>")]
    ack_url = reverse("staff:field_action", args=[complaint.number, "acknowledge"])
    assert ack_url not in page


def test_on_site_moves_to_in_progress_and_a_second_tap_is_refused(client, staff, mine):
    complaint = mine["amber"]
    client = _as(client, staff["je"])
    _act(client, complaint, "on_site")
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    before = _state(complaint)
    response = _act(client, complaint, "on_site")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "already marked on site" in page
    assert _state(complaint) == before
    response = _act(client, complaint, "acknowledge")
    assert "already started" in client.get(response.url).content.decode()
    assert _state(complaint) == before


def test_unknown_action_is_404(client, staff, mine):
    assert _act(_as(client, staff["je"]), mine["green"], "delete").status_code == 404


# Resolved ---------------------------------------------------------------------------------


def test_resolve_without_a_note_is_a_field_error_and_changes_nothing(client, staff, mine):
    complaint = mine["green"]
    before = _state(complaint)
    response = _act(_as(client, staff["je"]), complaint, "resolve", note="  ")
    assert response.status_code == 422
    assert "Write what was done." in response.content.decode()
    assert _state(complaint) == before


def test_a_non_image_upload_is_a_field_error_and_nothing_is_stored(client, staff, mine, _media):
    complaint = mine["green"]
    before = _state(complaint)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = _act(_as(client, staff["je"]), complaint, "resolve", note="fuse", photo=fake)
    assert response.status_code == 422
    assert "Attach a JPEG, PNG or WebP photo." in response.content.decode()
    assert _state(complaint) == before
    assert not any(p.is_file() for p in _media.rglob("*"))


def test_a_gif_is_refused_too(client, staff, mine):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    gif = SimpleUploadedFile("a.gif", out.getvalue(), content_type="image/gif")
    response = _act(_as(client, staff["je"]), mine["green"], "resolve", note="x", photo=gif)
    assert response.status_code == 422


def test_resolve_with_a_photo_stores_a_small_upright_jpeg_without_exif(
    client, staff, mine, django_capture_on_commit_callbacks
):
    complaint = mine["green"]
    raw = _photo()
    assert b"SecretPhoneMaker" in raw
    upload = SimpleUploadedFile("IMG_2024.jpg", raw, content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            _as(client, staff["je"]), complaint, "resolve", note="fuse replaced", photo=upload
        )
    assert response.status_code == 302 and response.url == reverse("staff:field")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    (photo,) = ComplaintPhoto.objects.filter(complaint=complaint)
    event = ComplaintEvent.objects.get(
        complaint=complaint, kind=EventKind.TRANSITION, to_status=Status.RESOLVED
    )
    assert photo.event == event and event.note == "fuse replaced"
    assert photo.uploaded_by == staff["je"]
    assert "IMG_2024" not in photo.image.name
    stored = Path(photo.image.path).read_bytes()
    assert b"SecretPhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (1067, 1600)  # turned upright (orientation 6), long side 1600
        assert not image.getexif()
    # The consumer's confirmation request is the resolved step's message.
    assert Notification.objects.filter(
        topic=f"complaint:{complaint.pk}", template_key="closure_otp"
    ).exists()
    page = client.get(reverse("staff:field_complaint", args=[complaint.number])).content
    assert photo.image.url.encode() in page


def test_a_transparent_png_and_a_webp_are_accepted(client, staff, mine):
    client = _as(client, staff["je"])
    for key, fmt in (("green", "PNG"), ("amber", "WEBP")):
        upload = SimpleUploadedFile(f"a.{fmt.lower()}", _photo(fmt, (800, 600), exif=False))
        response = _act(client, mine[key], "resolve", note="done", photo=upload)
        assert response.status_code == 302
    assert ComplaintPhoto.objects.count() == 2


def test_a_photo_over_8_mb_is_refused(client, staff, mine):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (8 * 1024 * 1024), "image/jpeg")
    before = _state(mine["green"])
    response = _act(_as(client, staff["je"]), mine["green"], "resolve", note="x", photo=big)
    assert response.status_code == 422
    assert "larger than 8 MB" in response.content.decode()
    assert _state(mine["green"]) == before


def test_resolving_a_closed_complaint_is_an_error(client, staff, mine):
    complaint = mine["green"]
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED)
    before = _state(complaint)
    response = _act(_as(client, staff["je"]), complaint, "resolve", note="done")
    assert response.status_code == 302
    assert "cannot move" in client.get(response.url).content.decode()
    assert _state(complaint) == before


# Needs other team -------------------------------------------------------------------------


def test_needs_other_team_requires_a_reason(client, staff, mine):
    complaint = mine["green"]
    before = _state(complaint)
    response = _act(_as(client, staff["je"]), complaint, "other_team", reason="")
    assert response.status_code == 422
    assert "Write which team is needed and why." in response.content.decode()
    assert _state(complaint) == before


def test_needs_other_team_escalates_one_rung_at_the_next_sweep(client, staff, mine):
    complaint = mine["green"]
    client = _as(client, staff["je"])
    _act(client, complaint, "other_team", reason="11 kV line down: line gang needed")
    complaint.refresh_from_db()
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.NEEDS_OTHER_TEAM)
    assert event.note == "11 kV line down: line gang needed" and event.actor == staff["je"]
    assert complaint.next_escalation_at is not None
    assert complaint.next_escalation_at <= clock.now()
    # A double tap before the sweep ran does not climb a second rung.
    response = _act(client, complaint, "other_team", reason="again")
    assert "already being escalated" in client.get(response.url).content.decode()
    assert complaint.events.filter(kind=EventKind.NEEDS_OTHER_TEAM).count() == 1

    complaints_escalate(now=clock.now())
    complaint.refresh_from_db()
    (rung,) = ComplaintEscalation.objects.filter(complaint=complaint)
    assert (rung.level, rung.role, rung.officer) == (1, "sdo", staff["sdo"])
    assert complaint.escalation_level == 1
    assert complaint.next_escalation_at > clock.now()  # the next rung waits for its time


def test_needs_other_team_on_a_resolved_complaint_is_an_error(client, staff, mine):
    complaint = mine["green"]
    client = _as(client, staff["je"])
    _act(client, complaint, "resolve", note="done")
    before = _state(complaint)
    response = _act(client, complaint, "other_team", reason="x")
    assert "nothing to do on it in the field" in client.get(response.url).content.decode()
    assert _state(complaint) == before


# The JE's SMS -----------------------------------------------------------------------------


def test_a_new_complaint_sms_carries_a_link_that_opens_it(
    client, staff, net, settings, django_capture_on_commit_callbacks
):
    settings.SAMPARK_PUBLIC_URL = "https://sampark.example.in/"
    je = staff["je"]
    je.phone = "9839111111"
    je.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _register(net.consumer1)
    (sms,) = Notification.objects.filter(topic=f"assigned:{complaint.pk}")
    assert (sms.event, sms.channel, sms.recipient) == (f"to:{je.pk}", "sms", "+919839111111")
    link = f"https://sampark.example.in/staff/field/{complaint.number}/"
    assert link in sms.text and complaint.number in sms.text
    path = link.removeprefix("https://sampark.example.in")
    page = _as(client, je).get(path)
    assert page.status_code == 200 and complaint.number in page.content.decode()


def test_reassignment_to_someone_else_sends_again_a_retry_does_not(
    staff, net, django_capture_on_commit_callbacks
):
    je, other = staff["je"], StaffFactory(username="je1b", role=Role.JE, jurisdiction=net.sd1)
    for user, phone in ((je, "+919839111111"), (other, "+919839111112")):
        user.phone = phone
        user.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _register(net.consumer1)
        complaint_assign(complaint=complaint, assignee=je, actor=staff["sdo"])  # the same JE
        complaint_assign(complaint=complaint, assignee=other, actor=staff["sdo"])
        complaint_assign(complaint=complaint, assignee=other, actor=staff["sdo"])
    sent = Notification.objects.filter(topic=f"assigned:{complaint.pk}").order_by("id")
    assert [n.recipient for n in sent] == ["+919839111111", "+919839111112"]


def test_no_phone_no_sms(staff, net, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _register(net.consumer1)
    assert not Notification.objects.filter(topic=f"assigned:{complaint.pk}").exists()
