"""DESIGN.md section 4 defaults, loaded by a data migration; administrators edit them after."""

from __future__ import annotations

SOP = "UPERC SoP 2019 / DESIGN.md section 4"
SAMPARK = "Sampark default (no regulatory limit published)"

# category: (urban h, tehsil h, rural h, A-class urban h or None, Rs/day, source)
DEFAULTS: dict[str, tuple[int, int, int, int | None, int, str]] = {
    "no_supply": (4, 4, 8, None, 50, SOP),
    "line_breakdown": (6, 6, 24, None, 50, SOP),
    "ug_cable": (12, 12, 48, None, 100, SOP),
    "dt_failure": (8, 8, 24, 6, 150, SOP),
    "substation_low_voltage": (24, 24, 48, None, 250, SOP),
    "voltage_fluctuation": (240, 240, 240, None, 100, SOP),
    "meter": (168, 168, 360, None, 50, SOP),
    "bill_reading": (168, 168, 168, None, 200, SOP),
    "new_connection": (168, 168, 360, 72, 250, SOP),
    "safety_hazard": (1, 1, 2, None, 0, SOP),
    "call_centre_no_response": (24, 24, 24, None, 50, SAMPARK),
    "other": (72, 72, 72, None, 0, SAMPARK),
}


def default_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for category, (urban, tehsil, rural, a_class, rupees, source) in DEFAULTS.items():
        for area, hours in (("URBAN", urban), ("TEHSIL", tehsil), ("RURAL", rural)):
            rows.append(dict(category=category, area_type=area, a_class_city=False, hours=hours))
        if a_class is not None:
            rows.append(
                dict(category=category, area_type="URBAN", a_class_city=True, hours=a_class)
            )
        for row in rows[-4:]:
            if row["category"] == category:
                row.update(compensation_per_day=rupees, source=source)
    return rows
