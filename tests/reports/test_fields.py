"""The report form fields: what residents type, what gets stored, what they are told."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from ereport.forms import UswdsForm
from reports.formatting import format_phone
from reports.questions.fields import (
    US_STATES,
    DateOfBirthField,
    EmailField,
    Last4Field,
    Last4Input,
    MoneyField,
    NarrativeField,
    PastDateField,
    PhoneField,
    PlateField,
    QuantityField,
    StateField,
    TextField,
    TimeField,
    VinField,
    ZipField,
    aware_local_datetime,
    clean_text,
    vin_check_digit_ok,
)
from reports.questions.steps import STEPS

BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


def errors_of(field: forms.Field, value) -> list[str]:
    """The messages a field gives for value (fails the test if it accepts it)."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [str(message) for message in caught.value.messages]


# --- clean_text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("e\u0301", "\u00e9"),  # e + combining acute -> é
        ("Cafe\u0301 Nguye\u0302\u0303n", "Caf\u00e9 Nguy\u1ec5n"),
        ("\u212b", "\u00c5"),  # ANGSTROM SIGN -> A with ring
        ("  padded  ", "padded"),
        ("\u00a0non-breaking\u3000", "non-breaking"),
        ("", ""),
    ],
)
def test_clean_text_normalizes_to_nfc_and_trims(raw, expected):
    assert clean_text(raw, multiline=False) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\u2028two\u2029three", "one\ntwo\nthree"),
        ("a\tb", "a\tb"),
        ("\n\nkept inside\n\nstripped outside\n\n", "kept inside\n\nstripped outside"),
    ],
)
def test_clean_text_multiline_keeps_one_kind_of_line_break(raw, expected):
    assert clean_text(raw, multiline=True) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "two\nlines",
        "two\r\nlines",
        "two\rlines",
        "tab\tseparated",
        "line\u2028separator",
        "next\x85line",  # NEL: a C1 control that is also a line break
    ],
)
def test_clean_text_single_line_refuses_line_breaks_and_tabs(raw):
    with pytest.raises(ValidationError) as caught:
        clean_text(raw, multiline=False)

    assert caught.value.code == "one_line"
    assert "Keep this to one line" in caught.value.messages[0]


@pytest.mark.parametrize(
    "raw",
    [
        "nul\x00byte",
        "bell\x07",
        "escape\x1b[31m",
        "delete\x7f",
        "c1\x80control",
        "lone\ud800surrogate",
        *[f"bidi{char}override" for char in BIDI_CONTROLS],
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_clean_text_refuses_control_and_bidi_override_characters(raw, multiline):
    with pytest.raises(ValidationError) as caught:
        clean_text(raw, multiline=multiline)

    assert caught.value.code == "control"
    assert "Remove the special characters" in caught.value.messages[0]


def test_clean_text_multiline_accepts_nel_as_a_line_break():
    assert clean_text("next\x85line", multiline=True) == "next\nline"


@pytest.mark.parametrize(
    "raw",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari, with ZWJ
        "\U0001f469\u200d\U0001f692",  # emoji ZWJ sequence: woman firefighter
        "\u05e9\u05dc\u05d5\u05dd",  # Hebrew: right-to-left without override characters
    ],
)
def test_clean_text_keeps_characters_real_scripts_need(raw):
    assert clean_text(raw, multiline=False) == unicodedata.normalize("NFC", raw)


# --- TextField -------------------------------------------------------------------------


def test_text_field_requires_max_length():
    with pytest.raises(TypeError):
        TextField()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Jane  ", "Jane"),
        ("Jose\u0301", "Jos\u00e9"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_text_field_returns_clean_text(raw, expected):
    field = TextField(max_length=50, required=False)

    assert field.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("two\nlines", "Keep this to one line"),
        ("bell\x07", "Remove the special characters"),
        ("\u202eevil", "Remove the special characters"),
    ],
)
def test_text_field_reports_text_problems_as_field_errors(raw, message):
    field = TextField(max_length=50)

    assert message in errors_of(field, raw)[0]


def test_text_field_says_how_many_characters_were_used():
    field = TextField(max_length=5)

    assert errors_of(field, "abcdefg") == ["Use 5 characters or fewer (you used 7)."]


