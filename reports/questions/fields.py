"""Form fields for the report forms: each one accepts what people really type and stores
one canonical value.

Residents fill these in once, often on a phone, often upset. So every field takes the
common ways of writing a value ("(612) 555 0123", "$1,234.50", "mn", "2:30pm"), stores one
canonical form (E.164, Decimal, "MN", a time), and when it must refuse, says in plain words
what to do. Dates are judged in the agency's time zone (settings.TIME_ZONE), never the
server's or UTC, because "today" is the resident's today.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ereport.forms import FixedChoicesMixin
from reports.formatting import format_phone

__all__ = [
    "DATE_OF_BIRTH_HINT",
    "TIME_HINT",
    "US_STATES",
    "DateOfBirthField",
    "EmailField",
    "Last4Field",
    "Last4Input",
    "MoneyField",
    "NarrativeField",
    "PastDateField",
    "PhoneField",
    "PlateField",
    "QuantityField",
    "StateField",
    "TextField",
    "TimeField",
    "VinField",
    "ZipField",
    "aware_local_datetime",
    "clean_text",
    "local_today",
    "vin_check_digit_ok",
]

# Proper nouns: the postal names, not translated.
US_STATES: list[tuple[str, str]] = sorted(
    [
        ("AL", "Alabama"),
        ("AK", "Alaska"),
        ("AS", "American Samoa"),
        ("AZ", "Arizona"),
        ("AR", "Arkansas"),
        ("CA", "California"),
        ("CO", "Colorado"),
        ("CT", "Connecticut"),
        ("DE", "Delaware"),
        ("DC", "District of Columbia"),
        ("FL", "Florida"),
        ("GA", "Georgia"),
        ("GU", "Guam"),
        ("HI", "Hawaii"),
        ("ID", "Idaho"),
        ("IL", "Illinois"),
        ("IN", "Indiana"),
        ("IA", "Iowa"),
        ("KS", "Kansas"),
        ("KY", "Kentucky"),
        ("LA", "Louisiana"),
        ("ME", "Maine"),
        ("MD", "Maryland"),
        ("MA", "Massachusetts"),
        ("MI", "Michigan"),
        ("MN", "Minnesota"),
        ("MS", "Mississippi"),
        ("MO", "Missouri"),
        ("MT", "Montana"),
        ("NE", "Nebraska"),
        ("NV", "Nevada"),
        ("NH", "New Hampshire"),
        ("NJ", "New Jersey"),
        ("NM", "New Mexico"),
        ("NY", "New York"),
        ("NC", "North Carolina"),
        ("ND", "North Dakota"),
        ("MP", "Northern Mariana Islands"),
        ("OH", "Ohio"),
        ("OK", "Oklahoma"),
        ("OR", "Oregon"),
        ("PA", "Pennsylvania"),
        ("PR", "Puerto Rico"),
        ("RI", "Rhode Island"),
        ("SC", "South Carolina"),
        ("SD", "South Dakota"),
        ("TN", "Tennessee"),
        ("TX", "Texas"),
        ("VI", "U.S. Virgin Islands"),
        ("UT", "Utah"),
        ("VT", "Vermont"),
        ("VA", "Virginia"),
        ("WA", "Washington"),
        ("WV", "West Virginia"),
        ("WI", "Wisconsin"),
        ("WY", "Wyoming"),
    ],
    key=lambda item: item[1],
)

_DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


def local_today() -> date:
    """Today in the agency's time zone: a report filed at 11 p.m. in Minneapolis is about
    today there, even though it is already tomorrow in UTC."""
    return timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE)).date()


def aware_local_datetime(d: date, t: time | None) -> datetime:
    """The moment the resident meant by a date and a wall-clock time, in the agency's zone.

    On the autumn DST night 1:30 a.m. happens twice: fold=0 picks the first (daylight)
    one, the earlier and so the conservative reading. On the spring night 2:30 a.m. never
    happens: the result is moved to the real wall time an hour on (3:30 a.m. daylight),
    so what is stored and shown is always a time that existed.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    wall = datetime.combine(d, (t if t is not None else time(0)).replace(tzinfo=None), tzinfo=zone)
    wall = wall.replace(fold=0)
    return wall.astimezone(ZoneInfo("UTC")).astimezone(zone)


