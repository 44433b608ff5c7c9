from __future__ import annotations

from django import template

from sampark.notifications.selectors import recipient_mask

register = template.Library()


@register.filter
def masked(recipient: str) -> str:
    return recipient_mask(recipient or "")
