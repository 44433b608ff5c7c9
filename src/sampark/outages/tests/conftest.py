"""Scene for outage tests: the small network plus a few more consumers on substation SS-AMN.

SS-AMN (sub-division 1) > F-AMN-1 > DT-AMN-1: consumer1 (SMS, Hindi), `wa_en` (WhatsApp,
English), `silent` (mobile, no consent), `no_mobile`; F-AMN-1 > DT-AMN-2: `dt2_sms`;
SS-AMN > F-AMN-2 > DT-AMN-3: `f2_sms`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.services import outage_declare
from sampark.testing.factories import ConsumerFactory, FeederFactory, TransformerFactory


@pytest.fixture
def area(net):
    dt_amn_2 = TransformerFactory(code="DT-AMN-2", feeder=net.feeder1)
    feeder_amn_2 = FeederFactory(code="F-AMN-2", substation=net.ss1, name_en="Hazratganj")
    dt_amn_3 = TransformerFactory(code="DT-AMN-3", feeder=feeder_amn_2)
    return {
        "c1": net.consumer1,
        "wa_en": ConsumerFactory(
            dt=net.dt1,
            mobile="+919839000001",
            language="en",
            consent_whatsapp=True,
            consent_sms=False,
        ),
        "silent": ConsumerFactory(dt=net.dt1, mobile="+919839000002", consent_sms=False),
        "no_mobile": ConsumerFactory(dt=net.dt1, mobile=None),
        "dt2_sms": ConsumerFactory(dt=dt_amn_2, mobile="+919839000003"),
        "f2_sms": ConsumerFactory(dt=dt_amn_3, mobile="+919839000004"),
        "dt_amn_2": dt_amn_2,
        "feeder_amn_2": feeder_amn_2,
        "dt_amn_3": dt_amn_3,
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Call a service and run what it left for after commit (the fan-out task, in-process)."""

    def call(service: Callable[..., Any], **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def declare(committed, staff) -> Callable[..., Any]:
    """Declare an unplanned outage as JE 1 (ETR in 2 h), fan-out included."""

    def call(**kwargs: Any) -> Any:
        values: dict[str, Any] = {
            "kind": "unplanned",
            "reason_code": "feeder_11kv_trip",
            "etr": clock.now() + timedelta(hours=2),
            "actor": staff["je"],
        }
        values.update(kwargs)
        return committed(outage_declare, **values)

    return call


def sent_to(*, topic: str | None = None, event: str | None = None) -> dict[str, str]:
    """recipient -> channel of outbox rows (of one topic/event)."""
    rows = Notification.objects.all()
    if topic:
        rows = rows.filter(topic=topic)
    if event:
        rows = rows.filter(event=event)
    return dict(rows.values_list("recipient", "channel"))
