"""Answers as a person reads them: (label, value) rows, with the forms' own labels and
choice labels, for the check-your-answers page, the case copies and the staff pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from reports.formatting import format_date, format_money, format_phone
from reports.questions.fields import MoneyField, PhoneField

# Derived values that forms put in cleaned_data for the services; not shown twice.
_HIDDEN = {
    "occurred_start",
    "occurred_end",
    "timing",
    "date",
    "time",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "DELETE",
    "website",
}


@dataclass
class Section:
    step: str
    title: Promise | str
    rows: list[tuple[str, str]] = field(default_factory=list)
    # For formsets: one list of rows per entry.
    entries: list[list[tuple[str, str]]] = field(default_factory=list)
    change_url: str = ""
    total: str = ""


def display(bound_field: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return ""
    if isinstance(bound_field, forms.MultipleChoiceField):
        labels = dict(bound_field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(bound_field, forms.ChoiceField):
        return str(dict(bound_field.choices).get(value, value))
    if isinstance(bound_field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(bound_field, MoneyField) or isinstance(value, Decimal):
        return format_money(value)
    if isinstance(bound_field, PhoneField):
        return format_phone(value)
    if isinstance(value, dt.date | dt.time):
        return format_date(value)
    return str(value)


def rows_for(form: forms.Form, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for name, form_field in form.fields.items():
        if name in _HIDDEN:
            continue
        shown = display(form_field, cleaned.get(name))
        if shown:
            rows.append((str(form_field.label), shown))
    return rows


def when_rows(cleaned: dict[str, Any]) -> list[tuple[str, str]]:
    """A time window reads better as one line than as four fields."""
    start, end = cleaned.get("occurred_start"), cleaned.get("occurred_end")
    if start is None:
        return []
    when = formats.localize(timezone.localtime(start))
    if end is not None:
        when = _("Between %(start)s and %(end)s") % {
            "start": when,
            "end": formats.localize(timezone.localtime(end)),
        }
    return [(_("When"), when)]
