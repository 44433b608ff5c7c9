"""The two formats of GeoReport v2: JSON, and XML with the spec's element names.

Views hand over plain rows (dicts of str, bool, int, Decimal, datetime, None and nested lists).
JSON keeps None as null; XML leaves such an element out. Times are ISO 8601 in local time with
the offset (`2025-06-01T14:00:00+05:30`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry at all (a client's description may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The element of each item of a nested list, by the list's name.
ITEM_OF = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso(value)
    return _NOT_XML.sub("", str(value))


def _fill(parent: ET.Element, name: str, value: Any) -> None:
    if value is None:
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(element, key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(element, ITEM_OF[name], item)
    else:
        element.text = _text(value)


def xml_document(data: Any, *, root: str, item: str | None) -> bytes:
    """`<root><item>...</item>...</root>` for a list, `<root>...</root>` for one row."""
    top = ET.Element(root)
    if isinstance(data, Mapping):
        for key, value in data.items():
            _fill(top, key, value)
    else:
        assert item is not None, "a list needs an item element name"
        for row in data:
            _fill(top, item, row)
    return (XML_DECLARATION + ET.tostring(top, encoding="unicode")).encode()


def render(
    data: Any, *, fmt: str, root: str, item: str | None = None, status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        body = xml_document(data, root=root, item=item)
    else:
        body = json.dumps(_plain(data), ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Content-Language"] = get_language() or "hi"
    return response


def render_errors(errors: list[tuple[int, str]], *, fmt: str, status: int) -> HttpResponse:
    rows = [{"code": code, "description": description} for code, description in errors]
    return render(rows, fmt=fmt, root="errors", item="error", status=status)
