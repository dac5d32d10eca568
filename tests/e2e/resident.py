"""What a resident does in the browser: answer the screening, fill each wizard step by its
labels, file the report. The labels are read from the real forms (in English), so that
a test fills a field the way a person finds it: by the words next to it.

USWDS hides the radio and checkbox inputs themselves off-screen and draws them in their
<label>: choosing an answer means clicking that label, as a person does.
"""

from __future__ import annotations

import re

from django import forms
from django.utils import translation

from reports.questions.steps import STEPS
from reports.registry import REPORT_TYPES
from screening import rules
from tests.reports.wizard_data import ROW_STEPS, STEP_DATA

ROW_LABELS = {"items": "Item", "children": "Child", "accounts": "Account"}
OPTIONAL = " (optional)"


# --- Finding things by their words --------------------------------------------------------


def shown_label(field: forms.Field) -> str:
    """The label as the page shows it (optional fields say so; a field required by one
    answer of a question, such as the date of "Yes, I know the date and time", does not)."""
    label = str(field.label)
    required = field.required or getattr(field, "required_for_choice", False)
    return label if required else label + OPTIONAL


def choice_label(field: forms.Field, value: str) -> str:
    return str(dict(field.choices)[value])


def click_label_of(scope, control) -> None:
    """Click the <label> of a radio or checkbox input (the input itself is off-screen)."""
    control_id = control.get_attribute("id")
    scope.locator(f'label[for="{control_id}"]').click()


def choose(scope, question: str, answer: str) -> None:
    """Choose `answer` among the radios or checkboxes of the fieldset `question`."""
    group = scope.get_by_role("group", name=question, exact=True)
    option = group.get_by_label(re.compile(rf"^{re.escape(answer)}(\s|$)"))
    click_label_of(group, option)


def fill_field(scope, field: forms.Field, value) -> None:
    label = shown_label(field)
    widget = field.widget
    # (CheckboxSelectMultiple is a kind of RadioSelect: ask for it first.)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        for one in value:
            choose(scope, label, choice_label(field, one))
    elif isinstance(widget, forms.RadioSelect):
        choose(scope, label, choice_label(field, value))
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            click_label_of(scope, scope.get_by_label(str(field.label), exact=True))
    elif isinstance(widget, forms.Select):
        scope.get_by_label(label, exact=True).select_option(value)
    elif value != "":
        scope.get_by_label(label, exact=True).fill(value)


# --- The screening ---------------------------------------------------------------------------


def answer_screening_page(page, slug: str, answers: dict[str, str]) -> None:
    from screening.forms import SCREENING_PAGES

    screening_page = next(p for p in SCREENING_PAGES if p.slug == slug)
    with translation.override("en"):
        form = screening_page.form_class()
        for name, value in answers.items():
            field = form.fields[name]
            if name == rules.REPORT_TYPE_KEY:
                choose_report_type(page, value)
            else:
                choose(page.locator("main form"), str(field.label), choice_label(field, value))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue", exact=True).click()


def choose_report_type(page, slug: str) -> None:
    from screening.forms import report_type_choices

    label = str(dict(report_type_choices())[slug])
    group = page.get_by_role("group", name="What do you want to report?", exact=True)
    # Each choice reads "<type> <one-line description>": match the type's name exactly.
    option = group.get_by_role("radio", name=re.compile(rf"^{re.escape(label)}\s+[A-Z]"))
    click_label_of(group, option)


SAFE_ANSWERS = dict.fromkeys(rules.YES_NO_KEYS, "no") | {"in_city": "yes"}


def screening_answers(report_type: str, **changes: str) -> dict[str, dict[str, str]]:
    answers = SAFE_ANSWERS | {rules.REPORT_TYPE_KEY: report_type} | changes
    return {
        "now": {k: answers[k] for k in rules.NOW_KEYS},
        "incident": {k: answers[k] for k in rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS},
        "place": {k: answers[k] for k in (*rules.PLACE_KEYS, rules.REPORT_TYPE_KEY)},
    }


def start_screening(page) -> None:
    """From the start page: "Start a report"."""
    page.goto("/")
    page.get_by_role("link", name="Start a report").first.click()
    page.wait_for_url("**/screening/now/")


def pass_screening(page, report_type: str, **changes: str) -> None:
    """Answer the three screening pages (safely, unless told otherwise); ends on the
    outcome page."""
    start_screening(page)
    for slug, answers in screening_answers(report_type, **changes).items():
        answer_screening_page(page, slug, answers)
        if "/screening/result/" in page.url:
            return
    page.wait_for_url("**/screening/result/")


# --- The wizard ------------------------------------------------------------------------------


def wizard_form(page):
    return page.locator("form.ereport-wizard-form")


def fill_step(page, step: str, values=None) -> None:
    """Fill one wizard step with the valid answers of tests.reports.wizard_data."""
    form_class = STEPS[step].form_class
    scope = wizard_form(page)
    with translation.override("en"):
        if STEPS[step].is_formset:
            rows = values if values is not None else ROW_STEPS[step]
            fields = form_class.form.base_fields
            for i, row in enumerate(rows):
                if i:  # "Add another": a round trip to the server, with or without JavaScript
                    with page.expect_navigation():
                        scope.get_by_role("button", name=re.compile("^Add another")).click()
                fieldset = scope.get_by_role(
                    "group", name=f"{ROW_LABELS[step]} {i + 1}", exact=True
                )
                for name, value in row.items():
                    fill_field(fieldset, fields[name], value)
        else:
            form = form_class(prefix=step)
            for name, value in (values if values is not None else STEP_DATA[step]).items():
                fill_field(scope, form.fields[name], value)


def submit_label(step: str) -> str:
    return "Submit report" if step == "declaration" else "Continue"


def press_continue(page, step: str) -> None:
    """Press the step's main button and wait for the next page (or this one with errors)."""
    with page.expect_navigation():
        wizard_form(page).get_by_role("button", name=submit_label(step), exact=True).click()


def start_wizard(page, report_type: str) -> None:
    """Screening passed: "Start now" on the "You can report this online" page."""
    pass_screening(page, report_type)
    page.get_by_role("link", name="Start now").click()
    page.wait_for_url(f"**/report/{report_type}/*/about_you/")


def fill_wizard(
    page,
    report_type: str,
    *,
    overrides=None,
    until: str | None = None,
    start_at: str | None = None,
    on_step=None,
):
    """Fill every step of the type's flow (or those from `start_at`, or before `until`),
    pressing Continue on each. `on_step(step)` runs on each step's page before it is
    filled."""
    overrides = overrides or {}
    steps = REPORT_TYPES[report_type].steps
    for step in steps[steps.index(start_at) if start_at else 0 :]:
        page.wait_for_url(f"**/report/{report_type}/*/{step}/**")
        if step == until:
            return
        if on_step is not None:
            on_step(step)
        fill_step(page, step, overrides.get(step))
        press_continue(page, step)
    page.wait_for_url("**/report/confirmation/")


def file_report(page, report_type: str, overrides=None) -> str:
    """Screening, every step, submit: returns the tracking number on the confirmation."""
    start_wizard(page, report_type)
    fill_wizard(page, report_type, overrides=overrides)
    return page.locator("#tracking-number").inner_text().strip()
