"""The agency's policy as data: saved as versions (the admin, a policy file), read from
the cache on every page, in force at once on every worker, and kept as a TOML file that
reads back the same."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports.questions.fields import local_today
from reports.questions.forms import AboutYouForm
from screening import policy_store
from screening.models import AgencySettings, PolicyVersion, ReportTypeRule
from screening.policy import LANGUAGES
from screening.session import ScreeningSession
from tests.reports.wizard_data import (
    answer_steps,
    item_row,
    rows_post,
    start_report,
    step_url,
)

POLICIES = Path(__file__).resolve().parents[2] / "screening" / "policies"
SAINT_PAUL = POLICIES / "saint_paul.toml"
MINNEAPOLIS = POLICIES / "minneapolis.toml"
NOW_NO = dict.fromkeys(("emergency", "in_progress", "suspicious_now", "threat"), "no")
INCIDENT_NO = dict.fromkeys(("major_crime", "witnesses", "evidence", "officer_needed"), "no")


def import_file(path: Path) -> str:
    out = io.StringIO()
    call_command("agency_policy", "import", str(path), stdout=out)
    return out.getvalue()


def export() -> str:
    out = io.StringIO()
    call_command("agency_policy", "export", stdout=out)
    return out.getvalue()


def screen(client, place: dict[str, str], details: dict[str, str] | None = None):
    client.get("/screening/")
    client.post("/screening/now/", NOW_NO)
    client.post("/screening/incident/", INCIDENT_NO)
    response = client.post("/screening/place/", place)
    if details is not None:
        assert response.url == "/screening/details/"
        response = client.post("/screening/details/", details)
    assert response.url == "/screening/result/", response.url
    return client.get(response.url)


def text_of(response) -> str:
    import html
    import re

    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


# --- policy files ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SAINT_PAUL, MINNEAPOLIS], ids=["saint-paul", "minneapolis"])
def test_export_after_import_gives_the_same_file_back(path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        said = import_file(path)

    assert "imported as version 1" in said
    assert export() == path.read_text()
    assert PolicyVersion.objects.count() == 1


@pytest.mark.django_db
def test_import_of_saint_paul_changes_the_site_to_its_rules(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(SAINT_PAUL)

    home = text_of(client.get("/"))
    assert "Restraining order violation" not in home
    assert "Theft from a vehicle" in home
    page = client.get("/screening/place/")  # the gate sends back to the first page
    assert page.status_code == 302
    result = screen(
        client,
        {"in_city": "yes", "report_type": "order_violation"},
        {
            "extra_freeway": "no",
            "extra_bias": "no",
        },
    )
    assert "Call 311" in text_of(result) or "651-291-1111" in text_of(result)
    assert "651-291-1111" in text_of(result)
    assert ScreeningSession(client.session).decision().policy_version == 1


@pytest.mark.django_db
def test_a_freeway_under_saint_paul_is_referred_with_its_links(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(SAINT_PAUL)

    result = screen(
        client,
        {"in_city": "yes", "report_type": "theft"},
        {"extra_freeway": "yes", "extra_bias": "no", "banned_property": "no"},
    )

    said = text_of(result)
    assert "handled by the Minnesota State Patrol" in said
    assert 'href="https://dps.mn.gov/divisions/msp"' in result.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[agency]\nphone_311 = \n", 2, "Invalid value"),
        (
            "[agency]\nname = { en = 'A' }\n\n[types.theft]\nonline = true\nvalue_cap = -1\n",
            6,
            "above 0",
        ),
        ("[types.burglary]\nonline = true\n", 1, "not a report type"),
        (
            "[[banned_property]]\nkey = 'guns'\nlabel = 'Guns'\nreason = 'Call'\nwords = []\n",
            5,
            "list the words",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_its_line_and_nothing_changes(tmp_path, text, line, message):
    path = tmp_path / "policy.toml"
    path.write_text(text)

    with pytest.raises(CommandError, match=rf"line {line}: .*{message}"):
        import_file(path)

    assert PolicyVersion.objects.count() == 0
    assert AgencySettings.objects.count() == 0


@pytest.mark.django_db
def test_an_import_is_one_new_version_and_every_row_change_is_in_the_history(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
        import_file(SAINT_PAUL)

    assert list(PolicyVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert policy_store.current_policy().version == 2
    theft_history = ReportTypeRule.history.filter(slug="order_violation")
    assert {h.history_type for h in theft_history} == {"+", "-"}
    assert not ReportTypeRule.objects.get(slug="order_violation").online


@pytest.mark.django_db
def test_a_saved_version_is_never_changed():
    version = PolicyVersion.objects.create(number=1, document={})

    version.how = "changed"
    with pytest.raises(ValueError, match="never changed"):
        version.save()


# --- reading it: the cache, not the database -------------------------------------------------


@pytest.mark.django_db
def test_the_policy_is_read_from_the_cache_not_the_database(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(SAINT_PAUL)
    policy_store.current_policy()

    with django_assert_num_queries(0):
        policy = policy_store.current_policy()

    assert policy.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["now", "incident", "place", "details"])
def test_screening_pages_under_an_agency_policy_make_at_most_three_queries(
    client, page, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(SAINT_PAUL)
    client.get("/screening/")
    earlier = {
        "now": NOW_NO,
        "incident": INCIDENT_NO,
        "place": {"in_city": "yes", "report_type": "theft"},
    }
    for slug, answers in earlier.items():
        if slug == page:
            break
        client.post(f"/screening/{slug}/", answers)

    with django_assert_max_num_queries(3):
        response = client.get(f"/screening/{page}/")

    assert response.status_code == 200


# --- the admin ----------------------------------------------------------------------------------


def supervisor_client() -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("supervisor.policy", "s@police.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Supervisors"))
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def words_post(name: str, words: dict) -> dict[str, str]:
    return {f"{name}_{lang}": words.get(lang, "") for lang in LANGUAGES}


def admin_post(settings: AgencySettings, *, types: dict, banned: list[dict]) -> dict[str, str]:
    """The policy page as a browser posts it, with the type rows changed as given."""
    data: dict[str, str] = {
        **words_post("agency_name", settings.agency_name),
        "phone_311": settings.phone_311,
        "phone_311_full": settings.phone_311_full,
        "min_reporter_age": str(settings.min_reporter_age),
        "email_required": "on" if settings.email_required else "",
        "report_max_age_days": str(settings.report_max_age_days),
        **words_post("place_question", settings.place_question),
        "zip_codes_inside": settings.zip_codes_inside,
        "zip_codes_straddling": settings.zip_codes_straddling,
        "address_lookup_url": settings.address_lookup_url,
        **words_post("referral_text", settings.referral_text),
    }
    rows = list(settings.types.order_by("pk"))
    data |= {
        "types-TOTAL_FORMS": str(len(rows)),
        "types-INITIAL_FORMS": str(len(rows)),
        "types-MIN_NUM_FORMS": "0",
        "types-MAX_NUM_FORMS": "9",
    }
    for i, row in enumerate(rows):
        change = types.get(row.slug, {})
        online = change.get("online", row.online)
        cap = change.get("value_cap", row.value_cap)
        data |= {
            f"types-{i}-id": str(row.pk),
            f"types-{i}-policy": str(settings.pk),
            f"types-{i}-slug": row.slug,
            f"types-{i}-online": "on" if online else "",
            f"types-{i}-value_cap": "" if cap is None else str(cap),
            f"types-{i}-suspect_rule": row.suspect_rule,
            **words_post(f"types-{i}-suspect_definition", row.suspect_definition),
        }
        if not online:
            data.pop(f"types-{i}-online")
    data |= {
        "banned_property-TOTAL_FORMS": str(len(banned)),
        "banned_property-INITIAL_FORMS": "0",
        "banned_property-MIN_NUM_FORMS": "0",
        "banned_property-MAX_NUM_FORMS": "1000",
    }
    for i, entry in enumerate(banned):
        data |= {
            f"banned_property-{i}-position": str(i),
            f"banned_property-{i}-key": entry["key"],
            **words_post(f"banned_property-{i}-label", entry["label"]),
            **words_post(f"banned_property-{i}-reason", entry["reason"]),
            f"banned_property-{i}-words": "\n".join(entry["words"]),
        }
    for prefix in ("extra_questions", "referral_links"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


PLATES = {
    "key": "license_plates",
    "label": {"en": "License plates"},
    "reason": {"en": "Stolen plates must go in the stolen vehicle database by phone."},
    "words": ["license plate"],
}


@pytest.mark.django_db
def test_a_supervisors_change_in_the_admin_is_followed_by_the_next_screening(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()
    resident = Client()
    assert "Lost property" in text_of(resident.get("/"))
    supervisor = supervisor_client()

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post(
            reverse("admin:screening_agencysettings_change", args=[settings.pk]),
            admin_post(
                settings,
                types={"lost_property": {"online": False}, "theft": {"value_cap": "500"}},
                banned=[PLATES],
            ),
        )

    assert response.status_code == 302, response.content.decode()[:4000]
    assert policy_store.current_policy().version == 2
    assert "Lost property" not in text_of(resident.get("/"))
    lost = screen(resident, {"in_city": "yes", "report_type": "lost_property"})
    assert "Call 311" in text_of(lost)
    over = screen(
        resident,
        {"in_city": "yes", "report_type": "theft"},
        {"banned_property": "no", "over_cap": "yes"},
    )
    assert "property worth more than $500 by phone" in text_of(over)
    plates = screen(
        resident,
        {"in_city": "yes", "report_type": "theft"},
        {"banned_property": "yes", "over_cap": "no"},
    )
    assert "Stolen plates must go in the stolen vehicle database by phone." in text_of(plates)


@pytest.mark.django_db
def test_the_admin_refuses_a_text_without_english_and_saves_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()
    data = admin_post(settings, types={}, banned=[])
    data |= words_post("agency_name", {"es": "Policía"})

    response = supervisor_client().post(
        reverse("admin:screening_agencysettings_change", args=[settings.pk]), data
    )

    assert response.status_code == 200
    assert "Write the English text too" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


# --- the items step ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            [item_row(0, description="Front license plate")],
            "Stolen plates must go in the stolen vehicle database by phone.",
        ),
        (
            [item_row(0, value="300.00"), item_row(1, value="300.00")],
            "property worth more than $500 by phone",
        ),
    ],
    ids=["banned-item", "over-the-cap"],
)
def test_the_items_step_stops_the_report_with_the_reason(
    client, rows, said, django_capture_on_commit_callbacks
):
    start_report(client, "theft")
    answer_steps(client, "theft", until="items")
    document = policy_store.toml_load(MINNEAPOLIS.read_text())
    document["types"]["theft"]["value_cap"] = 500
    document["banned_property"] = [PLATES]
    with django_capture_on_commit_callbacks(execute=True):
        policy_store.document_import(document)

    response = client.post(
        step_url(client, "theft", "items"),
        {"report_theft-current_step": "items", **rows_post("items", rows)},
    )

    assert response.url == reverse("screening:result")
    result = client.get(response.url)
    assert said in text_of(result)


# --- every worker, at once ------------------------------------------------------------------------

_WORKER = """
import sys
import django
django.setup()
from screening import policy_store
for line in sys.stdin:
    print(policy_store.current_policy().version, flush=True)
