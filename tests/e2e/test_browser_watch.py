"""The browser fixtures themselves: a page that breaks the Content Security Policy or
logs a JavaScript error is caught (every other test relies on this)."""

from __future__ import annotations


def test_csp_refusals_and_script_errors_are_recorded(page, request):
    page.goto("/")
    # An inline style and an inline script: the policy allows neither.
    page.evaluate(
        """() => {
            const box = document.createElement('div');
            box.innerHTML = '<p style="color: red">styled</p>';
            document.body.appendChild(box);
            const script = document.createElement('script');
            script.textContent = 'window.ranInline = true';
            document.body.appendChild(script);
            setTimeout(() => { throw new Error('boom'); }, 0);
        }"""
    )
    page.wait_for_timeout(300)
    problems = request.node._browser_problems

    assert any(p.startswith("CSP") and "inline style" in p for p in problems), problems
    assert any(p.startswith("CSP") and "inline script" in p for p in problems), problems
    assert any("JavaScript error" in p and "boom" in p for p in problems), problems
    assert page.evaluate("window.ranInline") is None
    problems.clear()  # recorded on purpose: this test must not fail because of them
