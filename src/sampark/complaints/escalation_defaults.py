"""The default escalation ladder, loaded by a data migration; administrators edit it after:
SDO at the time limit, then XEN, SE, CE and MD at 1.5, 2, 3 and 4 times it."""

from __future__ import annotations

from decimal import Decimal

EXPLANATION_HOURS = 24

# (level, role, multiple of the time limit)
LADDER: list[tuple[int, str, Decimal]] = [
    (1, "sdo", Decimal("1.00")),
    (2, "xen", Decimal("1.50")),
    (3, "se", Decimal("2.00")),
    (4, "ce", Decimal("3.00")),
    (5, "md", Decimal("4.00")),
]
