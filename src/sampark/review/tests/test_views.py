"""The review page: figures and links on the page, drill-down, sorting, scoping, permissions,
bad input, both languages and a pinned number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sampark.review.rollup import rollup_refresh

from .conftest import D1, D2

pytestmark = pytest.mark.django_db
URL = "/staff/review/"


@pytest.fixture
def rolled(history):
    rollup_refresh()
    return history


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def period(**more):
    return {"start": D1.isoformat(), "end": D2.isoformat(), **more}


def cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    text = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in text if row]


def test_division_page_children_side_by_side_with_links(rolled, client, staff, net):
    response = page(client, staff["md"], unit=net.division.pk, **period())
    assert response.status_code == 200
    html = response.content.decode()
    rows = cells(html, "children")
    # Heading row, then SD1 and SD2, then the total
    assert rows[1][:5] == ["Aminabad I", "2", "3", "0", "0"]
    assert rows[2][:5] == ["Aminabad II", "2", "0", "2", "1"]
    assert rows[3][:5] == ["Total", "4", "3", "2", "1"]
    assert rows[1][5] == "66.7%" and rows[2][5] == "—"
    # Each child links to its own review page and its figures to the complaints behind them
    assert f"?unit={net.sd2.pk}&amp;start=2026-03-10&amp;end=2026-03-11" in html
    overdue_sd2 = reverse("staff:home") + "?overdue=on&amp;unit=SD-AMN-2"
    assert f'<a href="{overdue_sd2}">1</a>' in html
    # The trend charts are drawn on the server
    assert html.count('<svg class="chart"') == 2


def test_figure_links_open_the_complaints_behind_them(rolled, client, staff, net):
    client.force_login(staff["md"])
    listed = client.get(
        reverse("staff:home"),
        {"unit": "SD-AMN-2", "overdue": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert rolled.c.number in listed and rolled.f.number not in listed
    received = client.get(
        reverse("staff:home"),
        {"status": "all", "unit": "SD-AMN-1", "registered_from": "2026-03-10",
         "registered_to": "2026-03-10", "channel": "whatsapp"},
    ).content.decode()  # fmt: skip
    assert rolled.b.number in received and rolled.a.number not in received
    mine = client.get(
        reverse("staff:home"), {"status": "all", "unit": "MVVNL", "assignee": staff["je2"].pk}
    ).content.decode()
    assert rolled.c.number in mine and rolled.f.number in mine and rolled.a.number not in mine


def test_subdivision_page_lists_jes_and_sorts(rolled, client, staff, net):
    response = page(client, staff["md"], unit=net.sd1.pk, sort="-received", **period())
    rows = cells(response.content.decode(), "children")
    assert rows[1][:4] == [staff["je"].get_full_name(), "2", "3", "0"]


def test_sort_on_the_server(rolled, client, staff, net):
    def order(sort: str) -> list[list[str]]:
        response = page(client, staff["md"], unit=net.division.pk, sort=sort, **period())
        return cells(response.content.decode(), "children")

    by_overdue, by_name = order("-overdue"), order("name")
    assert [r[0] for r in by_overdue[1:3]] == ["Aminabad II", "Aminabad I"]
    assert [r[0] for r in by_name[1:3]] == ["Aminabad I", "Aminabad II"]


def test_sdo_cannot_open_a_sibling_and_field_staff_have_no_page(rolled, client, staff, net):
    assert page(client, staff["sdo"], unit=net.sd2.pk).status_code == 404
    assert page(client, staff["sdo"], unit=999_999).status_code == 404
    assert page(client, staff["je"]).status_code == 403
    own = page(client, staff["sdo"])
    assert own.status_code == 200 and "Aminabad I" in own.content.decode()
    assert "Aminabad II" not in own.content.decode()


def test_bad_period_is_a_400_with_the_field_message(rolled, client, staff):
    response = page(client, staff["md"], start="2026-03-11", end="2026-03-10")
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()
    response = page(client, staff["md"], start="2024-01-01", end="2026-03-10")
    assert response.status_code == 400
    assert "at most a year" in response.content.decode()


def test_hindi_labels(rolled, client, staff, net):
    client.force_login(staff["md"])
    with translation.override("hi"):
        html = client.get(URL, period(unit=net.mvvnl.pk), HTTP_ACCEPT_LANGUAGE="hi").content
    text = html.decode()
    assert 'lang="hi"' in text
    assert "शिकायत" in text  # "Complaints" in the Hindi catalogue


@pytest.mark.parametrize("unit", ["state", "mvvnl", "division", "sd1"])
def test_query_count_is_pinned(rolled, client, staff, net, unit):
    client.force_login(staff["admin"])
    client.get(URL, period(unit=getattr(net, unit).pk))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, period(unit=getattr(net, unit).pk))
    assert response.status_code == 200
    expected = {"state": 20, "mvvnl": 17, "division": 18, "sd1": 21}[unit]
    assert len(queries) == expected, "\n".join(q["sql"][:150] for q in queries)
