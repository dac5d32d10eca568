"""What a report says in NIBRS terms: one Group A incident (offense, place, property,
victim, offender) read from a report, and the specification's edits that apply to the
offenses filed online, each a plain function that returns the problems in words.

Why a middle step: the edits and the XML both read this, so a test can check an edit
with a hand-made incident, and the XML writer only writes (reports.nibrs.xml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import registry, rules
from reports.enums import ItemCategory, PlaceKind, ReportingFor
from reports.models import Report
from reports.nibrs import codes

# --- Code tables: our answers -> the specification's codes --------------------------------

# "Kind of place" -> Location Type (data element 9).
LOCATION_CODES: dict[str, str] = {
    PlaceKind.HOME: "20",  # residence/home
    PlaceKind.STREET: "13",  # highway/road/alley/street/sidewalk
    PlaceKind.PARKING: "18",  # parking/drop lot/garage
    PlaceKind.BUSINESS: "05",  # commercial/office building
    # Cyberspace (58) is in the specification, but j:LocationCategoryCode in this schema
    # set (jxdm 5.2, fbi_ucr 3.2) stops at 57: other/unknown is what validates.
    PlaceKind.ONLINE: "25",
    PlaceKind.OTHER: "25",  # other/unknown
}

# Item category -> Property Description (data element 15).
PROPERTY_CODES: dict[str, str] = {
    ItemCategory.BICYCLE: "04",
    ItemCategory.ELECTRONICS: "75",  # portable electronic communications
    ItemCategory.JEWELRY: "17",
    ItemCategory.WALLET: "25",  # purses/handbags/wallets
    ItemCategory.PACKAGE: "77",  # other
    ItemCategory.TOOLS: "36",
    ItemCategory.CLOTHING: "06",
    ItemCategory.VEHICLE_PART: "38",
    ItemCategory.MONEY: "20",
    ItemCategory.OTHER: "77",
}

# Type Property Loss (data element 14), as the XML schema writes it (cjis-codes.xsd).
NONE, STOLEN, DAMAGED, RECOVERED, UNKNOWN_LOSS = (
    "NONE",
    "STOLEN",
    "DESTROYED_DAMAGED_VANDALIZED",
    "RECOVERED",
    "UNKNOWN",
)
LARCENY = {"23A", "23B", "23C", "23D", "23E", "23F", "23G", "23H"}
FRAUD = {"26A", "26B", "26C", "26D", "26E", "26F", "26G"}
# The loss types the specification allows with each offense (edit 081 of the NIBRS
# technical specification): larceny and fraud take stolen property, vandalism damaged.
ALLOWED_LOSS_TYPES: dict[str, frozenset[str]] = {
    **{code: frozenset({NONE, RECOVERED, STOLEN, UNKNOWN_LOSS}) for code in LARCENY | FRAUD},
    "290": frozenset({NONE, DAMAGED, UNKNOWN_LOSS}),
}
# Property that has no value of its own: the specification wants 0 for these (edit 391).
ZERO_VALUE_DESCRIPTIONS = frozenset({"09", "22", "48", "65", "66"})
# Victims of a crime against persons are people (individuals or officers).
PERSON_VICTIM_TYPES = frozenset({"I", "L"})
# Offenses that say whether cargo was stolen (data element 2A).
# The offenses that carry the cargo theft indicator (NIBRS User Manual: robbery,
# extortion, burglary, theft from a building or a vehicle, all other larceny, motor vehicle
# theft, the frauds but welfare fraud, embezzlement, bribery).
CARGO_THEFT_OFFENSES = frozenset(
    {"120", "210", "220", "23D", "23F", "23H", "240", "26A", "26B", "26C", "26E", "26F"}
    | {"26G", "270", "510"}
)

# What was damaged (property damage step) -> Property Description, by kind of place.
_STRUCTURE_BY_PLACE = {PlaceKind.HOME: "29", PlaceKind.BUSINESS: "31"}
_DAMAGE_OWNER_VICTIM = {"business": "B", "public": "G"}


@dataclass
class Property:
    loss: str
    description: str | None  # a Property Description code
    value: int | None  # whole dollars; None: not known
    quantity: int = 1
    what: str = ""  # in words, for the problems


@dataclass
class Victim:
    kind: str  # Type of Victim: I individual, B business, G government...
    age: int | None = None  # individuals only; None: unknown


@dataclass
class Incident:
    number: str
    when: dt.datetime | dt.date
    # True when `when` is the report date (only a range or the discovery date is known).
    report_date: bool
    offense: str
    location: str
    attempted: bool = False
    property: list[Property] = field(default_factory=list)
    victim: Victim = field(default_factory=lambda: Victim("I"))
    offender_known: bool = False


def offense_for(report: Report) -> str:
    """The offense code: as the clerk corrected it, else as the registry gives it."""
    if report.nibrs_code:
        return report.nibrs_code
    # A type no longer in the registry (an agency retired it) has no default offense:
    # the report then has no NIBRS document, rather than breaking every list it is in.
    known = registry.REPORT_TYPES.get(report.report_type)
    if known is None:
        return ""
    return rules.nibrs_code(report.report_type, known.nibrs_code, report.details)


def whole_dollars(value) -> int | None:
    """A money amount in whole dollars (NIBRS has no cents), None when not known."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _when(report: Report) -> tuple[dt.datetime | dt.date, bool]:
    # An exact time is the incident date and hour; a range, or identity theft dated by
    # its discovery, gives no incident date: the specification then wants the report
    # date with the report-date indicator.
    if report.occurred_end is None and report.report_type != "identity_theft":
        return timezone.localtime(report.occurred_start).replace(
            minute=0, second=0, microsecond=0
        ), False
    return timezone.localdate(report.submitted_at), True