def test_text_field_counts_characters_after_normalization():
    field = TextField(max_length=4)

    assert field.clean("Rene\u0301") == "Ren\u00e9"


def test_text_field_has_a_friendly_required_message():
    field = TextField(max_length=5)

    assert errors_of(field, "") == ["Enter an answer."]


def test_text_field_takes_the_callers_messages():
    field = TextField(
        max_length=5,
        error_messages={"required": "Enter your name.", "one_line": "Just the name, please."},
    )

    assert errors_of(field, "") == ["Enter your name."]
    assert errors_of(field, "a\nb") == ["Just the name, please."]


def test_text_field_single_line_is_a_text_input_with_maxlength():
    field = TextField(max_length=50)

    html = field.widget.render("name", "")

    assert isinstance(field.widget, forms.TextInput)
    assert 'maxlength="50"' in html


def test_text_field_multiline_is_a_six_row_textarea_that_never_truncates():
    field = TextField(max_length=500, multiline=True)

    html = field.widget.render("details", "")

    assert isinstance(field.widget, forms.Textarea)
    assert 'rows="6"' in html
    assert "maxlength" not in html


def test_text_field_multiline_accepts_line_breaks():
    field = TextField(max_length=50, multiline=True)

    assert field.clean("one\r\ntwo") == "one\ntwo"


TEXT_FOR_PROPERTY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(exclude_categories=())),  # surrogates too
    st.text(
        alphabet=st.sampled_from(
            [
                "a",
                "e",
                "\u0301",
                " ",
                "\n",
                "\r",
                "\t",
                "\x00",
                "\x85",
                "\u2028",
                "\u202e",
                "\u200d",
                "\ufeff",
            ]
        )
    ),
)


@pytest.mark.parametrize("multiline", [False, True])
@given(raw=TEXT_FOR_PROPERTY)
def test_text_field_returns_clean_nfc_text_or_a_validation_error(multiline, raw):
    field = TextField(max_length=60, multiline=multiline, required=False)

    try:
        result = field.clean(raw)
    except ValidationError:
        return

    allowed_controls = {"\n", "\t"} if multiline else set()
    assert unicodedata.is_normalized("NFC", result)
    assert result == result.strip()
    assert len(result) <= 60
    assert not [
        char
        for char in result
        if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed_controls
    ]
    assert not set(result) & set(BIDI_CONTROLS)
    assert "\r" not in result


# --- NarrativeField --------------------------------------------------------------------


def test_narrative_field_asks_for_a_bit_more_when_too_short():
    field = NarrativeField()

    assert errors_of(field, "Stolen bike.") == ["Tell us a bit more: write at least 20 characters."]


def test_narrative_field_counts_the_minimum_after_trimming():
    field = NarrativeField()

    assert errors_of(field, "   short   " + " " * 30)[0].startswith("Tell us a bit more")


def test_narrative_field_refuses_more_than_10000_characters():
    field = NarrativeField()

    assert errors_of(field, "x" * 10_001) == [
        "Shorten this to 10000 characters or fewer (you used 10001)."
    ]


@pytest.mark.parametrize("length", [20, 10_000])
def test_narrative_field_accepts_lengths_at_the_limits(length):
    field = NarrativeField()

    assert field.clean("x" * length) == "x" * length


def test_narrative_field_is_multiline():
    field = NarrativeField()

    result = field.clean("Someone took my bike\r\nfrom the rack at the library.")

    assert result == "Someone took my bike\nfrom the rack at the library."
    assert isinstance(field.widget, forms.Textarea)


def test_narrative_field_still_refuses_control_characters():
    field = NarrativeField()

    assert "Remove the special characters" in errors_of(field, "x" * 30 + "\x1b")[0]


# --- PhoneField ------------------------------------------------------------------------

