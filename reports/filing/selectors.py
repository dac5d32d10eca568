"""Read queries for residents: their report found by tracking number and email (or phone), the
report this browser just filed, and its history as the resident sees it."""

from __future__ import annotations

import uuid

from reports import tracking
from reports.models import Report


def report_for_resident(*, tracking_number: str, email: str = "", phone: str = "") -> Report | None:
    """The report with this tracking number, if `email` is the one it was filed with, or
    `phone` (E.164, as PhoneField gives it) the phone number it was filed with.

    Returns None alike for a malformed number, an unknown one and a wrong email or phone,
    so that the answer never reveals whether a number exists.
    """
    canonical = tracking.normalize(tracking_number)
    if canonical is None or not (email.strip() or phone):
        return None
    report = (
        Report.objects.filter(tracking_number=canonical)
        .only("pk", "reporter_email", "reporter_phone")
        .first()
    )
    if report is None:
        return None
    if email.strip() and report.reporter_email.casefold() == email.strip().casefold():
        return report
    if phone and report.reporter_phone == phone:
        return report
    return None


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
