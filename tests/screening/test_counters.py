"""The anonymous count of screening decisions (ScreeningOutcome): one row per decision,
nothing that could identify anyone."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from screening.models import ScreeningOutcome

NOW_KEYS = ("emergency", "in_progress", "suspicious_now", "threat")
INCIDENT_KEYS = ("major_crime", "witnesses", "evidence", "officer_needed")
PLACE_KEYS = ("in_city", "report_type")
PAGES = (("now", NOW_KEYS), ("incident", INCIDENT_KEYS), ("place", PLACE_KEYS))
ELIGIBLE_THEFT = {
    **dict.fromkeys(NOW_KEYS + INCIDENT_KEYS, "no"),
    "in_city": "yes",
    "report_type": "theft",
}


def screen(client, **changes: str) -> None:
    """Answer the screening pages in order (everything "no", in the city, a theft, unless
    changed) until the screening decides."""
    answers = {**ELIGIBLE_THEFT, **changes}
    for page, keys in PAGES:
        response = client.post(f"/screening/{page}/", {key: answers[key] for key in keys})
        assert response.status_code == 302, f"page {page} refused the answers"
        if response.url == "/screening/result/":
            return
    raise AssertionError("the screening never decided")


def counted(row: ScreeningOutcome) -> tuple[str, list[str], str, str]:
    return (row.outcome, row.reasons, row.report_type, row.language)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"threat": "unsure"}, ("emergency_911", ["threat"], "", "en")),
        (
            {"emergency": "yes", "suspicious_now": "yes"},
            ("emergency_911", ["emergency", "suspicious_now"], "", "en"),
        ),
        ({"major_crime": "yes"}, ("major_crime_911", ["major_crime"], "", "en")),
        ({"evidence": "unsure"}, ("officer_911", ["evidence"], "", "en")),
        ({"in_city": "no"}, ("outside_city", ["in_city"], "theft", "en")),
        ({"in_city": "unsure"}, ("call_311", ["in_city"], "theft", "en")),
        (
            {"report_type": "stolen_vehicle"},
            ("call_311", ["report_type"], "stolen_vehicle", "en"),
        ),
        ({"report_type": "identity_theft"}, ("eligible", [], "identity_theft", "en")),
    ],
    ids=[
        "emergency",
        "emergency-two-reasons",
        "major-crime",
        "officer",
        "outside-city",
        "not-sure-of-city",
        "stolen-vehicle",
        "eligible",
    ],
)
def test_each_decision_is_counted_once(client, db, changes, expected):
    screen(client, **changes)

    assert [counted(row) for row in ScreeningOutcome.objects.all()] == [expected]


def test_decision_is_counted_to_the_hour_only(client, db):
    with freeze_time("2026-03-02 14:37:12.345678"):
        screen(client)

    row = ScreeningOutcome.objects.get()
    assert row.decided_hour == datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)


def test_count_holds_nothing_that_could_identify_anyone():
    field_names = {field.name for field in ScreeningOutcome._meta.get_fields()}

    # "count" is how many decisions the row stands for (old rows are merged per day).
    assert field_names == {
        "id",
        "outcome",
        "reasons",
        "report_type",
        "language",
        "decided_hour",
        "count",
    }


@pytest.mark.parametrize(
    ("page", "earlier_pages", "answers"),
    [
        ("now", [], dict.fromkeys(NOW_KEYS, "no")),
        ("incident", ["now"], dict.fromkeys(INCIDENT_KEYS, "no")),
        ("now", [], {"emergency": "yes"}),  # incomplete: refused, not decided
        ("place", ["now", "incident"], {"in_city": "yes", "report_type": "burglary"}),
    ],
    ids=["now-all-no", "incident-all-no", "now-incomplete", "place-refused"],
)
def test_page_that_does_not_decide_counts_nothing(client, db, page, earlier_pages, answers):
    for earlier in earlier_pages:
        keys = dict(PAGES)[earlier]
        client.post(f"/screening/{earlier}/", {key: ELIGIBLE_THEFT[key] for key in keys})

    client.post(f"/screening/{page}/", answers)

    assert ScreeningOutcome.objects.count() == 0


def test_showing_the_result_again_counts_nothing_more(client, db):
    screen(client, in_city="no")

    client.get("/screening/result/")
    client.get("/screening/result/")

    assert ScreeningOutcome.objects.count() == 1


def test_screening_twice_counts_twice(client, db):
    screen(client)
    client.get("/screening/")
    screen(client, major_crime="yes")

    assert [row.outcome for row in ScreeningOutcome.objects.order_by("id")] == [
        "eligible",
        "major_crime_911",
    ]