def _items_property(report: Report, loss: str) -> list[Property]:
    return [
        Property(
            loss=loss,
            description=PROPERTY_CODES.get(item.category),
            value=None if item.value is None else whole_dollars(item.value * item.quantity),
            quantity=item.quantity,
            what=item.description,
        )
        for item in report.items.all()
    ]


def _damage_property(report: Report) -> list[Property]:
    details = report.details
    if report.report_type == "vehicle_damage":
        description, what = "03", _("the vehicle")  # automobile
    else:
        damaged = details.get("damaged") or ["other"]
        first = damaged[0]
        description = "77" if first == "other" else _STRUCTURE_BY_PLACE.get(report.place_kind, "35")
        what = _("the damaged property")
    value = whole_dollars(details.get("repair_cost"))
    # The specification's own word for a value nobody knows: one dollar.
    return [
        Property(
            loss=DAMAGED, description=description, value=1 if value is None else value, what=what
        )
    ]


def _identity_property(report: Report) -> list[Property]:
    # What is taken is the identity itself (no value of its own), plus any money lost.
    stolen = [Property(loss=STOLEN, description="66", value=0, what=_("the identity"))]
    lost = sum((a.amount for a in report.accounts.all() if a.amount is not None), Decimal(0))
    if lost > 0:
        stolen.append(
            Property(loss=STOLEN, description="20", value=whole_dollars(lost), what=_("money"))
        )
    return stolen


def _victim(report: Report, offense: str, incident_day: dt.date) -> Victim:
    if report.reporting_for == ReportingFor.BUSINESS:
        return Victim("B")
    if offense == "290" and report.report_type == "property_damage":
        owner_kind = _DAMAGE_OWNER_VICTIM.get(report.details.get("owner", ""))
        if owner_kind:
            return Victim(owner_kind)
    if report.reporting_for == ReportingFor.OTHER_PERSON:
        return Victim("I")  # a person whose age we never ask
    return Victim("I", age=age_on(report.reporter_date_of_birth, incident_day))


def incident_for(report: Report) -> Incident:
    """The report as one Group A incident. Call only for a Group A offense."""
    offense = offense_for(report)
    when, report_date = _when(report)
    if offense in LARCENY:
        prop = _items_property(report, STOLEN)
    elif offense == "290":
        prop = _damage_property(report)
    elif offense == "26F":
        prop = _identity_property(report)
    else:
        prop = []  # a crime against persons has no property segment
    day = when.date() if isinstance(when, dt.datetime) else when
    return Incident(
        number=report.case_number or "",
        when=when,
        report_date=report_date,
        offense=offense,
        location=LOCATION_CODES.get(report.place_kind, "25"),
        property=prop,
        victim=_victim(report, offense, day),
        # Only a person the resident named: "unknown" is what the specification wants
        # when nobody knows who did it.
        offender_known=any(p.name.strip() for p in report.people_responsible.all()),
    )