PHONE_MESSAGE = "Enter a phone number, like 612-555-0123."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("612-555-0123", "+16125550123"),
        ("(612) 555 0123", "+16125550123"),
        ("612.555.0123", "+16125550123"),
        ("6125550123", "+16125550123"),
        ("1 612 555 0123", "+16125550123"),
        ("+1 (612) 555-0123", "+16125550123"),
        ("+44 20 7946 0958", "+442079460958"),
        ("  612-555-0123  ", "+16125550123"),
    ],
)
def test_phone_field_stores_valid_numbers_as_e164(typed, stored):
    assert PhoneField().clean(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "123",
        "555-0123",  # no area code
        "612-555-012",
        "000-000-0000",
        "not a number",
        "+44 20 7946",
        "612-555-0123 ext 45",  # an extension would be lost
        "6" * 31,
        "+1 612 555 0123" + " " * 16 + "0",
    ],
)
def test_phone_field_refuses_invalid_numbers(typed):
    assert errors_of(PhoneField(), typed) == [PHONE_MESSAGE]


def test_phone_field_has_a_tel_input():
    html = PhoneField().widget.render("phone", "")

    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html
    assert 'maxlength="30"' in html


def test_phone_field_shows_a_stored_number_the_way_people_write_it():
    class Form(forms.Form):
        phone = PhoneField()

    form = Form(initial={"phone": "+16125550123"})

    assert 'value="(612) 555-0123"' in str(form["phone"])


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+16125550123", "(612) 555-0123"),
        ("+442079460958", "+44 20 7946 0958"),
        ("not a phone", "not a phone"),
        ("", ""),
    ],
)
def test_format_phone_shows_national_format_at_home_and_international_abroad(stored, shown):
    assert format_phone(stored) == shown


# --- EmailField ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jane.Doe@Example.COM", "Jane.Doe@example.com"),
        ("  jane@example.com  ", "jane@example.com"),
        ("MixedCase@MAIL.Example.org", "MixedCase@mail.example.org"),
    ],
)
def test_email_field_lowercases_the_domain_only(typed, stored):
    assert EmailField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["jane", "jane@", "@example.com", "jane@@example.com"])
def test_email_field_refuses_malformed_addresses(typed):
    assert errors_of(EmailField(), typed) == ["Enter an email address, like name@example.com."]


def test_email_field_refuses_more_than_254_characters():
    address = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.com"
    assert len(address) > 254

    assert EmailField().max_length == 254
    assert errors_of(EmailField(), address)


# --- ZipField --------------------------------------------------------------------------

ZIP_MESSAGE = "Enter a 5-digit ZIP code, like 55401."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("55401", "55401"),
        (" 55401 ", "55401"),
        ("55401-1234", "55401-1234"),
        ("554011234", "55401-1234"),
        ("55401 1234", "55401-1234"),
        ("554 01", "55401"),
    ],
)
def test_zip_field_accepts_five_and_nine_digit_codes(typed, stored):
    assert ZipField().clean(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["5540", "554012", "55401-123", "55401-12345", "ABCDE", "55401--1234", "\u0665" * 5],
)
def test_zip_field_refuses_other_input(typed):
    assert errors_of(ZipField(), typed) == [ZIP_MESSAGE]


def test_zip_field_is_optional_when_not_required():
    assert ZipField(required=False).clean("  ") == ""


# --- StateField ------------------------------------------------------------------------


def test_us_states_lists_50_states_dc_and_5_territories_by_name():
    codes = [code for code, _name in US_STATES]
    names = [name for _code, name in US_STATES]

    assert len(US_STATES) == 56
    assert len(set(codes)) == 56
    assert {"DC", "PR", "GU", "VI", "AS", "MP"} <= set(codes)
    assert names == sorted(names)
    assert ("MN", "Minnesota") in US_STATES


def test_state_field_offers_a_blank_choice_first():
    field = StateField()

    assert field.choices[0] == ("", "- Select -")
    assert field.choices[1:] == US_STATES


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("MN", "MN"), ("mn", "MN"), (" Mn ", "MN"), ("pr", "PR"), ("Minnesota", "MN")],
)
def test_state_field_accepts_codes_in_any_case(typed, stored):
    assert StateField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["XX", "Minn", "M N", "ZZ"])
def test_state_field_refuses_unknown_states(typed):
    assert errors_of(StateField(), typed) == ["Choose a state from the list."]


