"""Call-centre figures of a review page: the call-centre KPIs (sampark.callcentre.kpis).

Calls are attributed to a discom (the line called), not to places below it: a zone's page shows
its discom's figures; the state's page shows each discom side by side and the total.
"""

from __future__ import annotations

from dataclasses import dataclass

from sampark.callcentre.kpis import KpiRow, call_kpis_summary
from sampark.network.models import OrgLevel, OrgUnit

from .scope import View, local_bounds


@dataclass(frozen=True)
class CallRow:
    key: str
    name_en: str
    name_hi: str
    unit_id: int | None
    kpis: KpiRow

    def name(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


@dataclass(frozen=True)
class CallFigures:
    discom: OrgUnit | None  # whose calls (None: the whole state)
    rows: tuple[CallRow, ...]  # per discom on the state's page, else empty
    total: KpiRow


def call_figures(view: View) -> CallFigures:
    start, end = local_bounds(view.start, view.end)
    if view.unit.level == OrgLevel.STATE:
        rows = tuple(
            CallRow(
                d.code,
                d.name_en,
                d.name_hi,
                d.id,
                call_kpis_summary(start=start, end=end, discom=d),
            )
            for d in view.children
        )
        return CallFigures(None, rows, call_kpis_summary(start=start, end=end))
    discom = view.unit if view.unit.level == OrgLevel.DISCOM else view.unit.discom()
    return CallFigures(discom, (), call_kpis_summary(start=start, end=end, discom=discom))
