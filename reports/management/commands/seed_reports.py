"""Seed realistic reports in bulk, for benchmarks and demonstrations (never production).

`manage.py seed_reports COUNT [--seed N] [--batch N] [--allow-production]`

Each report gets what a filed and processed report has: a status (only recent ones still
open), a case number when approved, items (thefts, lost property), a vehicle (vehicle
reports), a person responsible on about a fifth, the confirmation email (and a decision
email once decided) in the outbox, marked sent, and its case copy (version 1; ready ones
all point at one small real PDF, rendered once per run). Report.copy_state, when the table
has it, is that copy's state. History rows are not written: seeded reports were never
edited.

The rows are made in Python from one seeded random generator and written table by table:
on PostgreSQL with COPY (a million reports in a few minutes), elsewhere (SQLite, small
counts) with executemany. Daily counts (ReportDayCount) come from the PostgreSQL trigger
of migration 0016, as for any insert; on other databases they are added here.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reports import registry, tracking
from reports.copies.casefiles import verification_code
from reports.enums import CaseCopyState, ItemCategory, ReportStatus
from reports.models import (
    CaseCopy,
    Item,
    PersonResponsible,
    Report,
    ReportDayCount,
    ResidentEmail,
    Vehicle,
)

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
DESCRIPTIONS = [
    "Tall, dark jacket, grey backpack",
    "Two young men on bicycles",
    "Woman in a red coat, about 40",
    "Man with a beard, blue cap",
]
STATUSES = (
    [ReportStatus.SUBMITTED] * 3
    + [ReportStatus.IN_REVIEW] * 2
    + [ReportStatus.APPROVED] * 8
    + [ReportStatus.REJECTED, ReportStatus.NEEDS_INFO]
)
DECIDED = [ReportStatus.APPROVED] * 8 + [ReportStatus.REJECTED, ReportStatus.DUPLICATE]
_DECIDED = set(DECIDED)
_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
SEEDED_COPY = "casecopies/seeded-copy.pdf"

REPORT_COLUMNS = [
    "id",
    "tracking_number",
    "submission_key",
    "report_type",
    "status",
    "submitted_at",
    "language",
    "screening",
    "version",
    "reporter_first_name",
    "reporter_last_name",
    "reporter_date_of_birth",
    "reporter_phone",
    "reporter_email",
    "reporter_street",
    "reporter_unit",
    "reporter_city",
    "reporter_state",
    "reporter_zip",
    "preferred_language",
    "reporting_for",
    "organization_name",
    "organization_role",
    "other_person_name",
    "other_person_contact",
    "occurred_start",
    "location",
    "place_kind",
    "narrative",
    "details",
    "total_value",
    "declared_at",
    "case_number",
    "decided_at",
    "nibrs_code",
    "crisis_flag",
]
ITEM_COLUMNS = [
    "report_id",
    "position",
    "category",
    "description",
    "brand",
    "model",
    "serial_number",
    "color",
    "quantity",
    "value",
]
VEHICLE_COLUMNS = [
    "report_id",
    "role",
    "year",
    "make",
    "model",
    "color",
    "plate",
    "plate_state",
    "vin",
]
PERSON_COLUMNS = [
    "report_id",
    "name",
    "description",
    "address",
    "phones",
    "online_accounts",
    "vehicle_description",
]
EMAIL_COLUMNS = ["report_id", "kind", "queued_at", "sent_at", "attempts"]
COPY_COLUMNS = [
    "report_id",
    "version",
    "state",
    "file",
    "sha256",
    "size",
    "verification_code",
    "error",
    "attempts",
    "requested_at",
    "rendered_at",
]


def _code(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(_ALNUM, k=n))


def _shared_copy() -> tuple[str, str, int]:
    """One small, real case-copy PDF that every seeded ready copy points at."""
    if not default_storage.exists(SEEDED_COPY):
        from reports.copies.pdf import render_html  # WeasyPrint: only when needed

        content = render_html(
            "<!DOCTYPE html><html lang='en'><head><title>Seeded case copy</title></head>"
            "<body><h1>Case copy</h1><p>A seeded report, made for benchmarks.</p></body></html>"
        )
        default_storage.save(SEEDED_COPY, ContentFile(content))
    with default_storage.open(SEEDED_COPY, "rb") as handle:
        content = handle.read()
    return SEEDED_COPY, hashlib.sha256(content).hexdigest(), len(content)


class Command(BaseCommand):
    help = "Insert COUNT realistic reports (items, vehicles, people, emails, copies)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--batch", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--allow-production", action="store_true", help="Seed even with DEBUG off."
        )

    def handle(self, *args, count: int, batch: int, seed: int, allow_production: bool, **o):
        if not settings.DEBUG and not allow_production and not settings.TESTING:
            raise CommandError("Refusing to seed with DEBUG off (pass --allow-production).")
        # The same seed on the same table gives the same rows; a second run on a table
        # that already has rows must not repeat the first one's ids and numbers.
        self.rng = random.Random(f"{seed}:{Report.objects.count()}")
        self.now = timezone.now()
        self.types = list(registry.REPORT_TYPES)
        self.case_prefix = settings.CASE_NUMBER_PREFIX
        self.case_seq = Report.objects.exclude(case_number=None).count()
        # Tracking numbers from a random base plus a counter: random-looking, valid (their
        # check characters are computed), and never repeated within a run (a million
        # random 40-bit numbers would collide).
        self.tracking_base = self.rng.getrandbits(19) << 21
        self.serial = 0
        self.copy_file = _shared_copy()
        self.copy_state = "copy_state" in _table_columns(Report._meta.db_table)
        self.postgres = connection.vendor == "postgresql"
        self.bypass_triggers = self.postgres and _superuser()
        start = time.monotonic()
        # A large load into indexed tables is mostly index upkeep (reports_report has some
        # thirty): drop the plain indexes, load, and build them again, which is several
        # times faster. Unique ones stay, so duplicates still fail the load.
        dropped = _drop_plain_indexes() if self.postgres and count >= 200_000 else []
        try:
            self._load(count, batch, start)
        finally:
            if dropped:
                sys.stderr.write(f"Building {len(dropped)} indexes again…\n")
                _create_indexes(dropped)
        if self.postgres:
            # As after any bulk load: fresh planner statistics (and row estimates).
            with connection.cursor() as cursor:
                for model in (Report, Item, Vehicle, PersonResponsible, ResidentEmail, CaseCopy):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(f"Seeded {count:,} reports in {time.monotonic() - start:,.1f}s")

    def _load(self, count: int, batch: int, start: float) -> None:
        done = 0
        while done < count:
            size = min(batch, count - done)
            tables = self._batch(size)
            with transaction.atomic():
                if self.bypass_triggers:
                    # The rows are consistent by construction: skip the per-row foreign-key
                    # checks and the per-row day-count trigger (PostgreSQL runs both as
                    # triggers, about half of the load's time), and count the days below,
                    # set-based, as the trigger would have.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                for model, cols, rows in tables:
                    self._write(model, cols, rows)
                if self.bypass_triggers or not self.postgres:
                    self._count_days(tables[0][2])
            done += size
            elapsed = time.monotonic() - start
            sys.stderr.write(
                f"\r{done:>9,}/{count:,} reports  {done / elapsed:,.0f}/s  {elapsed:,.0f}s"
            )
            sys.stderr.flush()
        sys.stderr.write("\n")

    def _batch(self, size: int):
        rng, now = self.rng, self.now
        report_cols = REPORT_COLUMNS + (["copy_state"] if self.copy_state else [])
        reports, items, vehicles, people, emails, copies = [], [], [], [], [], []
        copy_name, copy_sha, copy_size = self.copy_file
        recent = timedelta(days=14)
        for _ in range(size):
            report_type = rng.choice(self.types)
            submitted = now - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            # As in a working records unit: only recent reports are still open.
            status = rng.choice(STATUSES if now - submitted < recent else DECIDED)
            decided = status in _DECIDED
            decided_at = submitted + timedelta(hours=rng.randint(2, 72)) if decided else None
            case_number = None
            if status == ReportStatus.APPROVED:
                self.case_seq += 1
                case_number = f"{self.case_prefix}-{submitted:%y}-{self.case_seq:06d}S"
            report_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            # An odd multiplier permutes the 21-bit counter: consecutive reports get unrelated
            # numbers, still never the same one twice.
            spread = (self.serial * 0x9E3B5) & ((1 << 21) - 1)
            number = tracking.generate(lambda _bits, n=spread: self.tracking_base | n)
            self.serial += 1
            # The copy: ready within seconds, except the odd one that failed or is still
            # being made (filed in the last minutes).
            copy_state = CaseCopyState.READY
            if now - submitted < timedelta(minutes=2):
                copy_state = CaseCopyState.PENDING
            elif rng.random() < 0.001:
                copy_state = CaseCopyState.FAILED
            row = [
                report_id,
                number,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                report_type,
                status,
                submitted,
                rng.choice(("en", "en", "en", "en", "en", "en", "es", "so", "hmn")),
                '{"outcome": "eligible"}',
                1,
                rng.choice(FIRST),
                rng.choice(LAST),
                (submitted - timedelta(days=rng.randint(18 * 365, 80 * 365))).date(),
                f"+1612555{rng.randint(0, 9999):04d}",
                f"resident{rng.getrandbits(40)}@example.org",
                f"{rng.randint(100, 4999)} {rng.choice(STREETS)}",
                "",
                "Minneapolis",
                "MN",
                f"554{rng.randint(1, 99):02d}",
                "",
                "self",
                "",
                "",
                "",
                "",
                submitted - timedelta(hours=rng.randint(1, 96)),
                f"{rng.choice(STREETS)} and {rng.choice(STREETS)}",
                "street",
                "Seeded report for benchmarks. " * 3,
                "{}",
                None,
                submitted,
                case_number,
                decided_at,
                registry.REPORT_TYPES[report_type].nibrs_code,
                False,
            ]
            if self.copy_state:
                row.append(copy_state)
            reports.append(row)
            if report_type in ("theft", "theft_from_vehicle", "lost_property"):
                for position in range(rng.randint(1, 3)):
                    items.append(
                        (
                            report_id,
                            position,
                            rng.choice(ItemCategory.values),
                            "Seeded item",
                            "",
                            "",
                            _code(rng, 10),
                            "",
                            1,
                            rng.randint(5, 2000),
                        )
                    )
            if report_type in ("theft_from_vehicle", "vehicle_damage"):
                vehicles.append(
                    (
                        report_id,
                        "reporter",
                        rng.randint(1995, 2026),
                        rng.choice(MAKES),
                        "",
                        "",
                        _code(rng, 6),
                        "MN",
                        "",
                    )
                )
            if rng.random() < 0.2:
                people.append(
                    (
                        report_id,
                        f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.5 else "",
                        rng.choice(DESCRIPTIONS),
                        "",
                        "",
                        "",
                        "",
                    )
                )
            sent = submitted + timedelta(seconds=rng.randint(2, 30))
            emails.append((report_id, "confirmation", submitted, sent, 1))
            if decided:
                emails.append((report_id, "status", decided_at, decided_at, 1))
            ready = copy_state == CaseCopyState.READY
            copies.append(
                (
                    report_id,
                    1,
                    copy_state,
                    copy_name if ready else "",
                    copy_sha if ready else "",
                    copy_size if ready else None,
                    verification_code(number, 1) if ready else "",
                    "Seeded failure" if copy_state == CaseCopyState.FAILED else "",
                    0 if copy_state == CaseCopyState.PENDING else 1,
                    submitted,
                    submitted + timedelta(seconds=rng.randint(1, 8)) if ready else None,
                )
            )
        return [
            (Report, report_cols, reports),
            (Item, ITEM_COLUMNS, items),
            (Vehicle, VEHICLE_COLUMNS, vehicles),
            (PersonResponsible, PERSON_COLUMNS, people),
            (ResidentEmail, EMAIL_COLUMNS, emails),
            (CaseCopy, COPY_COLUMNS, copies),
        ]

    def _write(self, model, cols: list[str], rows: list) -> None:
        if not rows:
            return
        # Columns added to the model since this command was written: their defaults.
        extra = _defaults_for_other_columns(model, cols)
        if extra:
            cols = [*cols, *extra]
            rows = [[*row, *extra.values()] for row in rows]
        table = model._meta.db_table
        names = ", ".join(connection.ops.quote_name(c) for c in cols)
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                buffer.writelines(_copy_line(row) for row in rows)
                buffer.seek(0)
                # COPY: one statement per table per batch, no per-row parsing or planning.
                cursor.connection.cursor().copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 -- model names
                    [[_adapt(value) for value in row] for row in rows],
                )

    def _count_days(self, reports: list) -> None:
        """Add the batch's reports to the daily counts, where the trigger did not: the
        agency's local day (TIME_ZONE, as the trigger of migration 0016) and type."""
        tz = timezone.get_default_timezone()
        counts = Counter((row[5].astimezone(tz).date(), row[3]) for row in reports)
        table = ReportDayCount._meta.db_table
        sql = (
            f"INSERT INTO {table} (day, report_type, filed) VALUES %s "  # noqa: S608 -- model's table
            f"ON CONFLICT (day, report_type) DO UPDATE SET filed = {table}.filed + EXCLUDED.filed"
        )
        rows = [(day, report_type, filed) for (day, report_type), filed in counts.items()]
        with connection.cursor() as cursor:
            if self.postgres:
                from psycopg2.extras import execute_values

                execute_values(cursor.cursor, sql, rows, page_size=5000)
            else:
                cursor.executemany(
                    sql.replace("VALUES %s", "VALUES (%s, %s, %s)"),
                    [(day.isoformat(), report_type, filed) for day, report_type, filed in rows],
                )