def test_state_field_asks_for_a_state_when_blank():
    assert errors_of(StateField(), "") == ["Choose a state."]


# --- MoneyField ------------------------------------------------------------------------

AMOUNT_MESSAGE = "Enter an amount in dollars, like 250 or 249.99."
RANGE_MESSAGE = "Enter an amount between $0 and $1,000,000."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("$1,234.50", Decimal("1234.50")),
        (" 1234 ", Decimal("1234")),
        ("250", Decimal("250")),
        ("249.99", Decimal("249.99")),
        ("$ 5", Decimal("5")),
        ("0", Decimal("0")),
        (".5", Decimal("0.50")),
        ("12.340", Decimal("12.34")),
        ("1,000,000", Decimal("1000000")),
        ("1000000.00", Decimal("1000000")),
    ],
)
def test_money_field_accepts_amounts_written_as_money(typed, stored):
    assert MoneyField().clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", RANGE_MESSAGE),
        ("-$1", RANGE_MESSAGE),
        ("1000000.01", RANGE_MESSAGE),
        ("9" * 25, RANGE_MESSAGE),
        ("12.345", AMOUNT_MESSAGE),
        ("12,50", AMOUNT_MESSAGE),  # a European decimal comma, not 1250
        ("1,23,456", AMOUNT_MESSAGE),
        ("1e3", AMOUNT_MESSAGE),
        ("NaN", AMOUNT_MESSAGE),
        ("Infinity", AMOUNT_MESSAGE),
        ("twelve", AMOUNT_MESSAGE),
        ("12.3.4", AMOUNT_MESSAGE),
    ],
)
def test_money_field_refuses_other_amounts(typed, message):
    assert errors_of(MoneyField(), typed) == [message]


def test_money_field_asks_for_a_decimal_keyboard():
    html = MoneyField().widget.render("value", "")

    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html


@pytest.mark.parametrize("typed", ["", "  ", "$", " $ "])
def test_money_field_treats_a_blank_or_a_lone_dollar_sign_as_no_amount(typed):
    assert MoneyField(required=False).clean(typed) is None
    assert errors_of(MoneyField(), typed) == ["Enter an amount in dollars."]


# --- QuantityField ---------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("1", 1), ("999", 999), (" 12 ", 12)])
def test_quantity_field_accepts_1_to_999(typed, stored):
    assert QuantityField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["0", "1000", "-3", "1.5", "two"])
def test_quantity_field_refuses_other_numbers(typed):
    assert errors_of(QuantityField(), typed) == ["Enter a number from 1 to 999."]


def test_quantity_field_asks_for_a_numeric_keyboard():
    assert 'inputmode="numeric"' in QuantityField().widget.render("count", "")


# --- VIN -------------------------------------------------------------------------------

VALID_VINS = ["1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352"]


@pytest.mark.parametrize("vin", VALID_VINS)
def test_vin_check_digit_ok_for_real_vins(vin):
    assert vin_check_digit_ok(vin)


@pytest.mark.parametrize(
    "vin",
    [
        "1M8GDM9AXKP042789",  # last character changed
        "1M8GDM9A1KP042788",  # check digit changed
        "1M8GDM9AXKP04278",  # too short
        "1M8GDM9AXKP042788O",  # too long
        "1M8GDM9AXKP04278O",  # a letter O
        "1m8gdm9axkp042788",  # not yet uppercased
        "",
        "!!!!!!!!!!!!!!!!!",
    ],
)
def test_vin_check_digit_refuses_anything_else_without_raising(vin):
    assert not vin_check_digit_ok(vin)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),
        ("1m8gdm9axkp042788", "1M8GDM9AXKP042788"),
        (" 1M8 GDM9AX KP042788 ", "1M8GDM9AXKP042788"),
        ("1M8-GDM9AX-KP042788", "1M8GDM9AXKP042788"),
        ("11111111111111111", "11111111111111111"),
        ("1HGCM82633A004352", "1HGCM82633A004352"),
    ],
)
def test_vin_field_accepts_valid_vins(typed, stored):
    assert VinField().clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1M8GDM9AXKP04278", "A VIN has 17 letters and numbers"),
        ("1M8GDM9AXKP0427888", "A VIN has 17 letters and numbers"),
        ("1M8GDM9AXKP04278!", "A VIN has 17 letters and numbers"),
        ("1M8GDM9AXKP04278O", "A VIN never contains the letters I, O or Q"),
        ("IM8GDM9AXKP042788", "A VIN never contains the letters I, O or Q"),
        ("1M8GDM9AXKP0427Q8", "A VIN never contains the letters I, O or Q"),
        ("1M8GDM9AXKP042789", "Check the VIN: one of the characters is wrong"),
        ("1HGCM82643A004352", "Check the VIN: one of the characters is wrong"),
    ],
)
def test_vin_field_refuses_invalid_vins_with_the_reason(typed, message):
    assert errors_of(VinField(), typed)[0].startswith(message)


