"""How stored values read to a person: phone numbers, money, dates, languages. Plain
functions used by the wizard's forms, the check-your-answers page, the case copies and the
staff pages (templates through reports.templatetags.report_formatting), so they live below
all of them (the core imports nothing of the sub-packages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import phonenumbers
from django.conf import settings
from django.utils import formats


def format_phone(e164: str) -> str:
    """A stored E.164 number the way a person would dial it from here: "(612) 555-0123"
    for North American numbers, "+44 20 7946 0958" for the rest. Anything that does not
    parse is shown as stored rather than failing a page."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 1:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def format_money(value: Any) -> str:
    """An amount as dollars and cents, "$1,250.00". Saved details keep amounts as text
    (JSON); anything that is not a number is shown as stored."""
    try:
        return f"${Decimal(str(value)):,.2f}"
    except ArithmeticError:
        return str(value)


def format_date(value: dt.date | dt.time | dt.datetime) -> str:
    """A date or time in the reader's locale, as Django formats it."""
    return formats.localize(value)


def language_name(code: str) -> str:
    """A language code as its name ("es" -> "Spanish", in the active language); a code
    the site does not offer is shown as stored."""
    return str(dict(settings.LANGUAGES).get(code, code)) if code else ""
