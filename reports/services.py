"""State changes of reports. Each service runs in one transaction and queues its side
effects (emails, copies) to run after commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from reports import crisis, emails, registry, rules, tracking
from reports.casefiles import casefile_request
from reports.enums import OPEN_STATUSES, ReportStatus, VehicleRole
from reports.models import (
    Attachment,
    CaseNumberCounter,
    CourtOrder,
    IdentityTheftAccount,
    InternalNote,
    Item,
    PersonResponsible,
    RejectionReason,
    Report,
    StatusChange,
    Supplement,
    Vehicle,
)

logger = logging.getLogger(__name__)

TRACKING_NUMBER_ATTEMPTS = 5


@dataclass(frozen=True)
class PendingUpload:
    """A checked upload waiting in private temporary storage (see reports.uploads)."""

    storage_name: str
    display_name: str
    content_type: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PendingUpload:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


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


def upload_stage(processed) -> PendingUpload:
    """Keep a checked upload (reports.uploads.ProcessedUpload) in private temporary
    storage until the report or supplement it belongs to is filed."""
    name = default_storage.save(
        f"wizard-tmp/{uuid.uuid4().hex}{processed.extension}", ContentFile(processed.content)
    )
    return PendingUpload(
        storage_name=name,
        display_name=processed.display_name,
        content_type=processed.content_type,
        size=processed.size,
        sha256=processed.sha256,
    )


def discard_uploads(uploads: Sequence[PendingUpload]) -> None:
    for upload in uploads:
        try:
            default_storage.delete(upload.storage_name)
        except OSError:
            logger.warning("could not delete temporary upload %s", upload.storage_name)


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
            reporter_first_name=about["first_name"],
            reporter_last_name=about["last_name"],
            reporter_date_of_birth=about["date_of_birth"],
            reporter_phone=about["phone"],
            reporter_email=about["email"],
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
            crisis_flag=crisis.mentions_crisis(answers["narrative"]["narrative"]),
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


# --- The review workflow ------------------------------------------------------------------


class TransitionError(ValidationError):
    """A workflow step that is not allowed now, or is missing what it needs."""


def _allocate_case_number(year: int) -> str:
    # The counter row is locked until the approving transaction ends: concurrent
    # approvals queue here, so numbers are unique and, since a rolled-back approval
    # rolls back its increment too, gap-free.
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return rules.case_number(settings.CASE_NUMBER_PREFIX, year, counter.last_number)


def report_transition(
    *,
    report: Report,
    actor,
    to_status: str,
    message: str = "",
    reason: RejectionReason | None = None,
    duplicate_of: Report | None = None,
    note: str = "",
) -> Report:
    """Move a report through the review workflow (see reports.rules for what may move
    where). Refused with TransitionError, changing nothing, when the step is not allowed
    or lacks its message (needs_info), reason (rejected) or original (duplicate).

    Side effects, in one transaction: the report's status, assignee, case number
    (approval), decision time and version; a StatusChange row; a new case copy
    requested. After commit: the resident's status email.
    """
    is_supervisor = actor is not None and actor.has_perm("reports.reopen_report")
    message = message.strip()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        from_status = locked.status
        if actor is None:
            allowed = (from_status, to_status) in (
                rules.RESIDENT_TRANSITIONS | rules.SYSTEM_TRANSITIONS
            )
        else:
            allowed = actor.has_perm("reports.review_report") and rules.transition_allowed(
                from_status, to_status, is_supervisor=is_supervisor
            )
        if not allowed:
            raise TransitionError(
                _("A report that is “%(from)s” cannot be moved to “%(to)s”.")
                % {
                    "from": ReportStatus(from_status).label,
                    "to": ReportStatus(to_status).label,
                }
            )
        if to_status == ReportStatus.NEEDS_INFO and not message:
            raise TransitionError(_("Write the question to the resident."))
        if to_status == ReportStatus.REJECTED and reason is None:
            raise TransitionError(_("Choose the reason for not accepting the report."))
        if to_status == ReportStatus.DUPLICATE and (
            duplicate_of is None or duplicate_of.pk == locked.pk
        ):
            raise TransitionError(_("Give the tracking number of the original report."))
        update = ["status", "version"]
        locked.status = to_status
        locked.version += 1
        if from_status == ReportStatus.SUBMITTED and actor is not None:
            locked.assigned_to = actor
            update.append("assigned_to")
        if to_status == ReportStatus.APPROVED and not locked.case_number:
            locked.case_number = _allocate_case_number(timezone.localdate().year)
            update.append("case_number")
        if to_status in (ReportStatus.APPROVED, ReportStatus.REJECTED, ReportStatus.DUPLICATE):
            locked.decided_at = timezone.now()
            update.append("decided_at")
        if to_status == ReportStatus.DUPLICATE:
            locked.duplicate_of = duplicate_of
            update.append("duplicate_of")
        if to_status == ReportStatus.NEEDS_INFO:
            locked.info_reminder_sent_at = None  # a new question starts a new clock
            update.append("info_reminder_sent_at")
        locked.save(update_fields=update)
        StatusChange.objects.create(
            report=locked,
            at=timezone.now(),
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            message=message,
            reason=reason,
            note=note.strip(),
        )
        casefile_request(report=locked)
        emails.email_queue(report=locked, kind="status")
    return locked


def report_claim(*, report: Report, actor) -> Report:
    return report_transition(report=report, actor=actor, to_status=ReportStatus.IN_REVIEW)


def report_reassign(*, report: Report, actor, assignee) -> Report:
    """Give a report to another clerk (supervisors only). Side effect: assigned_to."""
    if not actor.has_perm("reports.reassign_report"):
        raise TransitionError(_("Only a supervisor can reassign reports."))
    Report.objects.filter(pk=report.pk).update(assigned_to=assignee)
    report.assigned_to = assignee
    return report


def report_correct_nibrs(*, report: Report, actor, code: str, note: str = "") -> Report:
    """Correct the NIBRS code; the old and new codes are kept in the report's history
    and as an internal note."""
    code = code.strip().upper()
    if not code or len(code) > 4 or not code.isalnum():
        raise TransitionError(_("Enter a NIBRS offense code, like 23H."))
    old = report.nibrs_code
    with transaction.atomic():
        report.nibrs_code = code
        report._change_reason = f"NIBRS code corrected from {old or '-'} to {code}"
        report.version += 1
        report.save(update_fields=["nibrs_code", "version"])
        casefile_request(report=report)
        InternalNote.objects.create(
            report=report,
            author=actor,
            at=timezone.now(),
            text=f"NIBRS code corrected from {old or '-'} to {code}. {note}".strip(),
        )
    return report


def note_add(*, report: Report, author, text: str) -> InternalNote:
    """An internal note for staff; never shown to the resident."""
    text = text.strip()
    if not text:
        raise TransitionError(_("Write the note."))
    return InternalNote.objects.create(report=report, author=author, at=timezone.now(), text=text)


def copies_regenerate(*, reports) -> int:
    """Ask for fresh copies of these reports (after a template change, say)."""
    count = 0
    with transaction.atomic():
        # Only the report rows are locked (the admin's queryset joins the nullable
        # assignee, which PostgreSQL cannot lock).
        for report in reports.select_related(None).select_for_update(of=("self",)):
            report.version += 1
            report.save(update_fields=["version"])
            casefile_request(report=report)
            count += 1
    return count
