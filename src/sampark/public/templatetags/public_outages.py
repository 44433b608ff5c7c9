"""Template filters of the public outage pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def in_language(named: Any, language: str) -> str:
    """`{{ zone|in_language:lang }}`: the Hindi name on Hindi pages when there is one."""
    return str(named.name_in(language))


@register.filter
def hours_minutes(minutes: int | None) -> str:
    """150 -> '2:30'."""
    if minutes is None:
        return "-"
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def press_text(bulletin: Any, language: str) -> str:
    """The bulletin's text as issued, in the page's language."""
    return str(bulletin.text_in(language))