# --- Text ------------------------------------------------------------------------------

# Bidirectional embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069): they
# can make text display differently from how it reads ("Trojan Source"), so a statement
# could look other than what was stored. Zero-width joiners (U+200C, U+200D) stay: some
# scripts (Persian, the Indic scripts) and emoji need them.
_BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Unicode line and paragraph separators (and NEL) are line breaks: treat them as "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")

_TEXT_MESSAGES = {
    "control": _(
        "Remove the special characters from this text. They can come from copying and "
        "pasting: try typing the text instead."
    ),
    "one_line": _("Keep this to one line: remove any line breaks or tabs."),
}


def clean_text(value: str, *, multiline: bool) -> str:
    """Free text as it will be stored: NFC-normalized, trimmed, with one kind of line break.

    NFC first, so "é" typed as e + combining accent and "é" typed as one character are the
    same text to searches and to character counts. Control characters are refused rather
    than silently dropped: they only arrive by pasting from somewhere odd, and removing
    them could join words or change meaning without the resident knowing.
    """
    text = _LINE_BREAKS.sub("\n", value)
    text = unicodedata.normalize("NFC", text).strip()
    for char in text:
        if char in "\n\t":
            if not multiline:
                raise ValidationError(_TEXT_MESSAGES["one_line"], code="one_line")
            continue
        category = unicodedata.category(char)
        # Cc: C0/C1 controls (NUL cannot even be stored). Cs: lone surrogates, which
        # cannot be encoded to UTF-8 for the database.
        if category in ("Cc", "Cs") or char in _BIDI_CONTROLS:
            raise ValidationError(_TEXT_MESSAGES["control"], code="control")
    return text


class TextField(forms.CharField):
    """Free text, cleaned by clean_text, with length messages that give the count.

    A long textarea carries no maxlength attribute: browsers cut pasted text off at the
    limit without a word, and losing the end of a statement unnoticed is worse than being
    asked to shorten it.
    """

    default_error_messages = {
        "required": _("Enter an answer."),
        "max_length": _("Use %(limit_value)d characters or fewer (you used %(show_value)d)."),
        "min_length": _("Use at least %(limit_value)d characters (you used %(show_value)d)."),
        **_TEXT_MESSAGES,
    }

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        if "widget" not in kwargs:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 6}) if multiline else forms.TextInput
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        try:
            return clean_text(text, multiline=self.multiline)
        except ValidationError as exc:
            raise ValidationError(self.error_messages[exc.code], code=exc.code) from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.multiline:
            attrs.pop("maxlength", None)
        return attrs


class NarrativeField(TextField):
    """The resident's own account: long enough to be useful, short enough to read."""

    default_error_messages = {
        "required": _("Tell us what happened."),
        "min_length": _("Tell us a bit more: write at least %(limit_value)d characters."),
        "max_length": _(
            "Shorten this to %(limit_value)d characters or fewer (you used %(show_value)d)."
        ),
    }

    def __init__(self, *, min_length: int = 20, max_length: int = 10_000, **kwargs: Any) -> None:
        kwargs["multiline"] = True
        super().__init__(min_length=min_length, max_length=max_length, **kwargs)


# --- Contact ---------------------------------------------------------------------------

_PHONE_MESSAGE = _("Enter a phone number, like 612-555-0123.")


class PhoneInput(forms.TextInput):
    """type="tel": the phone keypad on mobiles, and the browser can offer the owner's number."""

    input_type = "tel"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "tel", **(attrs or {})})


class PhoneField(forms.CharField):
    """Any way of writing a phone number, stored as E.164 ("+16125550123") so that one
    number is one value whatever punctuation was typed. Numbers without a country code
    are read as US numbers. Extensions are refused, not dropped: an officer calling back
    would otherwise reach a switchboard with no way to know the extension."""

    widget = PhoneInput
    default_error_messages = {
        "required": _("Enter a phone number where we can reach you."),
        "invalid": _PHONE_MESSAGE,
        "max_length": _PHONE_MESSAGE,
    }
    default_region = "US"
    max_input_length = 30

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", self.max_input_length)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        raw = super().to_python(value)
        if not raw:
            return raw
        if len(raw) > self.max_input_length:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = phonenumbers.parse(raw, self.default_region)
        except phonenumbers.NumberParseException:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number.extension or not phonenumbers.is_valid_number(number):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def prepare_value(self, value: Any) -> Any:
        # A stored "+16125550123" is shown back as "(612) 555-0123".
        if isinstance(value, str) and re.fullmatch(r"\+[0-9]{8,15}", value):
            return format_phone(value)
        return value