# --- The specification's edits that apply to these offenses ---------------------------------


def edit_loss_type_allowed(incident: Incident) -> list[str]:
    """Each property's loss type must be one the offense allows (edit 081)."""
    allowed = ALLOWED_LOSS_TYPES.get(incident.offense)
    if allowed is None:
        return []
    return [
        _("The property loss “%(loss)s” is not allowed with offense %(code)s.")
        % {"loss": p.loss.lower().replace("_", " "), "code": incident.offense}
        for p in incident.property
        if p.loss not in allowed
    ]


def edit_property_for_crime_against_persons(incident: Incident) -> list[str]:
    """A crime against persons only (intimidation) has no property segment."""
    offense = codes.offense(incident.offense)
    if offense and offense.against == codes.PERSON and incident.property:
        return [_("A crime against a person has no property.")]
    return []


def edit_property_required_for_crime_against_property(incident: Incident) -> list[str]:
    """A crime against property needs the property taken or damaged. Only the types we
    take online are mapped to property; a clerk's correction to another property offense
    (burglary, robbery, a fraud…) leaves the segment empty, which the FBI refuses."""
    offense = codes.offense(incident.offense)
    if offense and offense.against == codes.PROPERTY and not incident.property:
        return [
            _(
                "%(label)s needs the property taken or damaged, which this report does not "
                "give: check the NIBRS code."
            )
            % {"label": offense.label}
        ]
    return []


def edit_description_required(incident: Incident) -> list[str]:
    """Stolen, damaged or recovered property must say what it is (edit 353)."""
    missing = [
        p for p in incident.property if p.loss not in (NONE, UNKNOWN_LOSS) and not p.description
    ]
    return [_("Some property has no description.")] if missing else []


def edit_value_required(incident: Incident) -> list[str]:
    """Stolen or damaged property must have a value (edit 351): the resident gives it."""
    missing = [
        p
        for p in incident.property
        if p.loss not in (NONE, UNKNOWN_LOSS)
        and p.value is None
        and p.description not in ZERO_VALUE_DESCRIPTIONS
    ]
    if not missing:
        return []
    if len(missing) == 1:
        return [_("An item has no value: %(what)s.") % {"what": missing[0].what}]
    return [_("%(count)d items have no value.") % {"count": len(missing)}]


def edit_zero_value(incident: Incident) -> list[str]:
    """Property with no value of its own (cards, documents, identity) is valued 0 (391)."""
    wrong = [p for p in incident.property if p.description in ZERO_VALUE_DESCRIPTIONS and p.value]
    return [_("Cards, documents and identities must be valued at 0.")] if wrong else []


def edit_victim_type_for_crime_against_persons(incident: Incident) -> list[str]:
    """The victim of a crime against persons is a person (edit 464): a business cannot
    be intimidated in NIBRS terms."""
    offense = codes.offense(incident.offense)
    if (
        offense
        and offense.against == codes.PERSON
        and incident.victim.kind not in PERSON_VICTIM_TYPES
    ):
        return [
            _(
                "%(label)s is a crime against a person: the victim must be a person, "
                "not a business or organization."
            )
            % {"label": offense.label}
        ]
    return []


def edit_incident_number(incident: Incident) -> list[str]:
    """Every incident needs its number: the official case number, given on approval."""
    return [] if incident.number else [_("The report has no case number yet.")]


EDITS = (
    edit_incident_number,
    edit_loss_type_allowed,
    edit_property_for_crime_against_persons,
    edit_property_required_for_crime_against_property,
    edit_description_required,
    edit_value_required,
    edit_zero_value,
    edit_victim_type_for_crime_against_persons,
)


def edit_problems(incident: Incident) -> list[str]:
    """Every problem the edits find, in words (empty: the incident passes them)."""
    return [problem for edit in EDITS for problem in edit(incident)]
