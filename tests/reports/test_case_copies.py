"""PDF case copies, with tasks run in-process: what a copy holds, that it is made once per
version, that resident text cannot make the renderer fetch anything, and who can get it
(the public verification page, the resident's session and emailed link, the sweeper)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import re
import secrets
import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, timezone
from freezegun import freeze_time
from pypdf import PdfReader

from reports import tracking
from reports.copies import casefiles, pdf
from reports.filing import services
from reports.models import CaseCopy, Report
from reports.review import workflow
from tests.reports.wizard_data import STEP_DATA, file_report

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "category": "electronics",
        "description": "Silver laptop with a sticker on the lid",
        "brand": "Dell",
        "model": "XPS 13",
        "serial_number": "SN-ALPHA-1001",
        "color": "Silver",
        "quantity": "1",
        "value": "900.00",
    },
    {
        "category": "electronics",
        "description": "Black phone in a green case",
        "brand": "Apple",
        "model": "iPhone 15",
        "serial_number": "SN-BRAVO-2002",
        "color": "Black",
        "quantity": "1",
        "value": "700.00",
    },
    {
        "category": "bicycle",
        "description": "Red road bike",
        "brand": "Trek",
        "model": "Domane",
        "serial_number": "WTU-CHARLIE-3003",
        "color": "Red",
        "quantity": "1",
        "value": "1200.00",
    },
]
SERIALS = [item["serial_number"] for item in ITEMS]
NARRATIVE = STEP_DATA["narrative"]["narrative"]


# --- Helpers ------------------------------------------------------------------------------


def squash(text: str) -> str:
    """White space collapsed: the PDF breaks lines wherever the page needs."""
    return " ".join(text.split())


def read_copy(copy: CaseCopy) -> bytes:
    with default_storage.open(copy.file.name, "rb") as handle:
        return handle.read()


def nospace(text: str) -> str:
    """Without any white space: a long word in a narrow cell breaks where it must."""
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return squash(" ".join(page.extract_text() for page in reader.pages))


def files_of(report: Report) -> list[str]:
    folder = f"casecopies/{report.pk}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


def page_text(response) -> str:
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", main)))


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def file_theft(client, mailoutbox, django_capture_on_commit_callbacks):
    """File a theft through the pages, running what a commit would queue (the copy is
    rendered, the email sent); returns the stored report."""

    def file(overrides=None, *, on=client) -> Report:
        before = set(Report.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = file_report(on, "theft", overrides)
        assert response.url == reverse("reports:confirmation")
        return Report.objects.exclude(pk__in=before).get()

    return file


@pytest.fixture
def file_theft_copy_pending(client):
    """File a theft whose after-commit work never runs: the copy stays pending."""

    def file(overrides=None) -> Report:
        response = file_report(client, "theft", overrides)
        assert response.url == reverse("reports:confirmation")
        return Report.objects.get()

    return file


class Listener:
    """A real listening socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, address = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(address)
            conn.close()

    def seen(self) -> int:
        """How many connections were made, counting any still waiting in the backlog."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.settimeout(0.2)
        try:
            while True:
                conn, address = self.sock.accept()
                self.connections.append(address)
                conn.close()
        except (TimeoutError, OSError):
            pass
        return len(self.connections)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


# --- What a copy holds ------------------------------------------------------------------


def test_filing_a_report_stores_one_ready_copy_of_version_1(file_theft):
    report = file_theft({"items": ITEMS})

    copies = list(CaseCopy.objects.filter(report=report))
    assert len(copies) == 1
    copy = copies[0]
    assert (copy.version, copy.state, copy.error) == (1, "ready", "")
    assert copy.file.name == f"casecopies/{report.pk}/v1.pdf"
    content = read_copy(copy)
    assert content.startswith(b"%PDF-")
    assert copy.size == len(content)
    assert copy.sha256 == hashlib.sha256(content).hexdigest()
    assert copy.verification_code == casefiles.verification_code(report.tracking_number, 1)
    assert files_of(report) == ["v1.pdf"]


def test_copy_shows_tracking_number_narrative_every_serial_and_the_pending_mark(file_theft):
    report = file_theft({"items": ITEMS})

    content = read_copy(CaseCopy.objects.get(report=report))
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)

    assert len(reader.pages) >= 1
    assert report.tracking_number in text
    assert squash(NARRATIVE) in text
    for serial in SERIALS:
        assert serial in nospace(text)
    assert "Submitted online — pending review" in text
    assert f"Verification code: {casefiles.verification_code(report.tracking_number, 1)}" in text


def test_copy_shows_the_screening_questions_and_answers_in_words_never_stored_codes(
    file_theft,
):
    report = file_theft({"items": ITEMS})

    text = pdf_text(read_copy(CaseCopy.objects.get(report=report)))

    assert "Is the crime happening right now? No" in text
    assert "Resident's language English" in text
    assert "(612) 555" in text  # the phone as it is dialled, not +1612555…
    for code in ("in_progress", "major_crime", "officer_needed", "report_type", "+1612"):
        assert code not in text


def test_copy_is_in_english_even_when_made_during_a_spanish_request(file_theft):
    from django.utils import translation

    report = file_theft({"items": ITEMS})
    Report.objects.filter(pk=report.pk).update(version=2)
    CaseCopy.objects.create(report=report, version=2, requested_at=timezone.now())

    with translation.override("es"):
        copy = casefiles.casefile_render(report_id=str(report.pk), version=2)

    text = pdf_text(read_copy(copy))
    assert "Is the crime happening right now? No" in text
    assert "Resident's language English" in text


def test_copy_is_pdf_a_3b_with_an_output_intent(file_theft):
    report = file_theft({"items": ITEMS})

    reader = PdfReader(io.BytesIO(read_copy(CaseCopy.objects.get(report=report))))
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()

    assert re.search(r"""pdfaid:part(="|>)3""", xmp)
    assert re.search(r"""pdfaid:conformance(="|>)B""", xmp)
    assert "/OutputIntents" in catalog
    assert len(catalog["/OutputIntents"]) >= 1


