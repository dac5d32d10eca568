"""Moving around the wizard: Back, Change, reloads, URLs typed by hand, tampered posts,
adding rows, and the step indicator."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from reports.models import Report
from tests.reports.wizard_data import (
    STEP_DATA,
    answer_steps,
    checked_value,
    error_summary,
    input_value,
    item_row,
    main_text,
    start_report,
    step_post,
    step_url,
    steps_of,
    visible_text,
)

pytestmark = pytest.mark.django_db

BAD_REQUEST_TEXT = "We could not read that request"


def theft_at(client, step: str) -> None:
    """A theft report with every step before `step` answered."""
    start_report(client, "theft")
    answer_steps(client, "theft", until=step)


def change_links(response) -> list[str]:
    return re.findall(
        r'<a class="usa-link" href="([^"]*\?return=review)"', response.content.decode()
    )


def rows_shown(response, step: str) -> int:
    return len(set(re.findall(rf'name="{step}-(\d+)-', response.content.decode())))


# --- Back ---------------------------------------------------------------------------


def test_back_keeps_what_was_typed_on_the_page_left(client):
    theft_at(client, "when_where")
    typed = step_post("theft", "when_where") | {"wizard_goto_step": "about_you"}

    response = client.post(step_url(client, "theft", "when_where"), typed)

    assert response.url == step_url(client, "theft", "about_you")
    previous = client.get(response.url)
    assert input_value(previous, "about_you-first_name") == "Ana"
    current = client.get(step_url(client, "theft", "when_where"))
    assert input_value(current, "when_where-location") == "Lake St and Hiawatha Ave"
    assert checked_value(current, "when_where-place_kind") == "street"


def test_back_with_invalid_answers_goes_back_without_an_error(client):
    theft_at(client, "when_where")
    typed = step_post("theft", "when_where", {"timing": "exact", "date": "not a date"})

    response = client.post(
        step_url(client, "theft", "when_where"), typed | {"wizard_goto_step": "about_you"}
    )

    assert response.url == step_url(client, "theft", "about_you")
    previous = client.get(response.url)
    assert error_summary(previous) == []
    assert input_value(previous, "about_you-last_name") == "Lopez"


def test_back_button_names_the_previous_step(client):
    theft_at(client, "items")

    response = client.get(step_url(client, "theft", "items"))

    assert 'name="wizard_goto_step" value="theft_details"' in response.content.decode()


def test_first_step_has_no_back_button(client):
    start_report(client, "theft")

    response = client.get(step_url(client, "theft", "about_you"))

    assert 'name="wizard_goto_step"' not in response.content.decode()


# --- Change links from the check-your-answers page ------------------------------------


def test_review_has_a_change_link_for_every_answered_step(client):
    theft_at(client, "review")

    response = client.get(step_url(client, "theft", "review"))

    expected = [
        step_url(client, "theft", step) + "?return=review"
        for step in (
            "about_you",
            "when_where",
            "theft_details",
            "items",
            "person_responsible",
            "narrative",
            "attachments",
        )
    ]
    assert change_links(response) == expected


def test_review_shows_the_answers_as_typed_and_the_total_value(client):
    theft_at(client, "review")

    page = main_text(client.get(step_url(client, "theft", "review")))

    assert "Ana.Lopez@example.org" in page
    assert "(612) 555-0123" in page
    assert "WTU123456" in page
    assert "Total value: $650.00" in page


def test_change_link_returns_to_the_review_after_saving(client):
    theft_at(client, "review")
    change = next(
        link
        for link in change_links(client.get(step_url(client, "theft", "review")))
        if "/about_you/" in link
    )

    form_page = client.get(change)
    changed = STEP_DATA["about_you"] | {"phone": "(651) 555 0188"}
    response = client.post(change, step_post("theft", "about_you", changed))

    assert "Save and return to your answers" in main_text(form_page)
    assert response.url == step_url(client, "theft", "review")
    review = main_text(client.get(response.url))
    assert "(651) 555-0188" in review
    assert "(612) 555-0123" not in review


def test_change_link_with_a_refused_answer_stays_on_the_step(client):
    theft_at(client, "review")
    change = step_url(client, "theft", "narrative") + "?return=review"

    response = client.post(change, step_post("theft", "narrative", {"narrative": "short"}))

    assert response.status_code == 200
    assert error_summary(response) == [
        ("id_narrative-narrative", "Tell us a bit more: write at least 20 characters.")
    ]


# --- Reloads and URLs typed by hand ----------------------------------------------------


def test_reloading_a_step_keeps_its_answers(client):
    theft_at(client, "theft_details")

    first = client.get(step_url(client, "theft", "about_you"))
    second = client.get(step_url(client, "theft", "about_you"))

    for response in (first, second):
        assert input_value(response, "about_you-email") == "Ana.Lopez@Example.org"
        assert input_value(response, "about_you-zip_code") == "55415"
        assert checked_value(response, "about_you-reporting_for") == "self"


def test_review_before_answering_sends_to_the_first_step(client):
    start_report(client, "theft")

    response = client.get(step_url(client, "theft", "review"))

    assert response.url == step_url(client, "theft", "about_you")


@pytest.mark.parametrize("ahead", ["items", "narrative", "review", "declaration"])
def test_jumping_ahead_by_url_sends_to_the_first_unanswered_step(client, ahead):
    theft_at(client, "theft_details")

    response = client.get(step_url(client, "theft", ahead))

    assert response.url == step_url(client, "theft", "theft_details")


def test_wizard_address_without_a_step_opens_the_current_step(client):
    theft_at(client, "when_where")

    response = client.get("/report/theft/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == step_url(client, "theft", "when_where")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda c: step_url(c, "theft", "no_such_step"), id="unknown-step"),
        pytest.param(lambda c: step_url(c, "theft", "accounts"), id="step-of-another-type"),
        pytest.param(lambda c: "/report/burglary/about_you/", id="unknown-type"),
        pytest.param(lambda c: "/report/burglary/start/", id="unknown-type-start"),
        pytest.param(
            lambda c: step_url(c, "theft", "about_you").replace("/theft/", "/burglary/"),
            id="unknown-type-with-a-draft",
        ),
    ],
)
def test_unknown_step_or_type_is_not_found(client, url):
    start_report(client, "theft")

    response = client.get(url(client))

    assert response.status_code == 404
    assert "about_you" not in response.content.decode()


def test_a_report_address_not_opened_in_this_browser_sends_to_the_screening(client):
    response = client.get(step_url(client, "theft", "about_you"), follow=True)

    assert response.redirect_chain[0][0] == "/screening/"
    assert "If you saved it, continue with your resume code" in main_text(response)
    assert "please answer the screening questions first" in main_text(response)


def test_screening_for_one_type_does_not_open_another(client):
    start_report(client, "lost_property")

    response = client.get(step_url(client, "theft", "about_you"))

    assert response.url == "/screening/"


# --- Tampered posts: a 400 page, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda data: {k: v for k, v in data.items() if "current_step" not in k},
            id="no-management-form",
        ),
        pytest.param(
            lambda data: data | {"report_theft-current_step": "admin"}, id="unknown-current-step"
        ),
        pytest.param(
            lambda data: data | {"report_theft-current_step": "accounts"}, id="step-of-another-type"
        ),
    ],
)
def test_tampered_post_gets_the_bad_request_page_and_stores_nothing(client, tamper):
    theft_at(client, "when_where")

    response = client.post(
        step_url(client, "theft", "when_where"), tamper(step_post("theft", "when_where"))
    )

    assert response.status_code == 400
    assert BAD_REQUEST_TEXT in main_text(response)
    assert client.get(step_url(client, "theft", "theft_details")).url == step_url(
        client, "theft", "when_where"
    )


def test_add_row_on_a_step_without_rows_is_a_bad_request(client):
    theft_at(client, "when_where")

    response = client.post(
        step_url(client, "theft", "when_where"), step_post("theft", "when_where") | {"add_row": "1"}
    )

    assert response.status_code == 400
    assert BAD_REQUEST_TEXT in main_text(response)


@pytest.mark.parametrize("extra", [{}, {"add_row": "1"}], ids=["continue", "add-another"])
@pytest.mark.parametrize("total", ["abc", "-1", ""])
def test_formset_with_a_broken_row_count_is_refused_without_a_server_error(client, total, extra):
    theft_at(client, "items")
    data = step_post("theft", "items") | {"items-TOTAL_FORMS": total} | extra

    response = client.post(step_url(client, "theft", "items"), data)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert BAD_REQUEST_TEXT in main_text(response)
    else:
        assert 'name="items-TOTAL_FORMS"' in response.content.decode()
    assert client.get(step_url(client, "theft", "person_responsible")).url == step_url(
        client, "theft", "items"
    )


# --- Rows: "Add another item" and the limit of 25 ---------------------------------------


def test_add_another_item_shows_one_more_row_and_keeps_what_was_typed(client):
    theft_at(client, "items")
    typed = step_post("theft", "items", [item_row(1, description="Red scooter")])

    response = client.post(step_url(client, "theft", "items"), typed | {"add_row": "1"})

    assert response.status_code == 200
    assert rows_shown(response, "items") == 2
    assert input_value(response, "items-0-description") == "Red scooter"
    assert input_value(response, "items-0-serial_number") == "SN-0001"
    assert input_value(response, "items-TOTAL_FORMS") == "2"


def test_add_another_item_shows_the_new_blank_row_without_errors(client):
    theft_at(client, "items")
    typed = step_post("theft", "items", [item_row(1)])

    response = client.post(step_url(client, "theft", "items"), typed | {"add_row": "1"})

    assert error_summary(response) == []
    assert "usa-error-message" not in response.content.decode()


def test_added_row_left_as_shown_is_ignored_on_continue(client):
    theft_at(client, "items")
    page = client.post(
        step_url(client, "theft", "items"),
        step_post("theft", "items", [item_row(1)]) | {"add_row": "1"},
    )
    fields = (
        "category",
        "description",
        "brand",
        "model",
        "serial_number",
        "color",
        "quantity",
        "value",
    )
    untouched = {name: input_value_or_blank(page, f"items-1-{name}") for name in fields}

    response = client.post(
        step_url(client, "theft", "items"), step_post("theft", "items", [item_row(1), untouched])
    )

    assert response.status_code == 302, error_summary(response)
    assert response.url == step_url(client, "theft", "person_responsible")


def input_value_or_blank(response, name: str) -> str:
    """What a browser sends for a field as rendered: its value, or "" (a <select> with
    nothing chosen sends its empty first option)."""
    if f'<select name="{name}"' in response.content.decode():
        return ""
    return input_value(response, name) or ""


def test_added_rows_are_saved_once_filled_in(client):
    theft_at(client, "items")
    two = step_post("theft", "items", [item_row(1), item_row(2)])

    client.post(step_url(client, "theft", "items"), two)
    response = client.get(step_url(client, "theft", "items"))

    assert rows_shown(response, "items") == 2
    assert input_value(response, "items-1-description") == "Laptop number 2"


def test_26_items_are_refused_with_a_message(client):
    theft_at(client, "items")
    too_many = step_post("theft", "items", [item_row(n) for n in range(26)])

    response = client.post(step_url(client, "theft", "items"), too_many)

    assert response.status_code == 200
    messages = [message for _anchor, message in error_summary(response)]
    assert any("25" in message for message in messages), messages
    assert client.get(step_url(client, "theft", "person_responsible")).url == step_url(
        client, "theft", "items"
    )


def test_25_items_are_accepted(client):
    theft_at(client, "items")

    response = client.post(
        step_url(client, "theft", "items"),
        step_post("theft", "items", [item_row(n) for n in range(25)]),
    )

    assert response.url == step_url(client, "theft", "person_responsible")


def test_add_another_at_25_items_says_that_is_the_most(client):
    theft_at(client, "items")
    full = step_post("theft", "items", [item_row(n) for n in range(25)])

    response = client.post(step_url(client, "theft", "items"), full | {"add_row": "1"})

    assert rows_shown(response, "items") == 25
    assert "You have added as many as you can." in main_text(response)
    assert 'name="add_row"' not in response.content.decode()


# --- Step indicator ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report_type", "step", "expected"),
    [
        ("theft", "about_you", "Step 1 of 9 About you"),
        ("theft", "items", "Step 4 of 9 The items"),
        ("theft", "declaration", "Step 9 of 9 Declaration"),
        ("property_damage", "property_damage", "Step 3 of 8 The damage"),
        ("identity_theft", "when_discovered", "Step 2 of 9 When you found out"),
        ("lost_property", "narrative", "Step 4 of 7 What happened"),
    ],
)
def test_step_indicator_reads_step_n_of_m_and_the_step_title(client, report_type, step, expected):
    start_report(client, report_type)
    answer_steps(client, report_type, until=step)

    response = client.get(step_url(client, report_type, step))

    heading = re.search(
        r"<h1 class=\"usa-step-indicator__heading\">(.*?)</h1>", response.content.decode(), re.S
    ).group(1)
    assert visible_text(heading) == expected


def test_step_indicator_lists_every_step_and_marks_the_current_one(client):
    theft_at(client, "items")

    content = client.get(step_url(client, "theft", "items")).content.decode()

    assert content.count("usa-step-indicator__segment--complete") == 3
    assert content.count('aria-current="step"') == 1
    assert content.count("usa-step-indicator__segment-label") == len(steps_of("theft"))


def test_page_title_names_the_step_and_the_report_type(client):
    theft_at(client, "items")

    content = client.get(step_url(client, "theft", "items")).content.decode()

    assert "<title>The items \u2013 Theft" in content


def test_nothing_is_filed_by_navigating(client):
    theft_at(client, "review")

    client.get(step_url(client, "theft", "declaration"))
    client.get(step_url(client, "theft", "review"))

    assert not Report.objects.exists()


# --- Buttons ---------------------------------------------------------------------------


def action_buttons(response) -> list[str]:
    actions = re.search(
        r'<div class="ereport-wizard-actions[^"]*">(.*?)</div>', response.content.decode(), re.S
    ).group(1)
    return [visible_text(label) for label in re.findall(r"<button[^>]*>(.*?)</button>", actions)]


def test_each_step_has_its_own_buttons_whatever_was_drawn_before(client):
    # The buttons are drawn once per process for each step, language and way in: pages
    # seen in a row must still each show their own.
    theft_at(client, "declaration")
    review = step_url(client, "theft", "review")

    first = client.get(step_url(client, "theft", "about_you"))
    second = client.get(step_url(client, "theft", "when_where"))
    changing = client.get(step_url(client, "theft", "when_where") + "?return=review")
    last = client.get(step_url(client, "theft", "declaration"))
    english = client.get(review)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = client.get(review)

    assert action_buttons(first) == ["Continue", "Save and finish later"]
    assert action_buttons(second) == ["Back", "Continue", "Save and finish later"]
    assert action_buttons(changing) == [
        "Back",
        "Save and return to your answers",
        "Save and finish later",
    ]
    assert action_buttons(last) == ["Back", "Submit report", "Save and finish later"]
    assert action_buttons(english) == ["Back", "Continue", "Save and finish later"]
    with translation.override("es"):
        assert action_buttons(spanish) == [
            gettext("Back"),
            gettext("Continue"),
            gettext("Save and finish later"),
        ]
    assert action_buttons(spanish) != action_buttons(english)
