"""The journeys people make, in a real Chromium against the live server: residents file
every kind of report, meet the 911 notice, download their copy, check the status and add
to a report; a clerk approves a report; an officer finds it and downloads it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from reports.registry import REPORT_TYPES
from tests.e2e import resident
from tests.e2e.staff import sign_in, staff_member
from tests.reports.wizard_data import STEP_DATA

EMAIL = STEP_DATA["about_you"]["email"]


def pdf_bytes(download) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()


# --- Residents ---------------------------------------------------------------------------


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_resident_files_a_report_and_reaches_the_confirmation(page, report_type):
    tracking_number = resident.file_report(page, report_type)

    expect(page.get_by_role("heading", level=1)).to_have_text("We received your report")
    assert re.fullmatch(r"ER-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", tracking_number)
    report = Report.objects.get(tracking_number=tracking_number)
    assert report.report_type == report_type
    assert report.reporter_email.lower() == EMAIL.lower()
    # The copy is made as the report is filed: the resident can take it away at once.
    copy = report.copies.order_by("-version").first()
    expect(
        page.get_by_role("link", name="Download your copy (PDF)"),
        f"no copy to download: {copy.state if copy else 'none'} {copy.error if copy else ''}",
    ).to_be_visible()


OUTCOMES_911 = {
    # outcome: (the answer that leads there, what the notice says back)
    "emergency": ({"emergency": "yes"}, "You told us someone is hurt or in danger"),
    "major_crime": ({"major_crime": "yes"}, "You told us it was a robbery, assault"),
    "officer_needed": ({"officer_needed": "yes"}, "You told us you need an officer to come"),
}


@pytest.mark.parametrize("outcome", list(OUTCOMES_911))
def test_resident_sent_to_911_finds_no_way_forward(page, outcome):
    answers, said_back = OUTCOMES_911[outcome]

    resident.pass_screening(page, "theft", **answers)

    expect(page.get_by_role("heading", level=1)).to_have_text("Call 911 now")
    expect(page.get_by_role("link", name="Call 911", exact=True)).to_have_attribute(
        "href", "tel:911"
    )
    expect(page.locator("main")).to_contain_text(said_back)
    # Nothing on the page leads into the report form...
    assert page.locator('a[href*="/report/"], form[action*="/report/"]').count() == 0
    # ...and the form's own address sends the resident back to the questions.
    page.goto("/report/theft/start/")
    assert page.url.endswith("/screening/now/")
    page.goto("/report/theft/about_you/")
    assert page.url.endswith("/screening/now/")


def test_two_reports_in_two_tabs_keep_their_own_answers(page):
    """A resident writes one report, opens a second tab for another incident, and
    finishes both: neither tab takes the other's answers."""
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft", until="items")
    other_tab = page.context.new_page()
    resident.start_wizard(other_tab, "theft")
    assert other_tab.url != page.url
    bea = {**STEP_DATA["about_you"], "first_name": "Bea"}
    resident.fill_wizard(other_tab, "theft", overrides={"about_you": bea}, until="items")

    page.reload()  # back to the first tab, which sat on the items page all along
    resident.fill_wizard(page, "theft", start_at="items")
    first = page.locator("#tracking-number").inner_text().strip()
    other_tab.reload()
    resident.fill_wizard(other_tab, "theft", start_at="items")
    second = other_tab.locator("#tracking-number").inner_text().strip()

    assert first != second
    names = dict(Report.objects.values_list("tracking_number", "reporter_first_name"))
    assert (names[first], names[second]) == ("Ana", "Bea")


def test_resident_downloads_their_copy(page):
    resident.file_report(page, "theft")

    link = page.get_by_role("link", name="Download your copy (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value

    assert download.suggested_filename.endswith(".pdf")
    assert pdf_bytes(download).startswith(b"%PDF")


def test_resident_checks_the_status_and_adds_information(page, file_without_browser):
    report = file_without_browser("theft")

    page.goto("/")
    page.get_by_role("link", name="Check the status of a report or add information").click()
    page.get_by_label("Tracking number").fill(report.tracking_number)
    page.get_by_label("Email address you used in the report").fill(EMAIL)
    page.get_by_role("button", name="Check status").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Report {report.tracking_number}")
    expect(page.locator("#report-status")).to_have_text("Received")
    page.get_by_role("link", name="Add information to this report").click()
    page.get_by_label("What would you like to add?").fill(
        "I found the receipt: the bike cost $650. The lock was a Kryptonite U-lock."
    )
    page.get_by_role("button", name="Add to my report").click()

    expect(page.get_by_role("status").filter(has_text="We added your information")).to_be_visible()
    expect(page.get_by_role("heading", name="You added information")).to_be_visible()
    assert report.supplements.get().narrative.startswith("I found the receipt")


# --- Staff -------------------------------------------------------------------------------


def test_clerk_approves_a_report_and_gives_it_a_case_number(page, file_without_browser):
    report = file_without_browser("theft")
    clerk = staff_member("clerk.jones", "Clerks", first_name="Casey", last_name="Jones")

    sign_in(page, clerk)
    expect(
        page.get_by_role("heading", name="Reports taken online instead of by a squad")
    ).to_be_visible()
    page.get_by_role("link", name="Review queue: new reports").click()
    page.get_by_role("link", name=report.tracking_number).click()
    page.get_by_role("button", name="Claim and start review").click()
    page.get_by_role("button", name="Approve and give a case number").click()

    report.refresh_from_db()
    assert report.status == "approved" and report.case_number
    expect(page.locator(".ereport-workflow")).to_contain_text(f"Case number {report.case_number}")


def test_officer_finds_a_report_by_serial_number_and_downloads_it(page, file_without_browser):
    report = file_without_browser("theft")
    officer = staff_member("officer.kim", "Officers")
    serial = report.items.get().serial_number

    sign_in(page, officer, next_url="/officer/")
    page.get_by_label("Tracking number, case number, name, serial number or plate").fill(serial)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=report.tracking_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.tracking_number)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()

    assert pdf_bytes(download_info.value).startswith(b"%PDF")
