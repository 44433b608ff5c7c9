"""Reads on the call centre: the live queues, agents, callbacks due, a caller's wait estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import Role, StaffUser
from sampark.accounts.permissions import Action, can, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.errors import NotFound, ValidationFailed
from sampark.network.models import OrgLevel, OrgUnit

from .kpis import Seconds, seconds_of
from .models import AgentState, AgentStatus, Call, Callback, CallbackStatus, CallQueue

# Without history: a typical 1912 call (4 minutes) and one agent per waiting caller's turn.
DEFAULT_HANDLE = timedelta(minutes=4)
# Average handle time is taken over the calls answered in this recent window.
HANDLE_WINDOW = timedelta(hours=2)
BUSY = (AgentStatus.AVAILABLE, AgentStatus.ON_CALL, AgentStatus.WRAP_UP)


def calls_waiting(*, queue: str = "", discom: OrgUnit | None = None) -> QuerySet[Call]:
    """Calls in an agent queue now: queued, neither answered nor ended (a partial index)."""
    waiting = Call.objects.filter(
        queued_at__isnull=False, answered_at__isnull=True, ended_at__isnull=True
    )
    if queue:
        waiting = waiting.filter(queue=queue)
    if discom is not None:
        waiting = waiting.filter(discom=discom)
    return waiting


def handle_time_recent(*, queue: str = "", now: datetime | None = None) -> timedelta | None:
    """Average talk time of the calls answered and ended in the last two hours."""
    now = now or clock.now()
    done = Call.objects.filter(
        answered_at__gte=now - HANDLE_WINDOW, ended_at__isnull=False, answered_at__lte=now
    )
    if queue:
        done = done.filter(queue=queue)
    seconds = [
        (ended - answered).total_seconds()
        for answered, ended in done.values_list("answered_at", "ended_at")[:500]
        if answered is not None and ended is not None and ended >= answered
    ]
    return timedelta(seconds=sum(seconds) / len(seconds)) if seconds else None


def queue_wait_estimate(*, queue: str, discom: OrgUnit | None = None) -> timedelta:
    """How long a caller joining `queue` now may wait: the callers ahead of them times the recent
    average handle time, shared among the agents signed in (available, on a call or wrapping
    up). No history: 4 minutes a call; no agent signed in: as if one were."""
    ahead = calls_waiting(queue=queue, discom=discom).count()
    handle = handle_time_recent(queue=queue) or handle_time_recent() or DEFAULT_HANDLE
    agents = AgentState.objects.filter(status__in=BUSY).count()
    return handle * (ahead + 1) / max(agents, 1)


def callbacks_due(*, user: StaffUser) -> QuerySet[Callback]:
    """Pending callbacks the user may work, oldest due first. A callback without a discom (an
    unknown caller on a statewide line) is visible to all desk staff."""
    require(user, Action.CALLBACK_WORK)
    scope = staff_scope(user)
    pending = Callback.objects.filter(status=CallbackStatus.PENDING).select_related(
        "call", "consumer", "discom", "agent"
    )
    if scope.empty:
        return pending.none()
    if scope.path_prefix is not None:
        pending = pending.filter(
            Q(discom__isnull=True) | Q(discom__path__startswith=scope.path_prefix)
        )
    return pending.order_by("due_at", "id")


def callbacks_for_staff(
    *, user: StaffUser, status: str = "", since: datetime | None = None
) -> QuerySet[Callback]:
    """Callbacks of any status in the user's jurisdiction, newest first (the callbacks page)."""
    if not can(user, Action.CALLBACK_WORK):
        require(user, Action.CALLCENTRE_SUPERVISE)
    scope = staff_scope(user)
    rows = Callback.objects.select_related("call", "consumer", "discom", "agent")
    if scope.empty:
        return rows.none()
    if scope.path_prefix is not None:
        rows = rows.filter(Q(discom__isnull=True) | Q(discom__path__startswith=scope.path_prefix))
    if status:
        rows = rows.filter(status=status)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return rows.order_by("-created_at", "-id")


def callback_get_for_staff(*, user: StaffUser, callback_id: int) -> Callback:
    found = callbacks_for_staff(user=user).filter(pk=callback_id).first()
    if found is None:
        raise NotFound()
    return found


UNKNOWN_DISCOM = _("No discom in your area has this code.")


def calls_for_staff(*, user: StaffUser) -> QuerySet[Call]:
    """Calls of the user's jurisdiction. Calls whose discom is not known (a withheld number on
    the statewide line) belong to the statewide desk: staff whose jurisdiction is the state."""
    scope = staff_scope(user)
    calls = Call.objects.all()
    if scope.empty:
        return calls.none()
    if scope.path_prefix is None:
        return calls
    in_area = Q(discom__path__startswith=scope.path_prefix)
    if len(scope.path_prefix) <= OrgUnit.steplen:
        in_area |= Q(discom__isnull=True)
    return calls.filter(in_area)


