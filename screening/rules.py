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

An agency's own policy (screening.policy: types it keeps off, value caps, a known
suspect, property it takes by phone, ZIP codes, its own questions) adds to these rules;
without one they are the source document's alone. This module imports nothing from
Django so that it can be read, reviewed and tested alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from screening.policy import (
    BANNED_KEY,
    DEFAULT_POLICY,
    FORCE_911,
    FORCE_PHONE,
    FORCE_REFERRAL,
    OVER_CAP_KEY,
    REGISTRY_TYPES,
    SUSPECT_911,
    SUSPECT_KEY,
    ZIP_KEY,
    Policy,
)

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
assert ONLINE_REPORT_TYPES == REGISTRY_TYPES, "the policy knows the same report types"
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


def _check_policy_keys(answers: Mapping[str, str], policy: Policy) -> tuple[str, ...]:
    """Check the answers to the questions the policy adds; return the keys it needs."""
    detail = policy.detail_keys(answers[REPORT_TYPE_KEY])
    for key in detail:
        if key not in answers:
            raise ValueError(f"{key}: answer missing")
        if answers[key] not in (YES, NO):
            raise ValueError(f"{key}: expected yes or no, got {answers[key]!r}")
    if ZIP_KEY in answers and not (
        isinstance(answers[ZIP_KEY], str) and (answers[ZIP_KEY] == "" or len(answers[ZIP_KEY]) == 5)
    ):
        raise ValueError(f"{ZIP_KEY}: expected a 5-digit ZIP code, got {answers[ZIP_KEY]!r}")
    return detail


def _allowed_keys(answers: Mapping[str, str], policy: Policy) -> set[str]:
    allowed = set(ALL_KEYS)
    if policy.has_zip_list:
        allowed.add(ZIP_KEY)
    if answers.get(REPORT_TYPE_KEY) in REPORT_TYPES:
        allowed.update(policy.detail_keys(answers[REPORT_TYPE_KEY]))
    return allowed


def _forced(answers: Mapping[str, str], policy: Policy, forced: str) -> tuple[str, ...]:
    """The agency's own questions whose answers force `forced`, in the order asked."""
    return tuple(
        question.answer_key
        for question in policy.extra_questions
        if question.answer_key in answers
        and question.forced(answers[question.answer_key]) == forced
    )


