"""A filed report as a clerk reads it: sections of (question, answer) in words.

Every answer carries the words of the question the resident was asked (the wizard's own
labels and choice labels, in the clerk's language), money and dates are formatted, lists
are numbered from 1, and a section with nothing in it is left out. Nothing here shows a
stored code, a JSON key or a zero-based position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.formatting import format_date, format_money, format_phone, language_name
from reports.models import Report
from reports.nibrs import codes as nibrs_codes
from reports.questions.steps import STEPS
from reports.questions.summary import rows_for, when_rows
from screening.questions import answer_rows

Row = tuple[str, str]

# Steps whose answers are kept in their own rows (items, vehicles, people, orders,
# accounts, children) or columns (about you, when and where, narrative): read from there.
_NOT_IN_DETAILS = (
    "about_you",
    "narrative",
    "attachments",
    "review",
    "declaration",
)


@dataclass
class Section:
    """One part of the report page: plain rows, or numbered entries of rows."""

    title: str | Promise
    rows: list[Row] = field(default_factory=list)
    entries: list[list[Row]] = field(default_factory=list)
    # Long free text (the narrative, a supplement) keeps its line breaks.
    text: str = ""

    def __bool__(self) -> bool:
        return bool(self.rows or self.entries or self.text)


def _value(instance: models.Model, model_field: models.Field) -> str:
    value = getattr(instance, model_field.attname)
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(model_field, models.DateTimeField):
        return format_date(timezone.localtime(value))
    if isinstance(model_field, models.DateField):
        return format_date(value)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    return str(value)


def _instance_rows(instance: models.Model, names: tuple[str, ...]) -> list[Row]:
    rows = []
    for name in names:
        model_field = instance._meta.get_field(name)
        shown = _value(instance, model_field)
        if shown:
            rows.append((str(model_field.verbose_name).capitalize(), shown))
    return rows


def _offense_words(code: str) -> str:
    offense = nibrs_codes.offense(code) if code else None
    return f"{code} ({offense.label})" if offense else code


def _when(moment) -> str:
    return format_date(timezone.localtime(moment)) if moment else ""


def _summary(report: Report) -> Section:
    rows: list[Row] = [
        (_("Type of report"), str(report.type_info.label)),
        (_("Status"), str(report.get_status_display())),
        (_("Tracking number"), report.tracking_number),
        (_("Case number"), report.case_number),
        (_("Submitted"), _when(report.submitted_at)),
        (_("Decided"), _when(report.decided_at)),
        (_("Assigned to"), str(report.assigned_to or "")),
        (_("Duplicate of"), report.duplicate_of.tracking_number if report.duplicate_of else ""),
        (_("Filed in"), language_name(report.language)),
        (
            _("Screened under"),
            _("agency policy version %(n)d") % {"n": report.policy_version}
            if report.policy_version
            else _("the default policy (the source document's rules)"),
        ),
        (
            _("In the records system"),
            _("record %(number)s, since %(when)s")
            % {
                "number": report.rms_record_number,
                "when": _when(report.rms_imported_at),
            }
            if report.rms_imported_at
            else "",
        ),
        (_("NIBRS offense"), _offense_words(report.nibrs_code)),
    ]
    return Section(_("Report"), rows=[(label, value) for label, value in rows if value])


def _person_reporting(report: Report) -> Section:
    address = ", ".join(
        part
        for part in (
            report.reporter_street,
            report.reporter_unit,
            report.reporter_city,
            f"{report.reporter_state} {report.reporter_zip}".strip(),
        )
        if part
    )
    rows: list[Row] = [
        (_("Name"), report.reporter_name),
        (_("Date of birth"), format_date(report.reporter_date_of_birth)),
        (_("Phone"), format_phone(report.reporter_phone)),
        (_("Email"), report.reporter_email or _("None given: no emails are sent to them")),
        (_("Home address"), address),
        (_("Language they prefer"), report.preferred_language),
        (_("Reporting for"), str(report.get_reporting_for_display())),
    ]
    rows += _instance_rows(
        report,
        ("organization_name", "organization_role", "other_person_name", "other_person_contact"),
    )
    return Section(_("Person reporting"), rows=[(label, value) for label, value in rows if value])


def _when_where(report: Report) -> Section:
    rows = when_rows({"occurred_start": report.occurred_start, "occurred_end": report.occurred_end})
    rows += _instance_rows(report, ("location", "place_kind"))
    return Section(_("When and where"), rows=rows)


def detail_rows(report: Report) -> list[Row]:
    """The type's own questions (theft details, damage, harassment, …), answered in words."""
    rows: list[Row] = []
    for name in report.type_info.steps:
        step = STEPS[name]
        if step.is_formset or name in _NOT_IN_DETAILS or name.startswith("when"):
            continue
        form = step.form_class()
        if name.startswith("person"):
            # The person's own answers are rows of their own; only "do you know who?"
            # is kept with the details.
            known = form.fields.get("known")
            if known is not None and report.details.get("person_known"):
                rows += rows_for(form, {"known": report.details["person_known"]})[:1]
            continue
        rows += rows_for(form, report.details)
    return rows


