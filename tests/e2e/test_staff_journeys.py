"""Records staff in real Chromium: each role lands where it works, and a clerk reads a
filed report as words, sees a likely duplicate and marks it in one click. axe checks
every admin page a clerk or supervisor uses."""

from __future__ import annotations

import re

from tests.e2e.axe import AxeAudit
from tests.e2e.staff import PASSWORD, staff_member


def sign_in_without_destination(page, member) -> None:
    """Sign in from the bare sign-in address, as a bookmark would: no ?next."""
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(member.code())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_clerk_reads_a_theft_in_words_and_marks_its_duplicate_in_one_click(
    new_page, file_without_browser
):
    original = file_without_browser("theft")
    # The default theft answers list the same bicycle serial number: a second filing.
    repeat = file_without_browser("theft")
    audit = AxeAudit()
    clerk = new_page(viewport={"width": 1280, "height": 900})
    sign_in_without_destination(clerk, staff_member("clerk.reads", "Clerks"))

    assert re.search(r"/admin/reports/report/", clerk.url), clerk.url
    audit.check(clerk, "[queue]")

    clerk.goto(f"/admin/reports/report/{repeat.pk}/change/")
    audit.check(clerk, "[report, submitted]")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Claim and start review").click()
    page_text = clerk.content()
    assert '{"' not in page_text and "{'" not in page_text
    body = clerk.locator("#content").inner_text()
    assert "Kind of item" in body  # the question, not the column name
    assert "Items: 1 of" in body  # numbered from 1
    assert "Is the crime happening right now?" in body  # screening answers as sentences
    assert "Vehicles" not in body and "Court orders" not in body  # empty sections left out
    assert "%(" not in body  # every question reads as the resident saw it
    duplicates = clerk.locator(".ereport-duplicates")
    assert original.tracking_number in duplicates.inner_text()
    assert "same serial number" in duplicates.inner_text()
    audit.check(clerk, "[report, in review, with duplicates]")

    with clerk.expect_navigation():
        duplicates.get_by_role(
            "button", name=f"Mark this report a duplicate of {original.tracking_number}"
        ).click()

    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of_id) == ("duplicate", original.pk)
    assert "Duplicate" in clerk.locator("#content").inner_text()

    for path, label in (
        (f"/admin/reports/report/{repeat.pk}/history/", "[report history]"),
        ("/admin/dashboard/", "[dashboard]"),
        ("/admin/reports/report/?status__exact=submitted", "[queue, filtered]"),
        ("/admin/reports/report/?q=WTU123456", "[queue, searched]"),
    ):
        clerk.goto(path)
        audit.check(clerk, label)
    audit.assert_clean()


def test_a_supervisor_can_use_the_rejection_reasons_page_with_no_axe_violation(new_page):
    audit = AxeAudit()
    supervisor = new_page(viewport={"width": 1280, "height": 900})
    sign_in_without_destination(supervisor, staff_member("super.reasons", "Supervisors"))

    supervisor.goto("/admin/reports/rejectionreason/")
    audit.check(supervisor, "[rejection reasons]")
    audit.assert_clean()


def test_an_officer_lands_on_the_officer_portal(new_page):
    officer = new_page(viewport={"width": 1280, "height": 900})

    sign_in_without_destination(officer, staff_member("officer.lands", "Officers"))

    assert officer.url.endswith("/officer/"), officer.url
    assert officer.get_by_role("heading", name="Search online reports").is_visible()
