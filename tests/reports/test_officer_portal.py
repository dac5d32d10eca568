"""The officers' portal: who may enter, what the search finds, and the access log that
every report view and download leaves behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reports.models import AccessLog, Attachment, CaseCopy, Report
from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import STEP_DATA, pass_screening, step_post, step_url

pytestmark = pytest.mark.django_db

NARRATIVE = STEP_DATA["narrative"]["narrative"]


def login_url() -> str:
    """The staff sign-in page (settings.LOGIN_URL)."""
    return resolve_url(settings.LOGIN_URL)


# --- Filing reports through the pages -------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def file_through_pages(client, report_type: str, overrides=None, photo: bytes | None = None):
    """Screening, every step (with a photo uploaded on the attachments step when given)
    and the final submit; returns the stored report."""
    overrides = overrides or {}
    before = set(Report.objects.values_list("pk", flat=True))
    pass_screening(client, report_type)
    client.get(reverse("reports:start", args=[report_type]))
    for step in REPORT_TYPES[report_type].steps:
        data = step_post(report_type, step, overrides.get(step))
        if step == "attachments" and photo is not None:
            data["upload"] = SimpleUploadedFile("bike photo.png", photo, "image/png")
        response = client.post(step_url(client, report_type, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    assert response.url == reverse("reports:confirmation")
    return Report.objects.exclude(pk__in=before).get()


def about(first: str, last: str, email: str) -> dict[str, str]:
    return {**STEP_DATA["about_you"], "first_name": first, "last_name": last, "email": email}


@pytest.fixture
def resident():
    return Client()


@pytest.fixture
def theft(resident):
    """A theft by Ana Lopez with a photo, filed through the pages (its copy not made:
    nothing queued after the commit runs)."""
    return file_through_pages(resident, "theft", photo=png_bytes())


@pytest.fixture
def theft_with_copy(resident, django_capture_on_commit_callbacks):
    """The same theft, with what its commit queued run: its case copy is ready."""
    with django_capture_on_commit_callbacks(execute=True):
        report = file_through_pages(resident, "theft", photo=png_bytes())
    assert CaseCopy.objects.get(report=report).state == "ready"
    return report


@pytest.fixture
def vehicle_theft():
    """A theft from Ben Okafor's car (plate ABC123), filed through the pages."""
    return file_through_pages(
        Client(),
        "theft_from_vehicle",
        {
            "about_you": about("Ben", "Okafor", "ben@example.org"),
            "items": [
                {
                    "category": "electronics",
                    "description": "Car stereo",
                    "serial_number": "SN-BEN-777",
                    "quantity": "1",
                    "value": "300",
                }
            ],
        },
    )


@pytest.fixture
def old_harassment():
    """A harassment report by Carla Nguyen about Jordan Doe, filed ten days ago."""
    report = file_through_pages(
        Client(),
        "harassment",
        {"about_you": about("Carla", "Nguyen", "carla@example.org")},
    )
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    return report


# --- Staff ------------------------------------------------------------------------------


@pytest.fixture
def officer():
    group, _created = Group.objects.get_or_create(name="Officers")
    group.permissions.add(
        Permission.objects.get(codename="download_casefile", content_type__app_label="reports")
    )
    user = User.objects.create_user("officer.kim", "kim@police.example", is_staff=True)
    user.groups.add(group)
    return user


def signed_in(user: User, *, second_factor: bool = True) -> Client:
    """A browser signed in as `user`, past the second factor unless told otherwise."""
    client = Client()
    client.force_login(user)
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="work phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def officer_client(officer):
    return signed_in(officer)


@pytest.fixture
def staff_client():
    """A staff member without the officers' permission (a clerk, say)."""
    return signed_in(User.objects.create_user("clerk.lee", "lee@police.example", is_staff=True))


def portal_urls(report: Report) -> dict[str, str]:
    attachment = Attachment.objects.get(report=report)
    return {
        "search": reverse("reports:officer_search") + "?q=" + quote(report.tracking_number),
        "detail": reverse("reports:officer_detail", args=[report.pk]),
        "copy": reverse("reports:officer_copy", args=[report.pk]),
        "attachment": reverse("reports:officer_attachment", args=[report.pk, attachment.pk]),
    }


PAGES = ["search", "detail", "copy", "attachment"]


# Report accesses; the same table also records sign-ins and device changes.
REPORT_ACCESS = ["view", "download_copy", "download_attachment", "search", "export"]


def accesses():
    return AccessLog.objects.filter(action__in=REPORT_ACCESS)


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