def test_copy_embeds_the_report_as_json_matching_the_database(file_theft):
    report = file_theft({"items": ITEMS})

    reader = PdfReader(io.BytesIO(read_copy(CaseCopy.objects.get(report=report))))
    attachments = reader.attachments
    name = f"{report.tracking_number}.json"

    assert list(attachments) == [name]
    data = json.loads(attachments[name][0])
    report.refresh_from_db()
    assert data["tracking_number"] == report.tracking_number
    assert data["narrative"] == report.narrative
    assert data["version"] == 1
    stored_serials = list(report.items.order_by("position").values_list("serial_number", flat=True))
    assert [item["serial_number"] for item in data["items"]] == stored_serials == SERIALS


# --- Once per version ---------------------------------------------------------------------


def test_rendering_a_ready_version_again_stores_nothing_new(file_theft):
    report = file_theft({"items": ITEMS})
    before = CaseCopy.objects.get(report=report)
    content_before = read_copy(before)

    again = casefiles.casefile_render(report_id=str(report.pk), version=1)

    after = CaseCopy.objects.get(report=report)
    assert again.pk == before.pk
    assert (after.file.name, after.sha256, after.rendered_at) == (
        before.file.name,
        before.sha256,
        before.rendered_at,
    )
    assert read_copy(after) == content_before
    assert files_of(report) == ["v1.pdf"]


