"""axe-core in the real browser: WCAG 2.0 and 2.1, levels A and AA.

A test checks many pages and collects every violation before it fails, so that one run
lists all of them (each with its rule, impact, and the offending elements)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def _serve_imported_stylesheets(page) -> None:
    """axe-core fetches the stylesheets a stylesheet @imports by their raw href, relative
    to the page instead of to the importing sheet (Django admin's forms.css imports
    "widgets.css", which axe asks for at /admin/.../change/widgets.css). Answer those
    requests with the sheet the browser itself loaded, next to the importer."""
    if getattr(page, "_axe_imports_routed", False):
        return
    page._axe_imports_routed = True

    def handle(route):
        url = route.request.url
        if "/static/" in url:
            route.continue_()
            return
        origin = "/".join(url.split("/")[:3])
        name = url.rsplit("/", 1)[-1]
        route.fulfill(response=route.fetch(url=f"{origin}/static/admin/css/{name}"))

    page.route("**/*.css", handle)


def violations(page) -> list[dict]:
    _serve_imported_stylesheets(page)
    # axe reads the stylesheets it fetched by putting them into <style> elements, which
    # the site's Content Security Policy refuses (rightly): the browser watch in
    # conftest.py ignores those refusals while axe runs, and only those.
    page._axe_running = True
    try:
        found = _axe.run(page, options=OPTIONS).response["violations"]
        page.evaluate("() => new Promise((done) => setTimeout(done, 0))")  # let reports arrive
        return found
    finally:
        page._axe_running = False


def describe(where: str, found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}  {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:400]}")
    return "\n".join(lines)


class AxeAudit:
    """Check pages one after another; `assert_clean()` at the end fails with them all."""

    def __init__(self):
        self.checked: list[str] = []
        self.problems: list[str] = []

    def check(self, page, label: str = "") -> None:
        page.wait_for_load_state()
        where = f"{label} {page.url}".strip()
        self.checked.append(where)
        found = violations(page)
        if found:
            self.problems.append(describe(where, found))

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"axe found violations on {len(self.problems)} of {len(self.checked)} pages:\n"
            + "\n".join(self.problems)
        )
