"""Listing 100 approved reports takes at most 5 SQL statements, whatever they hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import (
    AttachmentFactory,
    CourtOrderFactory,
    IdentityTheftAccountFactory,
    ItemFactory,
    PersonResponsibleFactory,
    VehicleFactory,
)
from tests.reports.nibrs.helpers import approved
from tests.reports.rms.helpers import rms_client

pytestmark = pytest.mark.django_db


def test_listing_100_reports_with_all_their_parts_takes_at_most_5_statements(
    django_assert_max_num_queries,
):
    for n in range(100):
        report = approved(report_type="theft_from_vehicle")
        for position in range(n % 4):
            ItemFactory(report=report, position=position, value=Decimal(position + 1))
        VehicleFactory(report=report)
        PersonResponsibleFactory(report=report)
        CourtOrderFactory(report=report)
        IdentityTheftAccountFactory(report=report)
        AttachmentFactory(report=report)
    client, _key, _api_key = rms_client()

    with django_assert_max_num_queries(5):
        response = client.get("/api/rms/v1/reports/?status=approved")

    results = response.json()["results"]
    assert len(results) == 100
    assert sum(len(r["items"]) for r in results) == sum(n % 4 for n in range(100))
    assert all(len(r["attachments"]) == 1 and len(r["vehicles"]) == 1 for r in results)
