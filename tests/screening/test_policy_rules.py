"""The agency's policy (screening.policy) in the screening decision: the default decides
exactly as the source document's rules on every combination, and each policy rule (types
kept off, value caps, a known suspect, property taken by phone only, ZIP codes, the
agency's own questions) sends the resident where the agency says."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from screening import rules
from screening.forms import screening_pages
from screening.policy import (
    DEFAULT_POLICY,
    PolicyError,
    Words,
    policy_from_document,
    policy_to_document,
)
from screening.rules import Decision, evaluate, items_decision, repair_decision

POLICIES = Path(__file__).resolve().parents[2] / "screening" / "policies"
SAFETY_KEYS = rules.NOW_KEYS + rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS
ELIGIBLE = {**dict.fromkeys(SAFETY_KEYS, "no"), "in_city": "yes", "report_type": "theft"}


def seed_decision(answers: dict[str, str]) -> Decision:
    """The source document's rules as they were decided before agencies had a policy,
    written out again: the reference every default decision must match."""
    now = tuple(k for k in rules.NOW_KEYS if answers[k] != "no")
    if now:
        return Decision("emergency_911", now)
    if answers["major_crime"] != "no":
        return Decision("major_crime_911", ("major_crime",))
    officer = tuple(k for k in rules.OFFICER_KEYS if answers[k] != "no")
    if officer:
        return Decision("officer_911", officer)
    if answers["in_city"] == "no":
        return Decision("outside_city", ("in_city",))
    if answers["in_city"] == "unsure":
        return Decision("call_311", ("in_city",))
    if answers["report_type"] in ("stolen_vehicle", "other"):
        return Decision("call_311", ("report_type",))
    return Decision("eligible")


def load(name: str):
    import tomllib

    return policy_from_document(tomllib.loads((POLICIES / name).read_text()))


def test_default_policy_decides_as_the_source_document_on_every_combination():
    minneapolis = load("minneapolis.toml")
    assert minneapolis == DEFAULT_POLICY
    values = ("yes", "no", "unsure")
    checked = 0
    for combo in itertools.product(values, repeat=len(SAFETY_KEYS) + 1):
        base = dict(zip((*SAFETY_KEYS, "in_city"), combo, strict=True))
        for report_type in rules.REPORT_TYPES:
            answers = {**base, "report_type": report_type}
            expected = seed_decision(answers)
            assert evaluate(answers) == expected
            assert evaluate(answers, DEFAULT_POLICY) == expected
            assert evaluate(answers, minneapolis) == expected
            checked += 1
    assert checked == 3**9 * 11


def policy(**types_and_more) -> object:
    """A policy from a small document: `types` per slug, plus any top-level tables."""
    return policy_from_document(types_and_more, version=7)


# --- report types offered online --------------------------------------------------------


@pytest.mark.parametrize(
    ("report_type", "expected"),
    [
        ("lost_property", Decision("call_311", ("report_type",))),
        ("theft", Decision("eligible")),
        ("stolen_vehicle", Decision("call_311", ("report_type",))),
    ],
)
def test_a_type_switched_off_goes_to_the_phone(report_type, expected):
    agency = policy(types={"lost_property": {"online": False}})

    assert evaluate({**ELIGIBLE, "report_type": report_type}, agency) == expected


# --- value caps ---------------------------------------------------------------------------

CAPPED = {"types": {"theft": {"value_cap": 500}, "vehicle_damage": {"value_cap": "1000.50"}}}


@pytest.mark.parametrize(
    ("report_type", "over_cap", "expected"),
    [
        ("theft", "yes", Decision("call_311", ("over_cap",))),
        ("theft", "no", Decision("eligible")),
        ("vehicle_damage", "yes", Decision("call_311", ("over_cap",))),
        ("vehicle_damage", "no", Decision("eligible")),
    ],
)
def test_a_value_over_the_cap_goes_to_the_phone(report_type, over_cap, expected):
    answers = {**ELIGIBLE, "report_type": report_type, "over_cap": over_cap}

    assert evaluate(answers, policy(**CAPPED)) == expected


def test_a_type_without_a_cap_is_not_asked_about_its_value():
    with pytest.raises(ValueError, match=r"^over_cap: not a screening question$"):
        evaluate({**ELIGIBLE, "report_type": "harassment", "over_cap": "no"}, policy(**CAPPED))


def test_a_capped_type_needs_the_value_answer():
    with pytest.raises(ValueError, match=r"^over_cap: answer missing$"):
        evaluate(ELIGIBLE, policy(**CAPPED))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["499.99"], None),
        (["500.00"], None),
        (["500.01"], Decision("call_311", ("over_cap",))),
        (["300", "300"], Decision("call_311", ("over_cap",))),
        ([], None),
    ],
)
def test_items_over_the_cap_are_caught_in_the_items_step(values, expected):
    total = sum((Decimal(v) for v in values), Decimal(0)) if values else None

    assert items_decision(policy(**CAPPED), "theft", ["a bike"], total) == expected


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        (Decimal("1000.50"), None),
        (Decimal("1000.51"), Decision("call_311", ("over_cap",))),
        (None, None),
    ],
)
def test_a_repair_over_the_cap_is_caught_in_the_damage_step(cost, expected):
    assert repair_decision(policy(**CAPPED), "vehicle_damage", cost) == expected


# --- a known suspect ----------------------------------------------------------------------

SUSPECT = {
    "types": {
        "theft": {"suspect_rule": "phone", "suspect_definition": {"en": "You know their name"}},
        "property_damage": {"suspect_rule": "911", "suspect_definition": "Their full name"},
    }
}


@pytest.mark.parametrize(
    ("report_type", "known", "expected"),
    [
        ("theft", "yes", Decision("call_311", ("suspect_known",))),
        ("theft", "no", Decision("eligible")),
        ("property_damage", "yes", Decision("officer_911", ("suspect_known",))),
        ("property_damage", "no", Decision("eligible")),
    ],
)
def test_a_known_suspect_goes_where_the_agency_says(report_type, known, expected):
    answers = {**ELIGIBLE, "report_type": report_type, "suspect_known": known}

    assert evaluate(answers, policy(**SUSPECT)) == expected


@pytest.mark.parametrize("report_type", ["harassment", "order_violation"])
def test_harassment_and_order_violations_keep_a_known_person_online(report_type):
    with pytest.raises(PolicyError, match="usually known"):
        policy(types={report_type: {"suspect_rule": "phone", "suspect_definition": "x"}})
    assert evaluate({**ELIGIBLE, "report_type": report_type}, policy(**SUSPECT)).eligible


# --- property taken by phone only -----------------------------------------------------------

BANNED = {
    "banned_property": [
        {
            "key": "firearms",
            "label": {"en": "Firearms"},
            "reason": {"en": "Call about guns."},
            "words": ["gun", "firearm", "pistola"],
        },
        {
            "key": "license_plates",
            "label": "License plates",
            "reason": "Plates go in the database.",
            "words": ["license plate"],
        },
    ]
}


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Black mountain bike"], None),
        (["Glock handgun"], None),
        (["my GUN"], Decision("call_311", ("banned:firearms",))),
        (["two guns"], Decision("call_311", ("banned:firearms",))),
        (["Una pistola negra"], Decision("call_311", ("banned:firearms",))),
        (["front License  Plate"], Decision("call_311", ("banned:license_plates",))),
        (["plate of glass", "shotgun microphone"], None),
        (["laptop", "gun safe key"], Decision("call_311", ("banned:firearms",))),
    ],
)
def test_banned_property_in_an_item_goes_to_the_phone(texts, expected):
    assert items_decision(policy(**BANNED), "theft", texts, None) == expected


@pytest.mark.parametrize(
    ("report_type", "answer", "expected"),
    [
        ("theft", "yes", Decision("call_311", ("banned_property",))),
        ("lost_property", "no", Decision("eligible")),
    ],
)
def test_the_screening_asks_about_banned_property_for_types_with_items(
    report_type, answer, expected
):
    answers = {**ELIGIBLE, "report_type": report_type, "banned_property": answer}

    assert evaluate(answers, policy(**BANNED)) == expected


def test_types_without_items_are_not_asked_about_banned_property():
    assert evaluate({**ELIGIBLE, "report_type": "harassment"}, policy(**BANNED)).eligible


# --- ZIP codes ------------------------------------------------------------------------------

ZIPS = {"jurisdiction": {"zip_codes_inside": ["55101", "55102"], "zip_codes_straddling": ["55108"]}}


@pytest.mark.parametrize(
    ("zip_code", "in_city", "expected"),
    [
        ("55101", None, Decision("eligible")),
        ("55199", None, Decision("outside_city", ("zip",))),
        ("55108", "yes", Decision("eligible")),
        ("55108", "no", Decision("outside_city", ("in_city",))),
        ("55108", "unsure", Decision("call_311", ("in_city",))),
        ("", "yes", Decision("eligible")),
        ("", "unsure", Decision("call_311", ("in_city",))),
    ],
)
def test_the_zip_code_settles_the_place_unless_it_straddles_the_line(zip_code, in_city, expected):
    answers = {**ELIGIBLE, "zip": zip_code}
    if in_city is None:
        del answers["in_city"]
    else:
        answers["in_city"] = in_city

    assert evaluate(answers, policy(**ZIPS)) == expected


def test_a_straddling_zip_code_needs_the_place_question():
    answers = {**ELIGIBLE, "zip": "55108"}
    del answers["in_city"]

    with pytest.raises(ValueError, match=r"^in_city: answer missing$"):
        evaluate(answers, policy(**ZIPS))


# --- the agency's own questions ---------------------------------------------------------------

EXTRA = {
    "extra_questions": [
        {
            "key": "freeway",
            "question": "On a freeway?",
            "reason": "State Patrol.",
            "if_yes": "referral",
        },
        {"key": "bias", "question": "Bias?", "reason": "Call us.", "if_yes": "phone"},
        {"key": "weapon", "question": "A weapon seen?", "reason": "911.", "if_yes": "911"},
        {"key": "insured", "question": "Insured?", "reason": "Call.", "if_no": "phone"},
    ]
}
EXTRA_ALL_FINE = {
    "extra_freeway": "no",
    "extra_bias": "no",
    "extra_weapon": "no",
    "extra_insured": "yes",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Decision("eligible")),
        ({"extra_freeway": "yes"}, Decision("outside_city", ("extra_freeway",))),
        ({"extra_bias": "yes"}, Decision("call_311", ("extra_bias",))),
        ({"extra_weapon": "yes"}, Decision("officer_911", ("extra_weapon",))),
        ({"extra_insured": "no"}, Decision("call_311", ("extra_insured",))),
        (
            {"extra_weapon": "yes", "extra_freeway": "yes"},
            Decision("officer_911", ("extra_weapon",)),
        ),
        (
            {"extra_bias": "yes", "extra_insured": "no"},
            Decision("call_311", ("extra_bias", "extra_insured")),
        ),
        ({"extra_freeway": "yes", "emergency": "yes"}, Decision("emergency_911", ("emergency",))),
    ],
)
def test_the_agency_questions_force_the_outcome_each_answer_says(changes, expected):
    answers = {**ELIGIBLE, **EXTRA_ALL_FINE, **changes}

    assert evaluate(answers, policy(**EXTRA)) == expected


def test_the_agency_questions_take_yes_or_no_only():
    with pytest.raises(ValueError, match=r"^extra_bias: expected yes or no"):
        evaluate({**ELIGIBLE, **EXTRA_ALL_FINE, "extra_bias": "unsure"}, policy(**EXTRA))


# --- the document -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        ({"types": {"burglary": {}}}, ("types", "burglary"), "not a report type"),
        ({"types": {"theft": {"value_cap": -5}}}, ("types", "theft", "value_cap"), "above 0"),
        ({"types": {"harassment": {"value_cap": 5}}}, ("types", "harassment", "value_cap"), "only"),
        ({"types": {"theft": {"online": "no"}}}, ("types", "theft", "online"), "true or false"),
        (
            {"types": {"theft": {"suspect_rule": "phone"}}},
            ("types", "theft", "suspect_definition"),
            "say what",
        ),
        ({"agency": {"min_reporter_age": 5}}, ("agency", "min_reporter_age"), "13 to 21"),
        ({"agency": {"colour": "blue"}}, ("agency", "colour"), "not a setting"),
        ({"agency": {"name": {"es": "Policía"}}}, ("agency", "name"), "English"),
        ({"agency": {"name": {"fr": "Police"}}}, ("agency", "name"), "unknown language"),
        (
            {"jurisdiction": {"zip_codes_inside": ["5540"]}},
            ("jurisdiction", "zip_codes_inside"),
            "5-digit",
        ),
        (
            {"jurisdiction": {"zip_codes_inside": ["55401"], "zip_codes_straddling": ["55401"]}},
            ("jurisdiction", "zip_codes_straddling"),
            "both",
        ),
        (
            {"jurisdiction": {"address_lookup_url": "http://x"}},
            ("jurisdiction", "address_lookup_url"),
            "https",
        ),
        (
            {"banned_property": [{"key": "Guns!", "label": "G", "reason": "R", "words": ["gun"]}]},
            ("banned_property", "1", "key"),
            "short name",
        ),
        (
            {"banned_property": [{"key": "guns", "label": "G", "reason": "R", "words": []}]},
            ("banned_property", "1", "words"),
            "list the words",
        ),
        (
            {"extra_questions": [{"key": "a", "question": "Q", "reason": "R"}]},
            ("extra_questions", "1", "if_yes"),
            "one of the answers",
        ),
        (
            {"extra_questions": [{"key": "a", "question": "Q", "reason": "R", "if_yes": "jail"}]},
            ("extra_questions", "1", "if_yes"),
            "911, phone",
        ),
    ],
)
def test_a_bad_policy_is_refused_naming_the_setting(document, path, message):
    with pytest.raises(PolicyError, match=message) as caught:
        policy_from_document(document)

    assert caught.value.path == path


@pytest.mark.parametrize("name", ["minneapolis.toml", "saint_paul.toml"])
def test_a_policy_document_reads_back_as_the_same_policy(name):
    agency = load(name)

    assert policy_from_document(policy_to_document(agency)) == agency


def test_saint_paul_keeps_order_violations_off_and_plates_off_the_form():
    saint_paul = load("saint_paul.toml")

    assert not saint_paul.is_online("order_violation")
    assert saint_paul.is_online("theft_from_vehicle")
    assert items_decision(saint_paul, "theft_from_vehicle", ["rear license plate"], None) == (
        Decision("call_311", ("banned:license_plates",))
    )
    freeway = {**ELIGIBLE, "extra_freeway": "yes", "extra_bias": "no", "banned_property": "no"}
    assert evaluate(freeway, saint_paul) == Decision("outside_city", ("extra_freeway",))


def test_a_missing_translation_reads_as_english_and_is_listed():
    words = Words.of({"en": "Theft", "es": "Robo"})

    assert (words.get("es"), words.get("so"), words.get("hmn-US")) == ("Robo", "Theft", "Theft")
    assert words.missing() == ("so", "hmn")
    assert ("agency.name", ("so", "hmn")) in load("saint_paul.toml").missing_translations()


def test_the_policy_knows_the_report_types_the_registry_has_forms_for():
    from reports.registry import REPORT_TYPES

    assert tuple(REPORT_TYPES) == tuple(rule.slug for rule in DEFAULT_POLICY.types)
    for slug, report_type in REPORT_TYPES.items():
        assert ("items" in report_type.steps) == (
            slug in ("theft", "theft_from_vehicle", "lost_property")
        )


def test_policy_module_imports_nothing_from_django():
    import re

    from screening import policy as policy_module

    source = Path(policy_module.__file__).read_text()
    assert not [
        line for line in source.splitlines() if re.match(r"\s*(from|import)\s+django\b", line)
    ]


# --- the pages a policy asks ----------------------------------------------------------------


def test_the_pages_a_policy_asks_are_made_once_not_for_every_resident():
    zips, suspect = policy(**ZIPS), policy(**SUSPECT)
    answered = {"report_type": "theft"}

    first, again = screening_pages(zips, answered), screening_pages(zips, answered)
    asked, asked_again = screening_pages(suspect, answered), screening_pages(suspect, answered)

    assert first[2].keys[0] == "zip" and first[2] is again[2]
    assert asked[-1].slug == "details" and asked[-1] is asked_again[-1]
    assert asked[-1].form_class.report_type == "theft"
    other = screening_pages(suspect, {"report_type": "property_damage"})[-1]
    assert other is not asked[-1] and other.form_class.report_type == "property_damage"
