"""Looking up a report's status with its tracking number and email, and adding
information to it afterwards without changing what was first written."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from reports import tracking
from reports.models import Attachment, Report, Supplement
from tests.factories import ReportFactory
from tests.reports.wizard_data import error_summary, field_error, main_text

pytestmark = pytest.mark.django_db

STATUS = reverse("reports:status")
DETAIL = reverse("reports:status_detail")
ADD = reverse("reports:supplement")
NOT_FOUND = (
    "We could not find a report with that tracking number and email address. "
    "Check both and try again."
)
CLOSED = "This report is closed, so information can no longer be added."
ORIGINAL = "Someone cut the lock and took my bike from the rack outside."


@pytest.fixture
def private_storage(settings, tmp_path):
    """Private files go to a directory of this test's own."""
    root = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture
def report():
    return ReportFactory(reporter_email="Ana.Lopez@example.org", narrative=ORIGINAL)


def look_up(client, tracking_number: str, email: str):
    return client.post(STATUS, {"tracking_number": tracking_number, "email": email})


def jpeg_upload(name: str = "receipt.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- Looking up a report ------------------------------------------------------------


def test_right_number_and_email_show_the_status_and_type(client, report):
    response = look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    assert response.url == DETAIL
    page = main_text(client.get(DETAIL))
    assert f"Report {report.tracking_number}" in page
    assert "Status Received" in page
    assert "Theft" in page


@pytest.mark.parametrize(
    ("typed_number", "typed_email"),
    [
        pytest.param(
            lambda n: n.lower().replace("-", ""),
            "Ana.Lopez@example.org",
            id="lowercase-without-dashes",
        ),
        pytest.param(
            lambda n: " " + n.replace("-", " ") + " ",
            "Ana.Lopez@example.org",
            id="spaces-for-dashes",
        ),
        pytest.param(
            lambda n: n.removeprefix("ER-"), "Ana.Lopez@example.org", id="without-the-ER-prefix"
        ),
        pytest.param(lambda n: n, "ANA.LOPEZ@EXAMPLE.ORG", id="email-in-capitals"),
    ],
)
def test_tracking_number_and_email_are_read_the_way_people_type_them(
    client, report, typed_number, typed_email
):
    response = look_up(client, typed_number(report.tracking_number), typed_email)

    assert response.url == DETAIL
    assert report.tracking_number in main_text(client.get(DETAIL))


def _unknown_but_well_formed(report) -> str:
    number = tracking.generate()
    while number == report.tracking_number:
        number = tracking.generate()
    return number


@pytest.mark.parametrize(
    ("typed_number", "typed_email"),
    [
        pytest.param(lambda r: r.tracking_number, "someone.else@example.org", id="wrong-email"),
        pytest.param(_unknown_but_well_formed, "Ana.Lopez@example.org", id="unknown-number"),
        pytest.param(
            lambda r: r.tracking_number[:-1] + ("A" if r.tracking_number[-1] != "A" else "B"),
            "Ana.Lopez@example.org",
            id="wrong-check-character",
        ),
        pytest.param(lambda r: "ER-1234", "Ana.Lopez@example.org", id="malformed-number"),
    ],
)
def test_failed_lookups_all_get_the_same_message(client, report, typed_number, typed_email):
    response = look_up(client, typed_number(report), typed_email)

    assert response.status_code == 200
    assert error_summary(response) == [("error-summary", NOT_FOUND)]
    assert main_text(response).count(NOT_FOUND) == 2
    assert client.get(DETAIL).url == STATUS


def test_empty_lookup_asks_for_both_answers(client):
    response = client.post(STATUS, {"tracking_number": "", "email": ""})

    assert field_error(response, "id_tracking_number") == "Enter your tracking number."
    assert field_error(response, "id_email") == "Enter your email address."


def test_looking_the_same_report_up_again_writes_no_session(client, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    look_up(client, report.tracking_number, "ana.lopez@example.org")
    with CaptureQueriesContext(connection) as queries:
        response = look_up(client, report.tracking_number, "ana.lopez@example.org")

    assert response.status_code == 302
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("url", [DETAIL, ADD])
def test_status_pages_without_a_lookup_send_to_the_lookup(client, url):
    ReportFactory()

    response = client.get(url)

    assert response.url == STATUS


@pytest.mark.parametrize("url", [DETAIL, ADD])
def test_status_pages_after_a_failed_lookup_send_to_the_lookup(client, report, url):
    look_up(client, report.tracking_number, "someone.else@example.org")

    response = client.get(url)

    assert response.url == STATUS


def test_looking_up_one_report_never_shows_another(client, report):
    other = ReportFactory(reporter_email="other@example.org", report_type="harassment")
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    page = main_text(client.get(DETAIL))
    form_page = main_text(client.get(ADD))

    assert report.tracking_number in page
    assert other.tracking_number not in page
    assert "Harassment" not in page
    assert other.tracking_number not in form_page


def test_lookup_in_one_browser_gives_no_access_in_another(client, report):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")
    stranger = Client()

    assert stranger.get(DETAIL).url == STATUS
    assert stranger.post(ADD, {"narrative": "Something else"}).url == STATUS
    assert not Supplement.objects.exists()


# --- Adding information --------------------------------------------------------------


def test_added_information_is_kept_beside_the_original_statement(client, report):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "I found the serial number: WTU123456."})

    assert response.url == DETAIL
    supplement = Supplement.objects.get(report=report)
    assert supplement.narrative == "I found the serial number: WTU123456."
    assert supplement.created_at is not None
    report.refresh_from_db()
    assert report.narrative == ORIGINAL
    assert report.version == 2


