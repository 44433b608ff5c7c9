"""The pack's PDF and XLSX from a fixed content: Hindi text comes back from a real PDF text
extractor (PDFium) in the right order, pages rasterise, the workbook reads back with numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import openpyxl
import pypdfium2
import pytest
from django.core.exceptions import ImproperlyConfigured

from sampark.review.pack import (
    Column,
    Figure,
    FigureGroup,
    Kind,
    PackContent,
    Row,
    Table,
    Text,
    TrendPoint,
)
from sampark.review.pack_pdf import format_value, indian, pack_pdf_render
from sampark.review.pack_xlsx import pack_xlsx_render

DAY = date(2026, 3, 10)


def content(language: str = "hi") -> PackContent:
    return PackContent(
        discom_code="MVVNL",
        discom=Text("मध्यांचल विद्युत वितरण निगम", "Madhyanchal Vidyut Vitran Nigam"),
        day=DAY,
        month_start=date(2026, 3, 1),
        generated_at=datetime(2026, 3, 11, 1, 30, tzinfo=UTC),  # 07:00 in Lucknow
        language=language,
        figures=(
            FigureGroup(
                Text("शिकायतें", "Complaints"),
                (
                    Figure(Text("प्राप्त", "Received"), Kind.COUNT, 1234, 123456),
                    Figure(
                        Text("समय-सीमा में निस्तारण", "Within time limit"), Kind.PERCENT, 0.5, 0.9312
                    ),
                    Figure(Text("माध्यिका (घंटे)", "Median (hours)"), Kind.HOURS, 3.25, None),
                ),
            ),
            FigureGroup(
                Text("बिजली कटौती", "Outages"),
                (Figure(Text("SAIFI", "SAIFI"), Kind.INDEX, 0.0123, 0.25),),
            ),
        ),
        position=(Figure(Text("लंबित शिकायतें", "Complaints pending"), Kind.COUNT, 17, None),),
        tables=(
            Table(
                key="units",
                title=Text("ज़ोन और सर्किल", "Zones and circles"),
                columns=(
                    Column(Text("इकाई", "Unit"), Kind.TEXT, 2),
                    Column(Text("प्राप्त", "Received"), Kind.COUNT),
                    Column(Text("समय-सीमा में", "In time"), Kind.PERCENT),
                ),
                rows=(
                    Row((Text("लखनऊ मध्य क्षेत्र", "Lucknow Central"), 3, 0.5)),
                    Row((Text("प्रथम वृत्त", "Circle I"), 3, None), level=1),
                ),
            ),
            Table(
                key="accountability",
                title=Text("जवाबदेही", "Accountability"),
                columns=(
                    Column(Text("अधिकारी", "Officer"), Kind.TEXT),
                    Column(Text("समय-सीमा पार", "Overdue"), Kind.COUNT),
                ),
                rows=(),
            ),
        ),
        trend=tuple(
            TrendPoint(DAY - timedelta(days=29 - i), 10 + i, 8 + i, 0.8 if i % 2 else None)
            for i in range(30)
        ),
    )


def pdf_text(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def test_hindi_comes_back_in_order_from_the_pdf():
    # Given a Hindi-first pack
    data = pack_pdf_render(content("hi"))

    # When a real extractor (PDFium, Chromium's) reads it
    pages = pdf_text(data)

    # Then every Hindi string is there in logical order, conjuncts and matras included, the
    # Hindi title before the English one, and no stray characters from reordered glyphs
    assert data.startswith(b"%PDF")
    first = pages[0]
    hindi = "मध्यांचल विद्युत वितरण निगम: दैनिक समीक्षा रिपोर्ट, 10/03/2026"
    english = "Madhyanchal Vidyut Vitran Nigam: daily review pack, 10/03/2026"
    assert hindi in first and english in first
    assert first.index(hindi) < first.index(english)
    for words in ("समय-सीमा में निस्तारण", "लंबित शिकायतें", "बिजली कटौती", "पिछले 30 दिन"):
        assert words in first
    assert "1,234" in first and "1,23,456" in first and "50.0%" in first and "93.1%" in first
    assert "लखनऊ मध्य क्षेत्र" in pages[1] and "प्रथम वृत्त" in pages[1]
    assert "किसी" not in pages[2] and "कोई पंक्ति नहीं।" in pages[2]  # the empty table says so
    assert first.splitlines()[0].strip() == hindi  # nothing stray from reordered glyphs


def test_english_first_pack_puts_english_above():
    pages = pdf_text(pack_pdf_render(content("en")))

    first = pages[0]
    assert first.index("Madhyanchal Vidyut Vitran Nigam: daily review pack") < first.index(
        "मध्यांचल विद्युत वितरण निगम: दैनिक समीक्षा रिपोर्ट"
    )


def test_pages_rasterise_with_ink_where_the_title_is():
    document = pypdfium2.PdfDocument(pack_pdf_render(content("hi")))

    image = document[0].render(scale=1).to_pil().convert("L")
    title_band = image.crop((30, 30, 600, 75))  # A4 landscape at 72 dpi: about 842 x 595
    assert len(document) == 3
    assert image.width > image.height  # landscape
    assert min(title_band.get_flattened_data()) < 80  # dark glyphs drawn
    assert sum(1 for v in title_band.get_flattened_data() if v < 128) > 500


def test_missing_fonts_are_named(settings, tmp_path):
    settings.SAMPARK_PDF_FONT_DIR = str(tmp_path)

    with pytest.raises(ImproperlyConfigured, match="fonts-noto-core"):
        pack_pdf_render(content())


def test_workbook_reads_back_with_numbers_and_both_languages():
    book = openpyxl.load_workbook(BytesIO(pack_xlsx_render(content("hi"))))

    assert book.sheetnames == ["summary", "position", "units", "accountability", "trend"]
    summary = book["summary"]
    assert [c.value for c in summary[2]] == ["खंड", "आँकड़ा", "आँकड़ा", "दिन", "माह में अब तक"]
    assert [c.value for c in summary[3]] == ["Section", "Figure", "Figure", "Day", "Month to date"]
    assert [c.value for c in summary[4]] == ["शिकायतें", "प्राप्त", "Received", 1234, 123456]
    assert summary["D4"].number_format == "#,##0"
    assert (summary["D5"].value, summary["D5"].number_format) == (0.5, "0.0%")
    assert summary["E6"].value is None
    units = book["units"]
    assert [c.value for c in units[4]] == ["लखनऊ मध्य क्षेत्र", 3, 0.5]
    assert units["A5"].alignment.indent == 1  # a circle under its zone
    assert book["accountability"].max_row == 3  # headers only
    trend = book["trend"]
    assert trend["A4"].value == datetime(2026, 2, 9) and trend["B4"].value == 10
    assert trend.max_row == 3 + 30
    assert book["position"]["C4"].value == 17


@pytest.mark.parametrize(
    ("number", "grouped"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (123456, "1,23,456"), (12345678, "1,23,45,678")],
)
def test_indian_grouping(number, grouped):
    assert indian(number) == grouped
    assert indian(-number) == (f"-{grouped}" if number else "0")


def test_values_are_shown_by_kind():
    assert format_value(None, Kind.COUNT, "hi") == "—"
    assert format_value(0.93125, Kind.PERCENT, "hi") == "93.1%"
    assert format_value(3.25, Kind.HOURS, "en") == "3.2"
    assert format_value(0.0123, Kind.INDEX, "en") == "0.012"
    assert format_value(Text("लखनऊ", "Lucknow"), Kind.TEXT, "en") == "Lucknow"
