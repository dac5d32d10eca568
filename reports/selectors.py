"""Read queries for reports."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.utils import timezone

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
        Report.objects.filter(pk=report_id).prefetch_related("supplements", "attachments").first()
    )


def client_ip(request) -> str | None:
    # Behind the TLS proxy REMOTE_ADDR is the proxy; the deployment documents setting
    # the proxy to overwrite (not append to) X-Forwarded-For, so the first hop is real.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return candidate or None


def report_for_staff(*, request, report_id, action: str) -> Report | None:
    """The access funnel for staff: fetch one report for `request.user` and write the
    access-log row. The caller has checked the permission; a missing report is None."""
    from reports.models import AccessLog  # kept next to its only writer

    try:
        report = Report.objects.filter(pk=report_id).first()
    except (ValueError, TypeError):
        report = None
    if report is None:
        return None
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        report=report,
        action=action,
        ip_address=client_ip(request),
    )
    return report


def reports_search(
    *,
    text: str = "",
    report_type: str = "",
    submitted_from=None,
    submitted_to=None,
):
    """Officers' search: one box that matches a tracking or case number exactly, and a
    name, serial number or plate; narrowed by type and date."""
    qs = Report.objects.all()
    text = text.strip()
    if text:
        canonical = tracking.normalize(text)
        plate = "".join(ch for ch in text.upper() if ch.isalnum())
        match = (
            Q(reporter_last_name__iexact=text)
            | Q(reporter_first_name__iexact=text)
            | Q(items__serial_number__iexact=text)
            | Q(people_responsible__name__icontains=text)
            | Q(vehicles__plate=plate)
            | Q(vehicles__vin=plate)
        )
        parts = text.split()
        if len(parts) == 2:
            match |= Q(reporter_first_name__iexact=parts[0], reporter_last_name__iexact=parts[1])
        if canonical:
            match |= Q(tracking_number=canonical)
        match |= Q(case_number__iexact=text)
        qs = qs.filter(match)
    if report_type:
        qs = qs.filter(report_type=report_type)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    return qs.distinct().order_by("-submitted_at")


def current_copy(report: Report):
    return report.copies.filter(state="ready").order_by("-version").first()
