"""The records-system API driven as an RMS drives it, with a real key: list, fetch the
PDF and the NIBRS XML, acknowledge, list again; and every refusal as the schema says."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import AccessLog, ApiKey
from reports.rms import auth, keys
from tests.factories import AttachmentFactory, PersonResponsibleFactory
from tests.reports.nibrs.helpers import ORI, approved, assert_valid, theft
from tests.reports.rms.helpers import PDF, ready_copy, rms_client
from tests.security import make_staff, signed_in

pytestmark = pytest.mark.django_db

LIST = "/api/rms/v1/reports/?status=approved"


@pytest.fixture(autouse=True)
def _ori(settings):
    settings.AGENCY_ORI = ORI


def _imported(report) -> str:
    return reverse("rms:report_imported", args=[report.pk])


def test_an_rms_lists_fetches_acknowledges_and_lists_again():
    client, _key, api_key = rms_client()
    report = theft()
    PersonResponsibleFactory(report=report, name="Jordan Doe")
    ready_copy(report)
    approved(report_type="order_violation")
    approved(report_type="harassment", status="in_review", case_number=None)  # not listed

    listing = client.get(LIST)

    assert listing.status_code == 200
    body = listing.json()
    assert body["next"] is None
    by_number = {r["tracking_number"]: r for r in body["results"]}
    assert len(by_number) == 2
    entry = by_number[report.tracking_number]
    assert entry["case_number"] == report.case_number
    assert entry["answers"] == {"theft_kind": "bicycle"}
    assert entry["items"][0]["value"] == "650.00"
    assert entry["people_responsible"][0]["name"] == "Jordan Doe"
    assert entry["reporter"]["last_name"] == report.reporter_last_name

    pdf = client.get(entry["links"]["pdf"])
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == PDF

    nibrs = client.get(entry["links"]["nibrs"])
    assert nibrs.status_code == 200
    assert nibrs["Content-Type"] == "application/xml"
    assert_valid(nibrs.content)

    done = client.post(_imported(report), {"record_number": "RMS-2026-77"}, "application/json")
    assert done.status_code == 200
    assert done.json()["rms_record_number"] == "RMS-2026-77"

    again = client.get(LIST).json()
    assert report.tracking_number not in {r["tracking_number"] for r in again["results"]}
    everything = client.get(LIST + "&include_imported=true").json()
    assert report.tracking_number in {r["tracking_number"] for r in everything["results"]}

    keys.api_key_revoke(api_key=api_key)
    refused = client.get(LIST)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This key has been revoked."}


def test_a_group_b_report_has_no_nibrs_link_and_its_xml_says_why():
    client, _key, _api_key = rms_client()
    report = approved(report_type="order_violation")

    entry = client.get(LIST).json()["results"][0]
    xml = client.get(reverse("rms:report_nibrs", args=[report.pk]))

    assert entry["links"]["nibrs"] is None
    assert xml.status_code == 404
    assert "Group B" in xml.json()["detail"]


def test_attachments_are_listed_with_their_hash_and_link():
    client, _key, _api_key = rms_client()
    report = theft()
    attachment = AttachmentFactory(report=report)

    entry = client.get(LIST).json()["results"][0]

    assert entry["attachments"] == [
        {
            "name": "photo.jpg",
            "content_type": "image/jpeg",
            "size": 1024,
            "sha256": attachment.sha256,
            "url": "http://testserver"
            + reverse("rms:report_attachment", args=[report.pk, attachment.pk]),
        }
    ]


def test_acknowledging_is_idempotent_and_another_number_is_a_conflict():
    client, _key, _api_key = rms_client()
    report = theft()
    other = theft()

    first = client.post(_imported(report), {"record_number": "R-1"}, "application/json")
    same = client.post(_imported(report), {"record_number": "R-1"}, "application/json")
    different = client.post(_imported(report), {"record_number": "R-2"}, "application/json")
    taken = client.post(_imported(other), {"record_number": "R-1"}, "application/json")

    assert (first.status_code, same.status_code) == (200, 200)
    assert same.json()["rms_imported_at"] == first.json()["rms_imported_at"]
    assert different.status_code == 409
    assert "already in the records system as R-1" in different.json()["detail"]
    assert taken.status_code == 409
    report.refresh_from_db()
    assert report.rms_record_number == "R-1"
    assert AccessLog.objects.filter(action="rms_imported", report_id=report.pk).count() == 1


def test_a_report_not_approved_is_not_reachable():
    client, _key, _api_key = rms_client()
    report = theft(status="in_review", case_number=None)

    answers = [
        client.get(reverse("rms:report_pdf", args=[report.pk])),
        client.get(reverse("rms:report_nibrs", args=[report.pk])),
        client.post(_imported(report), {"record_number": "R-9"}, "application/json"),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, "Send an API key: Authorization: Api-Key <key>."),
        ("Api-Key erk_000000000000_notakey", "This key is not valid."),
        ("Api-Key", "Send the key as: Authorization: Api-Key <key>."),
        ("Bearer something", "Send an API key: Authorization: Api-Key <key>."),
    ],
)
def test_requests_without_a_valid_key_get_a_json_401(client, header, detail):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get(LIST, **extra)

    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_staff_session_does_not_open_the_api():
    clerk = signed_in(make_staff("superuser", password=None), 41)

    assert clerk.get(LIST).status_code == 401


def test_a_key_opens_neither_the_admin_nor_the_officers_portal():
    client, _key, _api_key = rms_client()

    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("reports:officer_search")).status_code == 302


def test_over_the_limit_a_key_gets_a_json_429(monkeypatch):
    monkeypatch.setattr(auth.ApiKeyThrottle, "rate", "2/minute", raising=False)
    client, _key, _api_key = rms_client()

    answers = [client.get(LIST) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "throttled" in answers[2].json()["detail"].lower()
    assert answers[2]["Retry-After"]


def test_every_call_is_audited_with_the_key_and_the_answer():
    client, _key, api_key = rms_client("Hennepin RMS")
    report = theft()

    client.get(LIST)
    client.get(reverse("rms:report_nibrs", args=[report.pk]))
    stranger = Client(HTTP_AUTHORIZATION="Api-Key erk_nope_nope")
    stranger.get(LIST)

    calls = list(AccessLog.objects.filter(action="api_call").order_by("at", "id"))
    assert [(c.username, c.detail) for c in calls] == [
        ("rms:Hennepin RMS", "GET /api/rms/v1/reports/ 200"),
        ("rms:Hennepin RMS", f"GET /api/rms/v1/reports/{report.pk}/nibrs.xml 200"),
        ("rms:(no valid key)", "GET /api/rms/v1/reports/ 401"),
    ]
    assert calls[1].report_id == report.pk
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


def test_pages_follow_a_stable_cursor(monkeypatch):
    from reports.rms import services

    client, _key, _api_key = rms_client()
    reports = [theft() for _ in range(5)]
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    monkeypatch.setattr(services.reports_page, "__kwdefaults__", {"size": 2})

    seen, url = [], LIST
    while True:
        body = client.get(url).json()
        seen += [r["tracking_number"] for r in body["results"]]
        if body["next"] is None:
            break
        url = f"{LIST}&after={body['next']}"

    assert seen == [r.tracking_number for r in reports]
    assert client.get(LIST + "&after=garbage").status_code == 400


def test_only_approved_reports_can_be_listed():
    client, _key, _api_key = rms_client()

    response = client.get("/api/rms/v1/reports/?status=submitted")

    assert response.status_code == 400
    assert response.json() == {"detail": "Only status=approved can be listed."}


def test_a_nul_in_the_query_gets_a_json_error_not_a_page(db):
    response = Client().get("/api/rms/v1/reports/", {"status": "approved\x00"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "NUL" in response.json()["detail"]
