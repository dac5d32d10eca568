"""What a hostile or careless caller sends the records-system API: never a 500, never a
stored oddity, and a flood of refused calls cannot fill the audit log."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.test import Client
from freezegun import freeze_time

from reports.models import AccessLog, Report
from reports.nibrs.export import nibrs_check
from reports.rms import services
from tests.reports.nibrs.helpers import theft
from tests.reports.rms.helpers import rms_client

pytestmark = pytest.mark.django_db

LIST = "/api/rms/v1/reports/"


@pytest.mark.parametrize(
    "header",
    ["Api-Key erk_ab\x00c_def", "Api-Key erk_0123456789ab_" + "x" * 42 + "\x00", "Api-Key é"],
)
def test_a_malformed_key_is_refused_without_an_error(header):
    response = Client(HTTP_AUTHORIZATION=header).get(LIST)

    assert response.status_code == 401
    assert AccessLog.objects.filter(action=AccessLog.Action.API_CALL).count() == 1


def test_refused_calls_from_one_address_are_throttled(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "rms_refused": (3, 60)}
    client = Client(HTTP_AUTHORIZATION="Api-Key erk_0123456789ab_" + "x" * 43)

    # At the start of a minute: the counters are per minute, and five calls that
    # straddled a new minute would start counting again (a flaky test, once).
    with freeze_time(dt.datetime.now(dt.UTC).replace(second=1, microsecond=0), tick=True):
        codes = [client.get(LIST).status_code for _ in range(5)]

    assert codes == [401, 401, 401, 429, 429]


@pytest.mark.parametrize("number", [1e300, 12, True, None, ["A-1"], "=cmd|x", "-A1"])
def test_a_record_number_must_be_text_of_letters_and_digits(number):
    report = theft()
    client, _key, _api_key = rms_client()

    response = client.post(
        f"{LIST}{report.pk}/imported/",
        {"record_number": number},
        content_type="application/json",
    )

    assert response.status_code == 400
    report.refresh_from_db()
    assert report.rms_record_number is None


def test_a_report_of_a_type_the_registry_no_longer_has_does_not_break_the_list():
    theft()
    retired = theft()
    Report.objects.filter(pk=retired.pk).update(report_type="retired_type", nibrs_code="")
    client, _key, _api_key = rms_client()

    response = client.get(LIST, {"status": "approved"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert not nibrs_check(Report.objects.get(pk=retired.pk)).applies


def test_a_cursor_without_a_time_zone_is_not_ours():
    raw = b"2026-01-02T03:04:05|12345678-1234-1234-1234-123456789012"
    naive = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    aware = base64.urlsafe_b64encode(raw.replace(b"05|", b"05+00:00|")).decode().rstrip("=")

    assert services.decode_cursor(naive) is None
    assert services.decode_cursor(aware) is not None
