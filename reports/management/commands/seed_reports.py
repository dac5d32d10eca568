"""Seed realistic reports in bulk, for benchmarks and demonstrations (never production).

Batched inserts (one INSERT per table per batch) with a progress line; 1,000,000 reports
take a few minutes on a laptop-class PostgreSQL. History rows are not written: seeded
reports were never edited.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reports import registry, tracking
from reports.enums import ItemCategory, ReportStatus
from reports.models import Item, Report, Vehicle

FIRST = [
    "Ana",
    "Mohamed",
    "Mai",
    "John",
    "Fatima",
    "Pa",
    "Luis",
    "Hodan",
    "Tou",
    "Emily",
    "Abdi",
    "Yer",
    "Maria",
    "David",
    "Sahra",
    "Kou",
    "James",
    "Rosa",
    "Ahmed",
    "Linda",
]
LAST = [
    "Lopez",
    "Hassan",
    "Vang",
    "Smith",
    "Ali",
    "Xiong",
    "Garcia",
    "Yang",
    "Johnson",
    "Mohamud",
    "Lee",
    "Hernandez",
    "Thao",
    "Anderson",
    "Warsame",
    "Moua",
    "Nguyen",
]
STREETS = [
    "Lake St",
    "Hennepin Ave",
    "Nicollet Ave",
    "Cedar Ave",
    "Franklin Ave",
    "Lyndale Ave",
    "Broadway Ave",
    "Chicago Ave",
    "Bloomington Ave",
    "Penn Ave",
]
MAKES = ["Toyota", "Honda", "Ford", "Chevrolet", "Nissan", "Hyundai", "Kia", "Subaru"]
STATUSES = (
    [ReportStatus.SUBMITTED] * 3
    + [ReportStatus.IN_REVIEW] * 2
    + [ReportStatus.APPROVED] * 8
    + [ReportStatus.REJECTED, ReportStatus.NEEDS_INFO]
)
DECIDED = [ReportStatus.APPROVED] * 8 + [ReportStatus.REJECTED, ReportStatus.DUPLICATE]
_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _code(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(n))


class Command(BaseCommand):
    help = "Insert COUNT realistic reports (with items and vehicles) in batches."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--allow-production", action="store_true", help="Seed even with DEBUG off."
        )

    def handle(self, *args, count: int, batch: int, seed: int, allow_production: bool, **o):
        if not settings.DEBUG and not allow_production and not settings.TESTING:
            raise CommandError("Refusing to seed with DEBUG off (pass --allow-production).")
        rng = random.Random(seed)
        types = list(registry.REPORT_TYPES)
        now = timezone.now()
        start = time.monotonic()
        done = 0
        case_seq = Report.objects.exclude(case_number=None).count()
        # Tracking numbers from a random base plus a counter: random-looking, valid, and
        # never repeated within a run (1,000,000 random 40-bit numbers would collide).
        tracking_base = rng.getrandbits(19) << 21
        serial = 0
        while done < count:
            size = min(batch, count - done)
            reports, items, vehicles = [], [], []
            for _ in range(size):
                report_type = rng.choice(types)
                submitted = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                # As in a working records unit: only recent reports are still open.
                status = rng.choice(STATUSES if now - submitted < timedelta(days=14) else DECIDED)
                case_number = None
                if status == ReportStatus.APPROVED:
                    case_seq += 1
                    case_number = f"{settings.CASE_NUMBER_PREFIX}-{submitted:%y}-{case_seq:06d}S"
                report = Report(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    tracking_number=tracking.generate(lambda _bits, n=serial: tracking_base | n),
                    submission_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    report_type=report_type,
                    status=status,
                    submitted_at=submitted,
                    decided_at=submitted + timedelta(hours=rng.randint(2, 72))
                    if status in DECIDED
                    else None,
                    case_number=case_number,
                    language=rng.choice(["en"] * 6 + ["es", "so", "hmn"]),
                    screening={"outcome": "eligible"},
                    reporter_first_name=rng.choice(FIRST),
                    reporter_last_name=rng.choice(LAST),
                    reporter_date_of_birth=(
                        submitted - timedelta(days=rng.randint(18 * 365, 80 * 365))
                    ).date(),
                    reporter_phone=f"+1612555{rng.randint(0, 9999):04d}",
                    reporter_email=f"resident{rng.getrandbits(40)}@example.org",
                    reporter_street=f"{rng.randint(100, 4999)} {rng.choice(STREETS)}",
                    reporter_city="Minneapolis",
                    reporter_state="MN",
                    reporter_zip=f"554{rng.randint(1, 99):02d}",
                    reporting_for="self",
                    occurred_start=submitted - timedelta(hours=rng.randint(1, 96)),
                    location=f"{rng.choice(STREETS)} and {rng.choice(STREETS)}",
                    place_kind="street",
                    narrative="Seeded report for benchmarks. " * 3,
                    nibrs_code=registry.REPORT_TYPES[report_type].nibrs_code,
                    declared_at=submitted,
                )
                reports.append(report)
                serial += 1
                if report_type in ("theft", "theft_from_vehicle", "lost_property"):
                    for position in range(rng.randint(1, 3)):
                        items.append(
                            Item(
                                report=report,
                                position=position,
                                category=rng.choice(ItemCategory.values),
                                description="Seeded item",
                                serial_number=_code(rng, 10),
                                quantity=1,
                                value=Decimal(rng.randint(5, 2000)),
                            )
                        )
                if report_type in ("theft_from_vehicle", "vehicle_damage"):
                    vehicles.append(
                        Vehicle(
                            report=report,
                            role="reporter",
                            year=rng.randint(1995, 2026),
                            make=rng.choice(MAKES),
                            plate=_code(rng, 6),
                            plate_state="MN",
                        )
                    )
            with transaction.atomic():
                Report.objects.bulk_create(reports)
                Item.objects.bulk_create(items)
                Vehicle.objects.bulk_create(vehicles)
            done += size
            elapsed = time.monotonic() - start
            sys.stderr.write(
                f"\r{done:>9,}/{count:,} reports  {done / elapsed:,.0f}/s  {elapsed:,.0f}s"
            )
            sys.stderr.flush()
        sys.stderr.write("\n")
        if connection.vendor == "postgresql":
            # As after any bulk load: fresh planner statistics (and row estimates).
            with connection.cursor() as cursor:
                for table in ("reports_report", "reports_item", "reports_vehicle"):
                    cursor.execute(f"ANALYZE {table}")
        self.stdout.write(f"Seeded {count:,} reports in {time.monotonic() - start:,.1f}s")
