"""EstimatedCountPaginator: exact counts when filtered or small, planner estimate when huge."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sampark.consumers.models import Consumer
from sampark.core import paginators
from sampark.core.paginators import EstimatedCountPaginator


def test_small_or_filtered_lists_count_exactly(net):
    assert EstimatedCountPaginator(Consumer.objects.order_by("id"), 50).count == 3
    filtered = Consumer.objects.filter(area_type="RURAL").order_by("id")
    assert EstimatedCountPaginator(filtered, 50).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="uses pg_class statistics")
def test_huge_unfiltered_list_uses_the_planner_estimate(net, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consumers_consumer")
    with CaptureQueriesContext(connection) as queries:
        assert EstimatedCountPaginator(Consumer.objects.order_by("id"), 50).count == 3
    assert [q["sql"] for q in queries] == [
        "SELECT reltuples::bigint FROM pg_class WHERE oid = 'consumers_consumer'::regclass"
    ]
    filtered = Consumer.objects.filter(area_type="RURAL").order_by("id")
    assert EstimatedCountPaginator(filtered, 50).count == 1
