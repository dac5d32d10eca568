"""Nobody is left in silence: the clock behind follow-up messages.

- A request for information waits INFO_REQUEST_DAYS. After INFO_REMINDER_DAYS the
  resident gets a reminder; when the time is up the report is closed as "no reply"
  (nothing is deleted) and the resident is told how to go on. A resident who gave no
  email address gets no reminder and their report is not closed by the clock: the clerk
  was told to call them, and decides.
- FOLLOW_UP_DAYS after approval, a follow-up says the report was read and what may
  happen next.
Each message is claimed with a conditional UPDATE, so a second run sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reports.enums import ReportStatus
from reports.models import Report
from reports.notify import emails
from reports.review.workflow import TransitionError, report_transition


def _claim(report_id, field: str, now) -> bool:
    return bool(
        Report.objects.filter(pk=report_id, **{f"{field}__isnull": True}).update(**{field: now})
    )


def follow_ups_run(*, now=None) -> str:
    """Send the due reminders and follow-ups; close unanswered requests. Side effects:
    emails queued after commit; reports closed through the workflow service."""
    now = now or timezone.now()
    # A resident who gave no email is owed no email, and was never sent the question
    # (the clerk was told to call them): their report waits for the clerk, not the clock.
    emailed = Report.objects.exclude(reporter_email="")
    waiting = emailed.filter(status=ReportStatus.NEEDS_INFO).annotate(
        asked_at=Max("status_changes__at")
    )
    reminded = closed = followed = 0
    for report in waiting.filter(asked_at__lte=now - timedelta(days=settings.INFO_REQUEST_DAYS)):
        try:
            report_transition(
                report=report,
                actor=None,
                to_status=ReportStatus.CLOSED,
            )
        except TransitionError:
            continue  # the resident answered a moment ago: the report is back in review
        closed += 1
    for report in waiting.filter(
        asked_at__lte=now - timedelta(days=settings.INFO_REMINDER_DAYS),
        asked_at__gt=now - timedelta(days=settings.INFO_REQUEST_DAYS),
        info_reminder_sent_at__isnull=True,
    ):
        with transaction.atomic():
            if _claim(report.pk, "info_reminder_sent_at", now):
                emails.email_queue(report=report, kind="info_reminder")
                reminded += 1
    due = emailed.filter(
        status=ReportStatus.APPROVED,
        decided_at__lte=now - timedelta(days=settings.FOLLOW_UP_DAYS),
        follow_up_sent_at__isnull=True,
    )
    for report in due:
        with transaction.atomic():
            if _claim(report.pk, "follow_up_sent_at", now):
                emails.email_queue(report=report, kind="follow_up")
                followed += 1
    return f"{reminded} reminders, {closed} closed as no reply, {followed} follow-ups"
