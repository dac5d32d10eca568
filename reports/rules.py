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
