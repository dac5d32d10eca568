"""The screening questionnaire through the test client: its three pages, their order, the
early exit to 911, refused input and the database work each page does."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from screening.models import ScreeningOutcome

NOW_KEYS = ("emergency", "in_progress", "suspicious_now", "threat")
INCIDENT_KEYS = ("major_crime", "witnesses", "evidence", "officer_needed")
PLACE_KEYS = ("in_city", "report_type")

NOW_ALL_NO = dict.fromkeys(NOW_KEYS, "no")
INCIDENT_ALL_NO = dict.fromkeys(INCIDENT_KEYS, "no")
PLACE_THEFT = {"in_city": "yes", "report_type": "theft"}

ANSWER_MESSAGE = "Answer yes, no or not sure."


def main_html(response) -> str:
    """The page's <main> element: what the page says, without the header and footer."""
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def field_errors(response) -> list[tuple[str, str]]:
    """(field, message) for each error shown next to a field, in page order."""
    found = re.findall(
        r'<span class="usa-error-message" id="id_(\w+)_error">(.*?)</span>', main_html(response)
    )
    return [(field, html.unescape(message)) for field, message in found]


def summary_errors(response) -> list[tuple[str, str]]:
    """(link target, message) for each entry of the error summary at the top of the page."""
    summary = re.search(r'id="error-summary">(.*?)</ul>', main_html(response), re.S)
    if summary is None:
        return []
    found = re.findall(r'<a class="usa-link" href="#([\w-]+)">(.*?)</a>', summary.group(1))
    return [(target, html.unescape(message)) for target, message in found]


def radio_names(response) -> list[str]:
    """The questions a page asks: its radio groups, in page order."""
    return list(dict.fromkeys(re.findall(r'type="radio" name="(\w+)"', main_html(response))))


def checked_values(response) -> dict[str, str]:
    tags = re.findall(r'<input type="radio"[^>]*>', main_html(response))
    return {
        re.search(r'name="(\w+)"', tag).group(1): re.search(r'value="(\w+)"', tag).group(1)
        for tag in tags
        if " checked" in tag
    }


def title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode()).group(1))


# --- the pages and their order ---------------------------------------------------------


def test_screening_start_goes_to_the_first_question_page(client, db):
    response = client.get("/screening/")

    assert response.status_code == 302
    assert response.url == "/screening/now/"


def test_screening_start_forgets_answers_given_so_far(client, db):
    client.post("/screening/now/", NOW_ALL_NO)

    client.get("/screening/")
    response = client.get("/screening/incident/")

    assert response.status_code == 302
    assert response.url == "/screening/now/"


def test_screening_start_forgets_an_earlier_decision(client, db):
    client.post("/screening/now/", NOW_ALL_NO)
    client.post("/screening/incident/", INCIDENT_ALL_NO)
    client.post("/screening/place/", PLACE_THEFT)

    client.get("/screening/")
    response = client.get("/screening/result/")

    assert response.status_code == 302
    assert response.url == "/screening/"


def test_home_page_starts_the_screening(client, db):
    response = client.get("/")

    assert 'href="/screening/"' in main_html(response)


@pytest.mark.parametrize(
    ("page", "earlier_pages", "questions", "heading"),
    [
        ("now", [], list(NOW_KEYS), "Is this happening now?"),
        ("incident", [("now", NOW_ALL_NO)], list(INCIDENT_KEYS), "About what happened"),
        (
            "place",
            [("now", NOW_ALL_NO), ("incident", INCIDENT_ALL_NO)],
            list(PLACE_KEYS),
            "Where it happened and what it was",
        ),
    ],
)
def test_each_question_page_asks_its_questions(client, db, page, earlier_pages, questions, heading):
    for earlier, answers in earlier_pages:
        client.post(f"/screening/{earlier}/", answers)

    response = client.get(f"/screening/{page}/")

    assert response.status_code == 200
    assert radio_names(response) == questions
    assert f"<h1>{heading}</h1>" in main_html(response)


def test_place_page_asks_about_the_city_by_name(client, db):
    client.post("/screening/now/", NOW_ALL_NO)
    client.post("/screening/incident/", INCIDENT_ALL_NO)

    response = client.get("/screening/place/")

    assert "Did it happen in Minneapolis?" in main_html(response)


def test_no_answer_is_preselected(client, db):
    response = client.get("/screening/now/")

    assert checked_values(response) == {}


def test_yes_on_the_first_page_ends_early_at_the_911_notice(client, db):
    response = client.post("/screening/now/", {**NOW_ALL_NO, "in_progress": "yes"})

    assert response.status_code == 302
    assert response.url == "/screening/result/"
    notice = client.get(response.url)
    assert '<h1 class="usa-alert__heading">Call 911 now</h1>' in main_html(notice)


def test_major_crime_on_the_second_page_ends_at_the_911_notice(client, db):
    client.post("/screening/now/", NOW_ALL_NO)

    response = client.post("/screening/incident/", {**INCIDENT_ALL_NO, "major_crime": "yes"})

    assert response.status_code == 302
    assert response.url == "/screening/result/"