def test_supplement_bumps_the_version_and_makes_a_second_copy_next_to_the_first(
    file_theft, django_capture_on_commit_callbacks
):
    report = file_theft({"items": ITEMS})
    v1 = CaseCopy.objects.get(report=report, version=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.supplement_add(report=report, narrative="I found the receipt for the laptop.")

    report.refresh_from_db()
    assert report.version == 2
    copies = {c.version: c for c in CaseCopy.objects.filter(report=report)}
    assert set(copies) == {1, 2}
    assert copies[1].sha256 == v1.sha256
    assert copies[2].state == "ready"
    assert copies[2].file.name == f"casecopies/{report.pk}/v2.pdf"
    assert files_of(report) == ["v1.pdf", "v2.pdf"]
    v2_text = pdf_text(read_copy(copies[2]))
    assert "I found the receipt for the laptop." in v2_text
    assert "copy version 2" in v2_text
    assert "I found the receipt" not in pdf_text(read_copy(copies[1]))


def test_a_file_left_by_a_render_that_died_before_its_commit_is_not_doubled(
    file_theft_copy_pending,
):
    # A worker killed between writing the file and committing the row leaves the file
    # behind with the row still pending; the retry must still end with one file.
    report = file_theft_copy_pending()
    default_storage.save(f"casecopies/{report.pk}/v1.pdf", ContentFile(b"%PDF-1.7 partial"))

    copy = casefiles.casefile_render(report_id=str(report.pk), version=1)

    assert copy.state == "ready"
    assert files_of(report) == ["v1.pdf"]
    assert copy.file.name == f"casecopies/{report.pk}/v1.pdf"
    assert hashlib.sha256(read_copy(copy)).hexdigest() == copy.sha256


def test_a_late_render_of_a_superseded_version_does_not_store_newer_content_as_it(
    file_theft_copy_pending, django_capture_on_commit_callbacks
):
    # The broker was down when the report was filed (v1 pending), the resident then added
    # information (v2 made), and the sweeper re-queues v1. casefile_render's contract: it
    # "does nothing when ... the report has moved on to a newer version".
    report = file_theft_copy_pending()
    with django_capture_on_commit_callbacks(execute=True):
        services.supplement_add(report=report, narrative="Added later: the thief wore a cap.")

    casefiles.casefile_render(report_id=str(report.pk), version=1)

    v1 = CaseCopy.objects.get(report=report, version=1)
    shown_as_v1 = pdf_text(read_copy(v1)) if v1.state == "ready" else ""
    assert "Added later: the thief wore a cap." not in shown_as_v1, (
        "the copy labelled version 1 (with version 1's verification code) shows what the "
        "resident added in version 2"
    )
    assert v1.state != "ready"
    assert files_of(report) == ["v2.pdf"]


# --- Resident text never makes the renderer fetch anything --------------------------------


def test_markup_in_the_narrative_is_printed_as_text_and_fetches_nothing(file_theft, listener):
    port = listener.port
    narrative = (
        f'My bike was stolen. <img src="http://127.0.0.1:{port}/x.png"> '
        '<link rel=stylesheet href="file:///etc/passwd"> '
        f"<style>body{{background:url(http://127.0.0.1:{port}/bg)}}</style> "
        "{{ request }} {% debug %}"
    )

    report = file_theft({"narrative": {"narrative": narrative}})

    copy = CaseCopy.objects.get(report=report)
    assert copy.state == "ready"
    text = pdf_text(read_copy(copy))
    assert "<img src=" in text
    assert nospace(narrative) in nospace(text)
    assert "{{ request }}" in text
    assert "root:" not in text
    assert listener.seen() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://127.0.0.1:{port}/x.png",
        "https://example.com/",
        "file:///etc/passwd",
        "ftp://x/file.txt",
        "gopher://127.0.0.1:{port}/",
        "file://127.0.0.1:{port}/etc/passwd",
        "file://{base}/static/pdf/../../ereport/settings.py",
        "file://{base}/static/pdf/%2e%2e/%2e%2e/ereport/settings.py",
        "file://{base}/ereport/settings.py",
        "file://{base}/static/pdf/no-such-file.css",
    ],
)
def test_fetcher_refuses_everything_but_our_pdf_assets(listener, url):
    target = url.format(port=listener.port, base=settings.BASE_DIR)

    with pytest.raises(Exception, match=r"refused|disallowed"):
        pdf.url_fetcher().fetch(target)

    assert listener.seen() == 0


def test_fetcher_serves_the_copy_stylesheet():
    css = Path(settings.BASE_DIR) / "static" / "pdf" / "case_copy.css"

    response = pdf.url_fetcher().fetch(css.as_uri())

    try:
        assert response.read() == css.read_bytes()
        assert response.content_type == "text/css"
    finally:
        response.close()


