"""Valid answers for every wizard step, as a resident's browser would post them, and a
driver that files a report of any type through the real pages."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

from django.urls import reverse

from reports.filing.session import ReportSession
from screening import rules

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
LAST_WEEK = (dt.date.today() - dt.timedelta(days=7)).isoformat()

STEP_DATA: dict[str, dict[str, str]] = {
    "about_you": {
        "first_name": "Ana",
        "last_name": "Lopez",
        "date_of_birth": "1985-04-23",
        "phone": "612-555-0123",
        "email": "Ana.Lopez@Example.org",
        "street": "350 S 5th St",
        "unit": "",
        "city": "Minneapolis",
        "state": "MN",
        "zip_code": "55415",
        "preferred_language": "English",
        "reporting_for": "self",
    },
    "when_where": {
        "timing": "exact",
        "date": YESTERDAY,
        "time": "14:30",
        "location": "Lake St and Hiawatha Ave",
        "place_kind": "street",
    },
    "when_discovered": {
        "timing": "exact",
        "date": YESTERDAY,
        "time": "09:00",
        "place_kind": "online",
    },
    "when_last_seen": {
        "timing": "window",
        "start_date": LAST_WEEK,
        "start_time": "08:00",
        "end_date": YESTERDAY,
        "end_time": "18:00",
        "location": "Nicollet Mall and 8th St",
        "place_kind": "street",
    },
    "theft_details": {"theft_kind": "bicycle", "entered_building": "no", "force_or_threat": "no"},
    "vehicle": {
        "year": "2018",
        "make": "Toyota",
        "model": "Corolla",
        "color": "Blue",
        "plate": "ABC123",
        "plate_state": "MN",
        "locked": "yes",
        "entry": "window",
        "damage": "Rear passenger window smashed",
    },
    "vehicle_damage": {
        "year": "2020",
        "make": "Honda",
        "model": "Civic",
        "color": "Red",
        "plate": "XYZ789",
        "plate_state": "MN",
        "vin": "1HGCM82633A004352",
        "damage": "Dent in the driver door",
        "repair_cost": "$1,250.00",
        "hit_and_run": "yes",
        "anyone_hurt": "no",
        "other_vehicle": "White pickup",
    },
    "property_damage": {
        "damaged": ["graffiti", "fence"],
        "owner": "me",
        "description": "Spray paint on the garage and fence",
        "repair_cost": "400",
        "graffiti_text": "XYZ crew",
    },
    "harassment": {
        "methods": ["texts", "calls"],
        "since": LAST_WEEK,
        "frequency": "daily",
        "numbers_accounts": "612-555-0199",
        "asked_to_stop": "yes",
        "threats": "no",
        "threat_now": "no",
    },
    "court_order": {
        "order_type": "hro",
        "court_file_number": "27-CV-24-1234",
        "county": "Hennepin",
        "state": "MN",
        "issued_on": "2025-01-15",
        "expires_on": "2027-01-15",
        "respondent_name": "John Roe",
        "respondent_date_of_birth": "1980-02-02",
        "violation": ["texts"],
        "respondent_nearby": "no",
    },
    "visitation": {
        "court_file_number": "27-FA-23-555",
        "county": "Hennepin",
        "other_party": "Sam Roe",
        "scheduled": "Friday at 6 pm at the library",
        "what_happened": "no_show",
    },
    "identity_theft": {
        "misused": ["ssn", "card"],
        "how_found": "A letter about a credit card I never opened",
        "ftc_report_number": "123456789",
        "credit_bureaus": "yes",
    },
    "person_responsible": {"known": "unknown"},
    "person_responsible_required": {
        "known": "known",
        "name": "Jordan Doe",
        "phones": "612-555-0199",
    },
    "narrative": {"narrative": "Someone cut the lock and took my bike from the rack outside."},
    "attachments": {},
    "review": {},
    "declaration": {"confirm": "on"},
}

ROW_STEPS = {
    "items": [
        {
            "category": "bicycle",
            "description": "Black mountain bike",
            "brand": "Trek",
            "model": "Marlin 5",
            "serial_number": "WTU123456",
            "color": "Black",
            "quantity": "1",
            "value": "650.00",
        }
    ],
    "children": [{"first_name": "Mia", "age": "7"}],
    "accounts": [
        {"institution": "First Bank", "kind": "credit_card", "last4": "4321", "amount": "1200"}
    ],
}


def rows_post(step: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{step}-TOTAL_FORMS": str(len(rows)),
        f"{step}-INITIAL_FORMS": "0",
        f"{step}-MIN_NUM_FORMS": "1",
        f"{step}-MAX_NUM_FORMS": "25",
    }
    for i, row in enumerate(rows):
        data.update({f"{step}-{i}-{k}": v for k, v in row.items()})
    return data


def step_post(report_type: str, step: str, values=None) -> dict:
    prefix = f"report_{report_type}"
    data = {f"{prefix}-current_step": step}
    if step in ROW_STEPS:
        data.update(rows_post(step, values if values is not None else ROW_STEPS[step]))
    else:
        fields = values if values is not None else STEP_DATA[step]
        data.update({f"{step}-{k}": v for k, v in fields.items()})
    return data


def step_url(client, report_type: str, step: str) -> str:
    """The address of `step` in the report of this type the browser last worked on (each
    report has its own draft id in its URLs) — still that report's address after it was
    filed or closed. A browser that never opened one gets an address it does not own."""
    known = client.__dict__.setdefault("report_drafts", {})
    draft = ReportSession(client.session).latest_open_draft(report_type)
    if draft is not None:
        known[report_type] = draft.draft_id
    draft_id = known.setdefault(report_type, str(uuid.uuid4()))
    return reverse(
        "reports:wizard", kwargs={"report_type": report_type, "draft_id": draft_id, "step": step}
    )


def pass_screening(client, report_type: str) -> None:
    answers = dict.fromkeys(rules.YES_NO_KEYS, "no") | {"in_city": "yes"}
    client.get(reverse("screening:start"))
    client.post(
        reverse("screening:question", args=["now"]), {k: answers[k] for k in rules.NOW_KEYS}
    )
    client.post(
        reverse("screening:question", args=["incident"]),
        {k: answers[k] for k in rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS},
    )
    response = client.post(
        reverse("screening:question", args=["place"]),
        {"in_city": "yes", "report_type": report_type},
    )
    assert response.url == reverse("screening:result")


def file_report(client, report_type: str, overrides=None):
    """Screening, every step of the type's flow, and the final submit. Returns the final
    response (a redirect to the confirmation page)."""
    from reports.registry import REPORT_TYPES

    overrides = overrides or {}
    pass_screening(client, report_type)
    client.get(reverse("reports:start", args=[report_type]))
    response = None
    for step in REPORT_TYPES[report_type].steps:
        client.get(step_url(client, report_type, step))
        response = client.post(
            step_url(client, report_type, step), step_post(report_type, step, overrides.get(step))
        )
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


# --- Helpers for the wizard tests: driving steps and reading pages ----------------------


def steps_of(report_type: str) -> tuple[str, ...]:
    from reports.registry import REPORT_TYPES

    return REPORT_TYPES[report_type].steps


def start_report(client, report_type: str) -> None:
    """Pass the screening for `report_type` and press "Start now"."""
    pass_screening(client, report_type)
    response = client.get(reverse("reports:start", args=[report_type]))
    assert response.url == step_url(client, report_type, "about_you")


def answer_steps(client, report_type: str, *, until: str | None = None, overrides=None):
    """Post valid answers to every step of the type's flow before `until` (all the steps
    but the declaration when `until` is None). Returns the last response."""
    overrides = overrides or {}
    response = None
    flow_steps = steps_of(report_type)
    stop = flow_steps.index(until if until is not None else "declaration")
    for step in flow_steps[:stop]:
        response = client.post(
            step_url(client, report_type, step), step_post(report_type, step, overrides.get(step))
        )
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


def item_row(n: int = 0, **changes: str) -> dict[str, str]:
    """A valid item row, numbered so that rows differ."""
    return {
        "category": "electronics",
        "description": f"Laptop number {n}",
        "brand": "Dell",
        "model": "XPS",
        "serial_number": f"SN-{n:04d}",
        "color": "Silver",
        "quantity": "1",
        "value": "100.00",
        **changes,
    }


def visible_text(fragment: str) -> str:
    """HTML as a person reads it: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def main_text(response) -> str:
    content = response.content.decode()
    return visible_text(content[content.index("<main") : content.index("</main>")])