# --- Who may enter --------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_the_staff_login(theft, page):
    url = portal_urls(theft)[page]

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"{login_url()}?next={quote(url, safe='/')}"
    assert accesses().count() == 0


@pytest.mark.parametrize("page", PAGES)
def test_resident_who_filed_the_report_is_sent_to_the_staff_login_too(theft, resident, page):
    url = portal_urls(theft)[page]

    response = resident.get(url)

    assert response.status_code == 302
    assert response.url == f"{login_url()}?next={quote(url, safe='/')}"
    assert theft.tracking_number.encode() not in body_of(response)
    assert accesses().count() == 0


@pytest.mark.parametrize("page", PAGES)
def test_officer_without_the_second_factor_is_asked_for_it(theft, officer, page):
    url = portal_urls(theft)[page]

    response = signed_in(officer, second_factor=False).get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('staff:mfa')}?{urlencode({'next': url.split('?')[0]})}"
    assert theft.tracking_number.encode() not in body_of(response)
    assert accesses().count() == 0


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_the_officers_permission_is_refused(theft, staff_client, page):
    response = staff_client.get(portal_urls(theft)[page])

    assert response.status_code == 403
    content = body_of(response)
    assert theft.tracking_number.encode() not in content
    assert b"%PDF" not in content
    assert accesses().count() == 0


def test_officer_sees_the_search_page_with_the_report(theft, officer_client):
    response = officer_client.get(portal_urls(theft)["search"])

    assert response.status_code == 200
    content = response.content.decode()
    assert "Search online reports" in content
    assert reverse("reports:officer_detail", args=[theft.pk]) in content


def test_officer_reads_the_report(theft_with_copy, officer_client):
    response = officer_client.get(portal_urls(theft_with_copy)["detail"])

    assert response.status_code == 200
    content = response.content.decode()
    assert theft_with_copy.tracking_number in content
    assert NARRATIVE in content
    assert "Ana Lopez" in content
    assert "WTU123456" in content
    assert reverse("reports:officer_copy", args=[theft_with_copy.pk]) in content
    assert "bike photo.png" in content


