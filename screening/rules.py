"""Who may file a police report online: the screening decision as a pure function.

The rules come from the Minneapolis Police Department's explanation of 911 and 311
(the project's source document). In its words: call 911 "if you need the police to
come to your location", for "any type of crime that is in progress", for "currently
occurring suspicious activity", for "an imminent threat to someone's property, safety
or health", for "major crimes like robbery, assault, burglary, arson", and when there
are "witnesses to interview, physical evidence to collect or other reason for a police
officer to respond in person". Only a limited list of already-happened crimes may be
reported by 311 or online. "If you're ever in doubt as to which number to call use 911",
so every "unsure" on a safety question counts as "yes".

This module imports nothing from Django so that it can be read, reviewed and tested alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

YES, NO, UNSURE = "yes", "no", "unsure"
ANSWER_VALUES = frozenset({YES, NO, UNSURE})

# Questions in the order the rules (and the resident) meet them. The order matters: a
# decision's reasons are listed in this order.
NOW_KEYS = ("emergency", "in_progress", "suspicious_now", "threat")
MAJOR_CRIME_KEYS = ("major_crime",)
OFFICER_KEYS = ("witnesses", "evidence", "officer_needed")
PLACE_KEYS = ("in_city",)
YES_NO_KEYS = NOW_KEYS + MAJOR_CRIME_KEYS + OFFICER_KEYS + PLACE_KEYS
REPORT_TYPE_KEY = "report_type"
ALL_KEYS = (*YES_NO_KEYS, REPORT_TYPE_KEY)

# The crimes the source document lets 311 (and so the online form) take a report for.
ONLINE_REPORT_TYPES = (
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
# A stolen vehicle must go into the national stolen-vehicle database at once, which
# needs a call; "other" is anything the list above does not cover.
PHONE_ONLY_REPORT_TYPES = ("stolen_vehicle", "other")
REPORT_TYPES = ONLINE_REPORT_TYPES + PHONE_ONLY_REPORT_TYPES

EMERGENCY_911 = "emergency_911"
MAJOR_CRIME_911 = "major_crime_911"
OFFICER_911 = "officer_911"
OUTSIDE_CITY = "outside_city"
CALL_311 = "call_311"
ELIGIBLE = "eligible"
OUTCOMES_911 = (EMERGENCY_911, MAJOR_CRIME_911, OFFICER_911)
OUTCOMES = (*OUTCOMES_911, OUTSIDE_CITY, CALL_311, ELIGIBLE)


@dataclass(frozen=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...] = ()

    @property
    def needs_911(self) -> bool:
        return self.outcome in OUTCOMES_911

    @property
    def eligible(self) -> bool:
        return self.outcome == ELIGIBLE


def _not_no(answers: Mapping[str, str], keys: tuple[str, ...]) -> tuple[str, ...]:
    # "unsure" is treated as "yes": if in doubt, call 911.
    return tuple(key for key in keys if answers[key] != NO)


def _check_value(key: str, value: object) -> None:
    if key == REPORT_TYPE_KEY:
        if value not in REPORT_TYPES:
            raise ValueError(f"{key}: unknown report type {value!r}")
    elif value not in ANSWER_VALUES:
        raise ValueError(f"{key}: expected one of yes, no, unsure, got {value!r}")


# The 911 rules in precedence order: the questions each looks at, and its outcome.
SAFETY_RULES = (
    (NOW_KEYS, EMERGENCY_911),
    (MAJOR_CRIME_KEYS, MAJOR_CRIME_911),
    (OFFICER_KEYS, OFFICER_911),
)


def _safety_decision(answers: Mapping[str, str]) -> Decision | None:
    """The first 911 rule that fires, or None. Stops at the first rule whose questions
    have not all been answered yet (only possible for partial answers)."""
    for keys, outcome in SAFETY_RULES:
        if not all(key in answers for key in keys):
            return None
        if reasons := _not_no(answers, keys):
            return Decision(outcome, reasons)
    return None


def evaluate(answers: Mapping[str, str]) -> Decision:
    """Decide whether an incident may be reported online. First matching rule wins.

    1. emergency_911   -- anything happening now: emergency, crime in progress,
                          suspicious activity now, imminent threat.
    2. major_crime_911 -- robbery, assault, burglary, arson and other major crimes.
    3. officer_911     -- witnesses, evidence or another reason for an officer in person.
    4. outside_city    -- it happened outside the city.
    5. call_311        -- not sure whether it was in the city, or a type that cannot be
                          filed online (stolen vehicle, other).
    6. eligible        -- may be filed online.

    Raises ValueError naming the key for a missing key, an extra key or a value outside
    the allowed set.
    """
    missing = [key for key in ALL_KEYS if key not in answers]
    if missing:
        raise ValueError(f"{missing[0]}: answer missing")
    extra = sorted(key for key in answers if key not in ALL_KEYS)
    if extra:
        raise ValueError(f"{extra[0]}: not a screening question")
    for key in ALL_KEYS:
        _check_value(key, answers[key])

    if decision := _safety_decision(answers):
        return decision
    if answers["in_city"] == NO:
        return Decision(OUTSIDE_CITY, ("in_city",))
    if answers["in_city"] == UNSURE:
        return Decision(CALL_311, ("in_city",))
    if answers[REPORT_TYPE_KEY] in PHONE_ONLY_REPORT_TYPES:
        return Decision(CALL_311, (REPORT_TYPE_KEY,))
    return Decision(ELIGIBLE)


def evaluate_early(answers: Mapping[str, str]) -> Decision | None:
    """Return the 911 decision that answers given so far already force, or None.

    The screening asks its questions a few at a time; once a safety answer sends the
    resident to 911, the remaining questions cannot change that (911 outcomes come
    first in evaluate()), so the questionnaire stops there. Keys must be questions in
    the order asked: the 911 rules are only checked once all of their keys are present.
    Raises ValueError for unknown keys or values.
    """
    for key, value in answers.items():
        if key not in ALL_KEYS:
            raise ValueError(f"{key}: not a screening question")
        _check_value(key, value)
    return _safety_decision(answers)
