"""What each screening outcome tells the resident, and that only an eligible decision for
the same kind of report opens the online report."""

from __future__ import annotations

import html
import re

import pytest
from freezegun import freeze_time

NOW_KEYS = ("emergency", "in_progress", "suspicious_now", "threat")
INCIDENT_KEYS = ("major_crime", "witnesses", "evidence", "officer_needed")
PLACE_KEYS = ("in_city", "report_type")
PAGES = (("now", NOW_KEYS), ("incident", INCIDENT_KEYS), ("place", PLACE_KEYS))
ELIGIBLE_THEFT = {
    **dict.fromkeys(NOW_KEYS + INCIDENT_KEYS, "no"),
    "in_city": "yes",
    "report_type": "theft",
}
ONLINE_TYPES = (
    "theft",
    "theft_from_vehicle",
    "property_damage",
    "vehicle_damage",
    "harassment",
    "lost_property",
    "order_violation",
    "visitation_violation",
    "identity_theft",
)

SUPERVISOR_SENTENCE = (
    "If you are not satisfied with how your call is handled, you can ask to speak to a 911 "
    "supervisor."
)
REFUSAL_MESSAGE = (
    "Please answer the screening questions first, so we know this can be reported online."
)


def screen(client, **changes: str):
    """Answer the screening pages in order (everything "no", in the city, a theft, unless
    changed) until the screening decides; return the result page."""
    answers = {**ELIGIBLE_THEFT, **changes}
    for page, keys in PAGES:
        response = client.post(f"/screening/{page}/", {key: answers[key] for key in keys})
        assert response.status_code == 302, f"page {page} refused the answers"
        if response.url == "/screening/result/":
            return client.get(response.url)
    raise AssertionError("the screening never decided")


