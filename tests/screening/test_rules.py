"""The screening decision (screening.rules) on its own: every rule, its reasons and its place
in the order of precedence, and the refusal of malformed answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening import rules
from screening.rules import Decision, evaluate, evaluate_early

NOW_KEYS = ("emergency", "in_progress", "suspicious_now", "threat")
OFFICER_KEYS = ("witnesses", "evidence", "officer_needed")
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

# Everything answered the way that lets a theft be reported online.
ELIGIBLE_ANSWERS = {
    "emergency": "no",
    "in_progress": "no",
    "suspicious_now": "no",
    "threat": "no",
    "major_crime": "no",
    "witnesses": "no",
    "evidence": "no",
    "officer_needed": "no",
    "in_city": "yes",
    "report_type": "theft",
}
ALL_KEYS = tuple(ELIGIBLE_ANSWERS)


def answers(**changes: str) -> dict[str, str]:
    return {**ELIGIBLE_ANSWERS, **changes}


# --- evaluate: one rule at a time ------------------------------------------------------


@pytest.mark.parametrize("answer", ["yes", "unsure"])
@pytest.mark.parametrize("key", NOW_KEYS)
def test_anything_happening_now_goes_to_911(key, answer):
    decision = evaluate(answers(**{key: answer}))

    assert decision == Decision("emergency_911", (key,))


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"emergency": "unsure", "threat": "yes"}, ("emergency", "threat")),
        ({"threat": "yes", "in_progress": "yes"}, ("in_progress", "threat")),
        ({"suspicious_now": "unsure", "in_progress": "unsure"}, ("in_progress", "suspicious_now")),
        (dict.fromkeys(NOW_KEYS, "yes"), NOW_KEYS),
    ],
)
def test_emergency_reasons_are_listed_in_question_order(changes, reasons):
    # The answers are given in reverse question order: the reasons must not follow them.
    given_answers = dict(reversed(answers(**changes).items()))

    decision = evaluate(given_answers)

    assert decision == Decision("emergency_911", reasons)


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_major_crime_goes_to_911(answer):
    decision = evaluate(answers(major_crime=answer))

    assert decision == Decision("major_crime_911", ("major_crime",))


@pytest.mark.parametrize("answer", ["yes", "unsure"])
@pytest.mark.parametrize("key", OFFICER_KEYS)
def test_needing_an_officer_goes_to_911(key, answer):
    decision = evaluate(answers(**{key: answer}))

    assert decision == Decision("officer_911", (key,))


def test_officer_reasons_are_listed_in_question_order():
    decision = evaluate(answers(officer_needed="yes", witnesses="unsure", evidence="yes"))

    assert decision == Decision("officer_911", OFFICER_KEYS)


def test_crime_outside_the_city_goes_to_the_local_police():
    decision = evaluate(answers(in_city="no"))

    assert decision == Decision("outside_city", ("in_city",))


def test_not_sure_whether_in_the_city_goes_to_311():
    decision = evaluate(answers(in_city="unsure"))

    assert decision == Decision("call_311", ("in_city",))


@pytest.mark.parametrize("report_type", ["stolen_vehicle", "other"])
def test_phone_only_report_types_go_to_311(report_type):
    decision = evaluate(answers(report_type=report_type))

    assert decision == Decision("call_311", ("report_type",))


@pytest.mark.parametrize("report_type", ONLINE_TYPES)
def test_online_report_types_are_eligible(report_type):
    decision = evaluate(answers(report_type=report_type))

    assert decision == Decision("eligible", ())


def test_online_report_types_are_the_ones_the_source_document_lists():
    assert rules.ONLINE_REPORT_TYPES == ONLINE_TYPES
    assert rules.PHONE_ONLY_REPORT_TYPES == ("stolen_vehicle", "other")


@pytest.mark.parametrize(
    ("outcome", "needs_911", "eligible"),
    [
        ("emergency_911", True, False),
        ("major_crime_911", True, False),
        ("officer_911", True, False),
        ("outside_city", False, False),
        ("call_311", False, False),
        ("eligible", False, True),
    ],
)
def test_decision_says_whether_911_is_needed_and_whether_online_is_allowed(
    outcome, needs_911, eligible
):
    decision = Decision(outcome)

    assert (decision.needs_911, decision.eligible) == (needs_911, eligible)


# --- evaluate: precedence --------------------------------------------------------------

EVERYTHING_WRONG = answers(
    emergency="yes",
    threat="unsure",
    major_crime="yes",
    evidence="yes",
    in_city="no",
    report_type="stolen_vehicle",
)


@pytest.mark.parametrize(
    ("cleared", "expected"),
    [
        ((), Decision("emergency_911", ("emergency", "threat"))),
        (("emergency", "threat"), Decision("major_crime_911", ("major_crime",))),
        (("emergency", "threat", "major_crime"), Decision("officer_911", ("evidence",))),
        (
            ("emergency", "threat", "major_crime", "evidence"),
            Decision("outside_city", ("in_city",)),
        ),
    ],
    ids=[
        "emergency-beats-major-crime",
        "major-crime-beats-officer",
        "officer-beats-outside-city",
        "outside-city-beats-phone-only-type",
    ],
)
def test_first_matching_rule_wins(cleared, expected):
    given_answers = {**EVERYTHING_WRONG, **dict.fromkeys(cleared, "no")}

    decision = evaluate(given_answers)

    assert decision == expected


def test_not_sure_of_the_city_is_the_reason_even_for_a_phone_only_type():
    decision = evaluate(answers(in_city="unsure", report_type="stolen_vehicle"))

    assert decision == Decision("call_311", ("in_city",))


def test_phone_only_type_beats_eligible():
    decision = evaluate(answers(report_type="other"))

    assert decision.outcome == "call_311"


# --- evaluate: malformed answers -------------------------------------------------------


@pytest.mark.parametrize("key", ALL_KEYS)
def test_missing_answer_is_refused_naming_the_key(key):
    given_answers = answers()
    del given_answers[key]

    with pytest.raises(ValueError, match=rf"^{key}: answer missing$"):
        evaluate(given_answers)


def test_extra_answer_is_refused_naming_the_key():
    with pytest.raises(ValueError, match=r"^weapon: not a screening question$"):
        evaluate(answers(weapon="no"))


@pytest.mark.parametrize("key", ALL_KEYS[:-1])
def test_answer_other_than_yes_no_unsure_is_refused_naming_the_key(key):
    with pytest.raises(ValueError, match=rf"^{key}: .*'maybe'"):
        evaluate(answers(**{key: "maybe"}))


@pytest.mark.parametrize("report_type", ["burglary", "", "THEFT", "yes"])
def test_unknown_report_type_is_refused_naming_the_key(report_type):
    with pytest.raises(ValueError, match=rf"^report_type: unknown report type {report_type!r}$"):
        evaluate(answers(report_type=report_type))


def test_non_string_answer_is_refused_naming_the_key():
    with pytest.raises(ValueError, match=r"^threat: "):
        evaluate(answers(threat=None))


# --- evaluate_early --------------------------------------------------------------------


@pytest.mark.parametrize(
    "given_answers",
    [
        {},
        {"emergency": "yes"},
        {"emergency": "no", "in_progress": "unsure", "suspicious_now": "yes"},
        dict.fromkeys(NOW_KEYS, "no"),
        {**dict.fromkeys(NOW_KEYS, "no"), "major_crime": "no", "witnesses": "yes"},
        {**dict.fromkeys(NOW_KEYS, "no"), "major_crime": "no", "evidence": "unsure"},
        {k: v for k, v in ELIGIBLE_ANSWERS.items() if k not in ("in_city", "report_type")},
        ELIGIBLE_ANSWERS,
        answers(in_city="no", report_type="stolen_vehicle"),
    ],
    ids=[
        "nothing-answered",
        "one-now-question-answered",
        "three-now-questions-answered",
        "now-all-no",
        "officer-group-incomplete",
        "officer-group-incomplete-unsure",
        "safety-all-no",
        "eligible",
        "outside-city-is-not-decided-early",
    ],
)
def test_early_decision_waits_until_a_group_is_complete_and_fires(given_answers):
    assert evaluate_early(given_answers) is None


@pytest.mark.parametrize(
    ("given_answers", "expected"),
    [
        (
            {"emergency": "no", "in_progress": "yes", "suspicious_now": "no", "threat": "unsure"},
            Decision("emergency_911", ("in_progress", "threat")),
        ),
        (
            {**dict.fromkeys(NOW_KEYS, "no"), "major_crime": "unsure"},
            Decision("major_crime_911", ("major_crime",)),
        ),
        (
            {**dict.fromkeys(NOW_KEYS, "no"), "major_crime": "yes", "witnesses": "yes"},
            Decision("major_crime_911", ("major_crime",)),
        ),
        (
            {
                **dict.fromkeys(NOW_KEYS, "no"),
                "major_crime": "no",
                "witnesses": "no",
                "evidence": "yes",
                "officer_needed": "no",
            },
            Decision("officer_911", ("evidence",)),
        ),
    ],
    ids=["emergency", "major-crime", "major-crime-before-officer-group-done", "officer"],
)
def test_early_decision_sends_to_911_as_soon_as_a_group_fires(given_answers, expected):
    assert evaluate_early(given_answers) == expected


@pytest.mark.parametrize(
    ("given_answers", "message"),
    [
        ({"weapon": "yes"}, r"^weapon: not a screening question$"),
        ({"emergency": "maybe"}, r"^emergency: .*'maybe'"),
        ({"report_type": "burglary"}, r"^report_type: unknown report type 'burglary'$"),
    ],
)
def test_early_decision_refuses_malformed_answers_naming_the_key(given_answers, message):
    with pytest.raises(ValueError, match=message):
        evaluate_early(given_answers)


_answer = st.sampled_from(["yes", "no", "unsure"])
_complete_answers = st.fixed_dictionaries(
    {
        **dict.fromkeys(ALL_KEYS[:-1], _answer),
        "report_type": st.sampled_from(rules.REPORT_TYPES),
    }
)


@given(_complete_answers)
def test_early_decision_never_contradicts_the_full_decision(complete):
    # Each prefix of the questions, in the order asked, as the pages would submit them.
    full = evaluate(complete)
    for size in range(len(ALL_KEYS) + 1):
        early = evaluate_early({key: complete[key] for key in ALL_KEYS[:size]})
        if early is not None:
            assert early == full


SAFETY_KEYS = (*NOW_KEYS, "major_crime", *OFFICER_KEYS)


@given(_complete_answers)
def test_unsure_on_a_safety_question_counts_as_yes(complete):
    unsure_as_yes = {
        key: "yes" if key in SAFETY_KEYS and value == "unsure" else value
        for key, value in complete.items()
    }

    assert evaluate(complete) == evaluate(unsure_as_yes)


# --- no Django -------------------------------------------------------------------------


def test_rules_module_imports_nothing_from_django():
    source = Path(rules.__file__).read_text()

    django_imports = [
        line for line in source.splitlines() if re.match(r"\s*(from|import)\s+django\b", line)
    ]

    assert django_imports == []
