"""Filing: the resident's two state changes, each in one transaction with its side
effects (copy, email) queued after commit.

- report_submit: the wizard's validated answers become a Report with its parts.
- supplement_add: more information on a filed report, which never changes what was
  first written; an answer to the clerk's question returns the report to review.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from reports import registry, rules, tracking
from reports.copies.casefiles import casefile_request
from reports.enums import OPEN_STATUSES, ReportStatus, VehicleRole
from reports.filing import crisis
from reports.filing.uploads import PendingUpload, discard_uploads
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
from reports.notify import emails
from reports.review.workflow import report_transition
from screening.policy_store import current_policy

logger = logging.getLogger(__name__)

TRACKING_NUMBER_ATTEMPTS = 5


class SubmissionError(Exception):
    """The report could not be stored; nothing was saved."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# Answers of the type-specific steps that are kept as the report's details (no one
# searches by them). Relational parts (items, vehicles, people, orders, accounts) are not.
_DETAIL_STEPS = (
    "theft_details",
    "vehicle",
    "vehicle_damage",
    "property_damage",
    "harassment",
    "court_order",
    "visitation",
    "identity_theft",
)
_NOT_DETAILS = {
    "vehicle": {"year", "make", "model", "color", "plate", "plate_state"},
    "vehicle_damage": {"year", "make", "model", "color", "plate", "plate_state", "vin"},
    "court_order": {
        "order_type",
        "court_file_number",
        "county",
        "state",
        "issued_on",
        "expires_on",
        "respondent_name",
        "respondent_date_of_birth",
    },
    "visitation": {"court_file_number", "county", "other_party"},
}


