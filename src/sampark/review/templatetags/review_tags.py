"""Number formats of the review pages."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(seconds: float | None) -> str:
    """Seconds as hours with one decimal; a dash when there is no value."""
    if seconds is None:
        return "—"
    return number_format(round(seconds / 3600, 1), 1)


@register.filter
def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return number_format(round(seconds / 60), 0)


@register.filter
def pct(fraction: float | None) -> str:
    if fraction is None:
        return "—"
    return f"{number_format(round(fraction * 100, 1), 1)}%"


@register.filter
def dec(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return number_format(round(value, places), places)


@register.filter
def name_in(obj: object, language: str) -> str:
    """A row's or unit's name in the page's language (Hindi when there is one)."""
    return obj.name_in(language) if hasattr(obj, "name_in") else obj.name(language)  # type: ignore[attr-defined]
