"""Approved reports of each type, as the NIBRS tests need them."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone
from lxml import etree

from reports.nibrs import xml
from tests.factories import (
    IdentityTheftAccountFactory,
    ItemFactory,
    PersonResponsibleFactory,
    ReportFactory,
)

ORI = "MN0271100"
_numbers = itertools.count(1)


def approved(**fields):
    """An approved report with its case number, as the workflow leaves it."""
    fields.setdefault("case_number", f"MP-26-{next(_numbers):06d}")
    fields.setdefault("status", "approved")
    fields.setdefault("decided_at", timezone.now())
    return ReportFactory(**fields)


def theft(**fields):
    report = approved(report_type="theft", details={"theft_kind": "bicycle"}, **fields)
    ItemFactory(report=report, value=Decimal("650.00"), quantity=1)
    return report


def identity_theft(amount: Decimal | None = Decimal("1200.00")):
    report = approved(report_type="identity_theft", place_kind="online")
    IdentityTheftAccountFactory(report=report, amount=amount)
    return report


def harassment(*, named: bool = True, **fields):
    report = approved(report_type="harassment", **fields)
    if named:
        PersonResponsibleFactory(report=report, name="Jordan Doe")
    return report


def parse(content: bytes) -> etree._Element:
    return etree.fromstring(content)


def text(document: etree._Element, path: str) -> list[str]:
    return [e.text for e in document.iterfind(path, namespaces=xml.NS)]


def assert_valid(content: bytes) -> None:
    """Against the copied nibrs.xsd 4.2, with lxml (the error says where it fails)."""
    xml.schema().assertValid(etree.fromstring(content))