class EmailField(forms.EmailField):
    """An email address with its domain lowercased: domains are case-insensitive, so
    "Name@Example.COM" and "Name@example.com" reach the same person and should compare
    equal. The local part is kept as typed: in principle it is case-sensitive."""

    default_error_messages = {
        "required": _("Enter your email address."),
        "invalid": _("Enter an email address, like name@example.com."),
        "max_length": _("Enter an email address of 254 characters or fewer."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)  # RFC 5321's limit for a path.
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        address = super().to_python(value)
        local, at, domain = address.rpartition("@")
        if not at:
            return address
        return f"{local}@{domain.lower()}"


# --- Address ---------------------------------------------------------------------------

_ZIP = re.compile(r"([0-9]{5})-?([0-9]{4})?")


class ZipField(forms.CharField):
    """A US ZIP code, stored as "12345" or "12345-6789". Spaces are ignored and nine bare
    digits get their dash, because that is how ZIP+4 is often pasted from a bill."""

    default_error_messages = {
        "required": _("Enter a ZIP code."),
        "invalid": _("Enter a 5-digit ZIP code, like 55401."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        raw = "".join(super().to_python(value).split())
        if not raw:
            return raw
        match = _ZIP.fullmatch(raw) if len(raw) <= 10 else None
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        five, four = match.groups()
        return f"{five}-{four}" if four else five


_STATE_CODES = {code for code, _name in US_STATES}
_STATE_BY_NAME = {name.casefold(): code for code, name in US_STATES}


class StateField(FixedChoicesMixin, forms.ChoiceField):
    """A state or territory as its two-letter postal code. Lowercase codes and full names
    are accepted too, for browsers that autofill the select's text or APIs that send it."""

    default_error_messages = {
        "required": _("Choose a state."),
        "invalid_choice": _("Choose a state from the list."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("", _("- Select -")), *US_STATES])
        kwargs.setdefault("widget", forms.Select(attrs={"autocomplete": "address-level1"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = " ".join(super().to_python(value).split())
        if text.upper() in _STATE_CODES:
            return text.upper()
        return _STATE_BY_NAME.get(text.casefold(), text)


# --- Amounts ---------------------------------------------------------------------------

_AMOUNT_MESSAGE = _("Enter an amount in dollars, like 250 or 249.99.")
_AMOUNT_RANGE_MESSAGE = _("Enter an amount between $0 and $1,000,000.")
# Commas only as thousands separators: "12,50" is a European 12.50, and reading it as
# 1250 would be a silent hundredfold error.
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)?(?:\.[0-9]*)?")


class MoneyField(forms.DecimalField):
    """A dollar amount, written the way people write money: "$1,234.50", " 1234 "."""

    default_error_messages = {
        "required": _("Enter an amount in dollars."),
        "invalid": _AMOUNT_MESSAGE,
        "max_digits": _AMOUNT_RANGE_MESSAGE,
        "max_whole_digits": _AMOUNT_RANGE_MESSAGE,
        "max_decimal_places": _AMOUNT_MESSAGE,
        "min_value": _AMOUNT_RANGE_MESSAGE,
        "max_value": _AMOUNT_RANGE_MESSAGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(1_000_000))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            text = "".join(value.split())
            sign = text[:1] if text[:1] in "+-" else ""
            text = sign + text[len(sign) :].removeprefix("$")
            if not text:
                return None
            if len(text) > 30 or not _AMOUNT.fullmatch(text) or not any(map(str.isdigit, text)):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                amount = Decimal(text.replace(",", ""))
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            # "12.50" and "12.500" are the same money; "12.345" is not dollars and cents.
            try:
                cents = amount.quantize(Decimal("0.01"))
            except InvalidOperation:  # Too many digits to quantize: max_value refuses it.
                return amount
            return cents if cents == amount else amount
        return super().to_python(value)


class QuantityField(forms.IntegerField):
    """How many of an item: whole numbers, 1 to 999."""

    default_error_messages = {
        "required": _("Enter how many, from 1 to 999."),
        "invalid": _("Enter a number from 1 to 999."),
        "min_value": _("Enter a number from 1 to 999."),
        "max_value": _("Enter a number from 1 to 999."),
        "step_size": _("Enter a number from 1 to 999."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 999)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)


# --- Vehicles --------------------------------------------------------------------------

# The transliteration table of 49 CFR 565.15 (I, O and Q are never used).
_VIN_VALUES = {str(digit): digit for digit in range(10)} | dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit_ok(vin: str) -> bool:
    """Whether the 9th character is the check digit of the rest (49 CFR 565.15).

    Every vehicle built for the North American market since 1981 carries one, so a VIN
    that fails was mistyped: catching that here saves an officer chasing the wrong car.
    Returns False (never raises) for anything that is not 17 valid VIN characters.
    """
    if len(vin) != 17 or any(char not in _VIN_VALUES for char in vin):
        return False
    total = sum(_VIN_VALUES[char] * w for char, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return vin[8] == ("X" if remainder == 10 else str(remainder))


class VinField(forms.CharField):
    """A 17-character vehicle identification number, uppercased, spaces and dashes
    removed, with its check digit verified."""

    default_error_messages = {
        "required": _("Enter the VIN."),
        "invalid": _(
            "A VIN has 17 letters and numbers. Check the VIN and enter all 17 characters."
        ),
        "forbidden_letter": _(
            "A VIN never contains the letters I, O or Q. Check for the numbers 1 or 0 instead."
        ),
        "check_digit": _("Check the VIN: one of the characters is wrong."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return re.sub(r"[\s-]+", "", super().to_python(value)).upper()

    def validate(self, value: str) -> None:
        super().validate(value)
        if not value:
            return
        if len(value) != 17 or not re.fullmatch(r"[A-Z0-9]+", value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if set(value) & set("IOQ"):
            raise ValidationError(self.error_messages["forbidden_letter"], code="forbidden_letter")
        if not vin_check_digit_ok(value):
            raise ValidationError(self.error_messages["check_digit"], code="check_digit")


class PlateField(forms.CharField):
    """A licence plate as the letters and numbers on it: spacing and dashes vary between
    states and between the plate and the registration card, so they are not stored."""

    default_error_messages = {
        "required": _("Enter the plate number."),
        "invalid": _("Enter the plate using letters and numbers only, up to 8."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        plate = re.sub(r"[\s-]+", "", super().to_python(value)).upper()
        if plate and not re.fullmatch(r"[A-Z0-9]{1,8}", plate):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return plate


# --- Last four digits ------------------------------------------------------------------

_FOUR_DIGITS = re.compile(r"[0-9]{4}")


class Last4Input(forms.TextInput):
    """An input for the last 4 digits of a card or account number that never echoes
    anything else back.

    If someone types the whole card number by mistake, re-displaying the form with the
    error would put that number back into the page (and the browser's cache and history).
    So anything but exactly 4 digits is rendered as an empty box. There is deliberately
    no maxlength: the field must see a longer entry to refuse it rather than let the
    browser silently keep the first 4 digits, which are not the last 4.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and _FOUR_DIGITS.fullmatch(value):
            return value
        return None


class Last4Field(forms.CharField):
    """The last 4 digits of a card or account number, and never more (see Last4Input).
    The messages never quote what was typed."""

    widget = Last4Input
    default_error_messages = {
        "required": _("Enter the last 4 digits."),
        "invalid": _("Enter the last 4 digits, like 1234."),
        "too_long": _(
            "Enter only the last 4 digits. For your safety, do not enter the full number."
        ),
    }

    def to_python(self, value: Any) -> str:
        text = "".join(super().to_python(value).split())
        if not text:
            return text
        if sum(char.isdigit() for char in text) > 4:
            raise ValidationError(self.error_messages["too_long"], code="too_long")
        if not _FOUR_DIGITS.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return text


# --- Dates and times -------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one.
        return day.replace(year=day.year - years, day=28)


def _age_on(birth: date, day: date) -> int:
    """Whole years: someone born on 29 February turns a year older on 1 March in other
    years, the later reading, so nobody is counted as an adult a day early."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# Hints for the date and time pickers give their example in words. The pickers show the
# order and clock of the browser's own language (04/23/1980 and 2:30 PM in American
# English, 23/04/1980 and 14:30 elsewhere) whatever language the page is in, so an example
# written in digits ("1980-04-23", "14:30") contradicts the box it sits above for somebody.
DATE_OF_BIRTH_HINT = _("For example: April 23, 1980.")
TIME_HINT = _("For example: 2:30 in the afternoon. Your best guess is fine.")


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PastDateField(forms.DateField):
    """The day something happened: not in the future, and recent enough that the agency
    takes it online (settings.REPORT_MAX_AGE_DAYS; older incidents go through the desk).

    The native date picker sends "YYYY-MM-DD"; "MM/DD/YYYY" is accepted for browsers that
    show a plain text box. Limits are read from settings when the form is checked, not
    when it is defined.
    """

    widget = _DateInput
    input_formats = _DATE_INPUT_FORMATS
    default_error_messages = {
        "required": _("Enter the date."),
        "invalid": _("Enter a real date, like 06/30/2025."),
        "future": _("The date cannot be in the future. Check the day, month and year."),
    }

    def __init__(
        self, *, max_age_days: int | None = None, check_max_age: bool = True, **kwargs: Any
    ) -> None:
        self.max_age_days = max_age_days
        self.check_max_age = check_max_age
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is None:
            return
        today = local_today()
        if value > today:
            raise ValidationError(self.error_messages["future"], code="future")
        if not self.check_max_age:
            return
        days = settings.REPORT_MAX_AGE_DAYS if self.max_age_days is None else self.max_age_days
        if value < today - timedelta(days=days):
            raise ValidationError(
                self.error_messages.get("too_old") or _too_old_message(days),
                code="too_old",
                params={"days": days, "years": days // 365},
            )


def _too_old_message(days: int) -> Any:
    if days >= 365 and days % 365 == 0:
        return ngettext_lazy(
            "We can only take reports of things that happened in the last year. Check the date.",
            "We can only take reports of things that happened in the last %(years)d years. "
            "Check the date.",
            "years",
        )
    return ngettext_lazy(
        "We can only take reports of things that happened in the last day. Check the date.",
        "We can only take reports of things that happened in the last %(days)d days. "
        "Check the date.",
        "days",
    )


class TimeField(forms.TimeField):
    """A wall-clock time: "14:30" from the native picker, or "2:30 PM", "2:30pm",
    "2:30 p.m.", "2pm" typed into a plain text box."""

    input_formats = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"]
    default_error_messages = {
        "required": _("Enter the time."),
        "invalid": _("Enter a time, like 2:30 PM."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, str):
            value = " ".join(value.split()).lower().replace("a.m.", "am").replace("p.m.", "pm")
        return super().to_python(value)


class DateOfBirthField(forms.DateField):
    """The reporter's date of birth, for the minimum age to file (settings.MIN_REPORTER_AGE).
    Age is counted in whole years on the agency's local date, so someone becomes old
    enough on their birthday, not the day before or after."""

    widget = _DateInput
    input_formats = _DATE_INPUT_FORMATS
    max_years = 120
    # The agency's minimum age when its saved policy says one (set by the form before it
    # checks the answers); otherwise settings.MIN_REPORTER_AGE.
    min_age: int | None = None
    default_error_messages = {
        "required": _("Enter your date of birth."),
        "invalid": _("Enter a real date, like 06/30/1985."),
        "future": _("The date of birth cannot be in the future. Check the year of birth."),
        "too_old": _("Check the year of birth."),
        "too_young": _(
            "You must be %(age)d or older to file a report. Please ask a parent or "
            "guardian to file it for you."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _DateInput(attrs={"autocomplete": "bday"}))
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is None:
            return
        today = local_today()
        if value > today:
            raise ValidationError(self.error_messages["future"], code="future")
        if value < _years_before(today, self.max_years):
            raise ValidationError(self.error_messages["too_old"], code="too_old")
        minimum = self.min_age if self.min_age is not None else settings.MIN_REPORTER_AGE
        if _age_on(value, today) < minimum:
            raise ValidationError(
                self.error_messages["too_young"], code="too_young", params={"age": minimum}
            )
