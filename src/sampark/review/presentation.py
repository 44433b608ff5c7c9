"""Lay a Dashboard out for the page: breadcrumbs, sorted rows, links behind figures, charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sampark.accounts.models import Role
from sampark.complaints.models import Category, Channel
from sampark.network.models import OrgUnit

from .charts import Series, chart_svg
from .forms import ReviewForm
from .selectors import ComplaintRow, Dashboard

# Columns of the children table that can be sorted (server side; the JS does the same).
SORTABLE = (
    "name",
    "received",
    "resolved",
    "pending",
    "overdue",
    "sla_compliance",
    "median_seconds",
    "p90_seconds",
    "closed_confirmed",
    "closed_unconfirmed",
    "reopen_rate",
    "resolution_rejected",
    "breached",
    "escalations",
    "csat",
)


@dataclass(frozen=True)
class Links:
    received: str
    pending: str
    overdue: str
    period: str  # every complaint registered in the period, whatever its status


@dataclass(frozen=True)
class RowView:
    row: ComplaintRow
    drill: str | None  # the child's own review page
    links: Links | None


def complaints_url(**params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("staff:home") + "?" + urlencode(query)


def _links(*, unit: str, start: date, end: date, assignee: int | None = None, **more: Any) -> Links:
    base = {"unit": unit, "assignee": assignee, **more}
    period = {"registered_from": start.isoformat(), "registered_to": end.isoformat()}
    return Links(
        received=complaints_url(status="all", **base, **period),
        pending=complaints_url(**base),
        overdue=complaints_url(overdue="on", **base),
        period=complaints_url(status="all", **base, **period),
    )


def review_url(unit: OrgUnit, form: ReviewForm) -> str:
    data = {k: v for k, v in form.cleaned_data.items() if v and k not in ("unit", "sort")}
    return reverse("review:dashboard") + "?" + urlencode({"unit": unit.pk, **data})


def _sort_key(name: str):
    def key(view: RowView) -> Any:
        if name == "name":
            return view.row.name_en.lower()
        value = getattr(view.row.figures, name)
        return (value is None, value if value is not None else 0)

    return key


def page_context(board: Dashboard, *, form: ReviewForm, sort: str) -> dict[str, Any]:
    view, figures = board.view, board.complaints
    start, end = view.start, view.end
    rows = []
    children = {c.id: c for c in view.children}
    for row in figures.rows:
        if row.unit_id is not None:
            child = children[row.unit_id]
            rows.append(
                RowView(row, review_url(child, form), _links(unit=child.code, start=start, end=end))
            )
        elif row.je_id is not None:
            links = _links(unit=view.unit.code, start=start, end=end, assignee=row.je_id)
            rows.append(RowView(row, None, links))
        else:
            rows.append(RowView(row, None, None))
    name = sort.lstrip("-")
    if name in SORTABLE:
        rows.sort(key=_sort_key(name), reverse=sort.startswith("-"))
    labels = [f"{t.day:%d/%m}" for t in board.trend]
    flow_chart = chart_svg(
        title=_("Complaints received and resolved per day"),
        x_labels=labels,
        series=[
            Series(_("Received"), [t.received for t in board.trend], "bar", "s-received"),
            Series(_("Resolved"), [t.resolved for t in board.trend], "line", "s-resolved"),
        ],
    )
    sla_chart = chart_svg(
        title=_("Resolved within the time limit, per day"),
        x_labels=labels,
        series=[
            Series(
                _("Within time limit"),
                [t.sla_compliance for t in board.trend],
                "line",
                "s-sla",
            )
        ],
        top=1.0,
        percent=True,
    )
    ancestors = list(OrgUnit.objects.filter(path__in=view.unit.ancestor_paths()).order_by("depth"))
    here = view.unit.code
    return {
        "form": form,
        "board": board,
        "view": view,
        "figures": figures,
        "rows": rows,
        "sort": sort,
        "sortable": SORTABLE,
        "sort_base": review_url(view.unit, form) + "&sort=",
        "crumbs": [(u, review_url(u, form)) for u in ancestors],
        "total_links": _links(unit=here, start=start, end=end),
        "category_links": {
            c.category: _links(unit=here, start=start, end=end, category=c.category)
            for c in figures.categories
        },
        "channel_links": {
            c.channel: complaints_url(
                status="all",
                unit=here,
                channel=c.channel,
                registered_from=start.isoformat(),
                registered_to=end.isoformat(),
            )
            for c in figures.channels
        },
        "category_labels": dict(Category.choices),
        "channel_labels": dict(Channel.choices),
        "role_labels": dict(Role.choices),
        "flow_chart": flow_chart,
        "sla_chart": sla_chart,
    }