def test_added_information_is_confirmed_on_the_status_page(client, report):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "The bike had a red bell."}, follow=True)

    page = main_text(response)
    assert "Thank you. We added your information to the report." in page
    assert "You added information" in page or "Information you added" in page


def test_each_addition_raises_the_version_again(client, report):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    client.post(ADD, {"narrative": "First addition."})
    client.post(ADD, {"narrative": "Second addition."})

    report.refresh_from_db()
    assert report.version == 3
    assert list(Supplement.objects.values_list("narrative", flat=True)) == [
        "First addition.",
        "Second addition.",
    ]


def test_empty_addition_is_refused_with_a_message(client, report):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "  "})

    assert ("id_narrative", "Write what you would like to add.") in error_summary(response)
    assert not Supplement.objects.exists()


def test_addition_with_a_photo_stores_it_privately_with_the_supplement(
    client, report, private_storage
):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "Photo of the receipt.", "file": jpeg_upload()})

    assert response.url == DETAIL
    attachment = Attachment.objects.get(report=report)
    assert attachment.supplement == Supplement.objects.get(report=report)
    assert attachment.display_name == "receipt.jpg"
    assert attachment.file.name.startswith("attachments/")
    assert default_storage.exists(attachment.file.name)
    assert (private_storage / attachment.file.name).is_file()
    assert not list((private_storage / "wizard-tmp").glob("*"))


def test_addition_with_a_file_that_is_not_a_photo_is_refused(client, report, private_storage):
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")
    svg = SimpleUploadedFile("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')

    response = client.post(ADD, {"narrative": "A map.", "file": svg})

    assert response.status_code == 200
    message = (
        "map.svg is not a JPEG, PNG, WebP or PDF file. Upload a photo or picture in one of "
        "those types, or a PDF."
    )
    assert field_error(response, "id_file") == message
    assert ("id_file", message) in error_summary(response)
    assert not Supplement.objects.exists()
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize("status", ["approved", "rejected", "duplicate", "closed"])
def test_closed_report_takes_no_more_information(client, report, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "Late addition."}, follow=True)

    assert response.redirect_chain[-1][0] == DETAIL
    assert CLOSED in main_text(response)
    assert "Add information to this report" not in main_text(response)
    assert not Supplement.objects.exists()
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize("status", ["in_review", "needs_info"])
def test_report_still_open_takes_more_information(client, report, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")

    response = client.post(ADD, {"narrative": "More details."})

    assert response.url == DETAIL
    assert Supplement.objects.filter(report=report).count() == 1


def test_supplement_goes_to_the_report_looked_up_last(client, report):
    other = ReportFactory(reporter_email="Ana.Lopez@example.org")
    look_up(client, report.tracking_number, "Ana.Lopez@example.org")
    look_up(client, other.tracking_number, "Ana.Lopez@example.org")

    client.post(ADD, {"narrative": "For the second report."})

    assert list(Supplement.objects.values_list("report", flat=True)) == [other.pk]


def test_a_lookup_gives_the_browser_a_new_session_key_and_the_old_one_sees_nothing(client, report):
    client.get(STATUS)
    client.session.save()  # the key a fixation attack would have planted
    planted = client.session.session_key

    response = look_up(client, report.tracking_number, "ana.lopez@example.org")
    renewed = client.session.session_key
    look_up(client, report.tracking_number, "ana.lopez@example.org")

    assert response.status_code == 302
    assert renewed != planted
    assert client.session.session_key == renewed  # the same report again: no new key
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(DETAIL).status_code == 302  # sent to the lookup, not the status
