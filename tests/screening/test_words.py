"""The screening in words for staff and copies (screening.reasons, screening.questions):
no stored key or code is ever shown."""

from __future__ import annotations

import pytest

from screening.questions import answer_rows
from screening.reasons import reason_words


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("in_progress", "Crime happening now"),
        ("major_crime", "Major crime"),
        ("odd_new", "Odd new"),
        ("suspect_known", "The person responsible is known"),
        ("extra_freeway", "Agency question: freeway"),
        ("banned:fireworks", "Property reported by phone only: fireworks"),
    ],
)
def test_a_screening_reason_reads_as_words(reason, words):
    assert reason_words(reason) == words


def test_answers_read_as_the_questions_asked_in_the_screenings_order(settings):
    settings.CITY_NAME = "Minneapolis"
    answers = {
        "report_type": "theft",
        "in_progress": "no",
        "in_city": "yes",
        "witnesses": "unsure",
        "extra_freeway": "no",
    }

    rows = answer_rows(answers)

    assert rows == [
        ("Is the crime happening right now?", "No"),
        ("Are there witnesses the police need to talk to?", "Not sure"),
        ("Did it happen in Minneapolis?", "Yes"),
        ("Agency question: freeway", "No"),
    ]
