"""Each wizard step's messages name their own question: the error summary shows the
messages alone, as links, so two alike would not say which question each is about."""

from __future__ import annotations

import pytest

from reports.questions.steps import STEPS
from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import (
    ROW_STEPS,
    error_summary,
    main_text,
    rows_post,
    start_report,
    step_post,
    step_url,
    steps_of,
)

pytestmark = pytest.mark.django_db

# The fields' own defaults, which name no question.
GENERIC_MESSAGES = {
    "Choose one of the answers.",
    "Choose at least one.",
    "Enter an answer.",
    "Enter the date.",
    "Enter the time.",
}
WHEN_STEPS = ("when_where", "when_discovered", "when_last_seen")


def empty_post(report_type: str, step: str) -> dict:
    data = {f"report_{report_type}-current_step": step}
    if step in ROW_STEPS:
        data.update(rows_post(step, [{}]))
    return data


@pytest.mark.parametrize("report_type", sorted(REPORT_TYPES))
def test_every_step_sent_empty_says_which_question_each_error_is_about(client, report_type):
    start_report(client, report_type)
    for step in steps_of(report_type):
        url = step_url(client, report_type, step)
        response = client.post(url, empty_post(report_type, step))
        messages = [message for _anchor, message in error_summary(response)]

        assert not set(messages) & GENERIC_MESSAGES, (step, messages)
        assert len(messages) == len(set(messages)), (step, messages)
        response = client.post(url, step_post(report_type, step))
        assert response.status_code == 302, (step, error_summary(response))


def when_step_report_type(step: str) -> str:
    return next(slug for slug, t in sorted(REPORT_TYPES.items()) if step in t.steps)


def date_cases():
    """(step, timing, field name, its label) for each date the chosen answer requires."""
    for step in WHEN_STEPS:
        form = STEPS[step].form_class(prefix=step)
        for timing, names in form.timing_groups.items():
            for name in names:
                if getattr(form.fields[name], "required_for_choice", False):
                    yield pytest.param(
                        step, timing, name, str(form.fields[name].label), id=f"{step}-{name}"
                    )


@pytest.mark.parametrize(("step", "timing", "name", "label"), list(date_cases()))
def test_missing_date_of_the_chosen_answer_is_asked_for_in_its_labels_words(
    client, step, timing, name, label
):
    report_type = when_step_report_type(step)
    start_report(client, report_type)
    for earlier in steps_of(report_type)[: steps_of(report_type).index(step)]:
        client.post(step_url(client, report_type, earlier), step_post(report_type, earlier))

    response = client.post(
        step_url(client, report_type, step),
        step_post(report_type, step, {"timing": timing, "location": "Lake St and Hiawatha Ave"}),
    )

    assert (f"id_{step}-{name}", f"Enter the {label[0].lower()}{label[1:]}.") in error_summary(
        response
    )


@pytest.mark.parametrize("step", WHEN_STEPS)
def test_date_boxes_are_grouped_under_their_answer_and_required_ones_are_not_optional(client, step):
    report_type = when_step_report_type(step)
    start_report(client, report_type)
    for earlier in steps_of(report_type)[: steps_of(report_type).index(step)]:
        client.post(step_url(client, report_type, earlier), step_post(report_type, earlier))
    form = STEPS[step].form_class(prefix=step)

    text = main_text(client.get(step_url(client, report_type, step)))

    for _answer, legend, fields in form.timing_fieldsets():
        assert str(legend) in text
        for bound in fields:
            label = str(bound.label)
            if bound.name.endswith("date"):
                assert f"{label} (optional)" not in text
                assert label in text
            else:
                assert f"{label} (optional)" in text
    # The date of the one answer is not the date of the other.
    assert text.index(str(form.exact_legend)) < text.index(str(form["date"].label))
    assert text.index(str(form["date"].label)) < text.index(str(form.window_legend))


def test_errors_found_across_fields_are_listed_in_the_order_of_the_page(client):
    start_report(client, "theft")
    client.post(step_url(client, "theft", "about_you"), step_post("theft", "about_you"))

    response = client.post(
        step_url(client, "theft", "when_where"),
        {"report_theft-current_step": "when_where", "when_where-timing": "window"},
    )

    assert [anchor for anchor, _message in error_summary(response)] == [
        "id_when_where-start_date",
        "id_when_where-end_date",
        "id_when_where-location",
        "id_when_where-place_kind_0",
    ]
