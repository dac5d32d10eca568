"""A resident whose browser runs no JavaScript files a whole report: every page works
with plain links and forms (adding a second item is a round trip to the server, and the
error summary takes the focus by itself through `autofocus`)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import resident
from tests.reports.wizard_data import item_row


def test_resident_without_javascript_files_a_report_from_the_start_page(new_page):
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})

    resident.start_wizard(page, "theft")
    # A failed submit: the errors are listed, and the summary has the focus.
    resident.press_continue(page, "about_you")
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"

    two_items = [item_row(1, description="Laptop"), item_row(2, description="Headphones")]
    resident.fill_wizard(page, "theft", overrides={"items": two_items})

    expect(page.get_by_role("heading", level=1)).to_have_text("We received your report")
    expect(page.get_by_role("link", name="Download your copy (PDF)")).to_be_visible()
    from reports.models import Report

    report = Report.objects.get(
        tracking_number=page.locator("#tracking-number").inner_text().strip()
    )
    assert [item.description for item in report.items.order_by("position")] == [
        "Laptop",
        "Headphones",
    ]
