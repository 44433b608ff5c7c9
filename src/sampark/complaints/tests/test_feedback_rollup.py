"""Ratings roll up per agent, JE and division, and stay inside the viewer's jurisdiction."""

from __future__ import annotations

import pytest

from sampark.complaints.feedback import complaint_rate
from sampark.complaints.feedback_selectors import RollupBy, ratings_rollup
from sampark.complaints.models import Status
from sampark.complaints.services import complaint_register, complaint_transition
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db


def closed_and_rated(*, consumer, category, actor, rating):
    complaint = complaint_register(
        category=category, channel="agent", consumer=consumer, actor=actor
    ).complaint
    complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=None)
    complaint = complaint_transition(complaint=complaint, to_status=Status.CLOSED, actor=None)
    complaint_rate(complaint=complaint, rating=rating, channel="sms")
    return complaint


def test_ratings_per_agent_je_and_division(net, staff):
    agent = staff["agent"]
    c1 = closed_and_rated(consumer=net.consumer1, category="no_supply", actor=agent, rating=5)
    closed_and_rated(consumer=net.consumer1, category="meter", actor=agent, rating=2)
    other = ConsumerFactory(dt=net.dt2)
    closed_and_rated(consumer=other, category="no_supply", actor=agent, rating=4)

    by_agent = ratings_rollup(user=staff["md"], by=RollupBy.AGENT)
    assert [(r.label, r.ratings, r.average, r.low) for r in by_agent] == [
        (agent.get_full_name() or agent.username, 3, 3.67, 1)
    ]
    by_je = {
        r.key: (r.ratings, r.average) for r in ratings_rollup(user=staff["md"], by=RollupBy.JE)
    }
    assert by_je[str(c1.assigned_to_id)] == (2, 3.5)
    by_division = ratings_rollup(user=staff["md"], by=RollupBy.DIVISION)
    assert [(r.key, r.ratings) for r in by_division] == [(net.division.path, 3)]


def test_an_sdo_sees_only_ratings_of_their_sub_division(net, staff):
    agent = staff["agent"]
    closed_and_rated(consumer=net.consumer1, category="no_supply", actor=agent, rating=5)
    closed_and_rated(consumer=ConsumerFactory(dt=net.dt2), category="meter", actor=agent, rating=1)

    rows = ratings_rollup(user=staff["sdo"], by=RollupBy.AGENT)

    assert [(r.ratings, r.average) for r in rows] == [(1, 5.0)]
