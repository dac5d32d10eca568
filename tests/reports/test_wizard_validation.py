"""What a resident sees when a wizard step refuses an answer, that a refused step stores
nothing, that a full card number never comes back, and the 911 traps inside the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reports.models import Report
from screening.models import ScreeningOutcome
from tests.reports.wizard_data import (
    LAST_WEEK,
    ROW_STEPS,
    STEP_DATA,
    YESTERDAY,
    answer_steps,
    error_summary,
    field_error,
    main_text,
    session_rows_decoded,
    start_report,
    step_post,
    step_url,
    steps_of,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
FOUR_YEARS_AGO = (TODAY - dt.timedelta(days=4 * 365)).isoformat()
TEN_YEARS_OLD = TODAY.replace(year=TODAY.year - 10, day=min(TODAY.day, 28)).isoformat()
FULL_CARD_NUMBER = "1234567812345678"
# 1HGCM82633A004352 with its 9th character (the check digit) changed.
VIN_BAD_CHECK_DIGIT = "1HGCM82643A004352"

CONTROL_MESSAGE = (
    "Remove the special characters from this text. They can come from copying and "
    "pasting: try typing the text instead."
)
LAST4_MESSAGE = "Enter only the last 4 digits. For your safety, do not enter the full number."


def refused(report_type: str, step: str, changes: dict, *, drop: tuple[str, ...] = ()):
    """Post a step's valid answers with `changes` (and without the fields in `drop`).
    For a step of rows, the changes apply to its first row."""
    if step in ROW_STEPS:
        values = [{**ROW_STEPS[step][0], **changes}]
    else:
        values = {k: v for k, v in {**STEP_DATA[step], **changes}.items() if k not in drop}
    return step_post(report_type, step, values)


# (report type, step, changes, fields left out, field's input id, the message, summary anchor)
BAD_ANSWERS = [
    pytest.param(
        "theft",
        "about_you",
        {"date_of_birth": TEN_YEARS_OLD},
        (),
        "id_about_you-date_of_birth",
        "You must be 18 or older to file a report. Please ask a parent or guardian to file "
        "it for you.",
        None,
        id="under-18-asks-for-a-guardian",
    ),
    pytest.param(
        "theft",
        "when_where",
        {"date": TOMORROW},
        (),
        "id_when_where-date",
        "The date cannot be in the future. Check the day, month and year.",
        None,
        id="future-date",
    ),
    pytest.param(
        "theft",
        "when_where",
        {
            "timing": "window",
            "start_date": YESTERDAY,
            "start_time": "10:00",
            "end_date": LAST_WEEK,
            "end_time": "09:00",
        },
        (),
        "id_when_where-end_date",
        "The end of the time range must be after its start.",
        None,
        id="window-start-after-end",
    ),
    pytest.param(
        "theft",
        "when_where",
        {"date": FOUR_YEARS_AGO},
        (),
        "id_when_where-date",
        "We can only take reports of things that happened in the last 3 years. Check the date.",
        None,
        id="older-than-3-years",
    ),
    pytest.param(
        "theft",
        "about_you",
        {"phone": "123"},
        (),
        "id_about_you-phone",
        "Enter a phone number, like 612-555-0123.",
        None,
        id="phone-123",
    ),
    pytest.param(
        "theft",
        "about_you",
        {"zip_code": "5541"},
        (),
        "id_about_you-zip_code",
        "Enter a 5-digit ZIP code, like 55401.",
        None,
        id="zip-4-digits",
    ),
    pytest.param(
        "theft",
        "about_you",
        {"zip_code": "ABCDE"},
        (),
        "id_about_you-zip_code",
        "Enter a 5-digit ZIP code, like 55401.",
        None,
        id="zip-letters",
    ),
    pytest.param(
        "theft",
        "items",
        {"value": "-5"},
        (),
        "id_items-0-value",
        "Enter an amount between $0 and $1,000,000.",
        None,
        id="money-negative",
    ),
    pytest.param(
        "theft",
        "items",
        {"value": "abc"},
        (),
        "id_items-0-value",
        "Enter an amount in dollars, like 250 or 249.99.",
        None,
        id="money-not-a-number",
    ),
    pytest.param(
        "theft",
        "items",
        {"quantity": "0"},
        (),
        "id_items-0-quantity",
        "Enter a number from 1 to 999.",
        None,
        id="quantity-0",
    ),
    pytest.param(
        "vehicle_damage",
        "vehicle_damage",
        {"vin": VIN_BAD_CHECK_DIGIT},
        (),
        "id_vehicle_damage-vin",
        "Check the VIN: one of the characters is wrong.",
        None,
        id="vin-bad-check-digit",
    ),
    pytest.param(
        "theft_from_vehicle",
        "vehicle",
        {"plate": "ABCD12345"},
        (),
        "id_vehicle-plate",
        "Enter the plate using letters and numbers only, up to 8.",
        None,
        id="plate-too-long",
    ),
    pytest.param(
        "identity_theft",
        "accounts",
        {"last4": FULL_CARD_NUMBER},
        (),
        "id_accounts-0-last4",
        LAST4_MESSAGE,
        None,
        id="last4-full-card-number",
    ),
    pytest.param(
        "theft",
        "narrative",
        {"narrative": "Bike gone."},
        (),
        "id_narrative-narrative",
        "Tell us a bit more: write at least 20 characters.",
        None,
        id="narrative-too-short",
    ),
    pytest.param(
        "theft",
        "about_you",
        {"first_name": "Ana\x1b[2J"},
        (),
        "id_about_you-first_name",
        CONTROL_MESSAGE,
        None,
        id="control-character-in-name",
    ),
    pytest.param(
        "theft",
        "when_where",
        {"place_kind": "castle"},
        (),
        "id_when_where-place_kind",
        "Choose one of the answers.",
        "id_when_where-place_kind_0",
        id="choice-not-offered",
    ),
    pytest.param(
        "theft",
        "about_you",
        {},
        ("reporting_for",),
        "id_about_you-reporting_for",
        "Choose who you are reporting for.",
        "id_about_you-reporting_for_0",
        id="required-radio-missing",
    ),
    pytest.param(
        "theft",
        "theft_details",
        {},
        ("entered_building",),
        "id_theft_details-entered_building",
        "Choose whether anyone went into a building, garage or shed.",
        "id_theft_details-entered_building_0",
        id="trap-question-unanswered",
    ),
]


@pytest.mark.parametrize(
    ("report_type", "step", "changes", "drop", "field_id", "message", "anchor"), BAD_ANSWERS
)
def test_refused_answer_is_explained_next_to_the_field_and_in_the_error_summary(
    client, report_type, step, changes, drop, field_id, message, anchor
):
    start_report(client, report_type)
    answer_steps(client, report_type, until=step)

    response = client.post(
        step_url(client, report_type, step), refused(report_type, step, changes, drop=drop)
    )

    assert response.status_code == 200
    assert field_error(response, field_id) == message
    assert (anchor or field_id, message) in error_summary(response)
    assert main_text(response).count(message) >= 2


@pytest.mark.parametrize(
    ("report_type", "step", "changes", "drop", "field_id", "message", "anchor"), BAD_ANSWERS
)
def test_refused_step_stores_nothing_so_the_next_step_sends_back(
    client, report_type, step, changes, drop, field_id, message, anchor
):
    start_report(client, report_type)
    answer_steps(client, report_type, until=step)
    client.post(step_url(client, report_type, step), refused(report_type, step, changes, drop=drop))
    flow_steps = steps_of(report_type)
    next_step = flow_steps[flow_steps.index(step) + 1]

    response = client.get(step_url(client, report_type, next_step))

    assert response.status_code == 302
    assert response.url == step_url(client, report_type, step)


def test_page_title_says_error_when_a_step_is_refused(client):
    start_report(client, "theft")

    response = client.post(
        step_url(client, "theft", "about_you"), refused("theft", "about_you", {"phone": "123"})
    )

    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.startswith("Error:")


def test_several_refused_answers_are_all_listed_in_the_summary_in_form_order(client):
    start_report(client, "theft")

    response = client.post(
        step_url(client, "theft", "about_you"),
        refused("theft", "about_you", {"phone": "123", "zip_code": "1"}, drop=("last_name",)),
    )

    assert [message for _anchor, message in error_summary(response)] == [
        "Enter your last name.",
        "Enter a phone number, like 612-555-0123.",
        "Enter a 5-digit ZIP code, like 55401.",
    ]


def test_business_reporter_must_give_the_business_name_and_role(client):
    start_report(client, "theft")

    response = client.post(
        step_url(client, "theft", "about_you"),
        refused("theft", "about_you", {"reporting_for": "business"}),
    )

    assert field_error(response, "id_about_you-organization_name") == (
        "Enter the name of the business or organization."
    )
    assert field_error(response, "id_about_you-organization_role") == (
        "Enter your role in the business or organization."
    )


def test_blank_item_row_asks_for_what_an_item_needs(client):
    start_report(client, "theft")
    answer_steps(client, "theft", until="items")

    response = client.post(
        step_url(client, "theft", "items"), step_post("theft", "items", [{"quantity": "1"}])
    )

    assert [message for _a, message in error_summary(response)] == [
        "Choose the kind of item.",
        "Describe the item.",
    ]


def test_removing_the_only_item_asks_for_at_least_one_item(client):
    start_report(client, "theft")
    answer_steps(client, "theft", until="items")
    only_row_removed = [{**ROW_STEPS["items"][0], "DELETE": "on"}]

    response = client.post(
        step_url(client, "theft", "items"), step_post("theft", "items", only_row_removed)
    )

    assert ("error-summary", "Add at least one item.") in error_summary(response)


# --- A full card number never comes back ---------------------------------------------


def _post_full_card_number(client, extra: dict):
    start_report(client, "identity_theft")
    answer_steps(client, "identity_theft", until="accounts")
    data = refused("identity_theft", "accounts", {"last4": FULL_CARD_NUMBER}) | extra
    return client.post(step_url(client, "identity_theft", "accounts"), data)


HOW_IT_IS_SENT = [
    pytest.param({}, id="continue"),
    pytest.param({"wizard_goto_step": "identity_theft"}, id="back"),
    pytest.param({"add_row": "1"}, id="add-another"),
]


@pytest.mark.parametrize("extra", HOW_IT_IS_SENT)
def test_full_card_number_appears_nowhere_in_the_response(client, extra):
    response = _post_full_card_number(client, extra)
    if response.status_code == 302:
        response = client.get(response.url)

    body = response.content.decode()
    assert FULL_CARD_NUMBER not in body
    assert "56781234" not in body


def test_full_card_number_is_refused_with_a_message_and_an_empty_box(client):
    response = _post_full_card_number(client, {})

    assert field_error(response, "id_accounts-0-last4") == LAST4_MESSAGE
    tag = response.content.decode().split('name="accounts-0-last4"')[1].split(">")[0]
    assert "value=" not in tag


@pytest.mark.parametrize("extra", HOW_IT_IS_SENT)
def test_full_card_number_is_kept_nowhere_in_the_session(client, extra):
    _post_full_card_number(client, extra)

    assert FULL_CARD_NUMBER not in repr(dict(client.session.items()))
    assert "56781234" not in repr(dict(client.session.items()))
    assert FULL_CARD_NUMBER not in repr(session_rows_decoded())
    assert "56781234" not in repr(session_rows_decoded())


def test_full_card_number_is_never_filed(client):
    _post_full_card_number(client, {})

    response = client.get(step_url(client, "identity_theft", "declaration"))

    assert response.url == step_url(client, "identity_theft", "accounts")
    assert not Report.objects.exists()


# --- 911 traps: an answer inside the report shows it needs an officer ------------------

TRAPS = [
    pytest.param(
        "theft",
        "theft_details",
        {"entered_building": "yes"},
        "major_crime_911",
        id="theft-entered-building",
    ),
    pytest.param(
        "theft",
        "theft_details",
        {"entered_building": "unsure"},
        "major_crime_911",
        id="theft-entered-building-unsure",
    ),
    pytest.param(
        "theft",
        "theft_details",
        {"force_or_threat": "yes"},
        "major_crime_911",
        id="theft-force-or-threat",
    ),
    pytest.param(
        "theft",
        "theft_details",
        {"force_or_threat": "unsure"},
        "major_crime_911",
        id="theft-force-or-threat-unsure",
    ),
    pytest.param(
        "vehicle_damage",
        "vehicle_damage",
        {"anyone_hurt": "yes"},
        "emergency_911",
        id="vehicle-damage-someone-hurt",
    ),
    pytest.param(
        "vehicle_damage",
        "vehicle_damage",
        {"anyone_hurt": "unsure"},
        "emergency_911",
        id="vehicle-damage-someone-maybe-hurt",
    ),
    pytest.param(
        "harassment",
        "harassment",
        {"threat_now": "yes"},
        "emergency_911",
        id="harassment-threat-now",
    ),
    pytest.param(
        "order_violation",
        "court_order",
        {"respondent_nearby": "yes"},
        "emergency_911",
        id="order-violation-respondent-nearby",
    ),
]


def _spring_trap(client, report_type, step, changes):
    start_report(client, report_type)
    answer_steps(client, report_type, until=step)
    return client.post(step_url(client, report_type, step), refused(report_type, step, changes))


@pytest.mark.parametrize(("report_type", "step", "changes", "outcome"), TRAPS)
def test_trap_answer_ends_the_report_with_call_911_now(client, report_type, step, changes, outcome):
    response = _spring_trap(client, report_type, step, changes)

    assert response.url == reverse("screening:result")
    page = client.get(response.url)
    assert "Call 911 now" in main_text(page)
    assert "This cannot be reported online. An officer needs to respond." in main_text(page)
    assert 'href="tel:911"' in page.content.decode()


@pytest.mark.parametrize(("report_type", "step", "changes", "outcome"), TRAPS)
def test_after_a_trap_the_wizard_refuses_to_continue(client, report_type, step, changes, outcome):
    _spring_trap(client, report_type, step, changes)

    for later in ("about_you", step, "declaration"):
        response = client.get(step_url(client, report_type, later))
        assert response.url == reverse("screening:start"), later
    response = client.post(step_url(client, report_type, step), refused(report_type, step, {}))
    assert response.url == reverse("screening:start")
    assert not Report.objects.exists()


@pytest.mark.parametrize(("report_type", "step", "changes", "outcome"), TRAPS)
def test_trap_is_counted_as_a_screening_outcome(client, report_type, step, changes, outcome):
    _spring_trap(client, report_type, step, changes)

    counted = ScreeningOutcome.objects.exclude(outcome="eligible")
    assert [(row.outcome, row.report_type, row.language) for row in counted] == [
        (outcome, report_type, "en")
    ]


def test_trap_forgets_what_was_typed_in_the_report(client):
    _spring_trap(client, "theft", "theft_details", {"entered_building": "yes"})

    assert "Ana" not in repr(dict(client.session.items()))


def test_theft_without_entering_or_force_goes_on_to_the_items(client):
    response = _spring_trap(client, "theft", "theft_details", {"theft_kind": "package"})

    assert response.url == step_url(client, "theft", "items")
    assert not ScreeningOutcome.objects.exclude(outcome="eligible").exists()