# --- PlateField ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abc 123", "ABC123"),
        ("ABC-123", "ABC123"),
        ("ab-12-cd", "AB12CD"),
        ("7", "7"),
        ("12345678", "12345678"),
        (" x y z ", "XYZ"),
    ],
)
def test_plate_field_keeps_only_letters_and_numbers(typed, stored):
    assert PlateField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "ABC.123", "AB!12", "\u00c4BC", "AB_12"])
def test_plate_field_refuses_other_plates(typed):
    assert errors_of(PlateField(), typed) == [
        "Enter the plate using letters and numbers only, up to 8."
    ]


# --- Last 4 digits ---------------------------------------------------------------------

FULL_CARD = "1234567890123456"
TOO_LONG_MESSAGE = "Enter only the last 4 digits. For your safety, do not enter the full number."


class Last4Form(UswdsForm):
    card_last4 = Last4Field()


@pytest.mark.parametrize(("typed", "stored"), [("1234", "1234"), (" 12 34 ", "1234")])
def test_last4_field_accepts_four_digits(typed, stored):
    assert Last4Field().clean(typed) == stored


@pytest.mark.parametrize(
    "typed", [FULL_CARD, "12345", "1234-5678-9012-3456", "1234 5678 9012 3456", "x12345"]
)
def test_last4_field_refuses_more_digits_with_a_safety_message(typed):
    messages = errors_of(Last4Field(), typed)

    assert messages == [TOO_LONG_MESSAGE]


@pytest.mark.parametrize("typed", ["123", "12a4", "abcd", "12-34"])
def test_last4_field_refuses_other_input(typed):
    assert errors_of(Last4Field(), typed) == ["Enter the last 4 digits, like 1234."]


@pytest.mark.parametrize("typed", [FULL_CARD, "1234-5678-9012-3456"])
def test_last4_form_never_echoes_a_full_number_back(typed):
    form = Last4Form(data={"card_last4": typed})

    assert not form.is_valid()
    html = str(form)
    errors = str(form.errors)

    digits = "".join(char for char in typed if char.isdigit())
    for leak in (typed, digits, digits[:8], digits[-8:]):
        assert leak not in html
        assert leak not in errors
    assert TOO_LONG_MESSAGE in errors


def test_last4_form_shows_four_digits_back_on_another_error():
    class Form(UswdsForm):
        card_last4 = Last4Field()
        name = TextField(max_length=10)

    form = Form(data={"card_last4": "1234", "name": ""})

    assert not form.is_valid()
    assert 'value="1234"' in str(form["card_last4"])


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1234", "1234"),
        ("12345", None),
        (FULL_CARD, None),
        ("12a4", None),
        ("", None),
        (None, None),
        (1234, None),
    ],
)
def test_last4_input_shows_only_exactly_four_digits(value, shown):
    assert Last4Input().format_value(value) == shown


def test_last4_input_has_no_maxlength_so_longer_input_is_seen():
    html = Last4Field().widget.render("card_last4", "")

    assert "maxlength" not in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html


# --- PastDateField ---------------------------------------------------------------------

# 03:00 UTC on 1 March is 21:00 on 28 February in Chicago.
FROZEN_UTC = "2026-03-01 03:00:00"
LOCAL_TODAY = date(2026, 2, 28)