def _details(answers: Mapping[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for step in _DETAIL_STEPS:
        data = answers.get(step)
        if not data:
            continue
        skip = _NOT_DETAILS.get(step, set())
        details.update({k: _jsonable(v) for k, v in data.items() if k not in skip})
    if answers.get("children"):
        details["children"] = [_jsonable(child) for child in answers["children"]]
    for step in ("person_responsible", "person_responsible_required"):
        if answers.get(step):
            details["person_known"] = answers[step]["known"]
    return details


def _vehicle_rows(report: Report, answers: Mapping[str, Any]) -> list[Vehicle]:
    rows = []
    for step in ("vehicle", "vehicle_damage"):
        data = answers.get(step)
        if data:
            rows.append(
                Vehicle(
                    report=report,
                    role=VehicleRole.REPORTER,
                    year=data.get("year"),
                    make=data.get("make", ""),
                    model=data.get("model", ""),
                    color=data.get("color", ""),
                    plate=data.get("plate", ""),
                    plate_state=data.get("plate_state", "") if data.get("plate") else "",
                    vin=data.get("vin", ""),
                )
            )
    return rows


def _person_rows(report: Report, answers: Mapping[str, Any]) -> list[PersonResponsible]:
    data = answers.get("person_responsible") or answers.get("person_responsible_required")
    if not data or data.get("known") == "unknown":
        return []
    fields = ("name", "description", "address", "phones", "online_accounts", "vehicle_description")
    return [PersonResponsible(report=report, **{k: data.get(k, "") for k in fields})]


def _court_order_rows(report: Report, answers: Mapping[str, Any]) -> list[CourtOrder]:
    rows = []
    if data := answers.get("court_order"):
        rows.append(
            CourtOrder(
                report=report,
                order_type=data["order_type"],
                court_file_number=data["court_file_number"],
                county=data["county"],
                state=data.get("state", ""),
                issued_on=data.get("issued_on"),
                expires_on=data.get("expires_on"),
                respondent_name=data.get("respondent_name", ""),
                respondent_date_of_birth=data.get("respondent_date_of_birth"),
            )
        )
    if data := answers.get("visitation"):
        rows.append(
            CourtOrder(
                report=report,
                order_type="visitation",
                court_file_number=data["court_file_number"],
                county=data["county"],
                respondent_name=data.get("other_party", ""),
            )
        )
    return rows


def _item_rows(
    report: Report, items: Sequence[Mapping[str, Any]], *, supplement=None, start: int = 0
) -> list[Item]:
    text_fields = ("category", "description", "brand", "model", "serial_number", "color")
    return [
        Item(
            report=report,
            supplement=supplement,
            position=start + i,
            quantity=item.get("quantity") or 1,
            value=item.get("value"),
            **{k: item.get(k) or "" for k in text_fields},
        )
        for i, item in enumerate(items)
    ]


def _store_uploads(uploads: Sequence[PendingUpload]) -> list[tuple[PendingUpload, str]]:
    """Move checked uploads from temporary to permanent private storage, before the
    transaction: a failed transaction leaves orphan files, never rows without files."""
    stored = []
    for upload in uploads:
        if not default_storage.exists(upload.storage_name):
            raise SubmissionError(f"temporary upload {upload.storage_name} is gone")
        with default_storage.open(upload.storage_name, "rb") as handle:
            content = handle.read()
        extension = upload.storage_name.rsplit(".", 1)[-1]
        name = default_storage.save(
            f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}",
            ContentFile(content),
        )
        stored.append((upload, name))
    return stored


def _attachment_rows(report: Report, stored, *, supplement=None) -> list[Attachment]:
    now = timezone.now()
    return [
        Attachment(
            report=report,
            supplement=supplement,
            file=name,
            display_name=upload.display_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_at=now,
        )
        for upload, name in stored
    ]


def report_submit(
    *,
    report_type: str,
    submission_key: uuid.UUID,
    language: str,
    screening: Mapping[str, Any],
    answers: Mapping[str, Any],
    uploads: Sequence[PendingUpload] = (),
) -> Report:
    """File a report from the wizard's validated answers (keyed by step name).

    Idempotent on `submission_key`: a second call (double click, replayed POST, two
    requests racing) returns the report the first one made.
    Side effects: one Report row and its items, vehicles, people, court orders, accounts
    and attachments (bulk inserts: the query count does not grow with the item count);
    uploads moved from temporary to permanent private storage; after commit, the
    confirmation email is queued.
    """
    existing = Report.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing

    about = answers["about_you"]
    when = next(
        answers[s] for s in ("when_where", "when_discovered", "when_last_seen") if s in answers
    )
    items = answers.get("items", [])
    stored_uploads = _store_uploads(uploads)
    now = timezone.now()

    for _attempt in range(TRACKING_NUMBER_ATTEMPTS):
        report = Report(
            tracking_number=tracking.generate(),
            submission_key=submission_key,
            report_type=report_type,
            submitted_at=now,
            language=language,
            screening=_jsonable(dict(screening)),
            # The version of the agency's policy the screening went by (0: the default).
            policy_version=int(screening.get("policy_version") or 0),
            reporter_first_name=about["first_name"],
            reporter_last_name=about["last_name"],
            reporter_date_of_birth=about["date_of_birth"],
            reporter_phone=about["phone"],
            reporter_email=about.get("email") or "",
            reporter_street=about["street"],
            reporter_unit=about.get("unit", ""),
            reporter_city=about["city"],
            reporter_state=about["state"],
            reporter_zip=about["zip_code"],
            preferred_language=about.get("preferred_language", ""),
            reporting_for=about["reporting_for"],
            organization_name=about.get("organization_name", ""),
            organization_role=about.get("organization_role", ""),
            other_person_name=about.get("other_person_name", ""),
            other_person_contact=about.get("other_person_contact", ""),
            occurred_start=when["occurred_start"],
            occurred_end=when.get("occurred_end"),
            location=when.get("location", ""),
            place_kind=when["place_kind"],
            narrative=answers["narrative"]["narrative"],
            details=_details(answers),
            total_value=rules.total_value(items),
            crisis_flag=crisis.mentions_crisis(
                answers["narrative"]["narrative"], current_policy().crisis_phrases
            ),
            nibrs_code=rules.nibrs_code(
                report_type, registry.REPORT_TYPES[report_type].nibrs_code, _details(answers)
            ),
            declared_at=now,
        )
        try:
            with transaction.atomic():
                report.save(force_insert=True)
                bulk_create_with_history(_item_rows(report, items), Item)
                bulk_create_with_history(_vehicle_rows(report, answers), Vehicle)
                bulk_create_with_history(_person_rows(report, answers), PersonResponsible)
                bulk_create_with_history(_court_order_rows(report, answers), CourtOrder)
                bulk_create_with_history(
                    [
                        IdentityTheftAccount(report=report, **account)
                        for account in answers.get("accounts", [])
                    ],
                    IdentityTheftAccount,
                )
                Attachment.objects.bulk_create(_attachment_rows(report, stored_uploads))
                casefile_request(report=report)
                emails.email_queue(report=report, kind="confirmation")
        except IntegrityError:
            # Either another request filed this very submission (return its report) or
            # the random tracking number is taken (try another).
            existing = Report.objects.filter(submission_key=submission_key).first()
            if existing:
                discard_uploads([PendingUpload(n, "", "", 0, "") for _u, n in stored_uploads])
                return existing
            continue
        discard_uploads(uploads)
        return report
    raise SubmissionError("no free tracking number after several attempts")


def supplement_add(
    *,
    report: Report,
    narrative: str,
    items: Sequence[Mapping[str, Any]] = (),
    uploads: Sequence[PendingUpload] = (),
) -> Supplement:
    """Add information to a filed report without changing what was first written.

    Refused (ValueError) once the report is closed. Side effects: a Supplement row with
    its items and attachments; the report's version goes up (its copy must change).
    """
    if report.status not in OPEN_STATUSES:
        raise ValueError("report is closed")
    stored = _store_uploads(uploads)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        supplement = Supplement.objects.create(
            report=locked, created_at=timezone.now(), narrative=narrative
        )
        start = locked.items.count()
        bulk_create_with_history(
            _item_rows(locked, items, supplement=supplement, start=start), Item
        )
        Attachment.objects.bulk_create(_attachment_rows(locked, stored, supplement=supplement))
        locked.version += 1
        locked.save(update_fields=["version"])
        if locked.status == ReportStatus.NEEDS_INFO:
            # The resident answered the clerk's question: back to the clerk.
            report_transition(report=locked, actor=None, to_status=ReportStatus.IN_REVIEW)
        else:
            casefile_request(report=locked)
    discard_uploads(uploads)
    return supplement