"""


@pytest.mark.django_db(transaction=True)
def test_a_new_version_reaches_another_worker_within_a_second():
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        # The worker reads the test database, as a second gunicorn worker would the real one.
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "ereport.settings",
    }
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:

        def worker_version() -> int:
            worker.stdin.write("?\n")
            worker.stdin.flush()
            return int(worker.stdout.readline())

        assert worker_version() == 0
        import_file(SAINT_PAUL)
        saved = time.monotonic()
        seen = worker_version()
        while seen != 1 and time.monotonic() - saved < 1:
            seen = worker_version()

        assert seen == 1
        assert time.monotonic() - saved < 1
    finally:
        worker.stdin.close()
        worker.wait(timeout=10)


@pytest.mark.django_db
def test_the_policy_page_asks_each_text_per_language_and_lists_missing_translations(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(SAINT_PAUL)
    supervisor = supervisor_client()
    settings = AgencySettings.objects.get()

    page = supervisor.get(reverse("admin:screening_agencysettings_change", args=[settings.pk]))
    versions = supervisor.get(reverse("admin:screening_policyversion_changelist"))
    version = supervisor.get(
        reverse("admin:screening_policyversion_change", args=[PolicyVersion.objects.get().pk])
    )

    assert page.status_code == versions.status_code == version.status_code == 200
    content = page.content.decode()
    for language in ("English", "Spanish", "Somali", "Hmong"):
        assert f">{language}</label>" in content
    assert 'name="agency_name_es" value="Departamento de Policía de Saint Paul"' in content
    assert "agency.name: Somali, Hmong" in content
    assert "Restraining order violation, by phone only" in text_of(version)


# --- ZIP codes on the place page ---------------------------------------------------------------


@pytest.fixture
def zip_policy(django_capture_on_commit_callbacks):
    document = policy_store.toml_load(MINNEAPOLIS.read_text())
    document["jurisdiction"] |= {
        "zip_codes_inside": ["55401", "55402"],
        "zip_codes_straddling": ["55416"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        policy_store.document_import(document)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("place", "heading"),
    [
        ({"zip": "55401", "report_type": "theft"}, "You can report this online"),
        ({"zip": "55101", "report_type": "theft"}, "Contact the police where it happened"),
        ({"zip": "55416", "in_city": "unsure", "report_type": "theft"}, "Call 311"),
        ({"zip": "", "in_city": "yes", "report_type": "theft"}, "You can report this online"),
    ],
    ids=["inside", "outside", "on-the-line", "no-zip"],
)
def test_the_zip_code_answers_the_place_question_unless_it_is_on_the_line(
    client, zip_policy, place, heading
):
    result = screen(client, place)

    assert heading in text_of(result)


@pytest.mark.django_db
def test_a_zip_code_on_the_line_without_the_place_answer_is_asked_again(client, zip_policy):
    client.get("/screening/")
    client.post("/screening/now/", NOW_NO)
    client.post("/screening/incident/", INCIDENT_NO)

    response = client.post("/screening/place/", {"zip": "55416", "report_type": "theft"})

    assert response.status_code == 200
    assert "Answer yes, no or not sure." in text_of(response)


# --- the report keeps its version ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_keeps_the_version_of_the_policy_it_was_screened_under(
    client, django_capture_on_commit_callbacks
):
    from reports.models import Report
    from tests.reports.wizard_data import file_report

    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
        import_file(MINNEAPOLIS)
        file_report(client, "theft")

    assert Report.objects.get().policy_version == 2


@pytest.mark.django_db
def test_a_preview_shows_the_resident_pages_and_saves_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(MINNEAPOLIS)
    settings = AgencySettings.objects.get()
    data = admin_post(
        settings,
        types={"lost_property": {"online": False}, "theft": {"value_cap": "500"}},
        banned=[PLATES],
    )

    response = supervisor_client().post(
        reverse("admin:screening_agencysettings_change", args=[settings.pk]),
        {**data, "_preview": "Preview"},
    )

    said = text_of(response)
    assert "Was everything together worth more than $500?" in said
    assert "By phone only: Lost property" in said
    assert "License plates: Stolen plates must go in the stolen vehicle database by phone." in said
    assert PolicyVersion.objects.count() == 1
    assert ReportTypeRule.objects.get(slug="lost_property").online
    assert not settings.banned_property.exists()
    assert policy_store.current_policy().version == 1


@pytest.mark.django_db
def test_the_agencys_minimum_age_applies_to_the_about_you_step(
    tmp_path, django_capture_on_commit_callbacks
):
    older = MINNEAPOLIS.read_text().replace("min_reporter_age = 18", "min_reporter_age = 21")
    assert older != MINNEAPOLIS.read_text()
    path = tmp_path / "older.toml"
    path.write_text(older)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(path)
    today = local_today()
    nineteen = (
        today.replace(year=today.year - 19)
        if today.month != 2 or today.day != 29
        else (today.replace(year=today.year - 19, day=28))
    )
    form = AboutYouForm(data={"date_of_birth": nineteen.isoformat()})
    form.is_valid()

    assert "You must be 21 or older" in " ".join(form.errors["date_of_birth"])
