"""factory_boy factories for a filed report and its parts, for tests that need one in the
database without going through the wizard. Every required field has a valid value; the
tracking number comes from the real generator, so it is well formed."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from reports import tracking
from reports.enums import AccountKind, ItemCategory, OrderType, PlaceKind, ReportingFor, VehicleRole
from reports.models import (
    Attachment,
    CourtOrder,
    IdentityTheftAccount,
    Item,
    PersonResponsible,
    Report,
    Supplement,
    Vehicle,
)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    tracking_number = factory.LazyFunction(tracking.generate)
    submission_key = factory.LazyFunction(uuid.uuid4)
    report_type = "theft"
    submitted_at = factory.LazyFunction(timezone.now)
    language = "en"
    screening = factory.LazyAttribute(
        lambda report: {"outcome": "eligible", "answers": {"report_type": report.report_type}}
    )
    reporter_first_name = "Ana"
    reporter_last_name = "Lopez"
    reporter_date_of_birth = dt.date(1985, 4, 23)
    reporter_phone = "+16125550123"
    reporter_email = factory.Sequence(lambda n: f"resident{n}@example.org")
    reporter_street = "350 S 5th St"
    reporter_city = "Minneapolis"
    reporter_state = "MN"
    reporter_zip = "55415"
    reporting_for = ReportingFor.SELF
    occurred_start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    location = "Lake St and Hiawatha Ave"
    place_kind = PlaceKind.STREET
    narrative = "Someone cut the lock and took my bike from the rack outside."
    details = factory.LazyFunction(dict)
    declared_at = factory.SelfAttribute("submitted_at")


class SupplementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplement

    report = factory.SubFactory(ReportFactory)
    created_at = factory.LazyFunction(timezone.now)
    narrative = "I found the receipt for the bike."


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    report = factory.SubFactory(ReportFactory)
    position = factory.Sequence(lambda n: n)
    category = ItemCategory.BICYCLE
    description = "Black mountain bike"
    brand = "Trek"
    serial_number = factory.Sequence(lambda n: f"WTU{n:06d}")
    quantity = 1
    value = Decimal("650.00")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    report = factory.SubFactory(ReportFactory, report_type="theft_from_vehicle")
    role = VehicleRole.REPORTER
    year = 2018
    make = "Toyota"
    model = "Corolla"
    color = "Blue"
    plate = "ABC123"
    plate_state = "MN"


class PersonResponsibleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonResponsible

    report = factory.SubFactory(ReportFactory, report_type="harassment")
    name = "Jordan Doe"
    phones = "612-555-0199"


class CourtOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourtOrder

    report = factory.SubFactory(ReportFactory, report_type="order_violation")
    order_type = OrderType.HRO
    court_file_number = "27-CV-24-1234"
    county = "Hennepin"
    state = "MN"
    respondent_name = "John Roe"


class IdentityTheftAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityTheftAccount

    report = factory.SubFactory(ReportFactory, report_type="identity_theft")
    institution = "First Bank"
    kind = AccountKind.CREDIT_CARD
    last4 = "4321"
    amount = Decimal("1200.00")


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment row. The file name is only recorded: write the file yourself when a
    test reads it back."""

    class Meta:
        model = Attachment

    report = factory.SubFactory(ReportFactory)
    file = factory.LazyFunction(
        lambda: f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"
    )
    display_name = "photo.jpg"
    content_type = "image/jpeg"
    size = 1024
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(uuid.uuid4().bytes).hexdigest())
    uploaded_at = factory.LazyFunction(timezone.now)
