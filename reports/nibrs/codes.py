"""The FBI's NIBRS code tables that the export and the clerk's correction use: the
offense codes (Group A and Group B, from the NIBRS 4.2 schema's own list, nibrs-codes.xsd)
and what each code means. Plain data and plain functions: no model, no request."""

from __future__ import annotations

from dataclasses import dataclass

# Crimes against persons, property or society (the specification's own grouping): edits
# on victims and property depend on it.
PERSON, PROPERTY, SOCIETY = "person", "property", "society"


@dataclass(frozen=True)
class Offense:
    code: str
    label: str
    group: str  # "A" or "B"
    against: str  # PERSON, PROPERTY or SOCIETY


def _a(code: str, label: str, against: str) -> Offense:
    return Offense(code, label, "A", against)


def _b(code: str, label: str) -> Offense:
    return Offense(code, label, "B", SOCIETY)


OFFENSES: dict[str, Offense] = {
    o.code: o
    for o in (
        _a("09A", "Murder and Nonnegligent Manslaughter", PERSON),
        _a("09B", "Negligent Manslaughter", PERSON),
        _a("09C", "Justifiable Homicide", PERSON),
        _a("100", "Kidnapping/Abduction", PERSON),
        _a("11A", "Rape", PERSON),
        _a("11B", "Sodomy", PERSON),
        _a("11C", "Sexual Assault With An Object", PERSON),
        _a("11D", "Fondling", PERSON),
        _a("120", "Robbery", PROPERTY),
        _a("13A", "Aggravated Assault", PERSON),
        _a("13B", "Simple Assault", PERSON),
        _a("13C", "Intimidation", PERSON),
        _a("200", "Arson", PROPERTY),
        _a("210", "Extortion/Blackmail", PROPERTY),
        _a("220", "Burglary/Breaking and Entering", PROPERTY),
        _a("23A", "Pocket-picking", PROPERTY),
        _a("23B", "Purse-snatching", PROPERTY),
        _a("23C", "Shoplifting", PROPERTY),
        _a("23D", "Theft From Building", PROPERTY),
        _a("23E", "Theft From Coin-Operated Machine or Device", PROPERTY),
        _a("23F", "Theft From Motor Vehicle", PROPERTY),
        _a("23G", "Theft of Motor Vehicle Parts or Accessories", PROPERTY),
        _a("23H", "All Other Larceny", PROPERTY),
        _a("240", "Motor Vehicle Theft", PROPERTY),
        _a("250", "Counterfeiting/Forgery", PROPERTY),
        _a("26A", "False Pretenses/Swindle/Confidence Game", PROPERTY),
        _a("26B", "Credit Card/Automated Teller Machine Fraud", PROPERTY),
        _a("26C", "Impersonation", PROPERTY),
        _a("26D", "Welfare Fraud", PROPERTY),
        _a("26E", "Wire Fraud", PROPERTY),
        _a("26F", "Identity Theft", PROPERTY),
        _a("26G", "Hacking/Computer Invasion", PROPERTY),
        _a("270", "Embezzlement", PROPERTY),
        _a("280", "Stolen Property Offenses", PROPERTY),
        _a("290", "Destruction/Damage/Vandalism of Property", PROPERTY),
        _a("35A", "Drug/Narcotic Violations", SOCIETY),
        _a("35B", "Drug Equipment Violations", SOCIETY),
        _a("36A", "Incest", PERSON),
        _a("36B", "Statutory Rape", PERSON),
        _a("370", "Pornography/Obscene Material", SOCIETY),
        _a("39A", "Betting/Wagering", SOCIETY),
        _a("39B", "Operating/Promoting/Assisting Gambling", SOCIETY),
        _a("39C", "Gambling Equipment Violations", SOCIETY),
        _a("39D", "Sports Tampering", SOCIETY),
        _a("40A", "Prostitution", SOCIETY),
        _a("40B", "Assisting or Promoting Prostitution", SOCIETY),
        _a("40C", "Purchasing Prostitution", SOCIETY),
        _a("510", "Bribery", PROPERTY),
        _a("520", "Weapon Law Violations", SOCIETY),
        _a("64A", "Human Trafficking, Commercial Sex Acts", PERSON),
        _a("64B", "Human Trafficking, Involuntary Servitude", PERSON),
        _a("720", "Animal Cruelty", SOCIETY),
        _b("90A", "Bad Checks"),
        _b("90B", "Curfew/Loitering/Vagrancy Violations"),
        _b("90C", "Disorderly Conduct"),
        _b("90D", "Driving Under the Influence"),
        _b("90E", "Drunkenness"),
        _b("90F", "Family Offenses, Nonviolent"),
        _b("90G", "Liquor Law Violations"),
        _b("90H", "Peeping Tom"),
        _b("90I", "Runaway"),
        _b("90J", "Trespass of Real Property"),
        _b("90Z", "All Other Offenses"),
    )
}


def offense_code(raw: str) -> str | None:
    """The NIBRS offense code as the FBI writes it ("23h" -> "23H"), or None when `raw`
    is not a code on the list (a typo, a letter from another alphabet)."""
    code = raw.strip().upper()
    # str.upper() maps a few non-ASCII letters onto ASCII ones; the list is ASCII only.
    if not code.isascii():
        return None
    return code if code in OFFENSES else None


def offense(code: str) -> Offense | None:
    return OFFENSES.get(code)
