"""axe-core (WCAG 2.0/2.1 A and AA) on every distinct page, clean and with errors. Zero
violations allowed; a failure lists each violation with the elements it found."""

from __future__ import annotations

import pytest

from reports.registry import REPORT_TYPES
from tests.e2e import resident
from tests.e2e.axe import AxeAudit

# A step shared by several types is checked with the first type (in the registry's order)
# that asks it; each type's own steps are checked with that type. The check-your-answers
# page is checked for every type: it lists that type's own answers.
_SEEN: set[str] = set()
STEPS_TO_CHECK: dict[str, list[str]] = {}
for _slug, _type in REPORT_TYPES.items():
    STEPS_TO_CHECK[_slug] = [s for s in _type.steps if s not in _SEEN or s == "review"]
    _SEEN.update(_type.steps)
# The harassment report's narrative says the resident is threatened: its last pages carry
# the "Are you safe right now?" notice.
CRISIS_NARRATIVE = {"narrative": "He texted that he is going to kill me if I call the police."}
STEPS_TO_CHECK["harassment"].append("declaration")


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def check_uploads(page, audit) -> None:
    """The photos step with a refused file, then with a photo added."""
    file_input = page.get_by_label("Add a photo or document (optional)")
    for name, mime, content, label in (
        ("notes.txt", "text/plain", b"not a photo", "with a refused file"),
        ("bike.png", "image/png", _png(), "with a photo added"),
    ):
        file_input.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
        with page.expect_navigation():
            page.get_by_role("button", name="Upload this file").click()
        audit.check(page, f"[attachments {label}]")
    assert page.get_by_text("bike.png").count() == 1


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_every_wizard_step_clean_and_after_a_failed_submit(page, report_type):
    audit = AxeAudit()

    def on_step(step):
        if step not in STEPS_TO_CHECK[report_type]:
            return
        audit.check(page, f"[{report_type}/{step}]")
        if report_type == "harassment" and step in ("review", "declaration"):
            assert page.get_by_role("heading", name="Are you safe right now?").count() == 1
        if step == "attachments":
            check_uploads(page, audit)
        resident.press_continue(page, step)
        if page.locator("#error-summary").count():
            audit.check(page, f"[{report_type}/{step} with errors]")
        else:
            # Nothing to get wrong on this step (photos, check your answers): back to it.
            page.go_back()

    resident.start_wizard(page, report_type)
    overrides = {"narrative": CRISIS_NARRATIVE} if report_type == "harassment" else {}
    resident.fill_wizard(page, report_type, overrides=overrides, on_step=on_step)
    if report_type == "theft":
        audit.check(page, "[confirmation]")
    audit.assert_clean()


def test_start_page_screening_questions_and_every_outcome(page):
    audit = AxeAudit()
    page.goto("/")
    audit.check(page, "[home]")

    resident.start_screening(page)
    for slug, answers in resident.screening_answers("theft").items():
        audit.check(page, f"[screening {slug}]")
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        audit.check(page, f"[screening {slug} with errors]")
        resident.answer_screening_page(page, slug, answers)
    audit.check(page, "[eligible]")

    outcomes = {
        "911 emergency": {"threat": "unsure"},
        "911 major crime": {"major_crime": "yes"},
        "911 officer needed": {"evidence": "yes"},
        "311 not sure where": {"in_city": "unsure"},
        "311 stolen vehicle": {"report_type": "stolen_vehicle"},
        "outside the city": {"in_city": "no"},
    }
    for label, changes in outcomes.items():
        report_type = changes.pop("report_type", "theft")
        resident.pass_screening(page, report_type, **changes)
        audit.check(page, f"[{label}]")
    audit.assert_clean()


def _check_form_page(audit, page, url: str, label: str, button: str) -> None:
    """A page with a form: as it opens, and after sending it empty."""
    page.goto(url)
    audit.check(page, f"[{label}]")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=button).click()
    audit.check(page, f"[{label} with errors]")