def error_summary(response) -> list[tuple[str, str]]:
    """(anchor, message) for each link in the error summary box (id="error-summary"), in
    order: the anchor is the id of the input the link jumps to."""
    content = response.content.decode()
    match = re.search(r'<div[^>]*id="error-summary"[^>]*>(.*?)</ul>', content, re.S)
    if match is None:
        return []
    links = re.findall(r'<a[^>]*href="#([^"]*)"[^>]*>(.*?)</a>', match.group(1), re.S)
    return [(anchor, visible_text(message)) for anchor, message in links]


def field_error(response, field_id: str) -> str | None:
    """The error shown next to the field whose input has id `field_id` (e.g.
    "id_about_you-phone"), or None."""
    content = response.content.decode()
    match = re.search(
        rf'<span class="usa-error-message" id="{re.escape(field_id)}_error">(.*?)</span>',
        content,
        re.S,
    )
    return visible_text(match.group(1)) if match else None


def input_value(response, name: str) -> str | None:
    """The value an <input name=...> is rendered with, None when it has none."""
    content = response.content.decode()
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', content)
    assert tag is not None, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def checked_value(response, name: str) -> str | None:
    """The value of the checked radio button named `name`, None when none is checked."""
    content = response.content.decode()
    for tag in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', content):
        if re.search(r"\bchecked\b", tag):
            return html.unescape(re.search(r'value="([^"]*)"', tag).group(1))
    return None


def session_rows_decoded() -> list[dict]:
    """Every session as stored in the django_session table, decoded."""
    from django.contrib.sessions.models import Session

    return [row.get_decoded() for row in Session.objects.all()]


def cleaned_answers(report_type: str, overrides=None) -> dict:
    """The answers the wizard hands to reports.services.report_submit for a report of this
    type, made by the real step forms from STEP_DATA (as the wizard's done() does)."""
    from django import forms

    from reports.questions.steps import STEPS

    overrides = overrides or {}
    answers: dict = {}
    for step in steps_of(report_type):
        form_class = STEPS[step].form_class
        data = step_post(report_type, step, overrides.get(step))
        form = form_class(data=data, prefix=step)
        assert form.is_valid(), (step, form.errors)
        if isinstance(form, forms.BaseFormSet):
            answers[step] = [
                {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                for f in form.kept_forms()
            ]
        else:
            answers[step] = form.cleaned_data
    return answers