@freeze_time(FROZEN_UTC)
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-02-28", date(2026, 2, 28)),
        ("2026-02-01", date(2026, 2, 1)),
        ("02/01/2026", date(2026, 2, 1)),
        ("2/1/2026", date(2026, 2, 1)),
    ],
)
def test_past_date_field_accepts_iso_and_us_dates_up_to_local_today(typed, stored):
    assert PastDateField().clean(typed) == stored


@freeze_time(FROZEN_UTC)
@pytest.mark.parametrize("typed", ["2026-03-01", "03/01/2026", "2027-01-01"])
def test_past_date_field_refuses_the_future_in_local_time(typed):
    messages = errors_of(PastDateField(), typed)

    assert messages[0].startswith("The date cannot be in the future")


@freeze_time(FROZEN_UTC)
@pytest.mark.parametrize("typed", ["2026-02-30", "13/01/2026", "yesterday", "28.02.2026"])
def test_past_date_field_refuses_impossible_dates(typed):
    assert errors_of(PastDateField(), typed) == ["Enter a real date, like 06/30/2025."]


@freeze_time(FROZEN_UTC)
def test_past_date_field_accepts_the_oldest_day_allowed():
    oldest = LOCAL_TODAY - timedelta(days=3 * 365)

    assert PastDateField().clean(oldest.isoformat()) == oldest


@freeze_time(FROZEN_UTC)
def test_past_date_field_refuses_things_older_than_3_years():
    too_old = LOCAL_TODAY - timedelta(days=3 * 365 + 1)

    assert errors_of(PastDateField(), too_old.isoformat()) == [
        "We can only take reports of things that happened in the last 3 years. Check the date."
    ]


@freeze_time(FROZEN_UTC)
@pytest.mark.parametrize(
    ("days", "message"),
    [
        (730, "in the last 2 years."),
        (365, "in the last year."),
        (90, "in the last 90 days."),
    ],
)
def test_past_date_field_states_the_limit_from_settings(settings, days, message):
    settings.REPORT_MAX_AGE_DAYS = days
    too_old = LOCAL_TODAY - timedelta(days=days + 1)

    assert message in errors_of(PastDateField(), too_old.isoformat())[0]


@freeze_time(FROZEN_UTC)
def test_past_date_field_max_age_days_overrides_the_setting():
    field = PastDateField(max_age_days=30)

    assert field.clean((LOCAL_TODAY - timedelta(days=30)).isoformat())
    assert (
        "in the last 30 days" in errors_of(field, (LOCAL_TODAY - timedelta(days=31)).isoformat())[0]
    )


@freeze_time(FROZEN_UTC)
def test_past_date_field_can_skip_the_age_check_but_not_the_future_check():
    field = PastDateField(check_max_age=False)

    assert field.clean("2000-01-01") == date(2000, 1, 1)
    assert errors_of(field, "2026-03-01")


def test_past_date_field_renders_a_native_date_input():
    html = PastDateField().widget.render("when", date(2026, 2, 1))

    assert 'type="date"' in html
    assert 'value="2026-02-01"' in html


# --- TimeField -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("14:30", time(14, 30)),
        ("2:30 PM", time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2:30 p.m.", time(14, 30)),
        ("2pm", time(14, 0)),
        ("12:15 am", time(0, 15)),
        ("12:00 PM", time(12, 0)),
        ("09:05", time(9, 5)),
        ("14:30:00", time(14, 30)),
    ],
)
def test_time_field_accepts_24_hour_and_am_pm_times(typed, stored):
    assert TimeField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["25:00", "2:30 xm", "13:00 pm", "noonish", "14h30"])
def test_time_field_refuses_other_times(typed):
    assert errors_of(TimeField(), typed) == ["Enter a time, like 2:30 PM."]


def test_time_field_renders_a_native_time_input():
    html = TimeField().widget.render("at", time(14, 30, 15))

    assert 'type="time"' in html
    assert 'value="14:30"' in html


# --- DateOfBirthField ------------------------------------------------------------------

GUARDIAN_MESSAGE = (
    "You must be 18 or older to file a report. Please ask a parent or guardian to file it for you."
)