# --- The public verification page ---------------------------------------------------------


def verify(client, code: str):
    return client.post(reverse("reports:verify"), {"code": code})


NOT_FOUND = "We could not find a case copy with that code. Check the code and try again."


def test_code_printed_on_the_copy_shows_a_genuine_copy_and_nothing_personal(file_theft):
    report = file_theft({"items": ITEMS})
    printed = re.search(
        r"Verification code: ([0-9A-Z]{5}-[0-9A-Z]{5})",
        pdf_text(read_copy(CaseCopy.objects.get(report=report))),
    ).group(1)

    response = Client().post(reverse("reports:verify"), {"code": printed})

    text = page_text(response)
    assert "This is a genuine case copy" in text
    assert "Type Theft" in text
    filed_on = formats.date_format(timezone.localtime(report.submitted_at), "DATE_FORMAT")
    assert f"Filed on {filed_on}" in text
    assert f"Status {report.get_status_display()}" in text
    assert "Case number Not yet given" in text
    whole_page = html.unescape(response.content.decode())
    for personal in (
        report.reporter_last_name,
        f"{report.reporter_first_name} {report.reporter_last_name}",
        report.reporter_email,
        report.reporter_email.lower(),
        "555-0123",
        "5550123",
        report.reporter_street,
        report.reporter_zip,
        "1985",
        NARRATIVE[:30],
        SERIALS[0],
    ):
        assert personal not in whole_page, personal


def test_code_typed_in_lowercase_with_spaces_is_recognised(file_theft, client):
    report = file_theft()
    code = casefiles.verification_code(report.tracking_number, 1)

    response = verify(client, "  " + code.lower().replace("-", " ") + " ")

    assert "This is a genuine case copy" in page_text(response)


def test_forged_and_malformed_codes_get_the_same_not_found_answer(file_theft, client):
    report = file_theft()
    real = casefiles.verification_code(report.tracking_number, 1)
    forged = real
    while forged == real:
        chars = "".join(secrets.choice(tracking.ALPHABET) for _ in range(10))
        forged = f"{chars[:5]}-{chars[5:]}"

    answers = [page_text(verify(client, code)) for code in (forged, "NOT-A-CODE!", "12345")]

    for text in answers:
        assert NOT_FOUND in text
        assert "genuine case copy" not in text.replace("Check that a case copy is genuine", "")
    assert answers[0] == answers[1] == answers[2]


def test_code_of_a_copy_made_with_another_secret_key_is_refused(file_theft_copy_pending, client):
    report = file_theft_copy_pending()
    with override_settings(SECRET_KEY="another-server-key-" + "x" * 50):
        copy = casefiles.casefile_render(report_id=str(report.pk), version=1)
        foreign_code = copy.verification_code
        assert foreign_code in pdf_text(read_copy(copy))

    response = verify(client, foreign_code)

    assert foreign_code != casefiles.verification_code(report.tracking_number, 1)
    assert NOT_FOUND in page_text(response)
    assert "This is a genuine case copy" not in page_text(response)


# --- The resident's own copy ---------------------------------------------------------------


def test_confirmation_page_offers_the_ready_copy_and_stops_refreshing(file_theft, client):
    file_theft()

    response = client.get(reverse("reports:confirmation"))

    assert "Download your copy (PDF)" in page_text(response)
    assert "Refresh" not in response.headers


