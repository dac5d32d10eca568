"""Filing every report type through the real pages, from the screening to the
confirmation, and what ends up stored and sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reports import tracking
from reports.models import (
    CourtOrder,
    IdentityTheftAccount,
    Item,
    PersonResponsible,
    Report,
    Vehicle,
)
from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import (
    LAST_WEEK,
    STEP_DATA,
    YESTERDAY,
    file_report,
    item_row,
    main_text,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
ALL_TYPES = list(REPORT_TYPES)
NARRATIVE = STEP_DATA["narrative"]["narrative"]


def local(day: str, clock: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(clock), CHICAGO)


@pytest.fixture
def filed(client, mailoutbox, django_capture_on_commit_callbacks):
    """File a report of a type through the pages (emails sent as on a real commit);
    returns (final response, the stored report)."""

    def file(report_type: str, overrides=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = file_report(client, report_type, overrides)
        return response, Report.objects.get(report_type=report_type)

    return file


# --- Every type, start to finish -----------------------------------------------------


@pytest.mark.parametrize("report_type", ALL_TYPES)
def test_every_type_is_filed_from_screening_to_confirmation(client, filed, report_type):
    response, report = filed(report_type)

    assert response.url == reverse("reports:confirmation")
    page = main_text(client.get(response.url))
    assert "We received your report" in page
    assert report.tracking_number in page
    assert "What happens next" in page
    assert report.report_type == report_type
    assert report.status == "submitted"
    assert tracking.normalize(report.tracking_number) == report.tracking_number


@pytest.mark.parametrize("report_type", ALL_TYPES)
def test_reporter_is_stored_with_email_domain_lowercased_and_phone_in_e164(filed, report_type):
    _response, report = filed(report_type)

    assert report.reporter_name == "Ana Lopez"
    assert report.reporter_email == "Ana.Lopez@example.org"
    assert report.reporter_phone == "+16125550123"
    assert report.reporter_date_of_birth == dt.date(1985, 4, 23)
    assert (report.reporter_city, report.reporter_state, report.reporter_zip) == (
        "Minneapolis",
        "MN",
        "55415",
    )
    assert report.narrative == NARRATIVE


@pytest.mark.parametrize("report_type", ALL_TYPES)
def test_screening_that_allowed_the_report_is_saved_with_it(filed, report_type):
    _response, report = filed(report_type)

    assert report.screening["outcome"] == "eligible"
    assert report.screening["answers"]["report_type"] == report_type
    assert report.screening["answers"]["in_city"] == "yes"
    assert report.screening["answers"]["major_crime"] == "no"


@pytest.mark.parametrize("report_type", ALL_TYPES)
def test_exactly_one_confirmation_email_links_to_status_without_the_narrative(
    filed, mailoutbox, report_type
):
    _response, report = filed(report_type)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    html_body = email.alternatives[0][0]
    assert email.to == ["Ana.Lopez@example.org"]
    assert report.tracking_number in email.subject
    assert "http://127.0.0.1:8000/status/" in email.body
    assert 'href="http://127.0.0.1:8000/status/"' in html_body
    for body in (email.subject, email.body, html_body):
        assert NARRATIVE not in body
        assert "took my bike" not in body


# --- When it happened: stored as the moment meant in Minneapolis -----------------------


def test_exact_time_is_stored_as_that_wall_clock_time_in_chicago(filed):
    _response, report = filed("theft")

    assert report.occurred_start == local(YESTERDAY, "14:30")
    assert report.occurred_start.astimezone(CHICAGO).strftime("%H:%M") == "14:30"
    assert report.occurred_end is None
    assert report.location == "Lake St and Hiawatha Ave"
    assert report.place_kind == "street"


def test_time_window_is_stored_as_start_and_end_in_chicago(filed):
    _response, report = filed("lost_property")

    assert report.occurred_start == local(LAST_WEEK, "08:00")
    assert report.occurred_end == local(YESTERDAY, "18:00")


def test_identity_theft_is_dated_by_when_it_was_found_out_and_needs_no_place(filed):
    _response, report = filed("identity_theft")

    assert report.occurred_start == local(YESTERDAY, "09:00")
    assert report.location == ""
    assert report.place_kind == "online"


# --- The parts of each type ------------------------------------------------------------


def test_theft_items_are_stored_with_serial_numbers_and_their_total_value(filed):
    items = [
        item_row(1, serial_number="C02XK1ABJGH5", quantity="2", value="$19.99"),
        item_row(2, category="bicycle", serial_number="WTU123456", value="650"),
    ]

    _response, report = filed("theft", {"items": items})

    stored = list(Item.objects.filter(report=report).order_by("position"))
    assert [(i.serial_number, i.quantity, i.value) for i in stored] == [
        ("C02XK1ABJGH5", 2, Decimal("19.99")),
        ("WTU123456", 1, Decimal("650.00")),
    ]
    assert report.total_value == Decimal("689.98")
    assert report.details["theft_kind"] == "bicycle"


def test_item_without_a_value_counts_nothing_toward_the_total(filed):
    items = [item_row(1, value="25"), item_row(2, value="")]

    _response, report = filed("lost_property", {"items": items})

    assert Item.objects.filter(report=report, value__isnull=True).count() == 1
    assert report.total_value == Decimal("25.00")


def test_theft_from_vehicle_stores_the_vehicle_with_its_plate(filed):
    _response, report = filed("theft_from_vehicle")

    vehicle = Vehicle.objects.get(report=report)
    assert (vehicle.year, vehicle.make, vehicle.plate, vehicle.plate_state) == (
        2018,
        "Toyota",
        "ABC123",
        "MN",
    )
    assert report.details["entry"] == "window"
    assert Item.objects.filter(report=report).count() == 1


def test_vehicle_damage_stores_plate_as_letters_and_digits_and_the_vin(filed):
    overrides = {"vehicle_damage": {**STEP_DATA["vehicle_damage"], "plate": "xyz-789"}}

    _response, report = filed("vehicle_damage", overrides)

    vehicle = Vehicle.objects.get(report=report)
    assert vehicle.plate == "XYZ789"
    assert vehicle.vin == "1HGCM82633A004352"
    assert report.details["repair_cost"] == "1250.00"
    assert report.details["hit_and_run"] == "yes"


def test_property_damage_keeps_what_was_damaged_and_the_graffiti_text_in_details(filed):
    _response, report = filed("property_damage")

    assert sorted(report.details["damaged"]) == ["fence", "graffiti"]
    assert report.details["graffiti_text"] == "XYZ crew"
    assert not Vehicle.objects.filter(report=report).exists()


def test_harassment_stores_the_person_responsible(filed):
    _response, report = filed("harassment")

    person = PersonResponsible.objects.get(report=report)
    assert (person.name, person.phones) == ("Jordan Doe", "612-555-0199")
    assert report.details["person_known"] == "known"
    assert report.details["methods"] == ["texts", "calls"]


def test_unknown_person_responsible_stores_no_person_row(filed):
    _response, report = filed("theft")

    assert report.details["person_known"] == "unknown"
    assert not PersonResponsible.objects.filter(report=report).exists()


def test_order_violation_stores_the_court_order(filed):
    _response, report = filed("order_violation")

    order = CourtOrder.objects.get(report=report)
    assert (order.order_type, order.court_file_number, order.county, order.state) == (
        "hro",
        "27-CV-24-1234",
        "Hennepin",
        "MN",
    )
    assert order.respondent_name == "John Roe"
    assert order.issued_on == dt.date(2025, 1, 15)
    assert order.expires_on == dt.date(2027, 1, 15)
    assert report.details["violation"] == ["texts"]


def test_visitation_violation_stores_the_order_and_keeps_the_children_in_details(filed):
    children = [{"first_name": "Mia", "age": "7"}, {"first_name": "Leo", "age": "4"}]

    _response, report = filed("visitation_violation", {"children": children})

    order = CourtOrder.objects.get(report=report)
    assert (order.order_type, order.court_file_number, order.respondent_name) == (
        "visitation",
        "27-FA-23-555",
        "Sam Roe",
    )
    assert report.details["children"] == [
        {"first_name": "Mia", "age": 7},
        {"first_name": "Leo", "age": 4},
    ]
    assert report.details["what_happened"] == "no_show"


def test_identity_theft_accounts_keep_only_the_last_four_digits(filed):
    accounts = [
        {"institution": "First Bank", "kind": "credit_card", "last4": "4321", "amount": "1200"},
        {"institution": "Power Co", "kind": "utility", "last4": "", "amount": ""},
    ]

    _response, report = filed("identity_theft", {"accounts": accounts})

    stored = IdentityTheftAccount.objects.filter(report=report).order_by("institution")
    assert [(a.institution, a.kind, a.last4, a.amount) for a in stored] == [
        ("First Bank", "credit_card", "4321", Decimal("1200.00")),
        ("Power Co", "utility", "", None),
    ]
    assert IdentityTheftAccount._meta.get_field("last4").max_length == 4
    assert "accounts" not in report.details
    assert sorted(report.details["misused"]) == ["card", "ssn"]
