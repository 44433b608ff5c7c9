"""Background jobs of the stakeholder groups (enqueued by the scheduler through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .bulletins import stakeholder_bulletins_send
from .digests import stakeholder_digests_send
from .press import press_bulletins_issue_due


@task()
def stakeholder_bulletins_dispatch() -> int:
    """Bulletins for the outage events since the last run (every few seconds)."""
    return stakeholder_bulletins_send()


@task()
def stakeholder_digests_dispatch() -> int:
    """Today's digests, once the digest hour has come (every few minutes; once a day each)."""
    return stakeholder_digests_send()


@task()
def press_bulletins_dispatch() -> int:
    """Each discom's daily press bulletin, once the press hour has come (every few minutes)."""
    return press_bulletins_issue_due()
