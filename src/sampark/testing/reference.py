"""Reference data the migrations load (SLA policies, the escalation ladder), loaded again for
tests that run in real transactions: a transactional test's flush empties every table, data
migrations included, and restoring a serialized copy races with the content types that other
transactional tests re-create."""

from __future__ import annotations

from sampark.complaints.escalation_defaults import EXPLANATION_HOURS, LADDER
from sampark.complaints.models import EscalationRule, SlaPolicy
from sampark.complaints.sla_defaults import default_rows


def reference_data_ensure() -> None:
    """The migrations' reference rows, when a flush took them away (idempotent)."""
    if not SlaPolicy.objects.exists():
        SlaPolicy.objects.bulk_create(SlaPolicy(**row) for row in default_rows())
    if not EscalationRule.objects.exists():
        EscalationRule.objects.bulk_create(
            EscalationRule(
                level=level, role=role, multiple=multiple, explanation_hours=EXPLANATION_HOURS
            )
            for level, role, multiple in LADDER
        )
