"""Stored values as a person reads them, in templates: the filters call
reports.formatting, as the Python-built pages (check your answers, the clerk's page) do.
An empty value stays empty, for the template's own "None given" or dash."""

from __future__ import annotations

from typing import Any

from django import template

from reports import formatting

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """300 -> "$300.00", 1500 -> "$1,500.00"."""
    return "" if value is None or value == "" else formatting.format_money(value)


@register.filter
def phone(value: str) -> str:
    """ "+16125550123" -> "(612) 555-0123"."""
    return formatting.format_phone(value) if value else ""


@register.filter
def language_name(code: str) -> str:
    """ "es" -> "Spanish" (in the active language)."""
    return formatting.language_name(code)
