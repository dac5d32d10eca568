"""A resident who uses only the keyboard: from the start page through the screening and
the first step of the report, with a failed submit on the way. No clicks and no fill():
only key presses (Tab, Shift+Tab, Space, Enter, typing, and the arrow keys that move
between the answers of one question, as radio buttons work everywhere).

Wherever the focus goes it must be visible: the focused element has an outline or a
box-shadow; for the radio buttons and checkboxes, which USWDS draws in their label, the
label's box has an outline."""

from __future__ import annotations

import re

from tests.e2e.resident import STEP_DATA

MAX_TABS = 80

# What shows the focus: the element's own outline or box-shadow; for USWDS radios and
# checkboxes (the input is off-screen) the ::before box of their label.
_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawnInLabel =
    el.matches('input[type=radio], input[type=checkbox]') && el.labels && el.labels.length;
  const style = drawnInLabel ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
  return {
    element: el.outerHTML.slice(0, 160),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    // The label's box always has a box-shadow (it draws the circle or square): there,
    // only an outline shows the focus.
    shadow: !drawnInLabel && style.boxShadow !== 'none',
  };
}"""


def focus_style(page) -> dict | None:
    return page.evaluate(_FOCUS_STYLE)


def assert_focus_visible(page) -> None:
    style = focus_style(page)
    assert style is not None, f"nothing has the focus on {page.url}"
    assert style["outline"] or style["shadow"], f"the focus is not visible: {style['element']}"


def active(page, script: str):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


def tab_to(page, condition: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the JavaScript
    `condition` (about `el`), checking at each stop that the focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if active(page, f"!!el && ({condition})"):
            return
    raise AssertionError(f"{MAX_TABS} x {key} never reached {condition} on {page.url}")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focused_is_error_summary(page) -> bool:
    return active(page, "el && el.id") == "error-summary"


def choose_with_keys(page, name: str, value: str) -> None:
    """Tab into a question's radio buttons (the first answer takes the focus), then Space
    for the first answer or the down arrow to the next ones."""
    tab_to(page, f"el.type === 'radio' && el.name === '{name}'")
    first = active(page, "el.value")
    if value == first:
        page.keyboard.press("Space")
    values = page.evaluate(
        f"() => [...document.querySelectorAll('input[name=\"{name}\"]')].map(i => i.value)"
    )
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    assert active(page, "el.value") == value and active(page, "el.checked"), (name, value)
    assert_focus_visible(page)


def submit_with_keys(page, label: str) -> None:
    tab_to(page, f"el.tagName === 'BUTTON' && el.textContent.trim() === '{label}'")
    press_enter_and_wait(page)


def type_into(page, field_id: str, text: str) -> None:
    tab_to(page, f"el.id === '{field_id}'")
    page.keyboard.type(text)


def test_keyboard_only_through_the_screening_and_the_first_step(page):
    page.goto("/")
    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert active(page, "el.textContent.trim()") == "Skip to main content"
    assert_focus_visible(page)
    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Start a report'")
    press_enter_and_wait(page)
    assert page.url.endswith("/screening/now/")

    # A failed submit: the focus lands on the error summary, which shows it.
    submit_with_keys(page, "Continue")
    assert focused_is_error_summary(page)
    assert_focus_visible(page)

    for name in ("emergency", "in_progress", "suspicious_now", "threat"):
        choose_with_keys(page, name, "no")
    submit_with_keys(page, "Continue")
    assert page.url.endswith("/screening/incident/")

    for name in ("major_crime", "witnesses", "evidence", "officer_needed"):
        choose_with_keys(page, name, "no")
    # Shift+Tab goes back up the page, and Tab forward again.
    tab_to(page, "el.type === 'radio' && el.name === 'major_crime'", backwards=True)
    submit_with_keys(page, "Continue")
    assert page.url.endswith("/screening/place/")

    choose_with_keys(page, "in_city", "yes")
    choose_with_keys(page, "report_type", "theft")
    submit_with_keys(page, "Continue")
    assert page.url.endswith("/screening/result/")

    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Start now'")
    press_enter_and_wait(page)
    assert re.search(r"/report/theft/[0-9a-f-]{36}/about_you/$", page.url), page.url

    # The first step sent empty: errors, and the focus on their summary.
    submit_with_keys(page, "Continue")
    assert focused_is_error_summary(page)
    assert_focus_visible(page)

    about = STEP_DATA["about_you"]
    type_into(page, "id_about_you-first_name", about["first_name"])
    type_into(page, "id_about_you-last_name", about["last_name"])
    # The date picker takes the digits of month, day and year in turn (US English).
    year, month, day = about["date_of_birth"].split("-")
    type_into(page, "id_about_you-date_of_birth", month + day + year)
    assert active(page, "el.value") == about["date_of_birth"]
    for name in ("phone", "email", "street", "city", "zip_code"):
        type_into(page, f"id_about_you-{name}", about[name])
    assert active(page, "document.getElementById('id_about_you-state').value") == "MN"
    choose_with_keys(page, "about_you-reporting_for", "self")
    submit_with_keys(page, "Continue")

    assert re.search(r"/report/theft/[0-9a-f-]{36}/when_where/$", page.url), page.url
    assert page.locator("#error-summary").count() == 0
