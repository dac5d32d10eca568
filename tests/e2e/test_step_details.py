"""The details of the wizard's pages a resident meets in a real browser: hints that match
the date and time pickers, date boxes shown for the chosen answer only, messages naming
their question, files refused before they are sent, the site's icon, one row that cannot
be removed, one name for resuming, the full verification address on a copy, and language
buttons off the edge of a phone's screen."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e import resident

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def hint_of(page, input_id: str) -> str:
    return page.locator(f"#{input_id}_helptext").inner_text()


def browser_date_order(page) -> list[str]:
    """The order the browser's date picker shows its parts in: ["month", "day", "year"]
    in American English (the picker follows the browser's language, not the page's)."""
    return page.evaluate(
        """() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date())
            .map(p => p.type).filter(t => ["day", "month", "year"].includes(t))"""
    )


def browser_uses_12_hour_clock(page) -> bool:
    return page.evaluate(
        """() => ["h11", "h12"].includes(
            new Intl.DateTimeFormat(navigator.language, {hour: "numeric"})
                .resolvedOptions().hourCycle)"""
    )


def test_date_hint_example_typed_as_the_picker_shows_it_gives_that_date(page):
    resident.start_wizard(page, "theft")
    hint = hint_of(page, "id_about_you-date_of_birth")
    example = re.search(r"For example: (.+?)\.?$", hint).group(1)
    meant = dt.datetime.strptime(example, "%B %d, %Y").date()  # In words: any order reads.

    parts = {"month": f"{meant.month:02d}", "day": f"{meant.day:02d}", "year": str(meant.year)}
    box = page.locator("#id_about_you-date_of_birth")
    box.click()
    page.keyboard.type("".join(parts[part] for part in browser_date_order(page)))

    assert box.input_value() == meant.isoformat()


def test_time_hints_give_the_time_of_day_as_the_picker_shows_it(page):
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft", until="when_where")
    resident.choose(page, "Do you know exactly when it happened?", "Yes, I know the date and time")
    twelve_hour = browser_uses_12_hour_clock(page)
    hints = [hint_of(page, f"id_when_where-{name}") for name in ("time", "start_time", "end_time")]

    for hint in hints:
        hour = int(re.search(r"([0-9]{1,2}):[0-9]{2}", hint).group(1))
        says_part_of_day = re.search(r"\b(AM|PM|morning|afternoon|evening|night)\b", hint)
        # A 12-hour picker never shows 14:30; a 24-hour one needs no AM or PM.
        assert (hour <= 12 and says_part_of_day) if twelve_hour else True, hint
        assert not re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", hint), hint


def test_when_step_shows_only_the_date_boxes_of_the_chosen_answer(page):
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft", until="when_where")
    exact_date = page.get_by_label("Date it happened", exact=True)
    start_date = page.get_by_label("Start date", exact=True)
    question = "Do you know exactly when it happened?"

    assert not exact_date.is_visible() and not start_date.is_visible()
    resident.choose(page, question, "Yes, I know the date and time")
    assert exact_date.is_visible() and not start_date.is_visible()
    resident.choose(page, question, "No, I only know it happened between two times")
    assert start_date.is_visible() and not exact_date.is_visible()


def test_without_javascript_each_date_box_says_which_answer_it_belongs_to(new_page):
    page = new_page(java_script_enabled=False, viewport=DESKTOP)
    resident.start_wizard(page, "identity_theft")
    resident.fill_wizard(page, "identity_theft", until="when_discovered")

    exact = page.get_by_role("group", name="The date and time you found out")
    window = page.get_by_role("group", name="The time range when you could have found out")
    assert exact.get_by_label("Date you found out", exact=True).is_visible()
    assert exact.get_by_label("Time you found out (optional)", exact=True).is_visible()
    assert window.get_by_label("Start date", exact=True).is_visible()
    assert window.get_by_label("End time (optional)", exact=True).is_visible()


def test_theft_details_sent_empty_lists_one_message_per_question(page):
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft", until="theft_details")
    resident.press_continue(page, "theft_details")

    links = page.locator("#error-summary a").all_inner_texts()
    assert len(links) == 3 and len(set(links)) == 3, links
    assert "Choose whether anyone went into a building, garage or shed." in links


def go_to_attachments(page):
    resident.start_wizard(page, "property_damage")
    resident.fill_wizard(page, "property_damage", until="attachments")


def test_file_over_the_limit_is_refused_before_it_is_sent(page):
    from reports.filing.uploads import MAX_FILE_BYTES

    go_to_attachments(page)
    box = page.get_by_label("Add a photo or document (optional)")
    assert int(box.get_attribute("data-max-bytes")) == MAX_FILE_BYTES
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)
    big = {"name": "huge.png", "mimeType": "image/png", "buffer": b"\0" * (MAX_FILE_BYTES + 1)}

    box.set_input_files(files=[big])
    page.get_by_role("button", name="Upload this file").click()

    message = page.locator("#upload-size-error")
    assert message.inner_text().startswith("huge.png is larger than 10 MB.")
    assert "upload-size-error" in box.get_attribute("aria-describedby")
    assert posts == []
    assert page.evaluate("document.activeElement.id") == "upload"


def test_file_under_the_limit_is_still_sent(page):
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(png, "PNG")
    go_to_attachments(page)
    box = page.get_by_label("Add a photo or document (optional)")
    box.set_input_files(
        files=[{"name": "bike.png", "mimeType": "image/png", "buffer": png.getvalue()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload this file").click()

    assert page.get_by_role("heading", name="Files added").is_visible()
    assert page.get_by_text("bike.png").count() == 1
    assert page.locator("#upload-size-error").count() == 0


def test_site_icon_is_linked_and_served(page):
    page.goto("/")
    href = page.locator('link[rel="icon"]').get_attribute("href")

    for url in (href, "/favicon.ico"):
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.body()[:4] == b"\0\0\1\0", url  # An ICO file's signature.


def test_only_item_offers_no_remove_and_two_items_each_do(page):
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft", until="items")
    remove = resident.wizard_form(page).get_by_label("Remove this one")
    assert remove.count() == 0

    with page.expect_navigation():
        page.get_by_role("button", name="Add another item").click()

    assert remove.count() == 2


def test_saved_report_page_names_the_start_pages_link_in_its_words(page):
    resident.start_wizard(page, "theft")
    resident.fill_step(page, "about_you")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and finish later").click()
    saved_text = page.locator("main").inner_text()

    page.goto("/")
    link = page.get_by_role("link", name=re.compile("^Finish a"))
    words = link.inner_text()
    with page.expect_navigation():
        link.click()

    assert f"“{words}”" in saved_text
    assert page.get_by_role("heading", level=1).inner_text() == words


def test_case_copy_gives_the_verification_pages_full_address(file_without_browser, settings):
    import io

    from pypdf import PdfReader

    from reports.models import CaseCopy

    report = file_without_browser("theft")
    copy = CaseCopy.objects.filter(report=report, state="ready").order_by("-version").first()
    with copy.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)

    assert f"verification page ({settings.SITE_URL.rstrip('/')}/verify/)" in text


def test_language_links_keep_off_the_edge_of_a_phone_screen(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    logo = page.locator(".usa-logo").bounding_box()
    items = page.locator(".ereport-languages__list li")

    assert items.count() == 4
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box["x"] >= logo["x"] >= 8, (i, box, logo)
        assert box["x"] + box["width"] <= PHONE["width"] - 8, (i, box)