def test_answering_no_everywhere_for_a_theft_reaches_the_eligible_page(client, db):
    redirects = [
        client.post("/screening/now/", NOW_ALL_NO).url,
        client.post("/screening/incident/", INCIDENT_ALL_NO).url,
        client.post("/screening/place/", PLACE_THEFT).url,
    ]

    result = client.get("/screening/result/")

    assert redirects == ["/screening/incident/", "/screening/place/", "/screening/result/"]
    assert "<h1>You can report this online</h1>" in main_html(result)
    assert 'href="/report/theft/start/"' in main_html(result)


def test_after_a_911_exit_the_later_pages_start_again(client, db):
    client.post("/screening/now/", {**NOW_ALL_NO, "emergency": "yes"})

    response = client.get("/screening/place/")

    assert response.status_code == 302
    assert response.url == "/screening/now/"


def test_earlier_answers_are_shown_when_going_back(client, db):
    client.post("/screening/now/", {**NOW_ALL_NO, "threat": "no"})

    response = client.get("/screening/now/")

    assert checked_values(response) == NOW_ALL_NO


def test_back_link_goes_to_the_previous_page(client, db):
    client.post("/screening/now/", NOW_ALL_NO)

    response = client.get("/screening/incident/")

    assert '<a class="usa-link ereport-back" href="/screening/now/">Back</a>' in main_html(response)


def page_words(response) -> tuple[str, str, str]:
    """The back link's address, the page count and the heading of a question page."""
    main = main_html(response)
    back = re.search(r'<a class="usa-link ereport-back" href="([^"]*)">', main).group(1)
    count = re.search(r'<p class="ereport-step-count">(.*?)</p>', main).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", main).group(1)
    return back, count, heading


def test_each_page_has_its_own_heading_and_back_link_whatever_was_drawn_before(
    client, db, settings
):
    # These words are drawn once per process for each page and language: pages seen in a
    # row, and a page in another language, must each still show their own.
    first = client.get("/screening/now/")
    client.post("/screening/now/", NOW_ALL_NO)
    second = client.get("/screening/incident/")
    client.post("/screening/incident/", INCIDENT_ALL_NO)
    third = client.get("/screening/place/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = client.get("/screening/place/")

    assert page_words(first) == ("/", "Question page 1 of 3", "Is this happening now?")
    assert page_words(second) == ("/screening/now/", "Question page 2 of 3", "About what happened")
    assert page_words(third) == (
        "/screening/incident/",
        "Question page 3 of 3",
        "Where it happened and what it was",
    )
    assert spanish.content.decode().count('lang="es"') >= 1
    with translation.override("es"):
        assert page_words(spanish)[2] == gettext("Where it happened and what it was")
    assert page_words(spanish)[2] != page_words(third)[2]


# --- skipping pages --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ["incident", "place"])
def test_later_page_without_earlier_answers_sends_back_to_the_first_page(client, db, page, method):
    response = getattr(client, method)(
        f"/screening/{page}/", PLACE_THEFT if method == "post" else None
    )

    assert response.status_code == 302
    assert response.url == "/screening/now/"


def test_place_page_after_only_the_first_page_sends_to_the_second(client, db):
    client.post("/screening/now/", NOW_ALL_NO)

    response = client.get("/screening/place/")

    assert response.status_code == 302
    assert response.url == "/screening/incident/"


def test_skipping_to_the_last_page_decides_nothing(client, db):
    client.post("/screening/place/", PLACE_THEFT)

    response = client.get("/screening/result/")

    assert response.url == "/screening/"
    assert ScreeningOutcome.objects.count() == 0


# --- refused input ---------------------------------------------------------------------


def test_missing_answers_show_the_error_summary_and_a_message_at_each_question(client, db):
    response = client.post("/screening/now/", {})

    assert response.status_code == 200
    assert 'id="error-summary"' in main_html(response)
    assert '<h2 class="usa-alert__heading">There is a problem</h2>' in main_html(response)
    assert summary_errors(response) == [(f"id_{key}_0", ANSWER_MESSAGE) for key in NOW_KEYS]
    assert field_errors(response) == [(key, ANSWER_MESSAGE) for key in NOW_KEYS]
    assert title(response).startswith("Error: Is this happening now?")


def test_page_without_errors_has_no_error_summary(client, db):
    response = client.get("/screening/now/")

    assert 'id="error-summary"' not in main_html(response)
    assert title(response).startswith("Is this happening now?")


def test_partly_answered_page_keeps_the_answers_given(client, db):
    response = client.post("/screening/now/", {"emergency": "no", "threat": "unsure"})

    assert field_errors(response) == [
        ("in_progress", ANSWER_MESSAGE),
        ("suspicious_now", ANSWER_MESSAGE),
    ]
    assert checked_values(response) == {"emergency": "no", "threat": "unsure"}


def test_answer_not_offered_is_refused_and_nothing_is_stored(client, db):
    response = client.post("/screening/now/", {**NOW_ALL_NO, "emergency": "maybe"})
    next_page = client.get("/screening/incident/")

    assert field_errors(response) == [("emergency", ANSWER_MESSAGE)]
    assert next_page.status_code == 302
    assert next_page.url == "/screening/now/"


@pytest.mark.parametrize(
    ("report_type", "message"),
    [
        ("burglary", "Choose one of the kinds of report listed."),
        ("", "Choose what you want to report."),
    ],
)
def test_report_type_not_listed_is_refused(client, db, report_type, message):
    client.post("/screening/now/", NOW_ALL_NO)
    client.post("/screening/incident/", INCIDENT_ALL_NO)

    response = client.post("/screening/place/", {"in_city": "yes", "report_type": report_type})

    assert field_errors(response) == [("report_type", message)]
    assert summary_errors(response) == [("id_report_type_0", message)]
    assert ScreeningOutcome.objects.count() == 0


def test_unknown_question_page_is_not_found(client, db):
    response = client.get("/screening/nowhere/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in main_html(response)


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "application/x-www-form-urlencoded"],
)
def test_oversized_request_is_refused_as_a_bad_request(client, db, content_type):
    # 3 MB: over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    huge = "x" * 3_000_000
    if content_type == "multipart/form-data":
        response = client.post("/screening/now/", {**NOW_ALL_NO, "emergency": huge})
    else:
        response = client.post("/screening/now/", f"emergency={huge}", content_type=content_type)

    assert response.status_code == 400
    assert "<h1>We could not read that request</h1>" in main_html(response)


