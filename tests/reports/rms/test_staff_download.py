"""Clerks download a report's NIBRS XML from its page: signed in, past the second
factor, with the review permission; every download audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import AccessLog
from tests.reports.nibrs.helpers import ORI, approved, assert_valid, theft
from tests.security import make_staff, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ori(settings):
    settings.AGENCY_ORI = ORI


def test_a_clerk_downloads_the_valid_xml_and_it_is_audited():
    report = theft()
    clerk_user = make_staff("clerk", password=None)
    clerk = signed_in(clerk_user, 21)

    response = clerk.get(reverse("reports:nibrs_xml", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{report.tracking_number}.xml"'
    assert_valid(response.content)
    assert AccessLog.objects.filter(
        action="download_nibrs", user=clerk_user, report_id=report.pk
    ).exists()


def test_a_report_without_a_document_says_why_in_words():
    report = approved(report_type="lost_property")
    clerk = signed_in(make_staff("clerk", password=None), 22)

    response = clerk.get(reverse("reports:nibrs_xml", args=[report.pk]))

    assert response.status_code == 409
    assert "Lost property is not a crime" in response.content.decode()


def test_without_the_second_factor_the_clerk_is_sent_to_the_code_page():
    report = theft()
    clerk = signed_in(make_staff("clerk", password=None), 23, second_factor=False)

    response = clerk.get(reverse("reports:nibrs_xml", args=[report.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:mfa"))


def test_officers_and_visitors_cannot_download():
    report = theft()
    officer = signed_in(make_staff("officer", password=None), 24)

    assert officer.get(reverse("reports:nibrs_xml", args=[report.pk])).status_code == 403
