"""Small phones: at 320 CSS pixels wide (WCAG 1.4.10 reflow) no resident page scrolls
sideways, and at 360 x 740 (a common phone) the page's main button is on screen without
scrolling sideways."""

from __future__ import annotations

from tests.e2e import resident

NARROWEST = {"width": 320, "height": 640}
PHONE = {"width": 360, "height": 740}


class SmallScreens:
    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def check_reflow(self, label: str) -> None:
        """No sideways scrolling at 320 px."""
        self.page.set_viewport_size(NARROWEST)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > NARROWEST["width"]:
            wide = self.page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > limit + 0.5)
                    .slice(0, 5).map(el => el.outerHTML.slice(0, 120))""",
                NARROWEST["width"],
            )
            self.problems.append(f"{label}: {width} px wide at 320 px; widest: {wide}")

    def check_button(self, label: str, button) -> None:
        """The main button fits a 360 px screen without scrolling sideways."""
        self.page.set_viewport_size(PHONE)
        box = button.bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
            self.problems.append(f"{label}: main button at {box} on a 360 px screen")
        self.page.set_viewport_size(NARROWEST)

    def wizard_button(self, step: str):
        return resident.wizard_form(self.page).get_by_role(
            "button", name=resident.submit_label(step), exact=True
        )

    def assert_fine(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def test_resident_pages_fit_small_phones(new_page):
    page = new_page(viewport=NARROWEST, is_mobile=True, has_touch=True)
    screens = SmallScreens(page)

    page.goto("/")
    screens.check_reflow("home")
    resident.start_screening(page)
    screens.check_reflow("screening question")
    screens.check_button("screening question", page.get_by_role("button", name="Continue"))
    resident.pass_screening(page, "theft")
    page.get_by_role("link", name="Start now").click()

    def on_step(step):
        if step == "about_you":
            resident.press_continue(page, step)
            screens.check_reflow("first step with errors")
            screens.check_button("first step with errors", screens.wizard_button(step))
        elif step in ("items", "review", "declaration"):
            screens.check_reflow(step)
            screens.check_button(step, screens.wizard_button(step))

    resident.fill_wizard(page, "theft", on_step=on_step)
    screens.check_reflow("confirmation")
    tracking_number = page.locator("#tracking-number").inner_text().strip()

    page.goto("/status/")
    screens.check_reflow("status lookup")
    screens.check_button("status lookup", page.get_by_role("button", name="Check status"))
    page.get_by_label("Tracking number").fill(tracking_number)
    page.get_by_label("Email address you used in the report").fill(
        resident.STEP_DATA["about_you"]["email"]
    )
    page.get_by_role("button", name="Check status").click()
    page.wait_for_url("**/status/report/")
    screens.check_reflow("status")
    screens.assert_fine()
