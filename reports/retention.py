"""Retention: what is deleted, and when. Approved reports are never purged here.

- Rejected and duplicate reports, with their parts, files and history, once decided
  more than RETENTION_REJECTED_DAYS ago. Their audit-log rows stay (append-only).
- Screening counters older than SCREENING_DETAIL_DAYS are merged into one row per day.
- Temporary uploads of abandoned wizards, once older than a resident's session.

A scheduled job above the sub-packages (it reads filing's drafts and screening's
counters); only reports.tasks and the purge_expired command import it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncDay
from django.utils import timezone

from reports.enums import ReportStatus
from reports.filing.drafts import referenced_uploads
from reports.models import (
    Attachment,
    CaseCopy,
    CourtOrder,
    IdentityTheftAccount,
    InternalNote,
    Item,
    PersonResponsible,
    Report,
    StatusChange,
    Supplement,
    Vehicle,
)
from screening.models import ScreeningOutcome

logger = logging.getLogger(__name__)
_TEMP_DIR = "wizard-tmp"


@dataclass
class PurgeResult:
    reports: int = 0
    files: int = 0
    screening_rows_merged: int = 0
    temp_files: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reports} rejected or duplicate reports and {self.files} of their files "
            f"removed; {self.screening_rows_merged} screening rows merged into daily totals; "
            f"{self.temp_files} abandoned temporary uploads removed"
        )


def _purge_reports(cutoff: datetime, result: PurgeResult) -> None:
    expired = Report.objects.filter(
        status__in=(ReportStatus.REJECTED, ReportStatus.DUPLICATE), decided_at__lt=cutoff
    ).exclude(duplicates__isnull=False)  # an original other reports point at stays
    for report in expired.iterator(chunk_size=200):
        files = [a.file.name for a in report.attachments.all()] + [
            c.file.name for c in report.copies.all() if c.file
        ]
        with transaction.atomic():
            for model in (
                Attachment,
                Item,
                Vehicle,
                PersonResponsible,
                CourtOrder,
                IdentityTheftAccount,
                StatusChange,
                InternalNote,
                CaseCopy,
            ):
                model.objects.filter(report=report).delete()
            Supplement.objects.filter(report=report).delete()
            report_id = report.pk
            report.delete()
            # Last: deleting rows adds "deleted" history entries, which go too.
            for model in (Item, Vehicle, PersonResponsible, CourtOrder, IdentityTheftAccount):
                model.history.filter(report_id=report_id).delete()
            Report.history.filter(id=report_id).delete()
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)
                result.files += 1
        result.reports += 1


def _merge_screening_rows(cutoff: datetime, result: PurgeResult) -> None:
    old = ScreeningOutcome.objects.filter(decided_hour__lt=cutoff)
    groups = (
        old.annotate(day=TruncDay("decided_hour"))
        .values("day", "outcome", "reasons", "report_type", "language")
        .annotate(total=Sum("count"))
    )
    with transaction.atomic():
        merged = [
            ScreeningOutcome(
                outcome=g["outcome"],
                reasons=g["reasons"],
                report_type=g["report_type"],
                language=g["language"],
                decided_hour=g["day"],
                count=g["total"],
            )
            for g in groups
        ]
        ids = list(old.values_list("id", flat=True))
        if len(ids) > len(merged):
            ScreeningOutcome.objects.filter(id__in=ids).delete()
            ScreeningOutcome.objects.bulk_create(merged)
            result.screening_rows_merged = len(ids)


def _purge_temp_uploads(cutoff: datetime, result: PurgeResult) -> None:
    try:
        _dirs, names = default_storage.listdir(_TEMP_DIR)
    except FileNotFoundError:
        return
    keep = referenced_uploads()
    for name in names:
        path = f"{_TEMP_DIR}/{name}"
        if path in keep:
            continue
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                result.temp_files += 1
        except OSError:
            logger.warning("could not check temporary upload %s", path)


def retention_purge(*, now: datetime | None = None) -> PurgeResult:
    """Apply the retention rules once. Side effects: rows and files deleted as listed
    in the module docstring. Returns what was removed."""
    now = now or timezone.now()
    result = PurgeResult()
    _purge_reports(now - timedelta(days=settings.RETENTION_REJECTED_DAYS), result)
    _merge_screening_rows(now - timedelta(days=settings.SCREENING_DETAIL_DAYS), result)
    _purge_temp_uploads(now - timedelta(seconds=settings.SESSION_COOKIE_AGE), result)
    return result
