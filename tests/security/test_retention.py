"""Retention (CJIS 5.8, ASVS V8.3): the purge_expired command deletes rejected and
duplicate reports decided more than RETENTION_REJECTED_DAYS ago, with everything that
belongs to them, never an approved one, and never an audit row; merges old screening
counts per day; removes abandoned temporary uploads but keeps those a live draft uses."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from reports.enums import ReportStatus
from reports.filing import drafts
from reports.models import (
    AccessLog,
    Attachment,
    CaseCopy,
    InternalNote,
    Item,
    Report,
    StatusChange,
    Supplement,
)
from screening.models import ScreeningOutcome
from tests.factories import AttachmentFactory, ItemFactory, ReportFactory, SupplementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings, tmp_path):
    """Private files in a directory of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def decided(status: str, days_ago: int, **extra) -> Report:
    return ReportFactory(
        status=status, decided_at=timezone.now() - dt.timedelta(days=days_ago), **extra
    )


def with_parts(report: Report) -> list[str]:
    """Give a report the parts a real one has (item, supplement, attachment, case copy,
    status change, note, audit rows); return the names of its stored files."""
    ItemFactory(report=report)
    SupplementFactory(report=report)
    attachment = AttachmentFactory(report=report)
    default_storage.save(attachment.file.name, ContentFile(b"\xff\xd8photo"))
    copy_name = default_storage.save(f"casecopies/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF"))
    CaseCopy.objects.create(
        report=report, version=1, state="ready", file=copy_name, requested_at=timezone.now()
    )
    StatusChange.objects.create(
        report=report, at=timezone.now(), from_status="submitted", to_status=report.status
    )
    clerk = User.objects.get_or_create(username="retention.clerk", defaults={"is_staff": True})[0]
    InternalNote.objects.create(report=report, author=clerk, at=timezone.now(), text="checked")
    for action in (AccessLog.Action.VIEW, AccessLog.Action.STATUS_CHANGE):
        AccessLog.objects.create(at=timezone.now(), user=clerk, report=report, action=action)
    return [attachment.file.name, copy_name]


def purge() -> str:
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def test_old_rejected_and_duplicate_reports_go_with_their_parts_and_files(storage, settings):
    days = settings.RETENTION_REJECTED_DAYS
    approved = decided(ReportStatus.APPROVED, days + 30, case_number="MP-2024-000001")
    rejected = decided(ReportStatus.REJECTED, days + 1)
    duplicate = decided(ReportStatus.DUPLICATE, days + 30, duplicate_of=approved)
    gone_files = with_parts(rejected) + with_parts(duplicate)
    kept_files = with_parts(approved)
    gone = [rejected.pk, duplicate.pk]
    audit_rows_before = AccessLog.objects.filter(report_id__in=gone).count()

    output = purge()

    assert set(Report.objects.values_list("pk", flat=True)) == {approved.pk}
    for model in (Item, Supplement, Attachment, CaseCopy, StatusChange, InternalNote):
        assert not model.objects.filter(report_id__in=gone).exists(), model.__name__
    assert not Report.history.filter(id__in=gone).exists()
    assert not Item.history.filter(report_id__in=gone).exists()
    assert [n for n in gone_files if default_storage.exists(n)] == []
    assert all(default_storage.exists(n) for n in kept_files)
    assert AccessLog.objects.filter(report_id__in=gone).count() == audit_rows_before == 4
    assert "2 rejected or duplicate reports and 4 of their files removed" in output


def test_reports_decided_recently_or_approved_long_ago_are_kept(storage, settings):
    days = settings.RETENTION_REJECTED_DAYS
    keep = [
        decided(ReportStatus.REJECTED, days - 1),
        decided(ReportStatus.DUPLICATE, days - 1),
        decided(ReportStatus.APPROVED, days * 5, case_number="MP-2020-000001"),
        decided(ReportStatus.CLOSED, days * 5),
        ReportFactory(
            status=ReportStatus.SUBMITTED, submitted_at=timezone.now() - dt.timedelta(days=days * 2)
        ),
    ]

    output = purge()

    assert Report.objects.count() == len(keep)
    assert "0 rejected or duplicate reports" in output


def test_old_screening_counts_are_merged_per_day_with_the_same_totals(storage, settings):
    old_day = (timezone.now() - dt.timedelta(days=settings.SCREENING_DETAIL_DAYS + 10)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    recent_day = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
    rows = [
        ("eligible", ["ok"], "theft", old_day, 1),
        ("eligible", ["ok"], "theft", old_day + dt.timedelta(hours=1), 2),
        ("eligible", ["ok"], "theft", old_day + dt.timedelta(hours=2), 3),
        ("emergency_911", ["emergency"], "", old_day, 4),
        ("emergency_911", ["emergency"], "", old_day + dt.timedelta(hours=3), 1),
        ("eligible", ["ok"], "theft", recent_day, 1),
        ("eligible", ["ok"], "theft", recent_day + dt.timedelta(hours=1), 1),
    ]
    for outcome, reasons, report_type, hour, count in rows:
        ScreeningOutcome.objects.create(
            outcome=outcome,
            reasons=reasons,
            report_type=report_type,
            language="en",
            decided_hour=hour,
            count=count,
        )
    total_before = ScreeningOutcome.objects.aggregate(n=Sum("count"))["n"]
    cutoff = timezone.now() - dt.timedelta(days=settings.SCREENING_DETAIL_DAYS)

    output = purge()

    old = ScreeningOutcome.objects.filter(decided_hour__lt=cutoff)
    assert ScreeningOutcome.objects.aggregate(n=Sum("count"))["n"] == total_before == 13
    assert sorted(old.values_list("outcome", "count")) == [("eligible", 6), ("emergency_911", 5)]
    assert ScreeningOutcome.objects.filter(decided_hour__gte=cutoff).count() == 2
    assert "5 screening rows merged into daily totals" in output


def test_abandoned_temporary_uploads_go_but_a_live_drafts_stay(storage, settings):
    names = {
        kind: default_storage.save(f"wizard-tmp/{uuid.uuid4().hex}.jpg", ContentFile(b"x"))
        for kind in ("abandoned", "in a live draft", "still in a session")
    }
    older_than_a_session = time.time() - settings.SESSION_COOKIE_AGE - 600
    for kind in ("abandoned", "in a live draft"):
        os.utime(storage / names[kind], (older_than_a_session, older_than_a_session))
    drafts.draft_autosave(
        draft_id=str(uuid.uuid4()),
        report_type="theft",
        data={"extra_data": {"uploads": [{"storage_name": names["in a live draft"]}]}},
        screening={},
    )

    output = purge()

    assert not default_storage.exists(names["abandoned"])
    assert default_storage.exists(names["in a live draft"])
    assert default_storage.exists(names["still in a session"])
    assert "1 abandoned temporary uploads removed" in output
