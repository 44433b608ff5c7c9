"""Field work on the JE's phone (issue 6): the open-complaint list and four one-tap actions.

The lifecycle table has no "acknowledged" status, and none is invented here:
- acknowledge: an audit event (NOTE, `ACK_NOTE`) by the engineer; the status stays what it was
  (assigned, registered or reopened). It says "I have seen it", not "I am working on it".
- on site: the move to in progress (`complaint_transition`), which also tells the consumer.
- resolved: the move to resolved with a required note and an optional photo; the closure
  request to the consumer follows from `complaint_transition`.
- needs other team: a NEEDS_OTHER_TEAM event with the reason, and the complaint is due for the
  next escalation rung now (`next_escalation_at = now`), so the escalation sweep (every
  minute) records that rung once, tells its officer and raises `escalation_level`. The level is
  not raised here: the sweep escalates to the first rung above `escalation_level`, so raising
  it first would skip a rung.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sampark.accounts.models import Role, StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed

from .informing import complaint_place
from .models import (
    SLA_RUNNING_STATUSES,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    EscalationRule,
    EventKind,
    Priority,
    Status,
)
from .numbering import complaint_number_normalize
from .services import complaint_event_add, complaint_lock, complaint_transition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACK_NOTE = "acknowledged by the field"
NOTE_MAX = 2000
# What the field still works on. Resolved complaints wait for the consumer's word, not the JE.
FIELD_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING_CONSUMER,
    Status.REOPENED,
)
ACKNOWLEDGEABLE = (Status.REGISTERED, Status.ASSIGNED, Status.REOPENED)
# An officer over a big area would get thousands of rows on a phone: the most urgent ones.
LIST_MAX = 200
AMBER_SHARE = 0.25  # under a quarter of the time limit left

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PHOTO_LONG_SIDE = 1600
PHOTO_MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded
PHOTO_QUALITY = 82

NOTE_REQUIRED = _("Write what was done.")
REASON_REQUIRED = _("Write which team is needed and why.")
TOO_LONG = _("Keep it within 2,000 characters.")
PHOTO_TOO_BIG = _("The photo is larger than 8 MB.")
PHOTO_NOT_IMAGE = _("Attach a JPEG, PNG or WebP photo.")


class Urgency:
    OVERDUE = "overdue"
    SOON = "soon"
    OK = "ok"


@dataclass(frozen=True)
class FieldRow:
    """One complaint as the field list shows it."""

    complaint: Complaint
    seconds_left: int  # negative: overdue by that much
    urgency: str
    acknowledged: bool

    @property
    def emergency(self) -> bool:
        return self.complaint.priority == Priority.EMERGENCY

    @property
    def paused(self) -> bool:
        return self.complaint.status == Status.WAITING_CONSUMER

    @property
    def overdue(self) -> bool:
        return self.seconds_left < 0

    @property
    def place(self) -> str:
        return complaint_place(self.complaint)

    @property
    def caller_name(self) -> str:
        consumer = self.complaint.consumer
        return (consumer.name if consumer is not None else "") or self.complaint.contact_name

    @property
    def caller_mobile(self) -> str:
        consumer = self.complaint.consumer
        return (consumer.mobile if consumer is not None else None) or (
            self.complaint.contact_mobile or ""
        )

    @property
    def can_acknowledge(self) -> bool:
        return self.complaint.status in ACKNOWLEDGEABLE and not self.acknowledged

    @property
    def can_go_on_site(self) -> bool:
        return (
            self.complaint.status in FIELD_STATUSES and self.complaint.status != Status.IN_PROGRESS
        )

    @property
    def workable(self) -> bool:
        return self.complaint.status in FIELD_STATUSES

    @property
    def hours(self) -> int:
        """Whole hours of the time left (or overdue), for "2 h 05 min"."""
        return abs(self.seconds_left) // 3600

    @property
    def minutes(self) -> int:
        return abs(self.seconds_left) % 3600 // 60


# Reads -------------------------------------------------------------------------------------


def _seconds_left(complaint: Complaint, *, now: datetime) -> int:
    """Time left on the SLA clock; it stands still while waiting on the consumer."""
    at = complaint.paused_since if complaint.paused_since is not None else now
    return int((complaint.due_at - at).total_seconds())


def field_urgency(*, seconds_left: int, sla_hours: int) -> str:
    if seconds_left < 0:
        return Urgency.OVERDUE
    if seconds_left < AMBER_SHARE * sla_hours * 3600:
        return Urgency.SOON
    return Urgency.OK


def _acknowledged() -> Exists:
    """The current assignee acknowledged it (a re-assignment asks the new one again)."""
    return Exists(
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"),
            kind=EventKind.NOTE,
            note=ACK_NOTE,
            actor=OuterRef("assigned_to"),
        )
    )


def _field_queryset(user: StaffUser) -> QuerySet[Complaint]:
    require(user, Action.COMPLAINT_WORK)
    return staff_scope(user).apply(Complaint.objects.all(), org_path="org_unit__path")


def field_complaints(*, user: StaffUser, now: datetime | None = None) -> list[FieldRow]:
    """A JE's open complaints (an SDO's or officer's: their area's), overdue first, then by
    time left. One query however many there are."""
    now = now or clock.now()
    qs = _field_queryset(user).filter(status__in=FIELD_STATUSES)
    if user.role == Role.JE:
        qs = qs.filter(assigned_to=user)
    complaints = list(
        qs.select_related("consumer", "dt", "feeder")
        .annotate(acknowledged=_acknowledged())
        .order_by("due_at", "id")[:LIST_MAX]
    )
    rows = []
    for complaint in complaints:
        left = _seconds_left(complaint, now=now)
        rows.append(
            FieldRow(
                complaint=complaint,
                seconds_left=left,
                urgency=field_urgency(seconds_left=left, sla_hours=complaint.sla_hours),
                acknowledged=bool(getattr(complaint, "acknowledged", False)),
            )
        )
    rows.sort(key=lambda row: (row.seconds_left, row.complaint.pk))
    return rows


def field_complaint_get(*, user: StaffUser, number: str, now: datetime | None = None) -> FieldRow:
    """One complaint in the user's area (any status: the history stays readable); NotFound
    outside it, so nothing leaks about other areas."""
    complaint = (
        _field_queryset(user)
        .filter(number=complaint_number_normalize(number))
        .select_related("consumer", "dt", "feeder", "assigned_to")
        .annotate(acknowledged=_acknowledged())
        .first()
    )
    if complaint is None:
        raise NotFound()
    left = _seconds_left(complaint, now=now or clock.now())
    return FieldRow(
        complaint=complaint,
        seconds_left=left,
        urgency=field_urgency(seconds_left=left, sla_hours=complaint.sla_hours),
        acknowledged=bool(getattr(complaint, "acknowledged", False)),
    )


def field_history(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return (
        complaint.events.select_related("actor", "assignee")
        .prefetch_related("photos")
        .order_by("-created_at", "-id")
    )


# Writes ------------------------------------------------------------------------------------


def _authorize(*, actor: StaffUser, complaint: Complaint) -> None:
    require(actor, Action.COMPLAINT_WORK)
    if not staff_scope(actor).covers(complaint.org_unit.path):
        raise NotFound()


def _text(value: str, *, field: str, required: StrOrPromise) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(fields={field: required})
    if len(text) > NOTE_MAX:
        raise ValidationFailed(fields={field: TOO_LONG})
    return text


def _not_workable(complaint: Complaint) -> Conflict:
    return Conflict(
        _("Complaint %(number)s is %(status)s: there is nothing to do on it in the field.")
        % {"number": complaint.number, "status": Status(complaint.status).label},
        code="not_field_work",
    )


def field_acknowledge(*, complaint: Complaint, actor: StaffUser) -> bool:
    """Record that the engineer has seen the complaint; False when they already had (a second
    tap on a slow connection changes nothing)."""
    _authorize(actor=actor, complaint=complaint)
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        if locked.status not in ACKNOWLEDGEABLE:
            if locked.status in FIELD_STATUSES:
                raise Conflict(
                    _("Work on complaint %(number)s has already started.")
                    % {"number": locked.number},
                    code="already_started",
                )
            raise _not_workable(locked)
        done = ComplaintEvent.objects.filter(
            complaint=locked, kind=EventKind.NOTE, note=ACK_NOTE, actor=actor
        )
        if done.exists():
            return False
        complaint_event_add(
            complaint=locked,
            kind=EventKind.NOTE,
            at=clock.now(),
            actor=actor,
            from_status=locked.status,
            to_status=locked.status,
            note=ACK_NOTE,
        )
    return True


def field_on_site(*, complaint: Complaint, actor: StaffUser) -> Complaint:
    """The engineer is at the place: in progress (the consumer is told once)."""
    _authorize(actor=actor, complaint=complaint)
    if complaint.status == Status.IN_PROGRESS:
        raise Conflict(
            _("Complaint %(number)s is already marked on site.") % {"number": complaint.number},
            code="already_on_site",
        )
    return complaint_transition(
        complaint=complaint, to_status=Status.IN_PROGRESS, actor=actor, note="on site"
    )


def photo_prepare(upload: UploadedFile) -> ContentFile[bytes]:
    """A JPEG safe to keep: checked to be a real JPEG/PNG/WebP image, turned upright, at most
    1600 px on the long side, and re-encoded without EXIF, so the phone's GPS position and
    device details are never stored. ValidationFailed on anything else."""
    if upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise ValidationFailed(fields={"photo": PHOTO_TOO_BIG})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise ValidationFailed(fields={"photo": PHOTO_NOT_IMAGE})
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationFailed(fields={"photo": PHOTO_NOT_IMAGE})
            probe.verify()  # structure and checksums; the image must be reopened afterwards
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            if upright.mode in ("RGBA", "LA") or "transparency" in upright.info:
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                upright = flat
            rgb = upright.convert("RGB")
            rgb.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif=, icc_profile= or comment: nothing but pixels leaves this function.
            rgb.save(out, format="JPEG", quality=PHOTO_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(fields={"photo": PHOTO_NOT_IMAGE}) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def field_resolve(
    *, complaint: Complaint, actor: StaffUser, note: str, photo: UploadedFile | None = None
) -> Complaint:
    """Resolved by the field: a note (required) and a photo (optional) with the resolving
    event. Everything is checked before anything is written: a bad note or photo changes
    nothing. The consumer's confirmation request follows (closure.py)."""
    _authorize(actor=actor, complaint=complaint)
    text = _text(note, field="note", required=NOTE_REQUIRED)
    prepared = photo_prepare(photo) if photo is not None else None
    with transaction.atomic():
        resolved = complaint_transition(
            complaint=complaint, to_status=Status.RESOLVED, actor=actor, note=text
        )
        if prepared is not None:
            event = (
                ComplaintEvent.objects.filter(
                    complaint=resolved, kind=EventKind.TRANSITION, to_status=Status.RESOLVED
                )
                .order_by("-created_at", "-id")
                .first()
            )
            ComplaintPhoto.objects.create(
                complaint=resolved,
                event=event,
                image=prepared,
                uploaded_by=actor,
                uploaded_at=clock.now(),
            )
    return resolved


