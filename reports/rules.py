"""Business rules of filing a report: plain functions, no request or template in sight.

The traps: a few answers inside the report forms show that the incident is not one that
may be reported online after all (the screening's own rules, met again with more facts).
They return the screening Decision that sends the resident to 911.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from screening import rules as screening_rules
from screening.rules import Decision


def theft_trap(*, entered_building: str, force_or_threat: str) -> Decision | None:
    """Entering a building without permission is a burglary; force or threats against a
    person make it a robbery. Both are major crimes: 911."""
    if entered_building == "yes" or force_or_threat == "yes":
        return Decision(screening_rules.MAJOR_CRIME_911, ("major_crime",))
    return None


def injury_trap(*, anyone_hurt: str) -> Decision | None:
    """Anyone hurt (a hit-and-run with an injury) needs police and medical help: 911."""
    if anyone_hurt != "no":
        return Decision(screening_rules.EMERGENCY_911, ("emergency",))
    return None


def threat_now_trap(*, threat_now: str) -> Decision | None:
    """A threat happening now, or the person nearby now, is an imminent threat: 911."""
    if threat_now != "no":
        return Decision(screening_rules.EMERGENCY_911, ("threat",))
    return None


def total_value(items: Iterable[Mapping]) -> Decimal | None:
    """Sum of quantity x value each over items that state a value; None when none does."""
    values = [
        Decimal(item["quantity"] or 1) * item["value"]
        for item in items
        if item.get("value") is not None
    ]
    return sum(values, Decimal("0.00")) if values else None


def nibrs_code(report_type: str, nibrs_default: str, details: Mapping) -> str:
    """The FBI NIBRS offense code: the type's own, except theft from a business, which is
    shoplifting (23C) rather than all other larceny (23H)."""
    if report_type == "theft" and details.get("theft_kind") == "business":
        return "23C"
    return nibrs_default


# --- The review workflow ------------------------------------------------------------------
# Statuses and the only allowed transitions (see reports.enums.ReportStatus).
_S = "submitted", "in_review", "needs_info", "approved", "rejected", "duplicate", "closed"
SUBMITTED, IN_REVIEW, NEEDS_INFO, APPROVED, REJECTED, DUPLICATE, CLOSED = _S

CLERK_TRANSITIONS = frozenset(
    {
        (SUBMITTED, IN_REVIEW),  # a clerk claims it
        (IN_REVIEW, APPROVED),
        (IN_REVIEW, NEEDS_INFO),
        (IN_REVIEW, REJECTED),
        (IN_REVIEW, DUPLICATE),
    }
)
SUPERVISOR_TRANSITIONS = frozenset({(REJECTED, IN_REVIEW), (DUPLICATE, IN_REVIEW)})
# Not chosen by staff: the resident's supplement answers a request for information; the
# clock closes a request nobody answered.
RESIDENT_TRANSITIONS = frozenset({(NEEDS_INFO, IN_REVIEW)})
SYSTEM_TRANSITIONS = frozenset({(NEEDS_INFO, CLOSED)})


def transition_allowed(from_status: str, to_status: str, *, is_supervisor: bool) -> bool:
    """Whether a member of staff may move a report from one status to another."""
    if (from_status, to_status) in CLERK_TRANSITIONS:
        return True
    return is_supervisor and (from_status, to_status) in SUPERVISOR_TRANSITIONS


def next_statuses(from_status: str, *, is_supervisor: bool) -> list[str]:
    """The statuses staff may move a report to now, in workflow order."""
    return [s for s in _S if transition_allowed(from_status, s, is_supervisor=is_supervisor)]


def case_number(prefix: str, year: int, sequence: int) -> str:
    """The official case number: prefix, two-digit year, six-digit sequence."""
    return f"{prefix}-{year % 100:02d}-{sequence:06d}"
