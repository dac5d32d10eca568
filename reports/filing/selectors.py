"""Read queries for residents: their report found by tracking number and email (or phone), the
report this browser just filed, and its history as the resident sees it."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache

from ereport.db import OneRowRead
from reports import tracking
from reports.models import Draft, Report

logger = logging.getLogger(__name__)
_WITHOUT_EMAIL_KEY = "filing:records-without-email"


def report_for_resident(*, tracking_number: str, email: str = "", phone: str = "") -> Report | None:
    """The report with this tracking number, if `email` is the one it was filed with; or,
    for a report filed without an email address (the agency's policy allowed it), if
    `phone` (E.164, as PhoneField gives it) is the phone number it was filed with. A
    report that has an email address is found with that address only: a phone number is
    easier for someone else to know.

    Returns None alike for a malformed number, an unknown one and a wrong email or phone,
    so that the answer never reveals whether a number exists. The report holds only the
    fields the lookup needs.
    """
    canonical = tracking.normalize(tracking_number)
    if canonical is None or not (email.strip() or phone):
        return None
    report = _by_tracking_number.instance(canonical)
    if report is None:
        return None
    if report.reporter_email:
        matches = report.reporter_email.casefold() == email.strip().casefold()
    else:
        matches = bool(phone) and report.reporter_phone == phone
    return report if matches else None


_by_tracking_number = OneRowRead(
    Report, ("id", "reporter_email", "reporter_phone"), where=("tracking_number",)
)


def records_without_email_exist() -> bool:
    """Whether a report, or a draft saved for later, has no email address: the status
    and resume pages then keep taking a phone number after the agency turned "email
    required" back on. Asked of the database at most once a minute (the cache keeps the
    answer; once true it stays true: such records are kept for years)."""
    try:
        seen = cache.get(_WITHOUT_EMAIL_KEY)
    except Exception:
        seen = None
    if seen is None:
        seen = (
            Report.objects.filter(reporter_email="").exists()
            or Draft.objects.filter(email="", report__isnull=True)
            .exclude(resume_code_hash="")
            .exists()
        )
        try:
            cache.set(_WITHOUT_EMAIL_KEY, seen, None if seen else 60)
        except Exception:
            logger.warning("cache unavailable: records without email are looked for again")
    return seen


def report_by_id(report_id: uuid.UUID | None) -> Report | None:
    if report_id is None:
        return None
    return Report.objects.filter(pk=report_id).first()


def report_with_timeline(report_id: uuid.UUID) -> Report | None:
    return (
        Report.objects.filter(pk=report_id)
        .prefetch_related("supplements", "status_changes__reason")
        .first()
    )


def resident_timeline(report: Report) -> list[dict]:
    """What the resident sees of a report's history, oldest first: received, each status
    change with its public words (never a clerk's internal note), and each supplement."""
    entries = [{"at": report.submitted_at, "status": "submitted", "kind": "status"}]
    for change in report.status_changes.all():
        entries.append(
            {
                "at": change.at,
                "status": change.to_status,
                "kind": "status",
                "message": change.message,
                "reason": change.reason.public_text if change.reason else "",
            }
        )
    for supplement in report.supplements.all():
        entries.append({"at": supplement.created_at, "kind": "supplement"})
    return sorted(entries, key=lambda entry: entry["at"])
