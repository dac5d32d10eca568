"""Output encoding (ASVS V5.3): what residents type is shown back as text everywhere it
appears (review page, emails, status page, officers' page, admin, PDF copy): markup
is escaped, template syntax stays words, and the secret key shows up nowhere."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from reports.models import CaseCopy, Report
from reports.review import workflow
from tests.reports.wizard_data import (
    ROW_STEPS,
    answer_steps,
    start_report,
    step_post,
    step_url,
)
from tests.security import about, body_of, browser, make_staff, signed_in

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
TEMPLATE = "{{ settings.SECRET_KEY }}"
DEBUG_TAG = "{% debug %}"
PAYLOAD = f"{SCRIPT} {TEMPLATE} {DEBUG_TAG}"

OVERRIDES = {
    "about_you": about(SCRIPT, f"{TEMPLATE} {DEBUG_TAG}", "hostile.name@example.org"),
    "narrative": {"narrative": f"Someone took my bike from the rack. {PAYLOAD}"},
    "items": [{**ROW_STEPS["items"][0], "description": f"Black bike {PAYLOAD}"}],
}
SUPPLEMENT = f"I found the receipt. {PAYLOAD}"
CLERK_QUESTION = f"Which rack was it? {PAYLOAD}"


def html_problems(page: str, *, shows_payload: bool = True) -> list[str]:
    problems = []
    if SCRIPT in page:
        problems.append("raw <script> in the HTML")
    if settings.SECRET_KEY in page:
        problems.append("the secret key is on the page")
    if shows_payload:
        if ESCAPED_SCRIPT not in page:
            problems.append("the escaped text is missing (not shown back as text)")
        if TEMPLATE not in page or DEBUG_TAG not in page:
            problems.append("template syntax was not shown as typed")
    return problems


@pytest.fixture
def hostile_report(django_capture_on_commit_callbacks, mailoutbox):
    """A theft whose name, narrative, item, supplement (and the clerk's question) hold
    markup and template syntax, filed and followed up through the real pages; every case
    copy made and every email sent."""
    resident = browser(240)
    start_report(resident, "theft")
    answer_steps(resident, "theft", overrides=OVERRIDES)
    review = resident.get(step_url(resident, "theft", "review"))
    with django_capture_on_commit_callbacks(execute=True):
        filed = resident.post(
            step_url(resident, "theft", "declaration"), step_post("theft", "declaration")
        )
    assert filed["Location"] == reverse("reports:confirmation")
    report = Report.objects.get()

    clerk = make_staff("clerk", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_transition(report=report, actor=clerk, to_status="in_review")
        workflow.report_transition(
            report=report, actor=clerk, to_status="needs_info", message=CLERK_QUESTION
        )
    resident.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": "hostile.name@example.org"},
    )
    status = resident.get(reverse("reports:status_detail"))
    with django_capture_on_commit_callbacks(execute=True):
        added = resident.post(reverse("reports:supplement"), {"narrative": SUPPLEMENT})
    assert added.status_code == 302, added.content.decode()[:2000]
    return {
        "report": Report.objects.get(),
        "review": review,
        "status": status,
        "clerk": clerk,
        "emails": list(mailoutbox),
    }


def pdf_problems(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    words = " ".join(text.split())
    embedded = [b"".join(parts).decode() for parts in reader.attachments.values()]
    problems = []
    if words.count("alert(1)") < 3:
        problems.append("the name, narrative and item are not all in the text")
    if "settings.SECRET_KEY" not in words:
        problems.append("template syntax was not printed as typed")
    if settings.SECRET_KEY in text or settings.SECRET_KEY.encode() in data:
        problems.append("the secret key is in the PDF")
    if len(embedded) != 1 or any(settings.SECRET_KEY in j for j in embedded):
        problems.append("the embedded JSON is missing or holds the secret key")
    elif SCRIPT not in json.dumps(json.loads(embedded[0]), ensure_ascii=False):
        problems.append("the embedded JSON lost what was typed")
    return problems


def test_what_residents_typed_is_stored_as_typed_and_shown_as_text_everywhere(hostile_report):
    report = hostile_report["report"]
    officer = signed_in(make_staff("officer", password=None), 241)
    clerk = signed_in(hostile_report["clerk"], 242)
    officer_page = officer.get(reverse("reports:officer_detail", args=[report.pk]))
    admin_page = clerk.get(reverse("admin:reports_report_change", args=[report.pk]))
    copy = CaseCopy.objects.filter(report=report, state="ready").order_by("-version").first()
    pdf = body_of(officer.get(reverse("reports:officer_copy", args=[report.pk])))

    pages = {
        "review page": hostile_report["review"],
        "status page": hostile_report["status"],
        "officers' page": officer_page,
        "admin report page": admin_page,
    }
    problems = [
        f"{name}: {problem}"
        for name, response in pages.items()
        for problem in html_problems(response.content.decode())
    ]
    problems += [f"case copy: {problem}" for problem in pdf_problems(pdf)]

    assert report.reporter_first_name == SCRIPT
    assert report.reporter_last_name == f"{TEMPLATE} {DEBUG_TAG}"
    assert PAYLOAD in report.narrative
    assert report.supplements.get().narrative == SUPPLEMENT
    assert all(r.status_code == 200 for r in pages.values())
    assert copy.version >= 3  # made after the supplement: shows it too
    assert problems == []
    # Each place shows several of the fields: not one escaped by luck.
    assert officer_page.content.decode().count(ESCAPED_SCRIPT) >= 3
    assert admin_page.content.decode().count(ESCAPED_SCRIPT) >= 4


def test_emails_escape_html_and_hold_no_secret(hostile_report):
    emails = hostile_report["emails"]
    confirmation = next(e for e in emails if "Dear" in e.body and "tracking number" in e.body)

    html_body = confirmation.alternatives[0][0]
    assert len(emails) >= 2  # the confirmation and the clerk's question
    assert f"Dear {SCRIPT}," in confirmation.body  # plain text: shown as typed
    assert f"Dear {ESCAPED_SCRIPT}," in html_body
    for email in emails:
        for part in (email.subject, email.body, *(a[0] for a in email.alternatives)):
            assert settings.SECRET_KEY not in part
        for alternative, _mimetype in email.alternatives:
            assert SCRIPT not in alternative
