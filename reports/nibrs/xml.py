"""One incident as a NIBRS XML 4.2 document (nibrs:Submission with one Group A incident
report), and its check against the FBI's schema set, copied into xsd/ so that nothing
outside the project is read. Element order follows nibrs.xsd and the NIEM types."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from lxml import etree

from reports.nibrs.incident import CARGO_THEFT_OFFENSES, Incident

XSD = Path(__file__).resolve().parent / "xsd" / "nibrs" / "4.2" / "nibrs.xsd"

NS = {
    "nibrs": "http://fbi.gov/cjis/nibrs/4.2",
    "cjis": "http://fbi.gov/cjis/1.0",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
    "s": "http://release.niem.gov/niem/structures/3.0/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(parent, name: str, text: str | None = None, **attrs):
    element = etree.SubElement(
        parent, _q(name), {_q(k.replace("_", ":", 1)): v for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def _path(parent, *names: str, text: str):
    """A chain of nested elements ending in `text` (NIEM wraps most values)."""
    for name in names[:-1]:
        parent = _el(parent, name)
    return _el(parent, names[-1], text)


@cache
def schema() -> etree.XMLSchema:
    # Parsed once per process (about a second): the imports resolve relative to the file.
    return etree.XMLSchema(etree.parse(str(XSD)))


def schema_errors(document: bytes) -> list[str]:
    """What the schema refuses in the document (empty when it validates)."""
    xsd = schema()
    if xsd.validate(etree.fromstring(document)):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def _person(report_el, person_id: str, *, age: int | None, known: bool) -> None:
    person = _el(report_el, "nc:Person", s_id=person_id)
    if not known:
        return  # an unknown offender: the specification wants no descriptors at all
    if age is not None:
        _path(person, "nc:PersonAgeMeasure", "nc:MeasureIntegerValue", text=str(min(age, 99)))
    # We never ask race, ethnicity, residence or sex: the specification's "unknown".
    _el(person, "j:PersonEthnicityCode", "U")
    _el(person, "j:PersonRaceNDExCode", "U")
    _el(person, "j:PersonResidentCode", "U")
    _el(person, "j:PersonSexCode", "U")
    if age is None:
        _path(person, "j:PersonAugmentation", "nibrs:PersonAgeCode", text="UNKNOWN")


def document(incident: Incident, *, ori: str, month: dt.date) -> bytes:
    """The NIBRS XML document of one Group A incident, reported in `month`."""
    root = etree.Element(_q("nibrs:Submission"), nsmap=NS)
    report = _el(root, "nibrs:Report")

    header = _el(report, "nibrs:ReportHeader")
    _el(header, "nibrs:NIBRSReportCategoryCode", "GROUP A INCIDENT REPORT")
    _el(header, "nibrs:ReportActionCategoryCode", "I")  # incident report (an addition)
    _path(header, "nibrs:ReportDate", "nc:YearMonthDate", text=f"{month:%Y-%m}")
    _path(
        header,
        "nibrs:ReportingAgency",
        "j:OrganizationAugmentation",
        "j:OrganizationORIIdentification",
        "nc:IdentificationID",
        text=ori,
    )

    inc = _el(report, "nc:Incident")
    _path(inc, "nc:ActivityIdentification", "nc:IdentificationID", text=incident.number)
    if isinstance(incident.when, dt.datetime):
        when = incident.when.replace(tzinfo=None).isoformat(timespec="seconds")
        _path(inc, "nc:ActivityDate", "nc:DateTime", text=when)
    else:
        _path(inc, "nc:ActivityDate", "nc:Date", text=incident.when.isoformat())
    cjis = _el(inc, "cjis:IncidentAugmentation")
    _el(cjis, "cjis:IncidentReportDateIndicator", "true" if incident.report_date else "false")
    if incident.offense in CARGO_THEFT_OFFENSES:
        _el(cjis, "j:OffenseCargoTheftIndicator", "false")
    # Not cleared exceptionally (N): a report filed online has no arrest yet.
    _path(inc, "j:IncidentAugmentation", "j:IncidentExceptionalClearanceCode", text="N")

    offense = _el(report, "j:Offense", s_id="Offense1")
    _el(offense, "nibrs:OffenseUCRCode", incident.offense)
    _el(offense, "j:OffenseFactorBiasMotivationCode", "NONE")
    _path(offense, "j:OffenseFactor", "j:OffenseFactorCode", text="N")  # not applicable
    _el(offense, "j:OffenseAttemptedIndicator", "true" if incident.attempted else "false")

    location = _el(report, "nc:Location", s_id="Location1")
    _el(location, "j:LocationCategoryCode", incident.location)

    for prop in incident.property:
        item = _el(report, "nc:Item")
        _path(item, "nc:ItemStatus", "cjis:ItemStatusCode", text=prop.loss)
        if prop.value is not None:
            _path(item, "nc:ItemValue", "nc:ItemValueAmount", "nc:Amount", text=str(prop.value))
        if prop.description:
            _el(item, "j:ItemCategoryNIBRSPropertyCategoryCode", prop.description)
        _el(item, "nc:ItemQuantity", str(prop.quantity))

    victim = incident.victim
    individual = victim.kind in ("I", "L")
    if individual:
        _person(report, "PersonVictim1", age=victim.age, known=True)
    _person(report, "PersonSubject1", age=None, known=incident.offender_known)

    victim_el = _el(report, "j:Victim", s_id="Victim1")
    if individual:
        _el(victim_el, "nc:RoleOfPerson", s_ref="PersonVictim1")
    _el(victim_el, "j:VictimSequenceNumberText", "1")
    _el(victim_el, "j:VictimCategoryCode", victim.kind)

    subject = _el(report, "j:Subject", s_id="Subject1")
    _el(subject, "nc:RoleOfPerson", s_ref="PersonSubject1")
    # Offender sequence 00 is the specification's "unknown offender".
    _el(subject, "j:SubjectSequenceNumberText", "01" if incident.offender_known else "00")

    association = _el(report, "j:OffenseLocationAssociation")
    _el(association, "j:Offense", s_ref="Offense1")
    _el(association, "nc:Location", s_ref="Location1")
    association = _el(report, "j:OffenseVictimAssociation")
    _el(association, "j:Offense", s_ref="Offense1")
    _el(association, "j:Victim", s_ref="Victim1")
    if incident.offender_known and individual:
        # We never ask how they know each other.
        association = _el(report, "j:SubjectVictimAssociation", s_id="SubjectVictim1")
        _el(association, "j:Subject", s_ref="Subject1")
        _el(association, "j:Victim", s_ref="Victim1")
        _el(association, "j:VictimToSubjectRelationshipCode", "Relationship Unknown")

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