def evaluate(answers: Mapping[str, str], policy: Policy | None = None) -> Decision:
    """Decide whether an incident may be reported online. First matching rule wins.

    1. emergency_911   -- anything happening now: emergency, crime in progress,
                          suspicious activity now, imminent threat.
    2. major_crime_911 -- robbery, assault, burglary, arson and other major crimes.
    3. officer_911     -- witnesses, evidence or another reason for an officer in person;
                          an agency question whose answer means 911.
    4. outside_city    -- it happened outside the city (or in a ZIP code outside it); an
                          agency question whose answer means "another agency".
    5. call_311        -- not sure whether it was in the city, or a type that cannot be
                          filed online (stolen vehicle, other, a type the agency keeps
                          off), a known suspect the agency wants by phone, property it
                          takes by phone only, a value over its cap, an agency question
                          whose answer means "call".
    6. eligible        -- may be filed online.

    `policy` is the agency's (screening.policy); None is the source document's rules,
    under which the policy adds no question. A known suspect the agency sends to 911
    is an officer_911.

    Raises ValueError naming the key for a missing key, an extra key or a value outside
    the allowed set.
    """
    policy = DEFAULT_POLICY if policy is None else policy
    zip_place = policy.zip_decides(answers.get(ZIP_KEY, "")) if policy.has_zip_list else None
    # A ZIP code inside or outside the area settles the place question: it is not asked.
    required = ALL_KEYS if zip_place is None else tuple(k for k in ALL_KEYS if k != "in_city")
    missing = [key for key in required if key not in answers]
    if missing:
        raise ValueError(f"{missing[0]}: answer missing")
    allowed = _allowed_keys(answers, policy)
    extra = sorted(key for key in answers if key not in allowed)
    if extra:
        raise ValueError(f"{extra[0]}: not a screening question")
    for key in required:
        _check_value(key, answers[key])
    _check_policy_keys(answers, policy)

    if decision := _safety_decision(answers):
        return decision
    if reasons := _forced(answers, policy, FORCE_911):
        return Decision(OFFICER_911, reasons)
    if zip_place == "outside":
        return Decision(OUTSIDE_CITY, (ZIP_KEY,))
    if zip_place is None and answers["in_city"] == NO:
        return Decision(OUTSIDE_CITY, ("in_city",))
    if zip_place is None and answers["in_city"] == UNSURE:
        return Decision(CALL_311, ("in_city",))
    if reasons := _forced(answers, policy, FORCE_REFERRAL):
        return Decision(OUTSIDE_CITY, reasons)
    report_type = answers[REPORT_TYPE_KEY]
    if report_type in PHONE_ONLY_REPORT_TYPES or not policy.is_online(report_type):
        return Decision(CALL_311, (REPORT_TYPE_KEY,))
    if policy.asks_suspect(report_type) and answers[SUSPECT_KEY] == YES:
        rule = policy.type_rule(report_type)
        outcome = OFFICER_911 if rule.suspect_rule == SUSPECT_911 else CALL_311
        return Decision(outcome, (SUSPECT_KEY,))
    if policy.asks_banned(report_type) and answers[BANNED_KEY] == YES:
        return Decision(CALL_311, (BANNED_KEY,))
    if policy.value_cap(report_type) is not None and answers[OVER_CAP_KEY] == YES:
        return Decision(CALL_311, (OVER_CAP_KEY,))
    if reasons := _forced(answers, policy, FORCE_PHONE):
        return Decision(CALL_311, reasons)
    return Decision(ELIGIBLE)


def evaluate_early(answers: Mapping[str, str], policy: Policy | None = None) -> Decision | None:
    """Return the 911 decision that answers given so far already force, or None.

    The screening asks its questions a few at a time; once a safety answer sends the
    resident to 911, the remaining questions cannot change that (911 outcomes come
    first in evaluate()), so the questionnaire stops there. Keys must be questions in
    the order asked: the 911 rules are only checked once all of their keys are present.
    Raises ValueError for unknown keys or values. The policy's own questions come after
    the report type, so they never decide early (evaluate() decides with them).
    """
    policy = DEFAULT_POLICY if policy is None else policy
    allowed = _allowed_keys(answers, policy)
    for key, value in answers.items():
        if key not in allowed:
            raise ValueError(f"{key}: not a screening question")
        if key in ALL_KEYS:
            _check_value(key, value)
    return _safety_decision(answers)


def items_decision(
    policy: Policy | None, report_type: str, texts: Iterable[str], total: Decimal | None
) -> Decision | None:
    """The report's items, met again under the agency's policy: property it takes by
    phone only (named in an item's words) or a total over its cap sends the resident to
    the phone. `texts` are each item's words (kind, description, brand, model)."""
    policy = DEFAULT_POLICY if policy is None else policy
    for text in texts:
        if (banned := policy.banned_in(text)) is not None:
            return Decision(CALL_311, (f"banned:{banned.key}",))
    cap = policy.value_cap(report_type)
    if cap is not None and total is not None and total > cap:
        return Decision(CALL_311, (OVER_CAP_KEY,))
    return None


def repair_decision(
    policy: Policy | None, report_type: str, repair_cost: Decimal | None
) -> Decision | None:
    """A repair estimate over the agency's cap for the type sends the resident to the phone."""
    policy = DEFAULT_POLICY if policy is None else policy
    cap = policy.value_cap(report_type)
    if cap is not None and repair_cost is not None and repair_cost > cap:
        return Decision(CALL_311, (OVER_CAP_KEY,))
    return None
