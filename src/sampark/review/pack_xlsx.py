"""The review pack as an XLSX workbook: one sheet per section, numbers stored as numbers.

Every sheet has the same shape, so it can be read back by a program as well as by a person:
row 1 the section's title (first language / second), row 2 the column headers in the pack's
first language, row 3 the same headers in the other, data from row 4 (frozen above). Percent
figures are fractions formatted as percentages; durations are in the unit their header names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .pack import (
    DAY,
    FIGURE,
    MONTH,
    POSITION,
    RECEIVED,
    RESOLVED,
    SLA,
    TREND,
    Column,
    Kind,
    PackContent,
    Text,
    Value,
)

FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.PERCENT: "0.0%",
    Kind.HOURS: "0.0",
    Kind.ROUNDED: "0",
    Kind.INDEX: "0.000",
}
DATA_ROW = 4
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
SECTION = Text("खंड", "Section")
DATE = Text("तारीख", "Date")
NUMBER = Text("संख्या", "Number")


def _cell(value: Value, language: str) -> int | float | str | date | None:
    if isinstance(value, Text):
        return value.first(language)
    return value


def _sheet(
    book: Workbook,
    *,
    key: str,
    title: Text,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    language: str,
    widths: Sequence[int] = (),
) -> Worksheet:
    sheet = book.create_sheet(key[:31])
    sheet.append([f"{title.first(language)} / {title.second(language)}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([c.label.first(language) for c in columns])
    sheet.append([c.label.second(language) for c in columns])
    for cell in (*sheet[2], *sheet[3]):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell(value, language) for value in row])
    for index, column in enumerate(columns, start=1):
        number_format = FORMATS.get(column.kind)
        letter = sheet.cell(row=2, column=index).column_letter
        width = (
            widths[index - 1] if index <= len(widths) else (32 if column.kind == Kind.TEXT else 14)
        )
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(
                min_row=DATA_ROW, min_col=index, max_col=index, max_row=sheet.max_row
            ):
                cell.number_format = number_format
    sheet.freeze_panes = f"A{DATA_ROW}"
    return sheet


def _summary(book: Workbook, content: PackContent) -> None:
    language = content.language
    columns = (
        Column(SECTION, Kind.TEXT),
        Column(FIGURE, Kind.TEXT),
        Column(FIGURE, Kind.TEXT),
        Column(DAY, Kind.TEXT),
        Column(MONTH, Kind.TEXT),
    )
    rows = [
        (
            group.title.first(language),
            figure.label.first(language),
            figure.label.second(language),
            figure.day,
            figure.month,
        )
        for group in content.figures
        for figure in group.figures
    ]
    sheet = _sheet(
        book,
        key="summary",
        title=content.title,
        columns=columns,
        rows=rows,
        language=language,
        widths=(18, 34, 34, 14, 16),
    )
    # Each row has its own unit: format the two value cells row by row.
    kinds = [figure.kind for group in content.figures for figure in group.figures]
    for offset, kind in enumerate(kinds):
        for letter in ("D", "E"):
            sheet[f"{letter}{DATA_ROW + offset}"].number_format = FORMATS.get(kind, "General")


def _position(book: Workbook, content: PackContent) -> None:
    language = content.language
    generated = timezone.localtime(content.generated_at).strftime("%d/%m/%Y %H:%M")
    _sheet(
        book,
        key="position",
        title=Text(f"{POSITION.hi}, {generated}", f"{POSITION.en}, {generated}"),
        columns=(Column(FIGURE, Kind.TEXT), Column(FIGURE, Kind.TEXT), Column(NUMBER, Kind.COUNT)),
        rows=[(f.label.first(language), f.label.second(language), f.day) for f in content.position],
        language=language,
        widths=(34, 34, 14),
    )


def _trend(book: Workbook, content: PackContent) -> None:
    language = content.language
    sheet = _sheet(
        book,
        key="trend",
        title=TREND,
        columns=(
            Column(DATE, Kind.TEXT),
            Column(RECEIVED, Kind.COUNT),
            Column(RESOLVED, Kind.COUNT),
            Column(SLA, Kind.PERCENT),
        ),
        rows=[(p.day, p.received, p.resolved, p.sla_compliance) for p in content.trend],
        language=language,
        widths=(14, 16, 16, 18),
    )
    for (cell,) in sheet.iter_rows(min_row=DATA_ROW, max_col=1, max_row=sheet.max_row):
        cell.number_format = "DD/MM/YYYY"
    if not content.trend:
        return
    last = DATA_ROW + len(content.trend) - 1
    bars, line = BarChart(), LineChart()
    bars.title = TREND.first(language)
    for chart, column, label in ((bars, 2, RECEIVED), (line, 3, RESOLVED)):
        chart.add_data(Reference(sheet, min_col=column, min_row=DATA_ROW, max_row=last))
        chart.series[0].tx = SeriesLabel(v=label.first(language))
    bars += line
    bars.set_categories(Reference(sheet, min_col=1, min_row=DATA_ROW, max_row=last))
    bars.width, bars.height = 24, 10
    sheet.add_chart(bars, "F2")


def pack_xlsx_render(content: PackContent) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = content.title.en
    book.properties.creator = "Sampark"
    _summary(book, content)
    _position(book, content)
    for table in content.tables:
        sheet = _sheet(
            book,
            key=table.key,
            title=table.title,
            columns=table.columns,
            rows=[row.cells for row in table.rows],
            language=content.language,
        )
        for offset, row in enumerate(table.rows):
            if row.level:  # a circle under its zone
                sheet.cell(row=DATA_ROW + offset, column=1).alignment = Alignment(indent=row.level)
    _trend(book, content)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