def discom_for_staff(*, user: StaffUser, code: str, field: str = "discom") -> OrgUnit:
    found = OrgUnit.objects.filter(code=code, level=OrgLevel.DISCOM).first()
    if found is None or not staff_scope(user).covers(found.path):
        raise ValidationFailed(fields={field: UNKNOWN_DISCOM})
    return found


def _today_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class AgentRow:
    agent_id: int
    name: str
    status: str
    status_label: str
    since: datetime | None
    answered_today: int
    aht_seconds: float | None


@dataclass(frozen=True)
class QueueRow:
    queue: str
    label: str
    waiting: int
    longest_wait_seconds: float | None
    answered_today: int
    abandoned_today: int
    service_level_today: float | None


def _agents_in_scope(user: StaffUser) -> QuerySet[StaffUser]:
    require(user, Action.CALLCENTRE_SUPERVISE)
    scope = staff_scope(user)
    agents = StaffUser.objects.filter(role=Role.AGENT, is_active=True)
    if scope.empty:
        return agents.none()
    if scope.path_prefix is None:
        return agents
    # Agents serving the supervisor's area: jurisdiction inside it, or above it (statewide desk).
    return agents.filter(
        Q(jurisdiction__path__startswith=scope.path_prefix)
        | Q(jurisdiction__path__in=_prefixes(scope.path_prefix))
    )


def _prefixes(path: str) -> list[str]:
    step = OrgUnit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def agents_overview(*, user: StaffUser, now: datetime | None = None) -> list[AgentRow]:
    """Each agent: status and since when, calls answered today and their average handle time."""
    now = now or clock.now()
    start = _today_start(now)
    agents = list(_agents_in_scope(user).select_related("agent_state").order_by("username"))
    ids = [agent.pk for agent in agents]
    answered = {
        row["agent_id"]: row
        for row in Call.objects.filter(agent_id__in=ids, answered_at__gte=start)
        .values("agent_id")
        .annotate(
            n=Count("id"),
            talk=Avg(Seconds(F("ended_at"), F("answered_at")), filter=Q(ended_at__isnull=False)),
        )
    }
    rows = []
    for agent in agents:
        state = getattr(agent, "agent_state", None)
        status = state.status if state is not None else AgentStatus.OFFLINE
        stats = answered.get(agent.pk, {})
        talk = stats.get("talk")
        rows.append(
            AgentRow(
                agent_id=agent.pk,
                name=agent.get_full_name() or agent.username,
                status=status,
                status_label=str(AgentStatus(status).label),
                since=state.since if state is not None else None,
                answered_today=stats.get("n", 0),
                aht_seconds=seconds_of(talk),
            )
        )
    return rows


def queues_overview(*, user: StaffUser, now: datetime | None = None) -> list[QueueRow]:
    """Per queue: callers waiting now and the longest wait, answered and abandoned today, and
    today's service level (answered within SAMPARK_SERVICE_LEVEL_SECONDS)."""
    require(user, Action.CALLCENTRE_SUPERVISE)
    now = now or clock.now()
    calls = calls_for_staff(user=user)
    waiting = {
        row["queue"]: row
        for row in calls.filter(
            queued_at__isnull=False, answered_at__isnull=True, ended_at__isnull=True
        )
        .values("queue")
        .annotate(n=Count("id"), oldest=Min("queued_at"))
    }
    threshold = settings.SAMPARK_SERVICE_LEVEL_SECONDS + 0.001  # as kpis.py: to the ms
    today = {
        row["queue"]: row
        for row in calls.filter(queued_at__gte=_today_start(now), queued_at__lte=now)
        .annotate(
            wait_s=Seconds(F("answered_at"), F("queued_at")),
            gave_up_s=Seconds(F("ended_at"), F("queued_at")),
        )
        .values("queue")
        .annotate(
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            abandoned=Count("id", filter=Q(answered_at__isnull=True, outcome="abandoned")),
            fast=Count("id", filter=Q(answered_at__isnull=False, wait_s__lte=threshold)),
            slow_abandon=Count(
                "id",
                filter=Q(answered_at__isnull=True, outcome="abandoned", gave_up_s__gt=threshold),
            ),
        )
    }
    rows = []
    for queue in CallQueue:
        now_row = waiting.get(queue.value, {})
        day = today.get(queue.value, {})
        oldest = now_row.get("oldest")
        answered, abandoned = day.get("answered", 0), day.get("abandoned", 0)
        base = answered + day.get("slow_abandon", 0)
        rows.append(
            QueueRow(
                queue=queue.value,
                label=str(queue.label),
                waiting=now_row.get("n", 0),
                longest_wait_seconds=(now - oldest).total_seconds() if oldest else None,
                answered_today=answered,
                abandoned_today=abandoned,
                service_level_today=(day.get("fast", 0) / base) if base else None,
            )
        )
    return rows