@freeze_time("2026-06-15 17:00:00")  # noon in Chicago
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2008-06-15", date(2008, 6, 15)),  # 18 today
        ("06/15/2008", date(2008, 6, 15)),
        ("1980-01-31", date(1980, 1, 31)),
        ("1906-06-15", date(1906, 6, 15)),  # exactly 120 years ago
    ],
)
def test_date_of_birth_field_accepts_adults(typed, stored):
    assert DateOfBirthField().clean(typed) == stored


@freeze_time("2026-06-15 17:00:00")
@pytest.mark.parametrize("typed", ["2008-06-16", "2010-01-01", "2026-06-15"])
def test_date_of_birth_field_refuses_minors_with_the_guardian_message(typed):
    assert errors_of(DateOfBirthField(), typed) == [GUARDIAN_MESSAGE]


@freeze_time("2026-06-16 03:00:00")  # still 15 June in Chicago
def test_date_of_birth_field_counts_birthdays_in_local_time():
    assert errors_of(DateOfBirthField(), "2008-06-16") == [GUARDIAN_MESSAGE]


@pytest.mark.parametrize(
    ("instant", "accepted"),
    [("2026-02-28 18:00:00", False), ("2026-03-01 18:00:00", True)],
)
def test_date_of_birth_field_leap_day_birthdays_come_of_age_on_1_march(instant, accepted):
    with freeze_time(instant):
        field = DateOfBirthField()
        if accepted:
            assert field.clean("2008-02-29") == date(2008, 2, 29)
        else:
            assert errors_of(field, "2008-02-29") == [GUARDIAN_MESSAGE]


@freeze_time("2026-06-15 17:00:00")
def test_date_of_birth_field_takes_the_minimum_age_from_settings(settings):
    settings.MIN_REPORTER_AGE = 21

    assert errors_of(DateOfBirthField(), "2008-06-15") == [
        "You must be 21 or older to file a report. "
        "Please ask a parent or guardian to file it for you."
    ]


@freeze_time("2026-06-15 17:00:00")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1906-06-14", "Check the year of birth."),
        ("1066-10-14", "Check the year of birth."),
        ("2026-06-16", "The date of birth cannot be in the future. Check the year of birth."),
    ],
)
def test_date_of_birth_field_refuses_impossible_birth_dates(typed, message):
    assert errors_of(DateOfBirthField(), typed) == [message]


def test_date_of_birth_field_renders_a_native_date_input():
    html = DateOfBirthField().widget.render("dob", date(1990, 5, 4))

    assert 'type="date"' in html
    assert 'value="1990-05-04"' in html
    assert 'autocomplete="bday"' in html


# --- aware_local_datetime --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        (date(2026, 7, 4), time(14, 30), datetime(2026, 7, 4, 19, 30, tzinfo=UTC)),  # CDT
        (date(2026, 1, 15), time(14, 30), datetime(2026, 1, 15, 20, 30, tzinfo=UTC)),  # CST
        (date(2026, 1, 15), None, datetime(2026, 1, 15, 6, 0, tzinfo=UTC)),  # midnight
        # 1:30 happens twice on 2 November 2025: the first (daylight) one is meant.
        (date(2025, 11, 2), time(1, 30), datetime(2025, 11, 2, 6, 30, tzinfo=UTC)),
        # 2:30 never happens on 8 March 2026: it becomes 3:30 daylight time.
        (date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 8, 30, tzinfo=UTC)),
    ],
)
def test_aware_local_datetime_reads_wall_time_in_the_agency_zone(day, at, utc):
    result = aware_local_datetime(day, at)

    # Compared in UTC: PEP 495 makes == between zones false for an ambiguous wall time.
    assert result.tzinfo is not None
    assert result.astimezone(UTC) == utc


def test_aware_local_datetime_reads_a_repeated_time_as_the_first_one():
    result = aware_local_datetime(date(2025, 11, 2), time(1, 30))

    assert (result.hour, result.minute, result.fold) == (1, 30, 0)
    assert result.utcoffset() == timedelta(hours=-5)