# --- database work per page ------------------------------------------------------------
# Counted inside the test's transaction, a session save's SAVEPOINT and RELEASE stand in,
# one for one, for the BEGIN and COMMIT it costs in production (autocommit).


@pytest.mark.parametrize(
    ("page", "earlier_pages", "questions"),
    [
        ("now", [], list(NOW_KEYS)),
        ("incident", [("now", NOW_ALL_NO)], list(INCIDENT_KEYS)),
        ("place", [("now", NOW_ALL_NO), ("incident", INCIDENT_ALL_NO)], list(PLACE_KEYS)),
    ],
)
def test_question_page_get_makes_at_most_three_queries(
    client, db, django_assert_max_num_queries, page, earlier_pages, questions
):
    for earlier, answers in earlier_pages:
        client.post(f"/screening/{earlier}/", answers)

    with django_assert_max_num_queries(3):
        response = client.get(f"/screening/{page}/")

    assert radio_names(response) == questions


@pytest.mark.parametrize(
    ("page", "earlier_pages", "answers", "next_url"),
    [
        ("now", [], NOW_ALL_NO, "/screening/incident/"),
        ("now", [], {**NOW_ALL_NO, "emergency": "yes"}, "/screening/result/"),
        ("incident", [("now", NOW_ALL_NO)], INCIDENT_ALL_NO, "/screening/place/"),
        (
            "place",
            [("now", NOW_ALL_NO), ("incident", INCIDENT_ALL_NO)],
            PLACE_THEFT,
            "/screening/result/",
        ),
    ],
    ids=["now", "now-911", "incident", "place-decides"],
)
def test_question_page_post_makes_at_most_three_queries(
    client, db, django_assert_max_num_queries, page, earlier_pages, answers, next_url
):
    for earlier, earlier_answers in earlier_pages:
        client.post(f"/screening/{earlier}/", earlier_answers)

    with django_assert_max_num_queries(3):
        response = client.post(f"/screening/{page}/", answers)

    assert response.status_code == 302
    assert response.url == next_url


def test_refused_post_makes_at_most_three_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.post("/screening/now/", {"emergency": "maybe"})

    assert len(field_errors(response)) == 4


def test_question_page_with_a_cold_session_cache_makes_at_most_three_queries(
    client, db, django_assert_max_num_queries
):
    client.post("/screening/now/", NOW_ALL_NO)
    cache.clear()  # the session must now be read from the database

    with django_assert_max_num_queries(3):
        response = client.get("/screening/incident/")

    assert radio_names(response) == list(INCIDENT_KEYS)


def test_one_declared_question_is_asked_in_each_residents_language_and_city(settings):
    from django.utils import translation

    from screening.forms import NowForm, PlaceForm
    from screening.questions import QUESTIONS

    settings.CITY_NAME = "Saint Paul"
    labels = {}
    for language in ("en", "es"):
        with translation.override(language):
            labels[language] = str(NowForm().fields["emergency"].label)
            place = str(PlaceForm().fields["in_city"].label)
            expected = str(QUESTIONS["in_city"].label) % {"city": "Saint Paul"}
            assert place == expected

    assert labels["en"] != labels["es"]
    assert "Saint Paul" in place
    assert NowForm().fields["emergency"] is not NowForm().fields["emergency"]  # per form
