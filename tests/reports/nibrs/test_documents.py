"""Every report type and variant that NIBRS counts becomes one valid NIBRS XML 4.2
document (checked against the FBI's schema with lxml), saying what we know and the
specification's "unknown" where we never ask."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.nibrs.export import NibrsUnavailable, nibrs_document
from reports.nibrs.xml import NS
from tests.factories import ItemFactory, VehicleFactory
from tests.reports.nibrs.helpers import (
    ORI,
    approved,
    assert_valid,
    harassment,
    identity_theft,
    parse,
    text,
    theft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ori(settings):
    settings.AGENCY_ORI = ORI


def _theft_from_vehicle():
    report = approved(report_type="theft_from_vehicle")
    VehicleFactory(report=report)
    ItemFactory(report=report, category="electronics", value=Decimal("300"))
    return report


def _shoplifting():
    report = approved(report_type="theft", details={"theft_kind": "business"})
    ItemFactory(report=report, category="other", value=Decimal("40"), quantity=3)
    return report


VARIANTS = {
    "theft (23H)": (lambda: theft(), "23H"),
    "theft from a business (23C)": (_shoplifting, "23C"),
    "theft from a vehicle (23F)": (_theft_from_vehicle, "23F"),
    "theft reported for a business": (lambda: theft(reporting_for="business"), "23H"),
    "theft reported for another person": (lambda: theft(reporting_for="other_person"), "23H"),
    "theft in a time range": (
        lambda: theft(occurred_end=timezone.now() - dt.timedelta(hours=2)),
        "23H",
    ),
    "property damage (290)": (
        lambda: approved(
            report_type="property_damage",
            place_kind="home",
            details={"damaged": ["window"], "owner": "me", "repair_cost": "250.00"},
        ),
        "290",
    ),
    "property damage to a business, cost unknown": (
        lambda: approved(
            report_type="property_damage",
            place_kind="business",
            details={"damaged": ["graffiti"], "owner": "business"},
        ),
        "290",
    ),
    "damage to public property": (
        lambda: approved(
            report_type="property_damage",
            details={"damaged": ["other"], "owner": "public", "repair_cost": "80"},
        ),
        "290",
    ),
    "vehicle damage (290)": (
        lambda: approved(report_type="vehicle_damage", details={"repair_cost": "1200.50"}),
        "290",
    ),
    "harassment by a named person (13C)": (lambda: harassment(), "13C"),
    "harassment by an unknown person": (lambda: harassment(named=False), "13C"),
    "identity theft with money lost (26F)": (lambda: identity_theft(), "26F"),
    "identity theft without money lost": (lambda: identity_theft(amount=None), "26F"),
    "a code the clerk corrected (23H -> 23F)": (lambda: theft(nibrs_code="23F"), "23F"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_type_and_variant_validates_against_the_nibrs_schema(variant):
    make, code = VARIANTS[variant]
    report = make()

    content = nibrs_document(report)

    assert_valid(content)
    document = parse(content)
    assert text(document, ".//nibrs:OffenseUCRCode") == [code]
    assert text(document, ".//nc:ActivityIdentification/nc:IdentificationID") == [
        report.case_number
    ]
    assert text(document, ".//j:OrganizationORIIdentification/nc:IdentificationID") == [ORI]


def test_a_theft_says_the_hour_place_items_and_the_resident_as_victim():
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 15, 42))
    report = approved(
        report_type="theft",
        occurred_start=when,
        place_kind="parking",
        reporter_date_of_birth=dt.date(1985, 4, 23),
    )
    ItemFactory(report=report, category="bicycle", value=Decimal("650.49"), quantity=2)

    document = parse(nibrs_document(report))

    assert text(document, ".//nc:ActivityDate/nc:DateTime") == ["2026-03-04T15:00:00"]
    assert text(document, ".//cjis:IncidentReportDateIndicator") == ["false"]
    assert text(document, ".//j:OffenseAttemptedIndicator") == ["false"]
    assert text(document, ".//j:LocationCategoryCode") == ["18"]
    assert text(document, ".//nc:Item/nc:ItemStatus/cjis:ItemStatusCode") == ["STOLEN"]
    assert text(document, ".//j:ItemCategoryNIBRSPropertyCategoryCode") == ["04"]
    assert text(document, ".//nc:ItemValueAmount/nc:Amount") == ["1301"]  # whole dollars
    assert text(document, ".//j:VictimCategoryCode") == ["I"]
    assert text(document, ".//nc:PersonAgeMeasure/nc:MeasureIntegerValue") == ["40"]
    assert text(document, ".//j:PersonRaceNDExCode") == ["U"]
    assert text(document, ".//j:PersonEthnicityCode") == ["U"]
    assert text(document, ".//j:SubjectSequenceNumberText") == ["00"]  # offender unknown


def test_a_time_range_gives_the_report_date_with_its_indicator():
    report = theft(
        occurred_start=timezone.now() - dt.timedelta(days=2),
        occurred_end=timezone.now() - dt.timedelta(days=1),
    )

    document = parse(nibrs_document(report))

    assert text(document, ".//nc:ActivityDate/nc:Date") == [
        timezone.localdate(report.submitted_at).isoformat()
    ]
    assert text(document, ".//cjis:IncidentReportDateIndicator") == ["true"]


def test_identity_theft_is_dated_by_the_report_and_loses_the_identity_and_the_money():
    document = parse(nibrs_document(identity_theft(amount=Decimal("1200.00"))))

    assert text(document, ".//cjis:IncidentReportDateIndicator") == ["true"]
    assert text(document, ".//j:ItemCategoryNIBRSPropertyCategoryCode") == ["66", "20"]
    assert text(document, ".//nc:ItemValueAmount/nc:Amount") == ["0", "1200"]
    assert text(document, ".//j:LocationCategoryCode") == ["25"]  # online: other/unknown


def test_damage_is_destroyed_damaged_vandalized_property():
    report = approved(
        report_type="property_damage",
        place_kind="home",
        details={"damaged": ["window"], "owner": "me", "repair_cost": "250"},
    )

    document = parse(nibrs_document(report))

    assert text(document, ".//cjis:ItemStatusCode") == ["DESTROYED_DAMAGED_VANDALIZED"]
    assert text(document, ".//j:ItemCategoryNIBRSPropertyCategoryCode") == ["29"]
    assert text(document, ".//nc:Amount") == ["250"]


def test_a_business_reporting_is_a_business_victim_without_a_person():
    document = parse(nibrs_document(theft(reporting_for="business")))

    assert text(document, ".//j:VictimCategoryCode") == ["B"]
    assert document.find(".//j:Victim/nc:RoleOfPerson", namespaces=NS) is None


def test_a_named_person_responsible_is_a_known_offender_of_unknown_description():
    document = parse(nibrs_document(harassment(named=True)))

    assert text(document, ".//j:SubjectSequenceNumberText") == ["01"]
    assert "UNKNOWN" in text(document, ".//nibrs:PersonAgeCode")
    assert text(document, ".//j:VictimToSubjectRelationshipCode") == ["Relationship Unknown"]
    assert document.find(".//nc:Item", namespaces=NS) is None  # no property for 13C


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: approved(report_type="order_violation"), "Group B"),
        (lambda: approved(report_type="visitation_violation"), "Group B"),
        (lambda: approved(report_type="lost_property"), "Lost property"),
    ],
)
def test_group_b_offense_or_lost_property_produces_no_document(make, words):
    with pytest.raises(NibrsUnavailable, match=words):
        nibrs_document(make())


def test_a_report_not_approved_produces_no_document():
    report = theft()
    report.status = "in_review"

    with pytest.raises(NibrsUnavailable, match="approved"):
        nibrs_document(report)


def test_without_an_agency_ori_the_export_refuses_clearly(settings):
    settings.AGENCY_ORI = ""

    with pytest.raises(NibrsUnavailable, match="AGENCY_ORI"):
        nibrs_document(theft())
