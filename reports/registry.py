"""The one registry of report types that may be filed online.

Each entry says, for one type: its name and plain-language description (screening),
its FBI NIBRS offense code (clerks, PDF, CSV), and the wizard steps it asks (reports).
Adding a report type means adding one entry here (and its type-specific form).
Which types may be filed online at all is a screening rule (screening.rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from screening import rules


def flow(*specific: str, when: str = "when_where", person: str | None = "person_responsible"):
    """A type's wizard steps: the common ones around its own, in the order asked."""
    return (
        "about_you",
        when,
        *specific,
        *((person,) if person else ()),
        "narrative",
        "attachments",
        "review",
        "declaration",
    )


@dataclass(frozen=True)
class ReportType:
    slug: str
    label: Promise
    summary: Promise
    nibrs_code: str  # "" when the report is not a crime (lost property)
    nibrs_label: str
    steps: tuple[str, ...]
    # Flows where the person responsible may be close to the resident: every page has
    # a "Leave this site quickly" button.
    sensitive: bool = False


REPORT_TYPES: dict[str, ReportType] = {
    t.slug: t
    for t in (
        ReportType(
            "theft",
            _("Theft"),
            _("Something was stolen, such as a bicycle, a package or mail, or things from a yard."),
            "23H",
            "All Other Larceny",
            flow("theft_details", "items"),
        ),
        ReportType(
            "theft_from_vehicle",
            _("Theft from a vehicle"),
            _("Something was taken from inside or off your car, truck or motorcycle."),
            "23F",
            "Theft From Motor Vehicle",
            flow("vehicle", "items"),
        ),
        ReportType(
            "property_damage",
            _("Property damage"),
            _("A building, window, fence or other property was damaged, or marked with graffiti."),
            "290",
            "Destruction/Damage/Vandalism of Property",
            flow("property_damage"),
        ),
        ReportType(
            "vehicle_damage",
            _("Damage to a vehicle"),
            _("Your parked vehicle was damaged, including a hit-and-run where no one was hurt."),
            "290",
            "Destruction/Damage/Vandalism of Property",
            flow("vehicle_damage"),
        ),
        ReportType(
            "harassment",
            _("Harassment"),
            _(
                "Someone keeps calling, texting, messaging or bothering you after you asked them to stop."
            ),
            "13C",
            "Intimidation",
            flow("harassment", person="person_responsible_required"),
            sensitive=True,
        ),
        ReportType(
            "lost_property",
            _("Lost property"),
            _("You lost something and need a police report, for example for insurance."),
            "",
            "",
            flow("items", when="when_last_seen", person=None),
        ),
        ReportType(
            "order_violation",
            _("Restraining order violation"),
            _(
                "Someone broke an Order for Protection, a Harassment Restraining Order or a No Contact Order."
            ),
            "90Z",
            "All Other Offenses",
            flow("court_order"),
            sensitive=True,
        ),
        ReportType(
            "visitation_violation",
            _("Visitation rights violation"),
            _("The other parent did not follow a court order about parenting time or visits."),
            "90Z",
            "All Other Offenses",
            flow("visitation", "children", person=None),
            sensitive=True,
        ),
        ReportType(
            "identity_theft",
            _("Identity theft"),
            _(
                "Someone used your name, Social Security number, bank account or card without permission."
            ),
            "26F",
            "Identity Theft",
            flow("identity_theft", "accounts", when="when_discovered"),
        ),
    )
}

assert tuple(REPORT_TYPES) == rules.ONLINE_REPORT_TYPES, "the registry lists the online types"


def get(slug: str) -> ReportType | None:
    return REPORT_TYPES.get(slug)
