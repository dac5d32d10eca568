"""Read queries for reports."""

from __future__ import annotations

import uuid

from reports import tracking
from reports.models import Report


def report_for_resident(*, tracking_number: str, email: str) -> Report | None:
    """The report with this tracking number, if `email` is the one it was filed with.

    Returns None alike for a malformed number, an unknown one and a wrong email, so
    that the answer never reveals whether a number exists.
    """
    canonical = tracking.normalize(tracking_number)
    if canonical is None:
        return None
    report = Report.objects.filter(tracking_number=canonical).first()
    if report is None or report.reporter_email.casefold() != email.strip().casefold():
        return None
    return report


def report_by_id(report_id: uuid.UUID | None) -> Report | None:
    if report_id is None:
        return None
    return Report.objects.filter(pk=report_id).first()


def report_with_timeline(report_id: uuid.UUID) -> Report | None:
    return (
        Report.objects.filter(pk=report_id)
        .prefetch_related("supplements", "attachments")
        .first()
    )