def test_officer_downloads_the_case_copy(theft_with_copy, officer_client):
    copy = CaseCopy.objects.get(report=theft_with_copy)

    response = officer_client.get(portal_urls(theft_with_copy)["copy"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{theft_with_copy.tracking_number}.pdf"'
    )
    assert hashlib.sha256(body_of(response)).hexdigest() == copy.sha256


def test_copy_not_made_yet_is_announced_and_not_downloadable(theft, officer_client):
    page = officer_client.get(portal_urls(theft)["detail"])
    download = officer_client.get(portal_urls(theft)["copy"])

    assert "The case copy is being prepared." in page.content.decode()
    assert reverse("reports:officer_copy", args=[theft.pk]) not in page.content.decode()
    assert download.status_code == 404
    assert b"%PDF" not in body_of(download)


def test_officer_downloads_an_attachment_as_a_sandboxed_private_download(theft, officer_client):
    attachment = Attachment.objects.get(report=theft)

    response = officer_client.get(portal_urls(theft)["attachment"])

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bike photo.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp
    assert "default-src 'none'" in csp
    assert body_of(response) == stored(attachment.file.name)


def test_attachment_of_another_report_is_not_found(theft, vehicle_theft, officer_client):
    attachment = Attachment.objects.get(report=theft)
    url = reverse("reports:officer_attachment", args=[vehicle_theft.pk, attachment.pk])

    response = officer_client.get(url)

    assert response.status_code == 404
    assert b"\x89PNG" not in body_of(response)


@pytest.mark.parametrize("name", ["officer_detail", "officer_copy"])
def test_unknown_report_id_is_not_found_and_not_logged(officer_client, name):
    response = officer_client.get(reverse(f"reports:{name}", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert b"%PDF" not in body_of(response)
    assert accesses().count() == 0


# --- Search ---------------------------------------------------------------------------------


def found(client, **params) -> set[uuid.UUID]:
    response = client.get(reverse("reports:officer_search"), params)
    assert response.status_code == 200
    ids = re.findall(r'href="/officer/reports/([0-9a-f-]{36})/"', response.content.decode())
    return {uuid.UUID(i) for i in ids}


@pytest.fixture
def three_reports(theft, vehicle_theft, old_harassment):
    return theft, vehicle_theft, old_harassment


def test_search_by_tracking_number_as_printed_or_typed_loosely(three_reports, officer_client):
    theft, _vehicle, _old = three_reports
    loose = theft.tracking_number.replace("-", "").lower()

    assert found(officer_client, q=theft.tracking_number) == {theft.pk}
    assert found(officer_client, q=loose) == {theft.pk}
    assert found(officer_client, q=f"  {theft.tracking_number.lower()} ") == {theft.pk}


def test_search_by_reporter_last_name_or_full_name(three_reports, officer_client):
    theft, vehicle, _old = three_reports

    assert found(officer_client, q="Lopez") == {theft.pk}
    assert found(officer_client, q="okafor") == {vehicle.pk}
    assert found(officer_client, q="Ana Lopez") == {theft.pk}
    assert found(officer_client, q="ana lopez") == {theft.pk}
    assert found(officer_client, q="Ben Lopez") == set()


def test_search_by_serial_number(three_reports, officer_client):
    theft, vehicle, _old = three_reports

    assert found(officer_client, q="WTU123456") == {theft.pk}
    assert found(officer_client, q="sn-ben-777") == {vehicle.pk}


def test_search_by_plate_typed_in_lowercase_with_spaces(three_reports, officer_client):
    _theft, vehicle, _old = three_reports

    assert found(officer_client, q="abc 123") == {vehicle.pk}
    assert found(officer_client, q="ABC123") == {vehicle.pk}


def test_search_by_person_responsible(three_reports, officer_client):
    _theft, _vehicle, old = three_reports

    assert found(officer_client, q="Jordan") == {old.pk}


def test_search_by_type_and_date_range(three_reports, officer_client):
    theft, vehicle, old = three_reports
    today = timezone.localdate()
    ten_days_ago = timezone.localtime(Report.objects.get(pk=old.pk).submitted_at).date()

    assert found(officer_client, report_type="harassment") == {old.pk}
    assert found(officer_client, report_type="theft") == {theft.pk}
    assert found(officer_client, submitted_from=today.isoformat()) == {theft.pk, vehicle.pk}
    assert found(
        officer_client,
        submitted_from=(ten_days_ago - dt.timedelta(days=1)).isoformat(),
        submitted_to=(ten_days_ago + dt.timedelta(days=1)).isoformat(),
    ) == {old.pk}
    assert (
        found(
            officer_client, report_type="theft_from_vehicle", submitted_to=ten_days_ago.isoformat()
        )
        == set()
    )


def test_search_with_no_match_says_so(three_reports, officer_client):
    response = officer_client.get(reverse("reports:officer_search"), {"q": "Nobody Here"})

    assert "No reports match." in response.content.decode()


# --- The access log -----------------------------------------------------------------------


def test_each_view_of_a_report_writes_one_access_log_row(theft, officer, officer_client):
    officer_client.get(portal_urls(theft)["detail"])

    rows = list(accesses())
    assert len(rows) == 1
    row = rows[0]
    assert (row.user, row.report, row.action, row.ip_address) == (
        officer,
        Report.objects.get(pk=theft.pk),
        "view",
        "127.0.0.1",
    )
    assert abs(row.at - timezone.now()) < dt.timedelta(minutes=1)

    officer_client.get(portal_urls(theft)["detail"])

    assert accesses().filter(action="view").count() == 2


def test_each_copy_download_writes_one_access_log_row(theft_with_copy, officer, officer_client):
    officer_client.get(portal_urls(theft_with_copy)["copy"])

    rows = list(accesses().values_list("user", "report", "action", "ip_address"))
    assert rows == [(officer.pk, theft_with_copy.pk, "download_copy", "127.0.0.1")]


def test_each_attachment_download_writes_one_access_log_row(theft, officer, officer_client):
    officer_client.get(portal_urls(theft)["attachment"])

    rows = list(accesses().values_list("user", "report", "action", "ip_address"))
    assert rows == [(officer.pk, theft.pk, "download_attachment", "127.0.0.1")]


def test_searching_writes_one_search_row_and_no_report_access(three_reports, officer_client):
    # A search is audited as a search (issue 15: CJIS-style audits expect it); the
    # results list opens no report, so no report gets a view row from it.
    theft, _vehicle, _old = three_reports

    found_ids = found(officer_client, q="Lopez")
    found(officer_client, report_type="theft")

    assert found_ids == {theft.pk}
    assert accesses().exclude(action="search").count() == 0
    assert accesses().filter(action="search", report__isnull=True).count() == 2


def test_the_report_page_shows_the_phone_as_dialled_and_values_in_dollars(
    vehicle_theft, officer_client
):
    page = officer_client.get(reverse("reports:officer_detail", args=[vehicle_theft.pk]))

    content = page.content.decode()
    assert "(612) 555-0123" in content
    assert "$300.00" in content
    assert ">+16125550123<" not in content  # (the 311 link may dial +1…)