SEEDED_TABLES = [
    m._meta.db_table for m in (Report, Item, Vehicle, PersonResponsible, ResidentEmail, CaseCopy)
]


def _drop_plain_indexes() -> list[tuple[str, str]]:
    """Drop the seeded tables' indexes that back no constraint; returns (name, definition)
    pairs to build them again with."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
            [SEEDED_TABLES],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def _create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


@cache
def _table_columns(table: str) -> frozenset[str]:
    with connection.cursor() as cursor:
        return frozenset(
            c.name for c in connection.introspection.get_table_description(cursor, table)
        )


def _defaults_for_other_columns(model, cols: list[str]) -> dict:
    present = _table_columns(model._meta.db_table)
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in cols or field.column not in present or field.primary_key:
            continue
        if field.has_default() or field.null:
            value = field.get_default()
            defaults[field.column] = json.dumps(value) if isinstance(value, dict | list) else value
    return defaults


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _copy_text(value) -> str:
    # COPY's text format; seeded text has no tabs, newlines or backslashes to escape.
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def _copy_line(row) -> str:
    return "\t".join(map(_copy_text, row)) + "\n"


def _adapt(value):
    if isinstance(value, uuid.UUID):
        return value.hex  # how Django stores a UUIDField outside PostgreSQL
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