def test_resident_downloads_their_copy_as_a_private_attachment(file_theft, client):
    report = file_theft({"items": ITEMS})
    copy = CaseCopy.objects.get(report=report)

    response = client.get(reverse("reports:confirmation_copy"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{report.tracking_number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(body_of(response)).hexdigest() == copy.sha256


def test_another_browser_gets_neither_the_copy_nor_the_confirmation(file_theft):
    file_theft()
    stranger = Client()

    copy_response = stranger.get(reverse("reports:confirmation_copy"))
    page_response = stranger.get(reverse("reports:confirmation"))

    assert copy_response.status_code == 404
    assert b"%PDF" not in copy_response.content
    assert page_response.status_code == 302
    assert page_response.url == reverse("screening:home")


def test_pending_copy_page_refreshes_itself_a_bounded_number_of_times(
    file_theft_copy_pending, client
):
    report = file_theft_copy_pending()
    assert CaseCopy.objects.get(report=report).state == "pending"
    url = reverse("reports:confirmation")

    first = client.get(url)
    eleventh = client.get(url, {"n": "11"})
    last = client.get(url, {"n": "12"})
    download = client.get(reverse("reports:confirmation_copy"))

    assert "Your copy is being prepared" in page_text(first)
    assert "Download your copy (PDF)" not in page_text(first)
    assert first["Refresh"] == f"5; url={url}?n=1"
    assert eleventh["Refresh"] == f"5; url={url}?n=12"
    assert "Your copy is being prepared" in page_text(last)
    assert "Refresh" not in last.headers
    assert download.status_code == 404


def emailed_copy_path(mailoutbox) -> str:
    assert len(mailoutbox) == 1
    match = re.search(r"https?://[^/\s]+(/report/copy/[^/\s]+/)", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    return match.group(1)


LINK_INVALID = "This link has expired or is not valid"


def test_emailed_link_downloads_the_copy_from_any_browser(file_theft, mailoutbox):
    report = file_theft()
    path = emailed_copy_path(mailoutbox)

    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{report.tracking_number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(body_of(response)).hexdigest() == CaseCopy.objects.get().sha256


def test_tampered_emailed_link_is_refused(file_theft, mailoutbox):
    file_theft()
    path = emailed_copy_path(mailoutbox)
    token = path.split("/")[-2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = Client().get(path.replace(token, tampered))

    assert response.status_code == 404
    assert LINK_INVALID in page_text(response)
    assert not response.headers.get("Content-Disposition")


def test_emailed_link_works_for_a_week_then_expires(file_theft, mailoutbox):
    file_theft()
    path = emailed_copy_path(mailoutbox)
    now = timezone.now()

    with freeze_time(now + dt.timedelta(days=6, hours=23)):
        still_valid = Client().get(path)
    with freeze_time(now + dt.timedelta(days=8)):
        expired = Client().get(path)

    assert still_valid["Content-Type"] == "application/pdf"
    assert expired.status_code == 404
    assert LINK_INVALID in page_text(expired)


def test_emailed_link_to_a_copy_not_made_yet_says_it_is_being_prepared(file_theft_copy_pending):
    report = file_theft_copy_pending()
    path = reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report)])

    response = Client().get(path)

    assert "Your copy is being prepared" in page_text(response)
    assert response["Refresh"] == f"5; url={path}?n=1"


# --- The sweeper ------------------------------------------------------------------------


def age(report: Report, **delta) -> None:
    CaseCopy.objects.filter(report=report).update(
        requested_at=timezone.now() - dt.timedelta(**delta)
    )


def test_sweeper_requeues_a_copy_pending_for_more_than_two_minutes(file_theft_copy_pending):
    report = file_theft_copy_pending()
    age(report, minutes=2, seconds=5)

    queued = casefiles.casefile_sweep()

    copy = CaseCopy.objects.get(report=report)
    assert queued == 1
    assert (copy.state, copy.attempts) == ("ready", 1)
    assert files_of(report) == ["v1.pdf"]


def test_sweeper_leaves_a_fresh_pending_copy_alone(file_theft_copy_pending):
    report = file_theft_copy_pending()
    age(report, minutes=1, seconds=50)

    queued = casefiles.casefile_sweep()

    copy = CaseCopy.objects.get(report=report)
    assert queued == 0
    assert (copy.state, copy.attempts) == ("pending", 0)
    assert files_of(report) == []


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_sweeper_gives_up_on_a_copy_tried_too_often(file_theft_copy_pending, state):
    report = file_theft_copy_pending()
    age(report, hours=1)
    CaseCopy.objects.filter(report=report).update(state=state, attempts=casefiles.MAX_ATTEMPTS)

    queued = casefiles.casefile_sweep()

    copy = CaseCopy.objects.get(report=report)
    assert queued == 0
    assert (copy.state, copy.attempts) == (state, casefiles.MAX_ATTEMPTS)
    assert files_of(report) == []


def test_sweeper_retries_a_failed_copy_below_the_attempt_limit(file_theft_copy_pending):
    report = file_theft_copy_pending()
    age(report, minutes=5)
    CaseCopy.objects.filter(report=report).update(
        state="failed", attempts=casefiles.MAX_ATTEMPTS - 1, error="OSError: disk full"
    )

    queued = casefiles.casefile_sweep()

    copy = CaseCopy.objects.get(report=report)
    assert queued == 1
    assert (copy.state, copy.error, copy.attempts) == ("ready", "", casefiles.MAX_ATTEMPTS)


# --- The queue's copy column ------------------------------------------------------------


def test_the_report_shows_its_new_copy_pending_until_it_is_rendered(file_theft_copy_pending):
    report = file_theft_copy_pending()

    assert Report.objects.get(pk=report.pk).copy_state == "pending"

    casefiles.casefile_render(report_id=str(report.pk), version=1)

    assert Report.objects.get(pk=report.pk).copy_state == "ready"


def test_a_new_version_shows_pending_again_and_a_late_older_render_changes_nothing(
    file_theft_copy_pending,
):
    report = file_theft_copy_pending()
    with transaction.atomic():
        workflow.copies_regenerate(reports=Report.objects.filter(pk=report.pk))

    assert Report.objects.get(pk=report.pk).copy_state == "pending"

    casefiles.casefile_render(report_id=str(report.pk), version=1)  # superseded by v2

    assert Report.objects.get(pk=report.pk).copy_state == "pending"
    casefiles.casefile_render(report_id=str(report.pk), version=2)
    assert Report.objects.get(pk=report.pk).copy_state == "ready"


def test_a_failed_render_shows_failed_on_the_report(file_theft_copy_pending, monkeypatch):
    report = file_theft_copy_pending()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render_case_copy", fail)
    with pytest.raises(OSError):
        casefiles.casefile_render(report_id=str(report.pk), version=1)

    assert Report.objects.get(pk=report.pk).copy_state == "failed"


def test_a_worker_loads_the_renderer_before_its_processes_start_and_each_warms_it():
    from celery.signals import worker_init, worker_process_init

    from reports import tasks

    assert tasks.preload_copy_renderer in [ref() for _key, ref in worker_init.receivers]
    assert tasks.warm_copy_renderer in [ref() for _key, ref in worker_process_init.receivers]


@pytest.mark.parametrize("hook", ["preload_copy_renderer", "warm_copy_renderer"])
def test_a_worker_keeps_what_it_loaded_out_of_the_garbage_collectors_sight(hook, monkeypatch):
    import gc

    from reports import tasks

    monkeypatch.setattr(pdf, "preload", lambda: None)
    monkeypatch.setattr(pdf, "warm", lambda: None)
    gc.unfreeze()
    try:
        getattr(tasks, hook)()
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # this test process goes on collecting as before

    assert frozen > 10000


def test_freezing_collects_start_up_garbage_rather_than_keeping_it_for_good():
    import gc
    import weakref

    from ereport.heap import freeze_loaded_objects

    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage  # only the collector can free a cycle
    left = weakref.ref(garbage)
    del garbage
    was_enabled = gc.isenabled()
    gc.disable()  # no automatic collection frees it before the freeze
    gc.unfreeze()
    try:
        freeze_loaded_objects()
        gone = left() is None
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()

    assert gone


def test_warming_the_renderer_loads_its_fonts_stylesheet_template_and_urls(monkeypatch):
    from django.urls import get_resolver

    pdf._stylesheet.cache_clear()
    rendered = []
    monkeypatch.setattr(pdf, "render_html", lambda html, **kw: rendered.append(html) or b"")

    pdf.warm()  # raises on a missing template, URL, font or stylesheet

    assert pdf._stylesheet.cache_info().currsize == 1
    assert "reports" in get_resolver().namespace_dict
    assert rendered and 'class="code"' in rendered[0]  # the monospace face is laid out too
