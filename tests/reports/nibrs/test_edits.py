"""The NIBRS specification's edits that apply to the offenses filed online, each as a
named test, and the clerk's check (nibrs_check) that says the problems in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reports.nibrs import incident as nibrs
from reports.nibrs.export import nibrs_check
from tests.factories import ItemFactory, ReportFactory
from tests.reports.nibrs.helpers import ORI, approved, harassment, theft


def _incident(offense: str, *property, victim: str = "I") -> nibrs.Incident:
    return nibrs.Incident(
        number="MP-26-000001",
        when=dt.datetime(2026, 1, 2, 13),
        report_date=False,
        offense=offense,
        location="13",
        property=list(property),
        victim=nibrs.Victim(victim, 40 if victim == "I" else None),
    )


@pytest.mark.parametrize(
    ("offense", "loss", "allowed"),
    [
        ("23H", nibrs.STOLEN, True),
        ("23C", nibrs.STOLEN, True),
        ("23F", nibrs.STOLEN, True),
        ("26F", nibrs.STOLEN, True),
        ("290", nibrs.DAMAGED, True),
        ("290", nibrs.NONE, True),
        ("290", nibrs.STOLEN, False),
        ("23H", nibrs.DAMAGED, False),
        ("23F", "BURNED", False),
        ("26F", nibrs.DAMAGED, False),
    ],
)
def test_edit_property_loss_type_must_be_allowed_for_the_offense(offense, loss, allowed):
    found = _incident(offense, nibrs.Property(loss=loss, description="77", value=10))

    problems = nibrs.edit_loss_type_allowed(found)

    assert (problems == []) is allowed


@pytest.mark.parametrize(
    ("loss", "description", "problem"),
    [
        (nibrs.STOLEN, None, True),
        (nibrs.DAMAGED, None, True),
        (nibrs.STOLEN, "04", False),
        (nibrs.NONE, None, False),
    ],
)
def test_edit_property_description_required_for_stolen_property(loss, description, problem):
    found = _incident("23H", nibrs.Property(loss=loss, description=description, value=10))

    assert bool(nibrs.edit_description_required(found)) is problem


@pytest.mark.parametrize(
    ("offense", "victim", "problem"),
    [
        ("13C", "I", False),
        ("13C", "L", False),
        ("13C", "B", True),
        ("13C", "G", True),
        ("23H", "B", False),  # a crime against property may hurt a business
        ("290", "G", False),
    ],
)
def test_edit_victim_type_for_crimes_against_persons(offense, victim, problem):
    found = _incident(offense, victim=victim)

    assert bool(nibrs.edit_victim_type_for_crime_against_persons(found)) is problem


def test_edit_stolen_property_must_have_a_value():
    found = _incident("23H", nibrs.Property(nibrs.STOLEN, "04", None, what="Black bike"))

    assert nibrs.edit_value_required(found) == ["An item has no value: Black bike."]


def test_edit_identity_and_documents_are_valued_at_zero():
    assert nibrs.edit_zero_value(_incident("26F", nibrs.Property(nibrs.STOLEN, "66", 0))) == []
    assert nibrs.edit_zero_value(_incident("26F", nibrs.Property(nibrs.STOLEN, "66", 5))) != []


def test_edit_a_crime_against_persons_has_no_property():
    found = _incident("13C", nibrs.Property(nibrs.STOLEN, "04", 10))

    assert nibrs.edit_property_for_crime_against_persons(found) != []


@pytest.mark.django_db
class TestTheClerksCheck:
    @pytest.fixture(autouse=True)
    def _ori(self, settings):
        settings.AGENCY_ORI = ORI

    def test_a_complete_theft_would_be_valid_before_approval(self):
        report = ReportFactory(report_type="theft", status="in_review")
        ItemFactory(report=report, value=Decimal("20"))

        check = nibrs_check(report)

        assert (check.applies, check.valid, check.problems) == (True, True, [])

    def test_items_without_a_value_are_named_in_words(self):
        report = ReportFactory(report_type="theft", status="in_review")
        ItemFactory(report=report, value=None, description="Red scooter")

        check = nibrs_check(report)

        assert check.valid is False
        assert check.problems == ["An item has no value: Red scooter."]

    def test_intimidation_of_a_business_is_refused_in_words(self):
        check = nibrs_check(harassment(reporting_for="business"))

        assert check.valid is False
        assert "the victim must be a person" in check.problems[0]

    def test_group_b_offense_says_why_there_is_no_document(self):
        check = nibrs_check(approved(report_type="order_violation"))

        assert (check.applies, check.valid) == (False, False)
        assert "Group B" in check.reason

    def test_lost_property_says_why_there_is_no_document(self):
        check = nibrs_check(approved(report_type="lost_property"))

        assert check.applies is False
        assert "Lost property" in check.reason

    def test_an_unset_ori_is_a_problem(self, settings):
        settings.AGENCY_ORI = ""

        check = nibrs_check(theft())

        assert check.valid is False
        assert "AGENCY_ORI" in check.problems[0]


@pytest.mark.parametrize("offense", ["220", "240", "26A", "120"])
def test_edit_a_crime_against_property_needs_its_property(offense):
    # A clerk may correct a theft to burglary or robbery: the report's items are not
    # mapped for those offenses, and the FBI refuses a property offense without property.
    problems = nibrs.edit_problems(_incident(offense))

    assert any("needs the property taken or damaged" in p for p in problems), problems


@pytest.mark.django_db
def test_a_theft_corrected_to_burglary_is_not_called_valid():
    report = theft(nibrs_code="220")

    check = nibrs_check(report)

    assert not check.valid
    assert any("needs the property" in p for p in check.problems)
