"""`manage.py nibrs_xml --approved --out DIR`: a valid file per approved Group A report,
and what it skipped, with why."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.reports.nibrs.helpers import ORI, approved, assert_valid, harassment, theft

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("nibrs_xml", *args, stdout=out)
    return out.getvalue()


def test_writes_a_valid_file_per_approved_group_a_report_and_says_what_it_skipped(
    settings, tmp_path
):
    settings.AGENCY_ORI = ORI
    written = [theft(), harassment(), approved(report_type="vehicle_damage")]
    order = approved(report_type="order_violation")
    lost = approved(report_type="lost_property")
    theft(status="in_review", case_number=None)  # not approved: not considered

    output = _run("--approved", "--out", str(tmp_path))

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(f"{r.tracking_number}.xml" for r in written)
    for path in tmp_path.iterdir():
        assert_valid(path.read_bytes())
    assert "Wrote 3 NIBRS documents" in output
    assert "skipped 2" in output
    assert f"skipped {order.tracking_number}: 90Z (All Other Offenses) is a Group B" in output
    assert f"skipped {lost.tracking_number}: Lost property is not a crime" in output


def test_since_takes_only_reports_approved_from_that_day(settings, tmp_path):
    settings.AGENCY_ORI = ORI
    old = theft()
    old.decided_at = timezone.now() - dt.timedelta(days=10)
    old.save()
    recent = theft()

    _run("--approved", "--out", str(tmp_path), "--since", str(timezone.localdate()))

    assert [p.name for p in tmp_path.iterdir()] == [f"{recent.tracking_number}.xml"]


def test_refuses_without_an_agency_ori(settings, tmp_path):
    settings.AGENCY_ORI = ""

    with pytest.raises(CommandError, match="AGENCY_ORI"):
        _run("--approved", "--out", str(tmp_path))