@dataclass(frozen=True)
class OtherTeam:
    complaint: Complaint
    escalating: bool  # False: already at the top rung (or no ladder): recorded only


def field_needs_other_team(*, complaint: Complaint, actor: StaffUser, reason: str) -> OtherTeam:
    """The engineer cannot fix it alone: the reason goes on record and the next rung of the
    escalation ladder is told at the sweep's next run (module docstring). A second request
    before that run is refused rather than climbing two rungs on a double tap."""
    _authorize(actor=actor, complaint=complaint)
    text = _text(reason, field="reason", required=REASON_REQUIRED)
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        if locked.status not in SLA_RUNNING_STATUSES:
            raise _not_workable(locked)
        now = clock.now()
        if locked.next_escalation_at is not None and locked.next_escalation_at <= now:
            raise Conflict(
                _("Complaint %(number)s is already being escalated.") % {"number": locked.number},
                code="already_escalating",
            )
        top = EscalationRule.objects.aggregate(top=Max("level"))["top"] or 0
        escalating = locked.escalation_level < top
        complaint_event_add(
            complaint=locked,
            kind=EventKind.NEEDS_OTHER_TEAM,
            at=now,
            actor=actor,
            from_status=locked.status,
            to_status=locked.status,
            note=text,
        )
        if escalating:
            locked.next_escalation_at = now
            locked.save(update_fields=["next_escalation_at", "updated_at"])
    return OtherTeam(complaint=locked, escalating=escalating)
