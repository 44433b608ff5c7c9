"""The review pack as a PDF: A4 landscape, both languages on every page, the configured first.

fpdf2 shapes the text with HarfBuzz (`set_text_shaping`), so conjuncts and matras come out as in
print, in Noto Sans Devanagari (Latin from Noto Sans). fpdf2's ToUnicode map cannot say that a
reordered glyph (the i-matra drawn before its consonant) belongs after it, so copied or
extracted text would come out scrambled; every Devanagari string is therefore wrapped in an
ActualText span (PDF 1.5, as Chromium writes it) that carries the text in logical order.
Page breaks are made here, never automatically, so a span never straddles two pages.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from fpdf import FPDF

from .pack import (
    DAY,
    GENERATED,
    MONTH,
    POSITION,
    RECEIVED,
    RESOLVED,
    SLA,
    TREND,
    Column,
    Figure,
    FigureGroup,
    Kind,
    PackContent,
    Table,
    Text,
    Value,
)

FONTS = {
    ("deva", ""): "NotoSansDevanagari-Regular.ttf",
    ("deva", "B"): "NotoSansDevanagari-Bold.ttf",
    ("latin", ""): "NotoSans-Regular.ttf",
    ("latin", "B"): "NotoSans-Bold.ttf",
}
MARGIN = 12.0
INK = (20, 20, 20)
GREY = (100, 100, 100)
RULE = (190, 190, 190)
SHADE = (238, 242, 247)
BAR = (150, 180, 215)
LINE = (25, 60, 120)
GREEN = (30, 130, 70)
DASH = "—"

logging.getLogger("fontTools").setLevel(logging.WARNING)  # one INFO line per glyph subset


def font_paths() -> dict[tuple[str, str], Path]:
    folder = Path(settings.SAMPARK_PDF_FONT_DIR)
    paths = {key: folder / name for key, name in FONTS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ImproperlyConfigured(
            f"The review pack PDF needs the Noto fonts {missing}: install Debian's "
            "fonts-noto-core (`make fonts`) or point SAMPARK_PDF_FONT_DIR at them."
        )
    return paths


def indian(number: int) -> str:
    """1234567 -> 12,34,567 (lakh grouping, as officers read figures)."""
    sign, digits = ("-" if number < 0 else ""), str(abs(number))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return sign + ",".join([head, *groups, tail]) if head else sign + ",".join([*groups, tail])


def _trim(number: float, places: int) -> str:
    return f"{number:.{places}f}".rstrip("0").rstrip(".") or "0"


def format_value(value: Value, kind: Kind, language: str) -> str:
    if value is None:
        return DASH
    if isinstance(value, Text):
        return value.first(language)
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if kind == Kind.COUNT:
        return indian(round(value))
    if kind == Kind.PERCENT:
        return f"{value * 100:.1f}%"
    if kind == Kind.HOURS:
        return f"{value:.1f}"
    if kind == Kind.ROUNDED:
        return f"{value:.0f}"
    if kind == Kind.INDEX:
        return _trim(value, 3)
    return str(value)


def _has_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff" for ch in text)


class PackPdf(FPDF):
    def __init__(self, content: PackContent) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.content = content
        self.language = content.language
        for (family, style), path in font_paths().items():
            self.add_font(family, style=style, fname=str(path))
        self.set_fallback_fonts(["latin"])
        self.set_text_shaping(True)
        self.set_auto_page_break(False)  # see the module's docstring
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_title(content.title.en)
        self.set_lang(content.language)
        self.set_creator("Sampark")

    # --- text --------------------------------------------------------------------------------

    @contextmanager
    def actual_text(self, text: str) -> Iterator[None]:
        if not _has_devanagari(text):
            yield
            return
        encoded = "FEFF" + text.encode("utf-16-be").hex().upper()
        self._out(f"/Span <</ActualText <{encoded}>>> BDC")
        yield
        self._out("EMC")

    def fit(self, text: str, width: float) -> str:
        """Cut at a word boundary (never inside a syllable) so the text fits `width`."""
        room = width - 2 * self.c_margin
        if self.get_string_width(text) <= room:
            return text
        words = text.split(" ")
        while len(words) > 1:
            words.pop()
            cut = " ".join(words).rstrip(",;:") + "…"
            if self.get_string_width(cut) <= room:
                return cut
        return words[0]

    def write_cell(
        self,
        width: float,
        height: float,
        text: str,
        *,
        size: float = 9,
        bold: bool = False,
        align: str = "L",
        color: tuple[int, int, int] = INK,
        fill: bool = False,
    ) -> None:
        self.set_font("deva", style="B" if bold else "", size=size)
        while size > 6 and self.get_string_width(text) > width - 2 * self.c_margin:
            size -= 0.5  # shrink a little before cutting words off
            self.set_font_size(size)
        # fpdf2 sets fallback-font fragments inside q..Q, then believes its own font is still
        # current on the page: without this, the next cell could be drawn in the wrong font.
        self.current_font_is_set_on_page = False
        self.set_text_color(*color)
        text = self.fit(text, width)
        with self.actual_text(text):
            self.cell(width, height, text, align=align, fill=fill)

    def two_lines(
        self,
        width: float,
        height: float,
        text: Text,
        *,
        size: float = 9,
        bold: bool = False,
        align: str = "L",
    ) -> None:
        """The first language above, the second smaller and grey below, in one box."""
        x, y = self.get_x(), self.get_y()
        first, second = text.first(self.language), text.second(self.language)
        self.write_cell(width, height * 0.55, first, size=size, bold=bold, align=align)
        self.set_xy(x, y + height * 0.5)
        self.write_cell(width, height * 0.45, second, size=size - 2, color=GREY, align=align)
        self.set_xy(x + width, y)

    def room(self) -> float:
        return self.h - MARGIN - 8 - self.get_y()  # 8 mm kept for the footer

    def footer(self) -> None:
        content = self.content
        self.set_xy(MARGIN, self.h - MARGIN - 4)
        page = Text(f"पृष्ठ {self.page_no()}", f"Page {self.page_no()}")
        generated = timezone.localtime(content.generated_at).strftime("%d/%m/%Y %H:%M")
        line = (
            f"{content.discom.first(self.language)} · {GENERATED.first(self.language)} "
            f"{generated} · {page.first(self.language)} / {page.second(self.language)}"
        )
        self.write_cell(self.epw, 4, line, size=7, color=GREY, align="C")

    # --- blocks ------------------------------------------------------------------------------

    def heading(self, text: Text, *, size: float = 12) -> None:
        self.set_x(MARGIN)
        self.write_cell(self.epw, size * 0.6, text.first(self.language), size=size, bold=True)
        self.ln(size * 0.6)
        self.write_cell(self.epw, size * 0.45, text.second(self.language), size=size * 0.75)
        self.ln(size * 0.5 + 1)

    def title_block(self) -> None:
        content = self.content
        self.heading(content.title, size=16)
        period = (
            f"{DAY.first(self.language)} / {DAY.second(self.language)}: {content.day:%d/%m/%Y}"
            f"   ·   {MONTH.first(self.language)} / {MONTH.second(self.language)}: "
            f"{content.month_start:%d/%m} - {content.day:%d/%m/%Y}"
        )
        self.write_cell(self.epw, 5, period, size=9, color=GREY)
        self.ln(7)

    def figure_group(self, group: FigureGroup, *, x: float, y: float, width: float) -> float:
        """One group of headline figures as a small table; returns the bottom edge."""
        label_w, value_w, row_h = width * 0.56, width * 0.22, 8.0
        self.set_xy(x, y)
        self.set_fill_color(*SHADE)
        self.rect(x, y, width, row_h, style="F")
        self.two_lines(label_w, row_h, group.title, size=9, bold=True)
        self.two_lines(value_w, row_h, DAY, size=8, bold=True, align="R")
        self.two_lines(value_w, row_h, MONTH, size=8, bold=True, align="R")
        y += row_h
        for figure in group.figures:
            self.set_xy(x, y)
            self.two_lines(label_w, row_h, figure.label, size=8)
            for value in (figure.day, figure.month):
                text = format_value(value, figure.kind, self.language)
                self.write_cell(value_w, row_h, text, size=9, align="R")
            self.set_draw_color(*RULE)
            self.line(x, y + row_h, x + width, y + row_h)
            y += row_h
        return y

    def position_block(self, figures: Sequence[Figure], *, x: float, y: float, w: float) -> float:
        self.set_xy(x, y)
        self.set_fill_color(*SHADE)
        self.rect(x, y, w, 8, style="F")
        self.two_lines(w, 8, POSITION, size=9, bold=True)
        y += 8
        for figure in figures:
            self.set_xy(x, y)
            self.two_lines(w * 0.7, 8, figure.label, size=8)
            self.write_cell(
                w * 0.3, 8, format_value(figure.day, figure.kind, self.language), align="R"
            )
            self.set_draw_color(*RULE)
            self.line(x, y + 8, x + w, y + 8)
            y += 8
        return y

    def trend_chart(self, *, x: float, y: float, w: float, h: float) -> None:
        """Received per day as bars, resolved as a line (left axis), SLA compliance as a
        dashed line (right axis, 0-100%): vector drawing, no image."""
        points = self.content.trend
        self.set_xy(x, y)
        self.two_lines(w, 8, TREND, size=9, bold=True)
        legend_y = y + 9
        self._legend(x, legend_y)
        top, bottom = y + 16, y + h - 6
        left, right = x + 12, x + w - 12
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        if not points:
            return
        peak = max(max(p.received, p.resolved) for p in points)
        step = _nice_step(peak)
        ceiling = step * max(1, math.ceil(peak / step))
        for i in range(int(ceiling / step) + 1):
            value = i * step
            ty = bottom - (bottom - top) * value / ceiling
            self.line(left, ty, right, ty)
            self.set_xy(x, ty - 2)
            self.write_cell(11, 4, indian(int(value)), size=6, color=GREY, align="R")
        for pct in (0, 50, 100):
            ty = bottom - (bottom - top) * pct / 100
            self.set_xy(right + 1, ty - 2)
            self.write_cell(11, 4, f"{pct}%", size=6, color=GREEN)
        slot = (right - left) / len(points)
        self.set_fill_color(*BAR)
        for i, p in enumerate(points):
            bar_h = (bottom - top) * p.received / ceiling
            self.rect(left + i * slot + slot * 0.15, bottom - bar_h, slot * 0.7, bar_h, style="F")
            if i % max(1, len(points) // 8) == 0 or i == len(points) - 1:
                self.set_xy(left + i * slot - 3, bottom + 0.5)
                self.write_cell(slot + 6, 4, f"{p.day:%d/%m}", size=6, color=GREY, align="C")
        resolved = [
            (left + (i + 0.5) * slot, bottom - (bottom - top) * p.resolved / ceiling)
            for i, p in enumerate(points)
        ]
        self.set_draw_color(*LINE)
        self.set_line_width(0.6)
        self.polyline(resolved)
        sla = [
            (left + (i + 0.5) * slot, bottom - (bottom - top) * p.sla_compliance)
            for i, p in enumerate(points)
            if p.sla_compliance is not None
        ]
        if len(sla) > 1:
            self.set_draw_color(*GREEN)
            with self.local_context(dash_pattern={"dash": 1.2, "gap": 0.8}):
                self.polyline(sla)
        self.set_line_width(0.2)
        self.set_draw_color(*INK)
        self.line(left, bottom, right, bottom)

    def _legend(self, x: float, y: float) -> None:
        for label, color, bar in (
            (RECEIVED, BAR, True),
            (RESOLVED, LINE, False),
            (SLA, GREEN, False),
        ):
            if bar:
                self.set_fill_color(*color)
                self.rect(x, y + 1, 4, 3, style="F")
            else:
                self.set_draw_color(*color)
                self.set_line_width(0.6)
                self.line(x, y + 2.5, x + 4, y + 2.5)
                self.set_line_width(0.2)
            self.set_xy(x + 5, y)
            text = f"{label.first(self.language)} / {label.second(self.language)}"
            self.set_font("deva", size=7)
            width = self.get_string_width(text) + 4
            self.write_cell(width, 5, text, size=7)
            x += width + 7

    def data_table(self, table: Table) -> None:
        widths = _widths(table.columns, self.epw)
        header_h, row_h = 9.0, 6.5
        if self.room() < 14 + header_h + row_h * 3:
            self.add_page()
        self.heading(table.title, size=11)
        self._table_header(table.columns, widths, header_h)
        if not table.rows:
            self.write_cell(self.epw, row_h, table.empty.first(self.language), color=GREY)
            self.ln(row_h)
            return
        nested = any(row.level > 0 for row in table.rows)  # shade the top rows
        for row in table.rows:
            if self.room() < row_h:
                self.add_page()
                self._table_header(table.columns, widths, header_h)
            self.set_x(MARGIN)
            if row.level == 0:
                self.set_fill_color(*SHADE)
            for i, (column, value, width) in enumerate(
                zip(table.columns, row.cells, widths, strict=True)
            ):
                text = format_value(value, column.kind, self.language)
                if i == 0 and row.level:
                    text = "   " * row.level + text
                self.write_cell(
                    width,
                    row_h,
                    text,
                    size=8,
                    bold=row.level == 0 and i == 0,
                    align="L" if column.kind == Kind.TEXT else "R",
                    fill=row.level == 0 and nested,
                )
            self.ln(row_h)
            self.set_draw_color(*RULE)
            self.line(MARGIN, self.get_y(), MARGIN + self.epw, self.get_y())
        self.ln(4)

    def _table_header(self, columns: Sequence[Column], widths: list[float], h: float) -> None:
        self.set_x(MARGIN)
        self.set_fill_color(*SHADE)
        self.rect(MARGIN, self.get_y(), self.epw, h, style="F")
        for column, width in zip(columns, widths, strict=True):
            align = "L" if column.kind == Kind.TEXT else "R"
            self.two_lines(width, h, column.label, size=8, bold=True, align=align)
        self.ln(h)


def _widths(columns: Sequence[Column], total: float) -> list[float]:
    weight = sum(c.width for c in columns)
    return [total * c.width / weight for c in columns]


def _nice_step(peak: float) -> float:
    """A round grid step giving about four lines up to `peak`."""
    if peak <= 4:
        return 1
    raw = peak / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def pack_pdf_render(content: PackContent) -> bytes:
    pdf = PackPdf(content)
    pdf.add_page()
    pdf.title_block()
    top = pdf.get_y()
    groups = content.figures
    gap = 5.0
    width = (pdf.epw - gap * (len(groups) - 1)) / max(1, len(groups))
    bottom = top
    for i, group in enumerate(groups):
        bottom = max(
            bottom, pdf.figure_group(group, x=MARGIN + i * (width + gap), y=top, width=width)
        )
    below = bottom + 6
    side = 75.0
    pdf.position_block(content.position, x=MARGIN, y=below, w=side)
    chart_h = min(70.0, pdf.h - MARGIN - 10 - below)
    pdf.trend_chart(x=MARGIN + side + gap, y=below, w=pdf.epw - side - gap, h=chart_h)
    for table in content.tables:
        pdf.add_page()
        pdf.data_table(table)
    return bytes(pdf.output())
