"""The agency as residents meet it, from its policy: its name on every page, email and
case copy, its logo in the header and on the copies, and the crisis words it adds."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reports.copies.pdf import render_case_copy
from reports.filing import crisis
from reports.models import Report
from screening import policy_store
from screening.models import AgencySettings
from screening.policy import LOGO_MAX_BYTES, PolicyError, policy_from_document
from tests.factories import ReportFactory
from tests.reports.wizard_data import file_report
from tests.screening.test_policy_store import (
    MINNEAPOLIS,
    admin_post,
    export,
    import_file,
    supervisor_client,
    text_of,
    words_post,
)


def image(kind: str, size: tuple[int, int] = (8, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 51, 102)).save(out, kind)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
SAINT_PAUL_NAME = {
    "en": "Saint Paul Police Department",
    "es": "Departamento de Policía de Saint Paul",
}


def data_address(raw: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64," + base64.b64encode(raw).decode()


@pytest.fixture
def in_force(django_capture_on_commit_callbacks):
    """Put a policy with the given [agency] settings in force, as an import would."""

    def put(**agency):
        with django_capture_on_commit_callbacks(execute=True):
            return policy_store.document_import({"agency": agency})

    return put


# --- the agency's name ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/screening/", "/privacy/", "/status/"])
def test_the_agencys_name_in_the_policy_is_on_every_resident_page(client, in_force, url):
    in_force(name=SAINT_PAUL_NAME)

    page = client.get(url, follow=True)

    content = page.content.decode()
    assert page.status_code == 200
    assert "Saint Paul Police Department" in content
    assert "Minneapolis Police Department" not in content


@pytest.mark.django_db
def test_the_agencys_name_is_said_in_the_residents_language(client, in_force):
    in_force(name=SAINT_PAUL_NAME)
    client.get(reverse("switch_language", args=["es"]), {"next": "/"})

    assert "Departamento de Policía de Saint Paul" in client.get("/").content.decode()
    client.get(reverse("switch_language", args=["so"]), {"next": "/"})
    # No Somali name written: the English one.
    assert "Saint Paul Police Department" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_confirmation_email_is_signed_with_the_agencys_name(
    client, in_force, mailoutbox, django_capture_on_commit_callbacks
):
    in_force(name=SAINT_PAUL_NAME)

    with django_capture_on_commit_callbacks(execute=True):
        file_report(client, "theft")

    assert len(mailoutbox) == 1
    assert "Saint Paul Police Department" in mailoutbox[0].body
    assert "Minneapolis Police Department" not in mailoutbox[0].body


def copy_of(report: Report) -> PdfReader:
    content = render_case_copy(
        report,
        version=1,
        verification_code="ABCD-EFGH",
        context={"machine_readable": {}, "type_label": "Theft"},
    )
    return PdfReader(io.BytesIO(content))


@pytest.mark.django_db
def test_the_case_copy_carries_the_agencys_name_and_logo(in_force):
    in_force(name=SAINT_PAUL_NAME, logo=data_address(PNG))

    reader = copy_of(ReportFactory())

    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Saint Paul Police Department" in text
    assert reader.metadata.author == "Saint Paul Police Department"
    assert any(page.images for page in reader.pages)


@pytest.mark.django_db
def test_with_no_logo_the_case_copy_has_no_image():
    reader = copy_of(ReportFactory())

    assert "Minneapolis Police Department" in reader.pages[0].extract_text()
    assert not any(page.images for page in reader.pages)


# --- the agency's logo ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_the_agencys_logo_is_in_the_header_and_served_for_good(client, in_force, raw, kind):
    in_force(name=SAINT_PAUL_NAME, logo=data_address(raw, kind))
    address = reverse("screening:agency_logo", args=[policy_store.current_policy().logo_token])

    home = client.get("/").content.decode()
    logo = client.get(address)

    assert f'<img class="ereport-header__logo" src="{address}" alt="">' in home
    assert logo.status_code == 200
    assert logo["Content-Type"] == kind
    assert logo.content == raw
    assert "immutable" in logo["Cache-Control"]


@pytest.mark.django_db
def test_an_old_logo_address_leads_to_the_logo_in_force(client, in_force):
    in_force(logo=data_address(PNG))
    first = policy_store.current_policy().logo_token
    in_force(name=SAINT_PAUL_NAME, logo=data_address(PNG))
    # Another version with the same image: the same address (browsers keep it).
    assert policy_store.current_policy().logo_token == first
    in_force(logo=data_address(JPEG, "image/jpeg"))
    second = policy_store.current_policy().logo_token

    response = client.get(reverse("screening:agency_logo", args=[first]))

    assert second != first
    assert response.status_code == 302
    assert response.url == reverse("screening:agency_logo", args=[second])


@pytest.mark.django_db
def test_with_no_logo_the_header_has_none_and_its_address_is_not_found(client, in_force):
    in_force(name=SAINT_PAUL_NAME)

    assert "ereport-header__logo" not in client.get("/").content.decode()
    assert (
        client.get(reverse("screening:agency_logo", args=["0123456789abcdef"])).status_code == 404
    )


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        pytest.param(data_address(b"GIF89a\x01\x00"), "not a PNG or JPEG", id="a GIF"),
        pytest.param(data_address(PNG[:40]), "not a PNG or JPEG", id="a cut-off PNG"),
        pytest.param(
            data_address(b"\xff\xd8\xff" + b"not really"), "not a PNG or JPEG", id="a fake JPEG"
        ),
        pytest.param(data_address(image("PNG", (2001, 1))), "at most 2000 pixels", id="too wide"),
        pytest.param("https://example.org/logo.png", "data: address", id="an address"),
        pytest.param("data:image/png;base64,***", "data: address", id="not base64"),
        pytest.param(data_address(PNG + b"\0" * LOGO_MAX_BYTES), "at most 100 KB", id="too large"),
        pytest.param(42, "data: address", id="a number"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(logo, message):
    with pytest.raises(PolicyError) as refused:
        policy_from_document({"agency": {"logo": logo}})

    assert refused.value.path == ("agency", "logo")
    assert message in refused.value.message


@pytest.mark.django_db
def test_a_supervisor_uploads_a_logo_and_then_removes_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()
    supervisor = supervisor_client()
    page = reverse("admin:screening_agencysettings_change", args=[settings.pk])

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = supervisor.post(
            page,
            {
                **admin_post(settings, types={}, banned=[]),
                "logo_file": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
            },
        )
    assert uploaded.status_code == 302, uploaded.content.decode()[:3000]
    assert policy_store.current_policy().logo_image == ("image/png", PNG)
    assert "A PNG image of 1 KB." in text_of(supervisor.get(page))

    with django_capture_on_commit_callbacks(execute=True):
        removed = supervisor.post(
            page, {**admin_post(settings, types={}, banned=[]), "logo_remove": "on"}
        )
    assert removed.status_code == 302
    assert policy_store.current_policy().logo == ""


@pytest.mark.django_db
def test_the_admin_refuses_a_logo_that_is_not_an_image_and_saves_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()

    response = supervisor_client().post(
        reverse("admin:screening_agencysettings_change", args=[settings.pk]),
        {
            **admin_post(settings, types={}, banned=[]),
            "logo_file": SimpleUploadedFile("logo.svg", b"<svg/>", content_type="image/svg+xml"),
        },
    )

    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()
    assert policy_store.current_policy().version == 1


# --- the agency's crisis words --------------------------------------------------------------


def test_the_agencys_crisis_words_are_recognised_in_any_case_and_as_whole_words():
    somali = ("waan is dili doonaa",)

    assert crisis.mentions_crisis("Waan  is DILI doonaa, they took my bike", somali)
    assert not crisis.mentions_crisis("waan is dili doonaa", ())
    assert not crisis.mentions_crisis("waan is dili doonaayaa", somali)
    # The built-in phrases still count.
    assert crisis.mentions_crisis("I want to die", somali)


@pytest.mark.django_db
def test_a_narrative_with_the_agencys_crisis_words_flags_the_report(
    client, in_force, django_capture_on_commit_callbacks
):
    in_force(crisis_words={"so": ["waan is dili doonaa"]})
    narrative = "Baaskiilkayga waa la xaday. Waan is dili doonaa."

    with django_capture_on_commit_callbacks(execute=True):
        file_report(client, "harassment", {"narrative": {"narrative": narrative}})

    assert Report.objects.get().crisis_flag is True


@pytest.mark.django_db
def test_a_supervisor_adds_crisis_words_in_a_language_without_english(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client().post(
            reverse("admin:screening_agencysettings_change", args=[settings.pk]),
            {
                **admin_post(settings, types={}, banned=[]),
                **words_post("crisis_words", {"hmn": "kuv yuav tua kuv\n\nkuv xav tuag"}),
            },
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert policy_store.current_policy().crisis_words == (
        ("hmn", ("kuv yuav tua kuv", "kuv xav tuag")),
    )
    assert 'crisis_words = { hmn = ["kuv yuav tua kuv", "kuv xav tuag"] }' in export()


@pytest.mark.parametrize(
    ("words", "path"),
    [
        pytest.param({"xx": ["a"]}, ("agency", "crisis_words"), id="an unknown language"),
        pytest.param({"en": "want to die"}, ("agency", "crisis_words", "en"), id="not a list"),
        pytest.param({"en": [""]}, ("agency", "crisis_words", "en"), id="an empty phrase"),
        pytest.param(
            {"so": ["\u0301", "?!"]}, ("agency", "crisis_words", "so"), id="marks, no letters"
        ),
        pytest.param(
            {"en": [f"phrase {n}" for n in range(201)]}, ("agency", "crisis_words"), id="too many"
        ),
    ],
)
def test_crisis_words_that_cannot_be_used_are_refused(words, path):
    with pytest.raises(PolicyError) as refused:
        policy_from_document({"agency": {"crisis_words": words}})

    assert refused.value.path == path


def test_a_phrase_with_no_letter_never_flags_a_narrative():
    assert not crisis.mentions_crisis("They took my bike. Then they left.", ("\u0301", "."))


def test_a_saved_versions_logo_is_not_decoded_again_when_it_is_read():
    # Read whole when it was saved; read back, only its kind is checked, so a page never
    # fails on an image (say, after a Pillow upgrade).
    only_starts_like_a_jpeg = data_address(b"\xff\xd8\xff" + b"not really", "image/jpeg")

    policy = policy_from_document({"agency": {"logo": only_starts_like_a_jpeg}}, stored=True)

    assert policy.logo == only_starts_like_a_jpeg
    with pytest.raises(PolicyError):
        policy_from_document({"agency": {"logo": only_starts_like_a_jpeg}})
