"""Forms of the chat desk. They parse input; the channels services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

REPLY_MAX = 1000  # characters: a long WhatsApp message, still readable on a phone


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"),
        max_length=REPLY_MAX,
        error_messages={
            "required": _("Write a reply first."),
            "max_length": _(
                "A reply can have at most %(limit_value)d characters (this one has %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True, "autocomplete": "off"}),
    )


class AfterForm(forms.Form):
    """The transcript poll's `after`: the id of the last message the page already shows."""

    after = forms.IntegerField(min_value=0, required=False)
