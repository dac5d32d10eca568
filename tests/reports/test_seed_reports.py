"""seed_reports fills a database the way real filings would (bench/scale.py measures
the staff pages on it): valid tracking numbers, a copy per report kept in step with the
queue's column, people responsible on some, day counts that add up."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from reports import tracking
from reports.models import CaseCopy, PersonResponsible, Report, ReportDayCount

pytestmark = pytest.mark.django_db(transaction=True)


def test_seeded_reports_look_like_filed_ones():
    call_command("seed_reports", "400", "--seed", "7", "--batch", "150", stdout=io.StringIO())

    reports = list(Report.objects.values("tracking_number", "status", "case_number", "copy_state"))
    assert len(reports) == 400
    assert all(tracking.normalize(r["tracking_number"]) == r["tracking_number"] for r in reports)
    assert len({r["tracking_number"] for r in reports}) == 400
    approved = [r for r in reports if r["status"] == "approved"]
    assert approved and all(r["case_number"] for r in approved)
    assert CaseCopy.objects.values("report").distinct().count() == 400
    newest = {c.report_id: c.state for c in CaseCopy.objects.order_by("version")}
    assert all(
        Report.objects.get(tracking_number=r["tracking_number"]).copy_state
        == newest[Report.objects.get(tracking_number=r["tracking_number"]).pk]
        for r in reports[:25]
    )
    with_person = PersonResponsible.objects.values("report").distinct().count()
    assert 40 <= with_person <= 160  # about a fifth
    assert ReportDayCount.objects.aggregate(n=Sum("filed"))["n"] == 400


def test_seeding_twice_adds_without_collisions():
    call_command("seed_reports", "120", "--seed", "3", stdout=io.StringIO())
    call_command("seed_reports", "80", "--seed", "3", stdout=io.StringIO())

    assert Report.objects.count() == 200
