"""What the records system reads and writes: approved reports in a stable order, page by
page after a cursor, each with its parts in the same query; and "in the RMS" marks."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from reports import audit
from reports.enums import ReportStatus
from reports.models import (
    AccessLog,
    Attachment,
    CourtOrder,
    IdentityTheftAccount,
    Item,
    PersonResponsible,
    Report,
    Vehicle,
)

PAGE_SIZE = 100
_PART_NAMES = (
    "items_json",
    "vehicles_json",
    "people_json",
    "court_orders_json",
    "accounts_json",
    "attachments_json",
)


class JsonArray(models.Aggregate):
    """The rows of a group as one JSON array (PostgreSQL jsonb_agg, SQLite
    json_group_array): a report's parts come with it, one query for any page."""

    function = "JSONB_AGG"
    output_field = models.JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def _parts(part, /, **fields) -> Subquery:
    rows = (
        part.objects.filter(report=OuterRef("pk"))
        .order_by()  # no default ordering: it would join the GROUP BY
        .values("report")
        .annotate(rows=JsonArray(JSONObject(**fields)))
        .values("rows")
    )
    return Subquery(rows, output_field=models.JSONField())


def reports_with_parts():
    """Approved reports with their items, vehicles, people responsible, court orders,
    accounts and attachments as JSON, in one statement."""
    return Report.objects.filter(status=ReportStatus.APPROVED, decided_at__isnull=False).annotate(
        items_json=_parts(
            Item,
            position="position",
            category="category",
            description="description",
            brand="brand",
            model="model",
            serial_number="serial_number",
            color="color",
            quantity="quantity",
            value="value",
        ),
        vehicles_json=_parts(
            Vehicle,
            role="role",
            year="year",
            make="make",
            model="model",
            color="color",
            plate="plate",
            plate_state="plate_state",
            vin="vin",
        ),
        people_json=_parts(
            PersonResponsible,
            name="name",
            description="description",
            address="address",
            phones="phones",
            online_accounts="online_accounts",
            vehicle_description="vehicle_description",
        ),
        court_orders_json=_parts(
            CourtOrder,
            order_type="order_type",
            court_file_number="court_file_number",
            county="county",
            state="state",
            issued_on="issued_on",
            expires_on="expires_on",
            respondent_name="respondent_name",
        ),
        accounts_json=_parts(
            IdentityTheftAccount,
            institution="institution",
            kind="kind",
            last4="last4",
            amount="amount",
            opened_on="opened_on",
            discovered_on="discovered_on",
        ),
        attachments_json=_parts(
            Attachment,
            id="id",
            name="display_name",
            content_type="content_type",
            size="size",
            sha256="sha256",
            uploaded_at="uploaded_at",
        ),
    )


def encode_cursor(report: Report) -> str:
    raw = f"{report.decided_at.isoformat()}|{report.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID] | None:
    """(decision time, id) of the last report of the previous page; None if malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(when)
    except (ValueError, UnicodeDecodeError):
        return None
    try:
        report_id = uuid.UUID(pk)
    except ValueError:
        return None
    # Cursors we make carry their time zone; one without is not ours.
    return (moment, report_id) if moment.tzinfo is not None else None


@dataclass
class Page:
    reports: list[Report]
    next_cursor: str | None


def reports_page(
    *, after: tuple[dt.datetime, uuid.UUID] | None, include_imported: bool, size: int = PAGE_SIZE
) -> Page:
    """One page of approved reports in decision order (then id: stable when two were
    decided at once), after the cursor's report. Reports already in the RMS are left
    out unless asked for."""
    reports = reports_with_parts()
    if not include_imported:
        reports = reports.filter(rms_imported_at__isnull=True)
    if after is not None:
        when, pk = after
        reports = reports.filter(Q(decided_at__gt=when) | Q(decided_at=when, pk__gt=pk))
    rows = list(reports.order_by(F("decided_at").asc(), "pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    for report in rows:  # a report without a part has NULL there, not an empty list
        for name in _PART_NAMES:
            setattr(report, name, getattr(report, name) or [])
    return Page(rows, encode_cursor(rows[-1]) if more else None)


def approved_report(report_id) -> Report | None:
    """An approved report by id (the API reaches no other), or None."""
    return Report.objects.filter(pk=report_id, status=ReportStatus.APPROVED).first()


class ImportConflict(Exception):
    """The report is already in the RMS under another number, or the number is taken."""


def report_mark_imported(*, report: Report, record_number: str, api_key, request=None) -> bool:
    """Mark an approved report "in the RMS" under the RMS's own record number.

    Idempotent: the same number again changes nothing (returns False). Refused with
    ImportConflict when the report has another number, or another report has this one.
    Side effects: the report's rms_record_number and rms_imported_at; an audit entry.
    """
    record_number = record_number.strip()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.rms_record_number == record_number:
            return False
        if locked.rms_record_number:
            raise ImportConflict(
                f"This report is already in the records system as {locked.rms_record_number}."
            )
        locked.rms_record_number = record_number
        locked.rms_imported_at = timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=["rms_record_number", "rms_imported_at"])
        except IntegrityError as exc:
            raise ImportConflict(
                f"Record number {record_number} belongs to another report."
            ) from exc
        audit.record(
            action=AccessLog.Action.RMS_IMPORTED,
            username=f"rms:{api_key.name}",
            request=request,
            report=locked,
            detail=f"RMS record {record_number}",
        )
    report.rms_record_number, report.rms_imported_at = (
        locked.rms_record_number,
        locked.rms_imported_at,
    )
    return True