def test_information_and_lookup_pages(page):
    audit = AxeAudit()
    for url, label in (("/privacy/", "privacy"), ("/accessibility/", "accessibility")):
        page.goto(url)
        audit.check(page, f"[{label}]")
    _check_form_page(audit, page, "/status/", "status lookup", "Check status")
    _check_form_page(audit, page, "/report/resume/", "resume", "Continue my report")
    _check_form_page(audit, page, "/verify/", "verification", "Check")
    _check_form_page(audit, page, "/staff/login/", "staff sign-in", "Continue")
    audit.assert_clean()


def test_pages_after_filing_status_supplement_and_verification(page, file_without_browser):
    from reports.models import CaseCopy

    report = file_without_browser("theft")
    audit = AxeAudit()
    page.goto("/status/")
    page.get_by_label("Tracking number").fill(report.tracking_number)
    page.get_by_label("Email address you used in the report").fill(report.reporter_email)
    with page.expect_navigation():
        page.get_by_role("button", name="Check status").click()
    audit.check(page, "[status detail]")
    with page.expect_navigation():
        page.get_by_role("link", name="Add information to this report").click()
    audit.check(page, "[supplement]")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my report").click()
    audit.check(page, "[supplement with errors]")
    page.get_by_label("What would you like to add?").fill("The lock was cut with bolt cutters.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my report").click()
    audit.check(page, "[status detail after adding]")

    page.goto("/verify/")
    copy = CaseCopy.objects.filter(report=report, state="ready").order_by("-version").first()
    page.get_by_label("Verification code").fill(copy.verification_code)
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    audit.check(page, "[verification: genuine]")
    audit.assert_clean()


def test_saved_report_and_resume_pages(page):
    audit = AxeAudit()
    resident.start_wizard(page, "theft")
    resident.fill_step(page, "about_you")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and finish later").click()
    audit.check(page, "[saved]")
    code = page.locator("#resume-code").inner_text().strip()
    with page.expect_navigation():
        page.get_by_role("link", name="Continue now").click()
    page.get_by_label("Resume code").fill(code)
    page.get_by_label("Email address").fill(resident.STEP_DATA["about_you"]["email"])
    with page.expect_navigation():
        page.get_by_role("button", name="Continue my report").click()
    assert "/report/theft/" in page.url
    audit.check(page, "[resumed]")
    audit.assert_clean()


def test_staff_pages_clerk_admin_and_officer_portal(new_page, file_without_browser):
    from tests.e2e.staff import sign_in, staff_member

    report = file_without_browser("theft")
    audit = AxeAudit()

    clerk = new_page(viewport={"width": 1280, "height": 900})
    member = staff_member("clerk.jones", "Clerks", first_name="Casey", last_name="Jones")
    clerk.goto("/staff/login/?next=/admin/")
    clerk.get_by_label("Username").fill(member.username)
    clerk.get_by_label("Password").fill("a-long-test-passphrase-for-staff-2025")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Continue").click()
    audit.check(clerk, "[staff code]")
    clerk.get_by_label("Code from your authenticator app, or a recovery code").fill(member.code())
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Sign in").click()
    audit.check(clerk, "[admin dashboard]")
    with clerk.expect_navigation():
        clerk.get_by_role("link", name="Review queue: new reports").click()
    audit.check(clerk, "[admin review queue]")
    with clerk.expect_navigation():
        clerk.get_by_role("link", name=report.tracking_number).click()
    audit.check(clerk, "[admin report, submitted]")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Claim and start review").click()
    audit.check(clerk, "[admin report, in review]")

    officer = new_page(viewport={"width": 1280, "height": 900})
    sign_in(officer, staff_member("officer.kim", "Officers"), next_url="/officer/")
    audit.check(officer, "[officer search]")
    officer.get_by_label("Tracking number, case number, name, serial number or plate").fill("Lopez")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Search").click()
    audit.check(officer, "[officer search results]")
    with officer.expect_navigation():
        officer.get_by_role("link", name=report.tracking_number).click()
    audit.check(officer, "[officer report]")
    audit.assert_clean()