def test_aware_local_datetime_shows_a_skipped_time_as_the_real_wall_time():
    result = aware_local_datetime(date(2026, 3, 8), time(2, 30))

    assert (result.hour, result.minute) == (3, 30)
    assert result.utcoffset() == timedelta(hours=-5)


def test_aware_local_datetime_uses_the_time_zone_setting(settings):
    settings.TIME_ZONE = "America/New_York"

    result = aware_local_datetime(date(2026, 7, 4), time(14, 30))

    assert result == datetime(2026, 7, 4, 18, 30, tzinfo=UTC)


def test_forms_of_one_class_share_the_answer_lists_but_nothing_a_form_changes(db):
    from reports.questions.forms import AboutYouForm

    first, second = AboutYouForm(), AboutYouForm()
    first.fields["state"].widget.attrs["aria-describedby"] = "state_error"
    first.fields["state"].error_messages["required"] = "changed"
    first.fields["reporting_for"].widget.attrs["class"] = "changed"

    state = second.fields["state"]
    assert "aria-describedby" not in state.widget.attrs
    assert state.error_messages["required"] != "changed"
    assert second.fields["reporting_for"].widget.attrs.get("class") != "changed"
    assert state.widget is not first.fields["state"].widget
    assert state.choices is first.fields["state"].choices  # shared, not copied per form
    assert list(state.widget.choices) == list(AboutYouForm.base_fields["state"].choices)
    assert second["state"].as_widget().count("<option") == len(state.choices)


def _form_classes():
    for name, step in STEPS.items():
        yield name, (step.form_class.form if step.is_formset else step.form_class)


@pytest.mark.parametrize(("step", "form_class"), list(_form_classes()))
def test_each_step_draws_the_same_fields_as_djangos_own_copy_would(
    db, monkeypatch, step, form_class
):
    form = form_class(prefix=step)
    with monkeypatch.context() as patch:  # a plain dict: Django's own deep copy
        patch.setattr(form_class, "base_fields", dict(form_class.base_fields))
        djangos = form_class(prefix=step)

    assert list(form.fields) == list(djangos.fields)
    for name in form.fields:
        assert str(form[name]) == str(djangos[name]), name
        ours, theirs = form.fields[name], djangos.fields[name]
        assert type(ours) is type(theirs)
        assert type(ours.widget) is type(theirs.widget)
        assert ours.error_messages == theirs.error_messages
        assert ours.validators == theirs.validators


def test_nothing_a_form_changes_on_a_field_reaches_another_form_or_the_class(db):
    from reports.questions.forms import AboutYouForm

    first, second = AboutYouForm(), AboutYouForm()
    field = first.fields["first_name"]
    field.required = False
    field.label = "changed"
    field.widget.attrs["class"] = "changed"
    field.widget.input_type = "search"
    field.error_messages["required"] = "changed"
    field.validators.append(lambda value: None)

    for other in (second.fields["first_name"], AboutYouForm.base_fields["first_name"]):
        assert other is not field and other.widget is not field.widget
        assert other.required and other.label != "changed"
        assert other.widget.attrs.get("class") != "changed"
        assert other.widget.input_type == "text"
        assert other.error_messages["required"] != "changed"
        assert len(other.validators) == len(field.validators) - 1


def test_a_widget_that_copies_itself_its_own_way_is_copied_its_own_way():
    copied = []

    class CopyingWidget(forms.TextInput):
        def __copy__(self):
            copied.append(self)
            new = CopyingWidget(attrs=self.attrs)
            new.input_type = "search"
            return new

    class Form(UswdsForm):
        word = forms.CharField(widget=CopyingWidget())

    copied.clear()  # the field's own copy of the widget it was given
    built = Form()

    assert copied == [Form.base_fields["word"].widget]
    assert built.fields["word"].widget.input_type == "search"


def test_a_field_with_a_copy_of_its_own_is_copied_as_django_copies_it():
    class Form(UswdsForm):
        colour = forms.ChoiceField(choices=[("r", "Red")])

    first, second = Form(), Form()
    first.fields["colour"].choices.append(("b", "Blue"))  # Django copies the answers

    assert second.fields["colour"].choices == [("r", "Red")]
    assert Form.base_fields["colour"].choices == [("r", "Red")]
