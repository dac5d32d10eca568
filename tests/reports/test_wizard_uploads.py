"""Photos and documents on the wizard's attachments step: added one at a time, checked,
cleaned of metadata, removable, and moved to private storage when the report is filed."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from reports.copies import pdf
from reports.models import Attachment, Report
from tests.reports.wizard_data import (
    answer_steps,
    error_summary,
    main_text,
    start_report,
    step_post,
    step_url,
    visible_text,
)

pytestmark = pytest.mark.django_db


def attachments(client) -> str:
    return step_url(client, "theft", "attachments")


GPS_IFD = 0x8825
MAKE = 0x010F


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
def at_attachments(client, private_storage):
    start_report(client, "theft")
    answer_steps(client, "theft", until="attachments")
    return client


# --- Files, built in memory ----------------------------------------------------------


def jpeg_bytes(*, gps: bool = False, size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[MAKE] = "Camera maker"
        exif[GPS_IFD] = {1: "N", 2: (44.0, 58.0, 12.5), 3: "W", 4: (93.0, 15.0, 30.0)}
    Image.new("RGB", size, "red").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def noisy_png_bytes() -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("RGB", (64, 64), bytes(rng.randrange(256) for _ in range(64 * 64 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, name: str, content: bytes):
    data = step_post("theft", "attachments") | {
        "upload": SimpleUploadedFile(name, content),
        "upload_only": "1",
    }
    return client.post(attachments(client), data)


def temp_files(root) -> list:
    return sorted((root / "wizard-tmp").glob("*"))


def listed_files(response) -> str:
    content = response.content.decode()
    if "ereport-uploads" not in content:
        return ""
    return content.split('class="usa-list usa-list--unstyled ereport-uploads">')[1].split("</ul>")[
        0
    ]


def beside_the_field(response) -> str | None:
    """The error shown with the file input."""
    match = re.search(
        r'<span class="usa-error-message" id="upload-error">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return visible_text(match.group(1)) if match else None


def remove_buttons(response) -> list[str]:
    return re.findall(r'name="remove_upload" value="([^"]*)"', response.content.decode())


def finish(client):
    for step in ("attachments", "review", "declaration"):
        response = client.post(step_url(client, "theft", step), step_post("theft", step))
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    return response


# --- Adding files --------------------------------------------------------------------


def test_uploaded_file_is_listed_on_the_step_by_its_cleaned_name(at_attachments, private_storage):
    response = upload(at_attachments, "C:\\Users\\ana\\Bike photo #1.JPG", jpeg_bytes())

    assert response.url == attachments(at_attachments)
    page = at_attachments.get(attachments(at_attachments))
    assert "Bike photo 1.jpg" in listed_files(page)
    assert "Users" not in listed_files(page)
    assert len(temp_files(private_storage)) == 1


def test_uploaded_file_is_stored_under_a_random_name(at_attachments, private_storage):
    upload(at_attachments, "my-address-photo.jpg", jpeg_bytes())

    [stored] = temp_files(private_storage)

    assert "address" not in stored.name
    assert stored.suffix == ".jpg"


def test_uploaded_file_is_shown_on_the_review(at_attachments):
    upload(at_attachments, "receipt.png", noisy_png_bytes())
    at_attachments.post(attachments(at_attachments), step_post("theft", "attachments"))

    review = main_text(at_attachments.get(step_url(at_attachments, "theft", "review")))

    assert "receipt.png" in review


def test_markup_in_a_file_name_is_never_rendered(at_attachments):
    upload(at_attachments, '<img src=x onerror="alert(1)">.jpg', jpeg_bytes())

    page = at_attachments.get(attachments(at_attachments))

    assert "<img src=x" not in page.content.decode()
    assert "img srcx onerroralert(1).jpg" in listed_files(page)


def test_photo_location_is_removed_before_the_photo_is_kept(at_attachments, private_storage):
    original = jpeg_bytes(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()

    upload(at_attachments, "bike.jpg", original)
    finish(at_attachments)

    attachment = Attachment.objects.get()
    with default_storage.open(attachment.file.name, "rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        exif = stored.getexif()
    assert stored.format == "JPEG"
    assert GPS_IFD not in exif
    assert MAKE not in exif
    assert len(exif) == 0
    assert b"Camera maker" not in (private_storage / attachment.file.name).read_bytes()


# --- Refused files: a clear message in the summary and next to the field --------------

REFUSED = [
    pytest.param(
        "invoice.jpg",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500,
        "invoice.jpg is not a JPEG, PNG, WebP or PDF file. Upload a photo or picture in one "
        "of those types, or a PDF.",
        id="executable-renamed-jpg",
    ),
    pytest.param(
        "map.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "map.svg is not a JPEG, PNG, WebP or PDF file. Upload a photo or picture in one of "
        "those types, or a PDF.",
        id="svg",
    ),
    pytest.param(
        "big.jpg",
        b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024),
        "big.jpg is larger than 10 MB. Make it smaller (for example, send the photo at a "
        "smaller size) and upload it again.",
        id="11-MB",
    ),
    pytest.param(
        "photo.png",
        jpeg_bytes(),
        "The name of photo.png does not match what is in it: it is a JPEG file, so its name "
        "should end in .jpg. Rename it and upload it again.",
        id="jpeg-named-png",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_refused_file_is_explained_in_the_error_summary_and_beside_the_field(
    at_attachments, private_storage, name, content, message
):
    response = upload(at_attachments, name, content)

    assert response.status_code == 200
    assert ("upload", message) in error_summary(response)
    assert beside_the_field(response) == message
    assert temp_files(private_storage) == []
    assert listed_files(response) == ""


TRUNCATED_MESSAGE = (
    "scan.png could not be opened. It may be damaged or only partly saved. Open it on your "
    "device to check it, then upload it again."
)


def test_truncated_png_is_refused(at_attachments, private_storage, monkeypatch):
    # Pillow's own default, as in a web process that has not loaded the PDF renderer.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)

    response = upload(at_attachments, "scan.png", noisy_png_bytes()[:6000])

    assert ("upload", TRUNCATED_MESSAGE) in error_summary(response)
    assert beside_the_field(response) == TRUNCATED_MESSAGE
    assert temp_files(private_storage) == []


def test_truncated_png_is_refused_after_the_pdf_renderer_was_loaded(
    at_attachments, private_storage
):
    # Rendering a case copy loads WeasyPrint into the process: in the Celery worker, and in
    # the web process itself whenever Celery runs eagerly (no broker configured).
    pdf._weasyprint()

    response = upload(at_attachments, "scan.png", noisy_png_bytes()[:6000])

    assert ("upload", TRUNCATED_MESSAGE) in error_summary(response)
    assert temp_files(private_storage) == []


def test_sixth_file_is_refused(at_attachments, private_storage):
    for n in range(5):
        assert upload(at_attachments, f"photo{n}.jpg", jpeg_bytes()).status_code == 302

    response = upload(at_attachments, "photo5.jpg", jpeg_bytes())

    assert (
        "upload",
        "You can add up to 5 files to a report. Remove one to add another.",
    ) in error_summary(response)
    assert len(temp_files(private_storage)) == 5
    assert "photo5.jpg" not in listed_files(response)


def test_after_five_files_the_step_says_that_is_the_most(at_attachments):
    for n in range(5):
        upload(at_attachments, f"photo{n}.jpg", jpeg_bytes())

    page = at_attachments.get(attachments(at_attachments))

    assert "You have added 5 files, the most you can add." in main_text(page)
    assert 'name="upload"' not in page.content.decode()


def test_refused_file_keeps_the_files_already_added(at_attachments):
    upload(at_attachments, "first.jpg", jpeg_bytes())

    response = upload(at_attachments, "map.svg", b"<svg/>")

    assert "first.jpg" in listed_files(response)


# --- Removing files --------------------------------------------------------------------


def test_remove_takes_the_file_off_the_list_and_deletes_it(at_attachments, private_storage):
    upload(at_attachments, "keep.jpg", jpeg_bytes())
    upload(at_attachments, "remove-me.jpg", jpeg_bytes())
    page = at_attachments.get(attachments(at_attachments))
    keep_name, remove_name = remove_buttons(page)

    response = at_attachments.post(
        attachments(at_attachments),
        step_post("theft", "attachments") | {"remove_upload": remove_name},
    )

    assert response.url == attachments(at_attachments)
    listed = listed_files(at_attachments.get(attachments(at_attachments)))
    assert "keep.jpg" in listed
    assert "remove-me.jpg" not in listed
    assert not default_storage.exists(remove_name)
    assert default_storage.exists(keep_name)
    assert len(temp_files(private_storage)) == 1


def test_remove_cannot_delete_a_file_that_is_not_one_of_this_reports_uploads(
    at_attachments, private_storage
):
    someone_elses = default_storage.save("attachments/2025/01/theirs.jpg", io.BytesIO(b"x"))

    at_attachments.post(
        attachments(at_attachments),
        step_post("theft", "attachments") | {"remove_upload": someone_elses},
    )

    assert default_storage.exists(someone_elses)


# --- After filing ------------------------------------------------------------------------


def test_filed_report_keeps_its_files_privately_under_attachments(at_attachments, private_storage):
    upload(at_attachments, "bike.jpg", jpeg_bytes())
    upload(at_attachments, "receipt.png", noisy_png_bytes())

    response = finish(at_attachments)

    assert response.url == reverse("reports:confirmation")
    report = Report.objects.get()
    attachments = list(Attachment.objects.filter(report=report).order_by("display_name"))
    assert [(a.display_name, a.content_type) for a in attachments] == [
        ("bike.jpg", "image/jpeg"),
        ("receipt.png", "image/png"),
    ]
    for attachment in attachments:
        assert attachment.file.name.startswith("attachments/")
        assert (private_storage / attachment.file.name).is_file()
        assert attachment.size == (private_storage / attachment.file.name).stat().st_size
    assert temp_files(private_storage) == []


def test_filed_report_without_files_has_no_attachments(at_attachments):
    finish(at_attachments)

    assert not Attachment.objects.exists()


def test_private_storage_is_the_configured_private_root(settings):
    assert settings.PRIVATE_STORAGE_ROOT
    assert str(default_storage.location) == str(settings.PRIVATE_STORAGE_ROOT)


def test_trap_after_uploading_deletes_the_uploaded_files(client, private_storage):
    start_report(client, "theft")
    answer_steps(client, "theft", until="attachments")
    upload(client, "bike.jpg", jpeg_bytes())
    assert len(temp_files(private_storage)) == 1
    change = step_url(client, "theft", "theft_details") + "?return=review"

    response = client.post(
        change,
        step_post(
            "theft",
            "theft_details",
            {
                "theft_kind": "bicycle",
                "entered_building": "yes",
                "force_or_threat": "no",
            },
        ),
    )

    assert response.url == reverse("screening:result")
    assert temp_files(private_storage) == []