def _what_happened(report: Report) -> Section:
    rows = detail_rows(report)
    if report.total_value is not None:
        rows.append((_("Total value of the items"), format_money(report.total_value)))
    return Section(_("What happened"), rows=rows, text=report.narrative)


_ITEM_FIELDS = ("category", "description", "brand", "model", "serial_number", "color")
_VEHICLE_FIELDS = ("role", "year", "make", "model", "color", "plate", "plate_state", "vin")
_PERSON_FIELDS = (
    "name",
    "description",
    "address",
    "phones",
    "online_accounts",
    "vehicle_description",
)
_ORDER_FIELDS = (
    "order_type",
    "court_file_number",
    "county",
    "state",
    "issued_on",
    "expires_on",
    "respondent_name",
    "respondent_date_of_birth",
)
_ACCOUNT_FIELDS = ("institution", "kind", "last4", "amount", "opened_on", "discovered_on")


def item_rows(item) -> list[Row]:
    """One item under the items step's own questions ("Kind of item", "Value of each")."""
    form = STEPS["items"].form_class.form()
    return rows_for(
        form, {name: getattr(item, name) for name in (*_ITEM_FIELDS, "quantity", "value")}
    )


def _children(report: Report) -> Section:
    form = STEPS["children"].form_class.form if "children" in STEPS else None
    children = report.details.get("children") or []
    if form is None or not children:
        return Section(_("Children"))
    return Section(_("Children"), entries=[rows_for(form(), child) for child in children])


def screening_rows(screening: dict[str, Any]) -> list[Row]:
    """The screening answers as the resident gave them: each question, then the answer."""
    return answer_rows(screening.get("answers") or {})


def report_sections(report: Report) -> list[Section]:
    """Everything the resident told us, section by section, empty sections left out.
    Expects the report's related rows to be prefetched by the caller if it cares about
    the query count (the admin page reads one report)."""
    items = [i for i in report.items.all() if i.supplement_id is None]
    sections = [
        _summary(report),
        _person_reporting(report),
        _when_where(report),
        _what_happened(report),
        Section(_("Items"), entries=[item_rows(i) for i in items]),
        Section(
            _("Vehicles"),
            entries=[_instance_rows(v, _VEHICLE_FIELDS) for v in report.vehicles.all()],
        ),
        Section(
            _("People responsible"),
            entries=[_instance_rows(p, _PERSON_FIELDS) for p in report.people_responsible.all()],
        ),
        Section(
            _("Court orders"),
            entries=[_instance_rows(o, _ORDER_FIELDS) for o in report.court_orders.all()],
        ),
        Section(
            _("Accounts misused"),
            entries=[_instance_rows(a, _ACCOUNT_FIELDS) for a in report.accounts.all()],
        ),
        _children(report),
        Section(_("Screening answers"), rows=screening_rows(report.screening)),
    ]
    return [section for section in sections if section]


_EMAIL_KIND_WORDS = {
    "confirmation": gettext_lazy("Confirmation with the tracking number"),
    "status": gettext_lazy("Status change"),
    "info_reminder": gettext_lazy("Reminder to answer our question"),
    "follow_up": gettext_lazy("Follow-up after approval"),
}


def email_kind_words(kind: str) -> str:
    return str(_EMAIL_KIND_WORDS.get(kind, kind.replace("_", " ").capitalize()))