def text(fragment: str) -> str:
    """HTML as the resident reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def main_html(response) -> str:
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def main_text(response) -> str:
    return text(main_html(response))


def h1(response) -> str:
    return text(re.search(r"<h1[^>]*>(.*?)</h1>", main_html(response), re.S).group(1))


def reasons_said(response) -> list[str]:
    """The sentences under "Why you need to call", in page order."""
    listing = re.search(
        r"Why you need to call</h2>\s*<ul[^>]*>(.*?)</ul>", main_html(response), re.S
    )
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)]


def links(response) -> list[str]:
    return re.findall(r'href="([^"]*)"', response.content.decode())


# --- the 911 notice --------------------------------------------------------------------

OUTCOMES_911 = [
    pytest.param({"in_progress": "yes"}, id="emergency_911"),
    pytest.param({"major_crime": "yes"}, id="major_crime_911"),
    pytest.param({"witnesses": "yes"}, id="officer_911"),
]


@pytest.mark.parametrize("changes", OUTCOMES_911)
def test_911_notice_says_call_911_now_with_a_link_that_dials_it(client, db, changes):
    response = screen(client, **changes)

    assert h1(response) == "Call 911 now"
    assert '<a class="usa-button usa-button--big usa-button--inverse" href="tel:911">' in (
        main_html(response)
    )


@pytest.mark.parametrize("changes", OUTCOMES_911)
def test_911_notice_tells_what_to_say_to_the_operator(client, db, changes):
    response = screen(client, **changes)

    assert (
        "Say that you are asking for a squad (police officers) to come to your location."
        in main_text(response)
    )
    assert SUPERVISOR_SENTENCE in main_text(response)


@pytest.mark.parametrize("changes", OUTCOMES_911)
def test_911_notice_offers_no_way_to_report_online(client, db, changes):
    response = screen(client, **changes)

    assert "/report/" not in response.content.decode()


@pytest.mark.parametrize(
    ("key", "answer", "sentence"),
    [
        ("emergency", "yes",
         "You told us someone is hurt or in danger, or that you need help to come now."),
        ("emergency", "unsure", "You were not sure whether someone is hurt or in danger."),
        ("in_progress", "yes", "You told us the crime is happening right now."),
        ("in_progress", "unsure", "You were not sure whether the crime is still happening."),
        ("suspicious_now", "yes", "You told us suspicious activity is going on right now."),
        ("suspicious_now", "unsure",
         "You were not sure whether suspicious activity is still going on."),
        ("threat", "yes",
         "You told us someone's safety, health or property is in danger right now."),
        ("threat", "unsure",
         "You were not sure whether someone's safety, health or property is in danger."),
        ("major_crime", "yes",
         "You told us it was a robbery, assault, burglary, arson or another major crime."),
        ("major_crime", "unsure",
         "You were not sure whether it was a major crime such as robbery or assault."),
        ("witnesses", "yes", "You told us there are witnesses the police need to talk to."),
        ("witnesses", "unsure",
         "You were not sure whether there are witnesses the police need to talk to."),
        ("evidence", "yes", "You told us there is physical evidence the police need to collect."),
        ("evidence", "unsure",
         "You were not sure whether there is evidence the police need to collect."),
        ("officer_needed", "yes", "You told us you need an officer to come to you."),
        ("officer_needed", "unsure",
         "You were not sure whether you need an officer to come to you."),
    ],
)  # fmt: skip
def test_911_notice_says_back_the_answer_that_sent_the_resident_there(
    client, db, key, answer, sentence
):
    response = screen(client, **{key: answer})

    assert reasons_said(response) == [sentence]


def test_911_notice_says_back_every_reason_in_question_order(client, db):
    response = screen(client, threat="yes", emergency="unsure")

    assert reasons_said(response) == [
        "You were not sure whether someone is hurt or in danger.",
        "You told us someone's safety, health or property is in danger right now.",
    ]


@pytest.mark.parametrize(
    ("changes", "explanation"),
    [
        (
            {"suspicious_now": "yes"},
            "When something is happening now, or someone is in danger, police need to come "
            "to you right away.",
        ),
        (
            {"major_crime": "unsure"},
            "Robbery, assault, burglary, arson and other major crimes are always reported "
            "through 911, even when they are over.",
        ),
        (
            {"officer_needed": "yes"},
            "When there are witnesses to talk to, evidence to collect or another reason for an "
            "officer to come, the report must be taken by an officer in person.",
        ),
    ],
    ids=["emergency_911", "major_crime_911", "officer_911"],
)
def test_911_notice_explains_the_rule_that_applied(client, db, changes, explanation):
    response = screen(client, **changes)

    assert explanation in main_text(response)


# --- outside the city and 311 ----------------------------------------------------------


def test_crime_outside_the_city_is_sent_to_the_police_where_it_happened(client, db):
    response = screen(client, in_city="no")

    assert h1(response) == "Contact the police where it happened"
    assert "You told us this did not happen in Minneapolis." in main_text(response)
    assert "/report/" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "explanation"),
    [
        (
            {"in_city": "unsure"},
            "You were not sure whether it happened in Minneapolis. A 311 operator can find out "
            "which police agency should take your report.",
        ),
        (
            {"report_type": "stolen_vehicle"},
            "A stolen vehicle must be entered in the national stolen vehicle database right "
            "away, so it needs a call, not an online form.",
        ),
        (
            {"report_type": "other"},
            "This kind of report cannot be filed online yet. A 311 operator can take it by phone.",
        ),
    ],
    ids=["not-sure-of-city", "stolen-vehicle", "other"],
)
def test_311_page_explains_why_a_call_is_needed(client, db, changes, explanation):
    response = screen(client, **changes)

    assert h1(response) == "Call 311 to make this report"
    assert explanation in main_text(response)
    assert "/report/" not in response.content.decode()


@pytest.mark.parametrize(
    "changes", [{"in_city": "unsure"}, {"report_type": "stolen_vehicle"}, {"report_type": "other"}]
)
def test_311_page_gives_both_numbers_as_links_that_dial_them(client, db, changes):
    response = screen(client, **changes)

    assert '<a class="usa-link" href="tel:311">311</a>' in main_html(response)
    assert '<a class="usa-link" href="tel:+16126733000">612-673-3000</a>' in main_html(response)
    assert "In the city, call 311" in main_text(response)
    assert "From outside Minneapolis, call 612-673-3000" in main_text(response)


# --- eligible ---------------------------------------------------------------------------


@pytest.mark.parametrize("report_type", ONLINE_TYPES)
def test_eligible_page_starts_the_report_of_the_chosen_type(client, db, report_type):
    response = screen(client, report_type=report_type)

    assert h1(response) == "You can report this online"
    assert [link for link in links(response) if link.startswith("/report/")] == [
        f"/report/{report_type}/start/"
    ]


def test_eligible_page_lists_what_you_need_and_warns_about_false_reports(client, db):
    response = screen(client, report_type="theft")

    assert "What you will need" in main_text(response)
    assert "the address or nearest intersection" in main_text(response)
    assert (
        "At the end, you will be asked to confirm that what you wrote is true. Knowingly "
        "making a false police report is a crime." in main_text(response)
    )
    assert text(re.search(r"<title>(.*?)</title>", response.content.decode()).group(1)) == (
        "Before you start: Theft | Minneapolis Police Department"
    )


@pytest.mark.parametrize(
    ("report_type", "need"),
    [
        ("theft", "a description of each item: brand, model, serial number, color and value"),
        ("theft_from_vehicle", "the vehicle's year, make, model, color and license plate"),
        ("vehicle_damage", "an estimate of the repair cost, if you have one"),
        ("order_violation", "the court order and its court file number"),
        ("harassment", "the phone numbers or online accounts that were used to contact you"),
    ],
)
def test_eligible_page_lists_what_this_kind_of_report_needs(client, db, report_type, need):
    response = screen(client, report_type=report_type)

    assert need in main_text(response)


def test_result_page_without_a_decision_sends_to_the_questions(client, db):
    response = client.get("/screening/result/", follow=True)

    assert response.redirect_chain == [("/screening/", 302), ("/screening/now/", 302)]
    assert "Please answer the questions first." in main_text(response)


def test_result_page_can_be_shown_again(client, db):
    screen(client, in_progress="yes")

    again = client.get("/screening/result/")

    assert h1(again) == "Call 911 now"


# --- the online report opens only after an eligible screening for that type --------------


def test_report_start_without_screening_is_sent_to_the_questions(client, db):
    response = client.get("/report/theft/start/", follow=True)

    assert response.redirect_chain[0] == ("/screening/", 302)
    assert REFUSAL_MESSAGE in main_text(response)


def test_report_start_for_another_type_than_screened_is_refused(client, db):
    screen(client, report_type="harassment")

    response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url == "/screening/"


@pytest.mark.parametrize(
    "changes",
    [
        {"emergency": "yes"},
        {"major_crime": "unsure"},
        {"evidence": "yes"},
        {"in_city": "no"},
        {"in_city": "unsure"},
    ],
)
def test_report_start_after_a_decision_that_is_not_eligible_is_refused(client, db, changes):
    screen(client, **changes)

    response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url == "/screening/"


def test_phone_only_type_has_no_online_report(client, db):
    screen(client, report_type="stolen_vehicle")

    response = client.get("/report/stolen_vehicle/start/")

    assert response.status_code == 404
    assert "Page not found" in main_text(response)


def test_report_start_after_a_911_decision_on_a_later_screening_is_refused(client, db):
    screen(client, report_type="theft")
    screen(client, threat="yes")

    response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url == "/screening/"


def test_report_start_after_an_expired_decision_is_refused(client, db, settings):
    settings.SCREENING_DECISION_TTL_SECONDS = 60
    with freeze_time() as clock:
        screen(client, report_type="theft")
        clock.tick(61)

        response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url == "/screening/"


def test_report_start_with_a_decision_just_inside_its_time_limit_is_allowed(client, db, settings):
    settings.SCREENING_DECISION_TTL_SECONDS = 60
    with freeze_time() as clock:
        screen(client, report_type="theft")
        clock.tick(59)

        response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url != "/screening/"


def test_report_start_with_an_eligible_decision_for_that_type_is_allowed(client, db):
    screen(client, report_type="theft")

    response = client.get("/report/theft/start/")

    assert response.status_code == 302
    assert response.url != "/screening/"
