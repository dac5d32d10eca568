"""Words of danger in a narrative: the crisis matcher (English and Spanish, any case or
accents, whole words), the notice with 911 and the crisis line before submitting (in
every language the resident reads), the report still filed, flagged, and first in the
clerks' queue."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.filing.crisis import mentions_crisis
from reports.models import Report
from tests.factories import ReportFactory
from tests.reports.wizard_data import (
    answer_steps,
    file_report,
    start_report,
    step_post,
    step_url,
    visible_text,
)

CRISIS_EN = "He texted me again last night and said he will kill me if I go to the police."
CRISIS_ES = "Mi expareja me escribió otra vez y dice que me va a matar si llamo a la policía."
PLAIN = "Someone keeps texting me from a new number every day after I asked them to stop."


# --- The matcher --------------------------------------------------------------------------

MATCHES = [
    # English
    "he will kill me",
    "He Will Kill Me",
    "HE WILL KILL ME",
    "I want to die",
    "i want to die.",
    "Sometimes I want to die, honestly.",
    "He said he is going to kill me",
    "She's gonna kill me when she finds out",
    "I keep thinking about suicide",
    "I feel suicidal",
    "I might kill myself",
    "I want to end my life",
    "I want to hurt myself",
    "self-harm",
    "self harm",
    "He threatened to kill my dog and me",
    "he will\nkill   me",  # line breaks and extra spaces between the words
    # Spanish
    "me va a matar",
    "ME VA A MATAR",
    "Me va a matar.",
    "Dijo que me va a matar si hablo.",
    "suicidio",
    "SUICIDIO",
    "Pienso en el suicidio",
    "quiero morir",
    "Quiero morir.",
    "Me quiero morir",
    "Voy a matarme",
    "quiero suicidarme",
    "me quiere matar",
    "quiero quitarme la vida",
    "quiero hacerme daño",  # with the accent
    "quiero hacerme dano",  # typed without it
    "QUIERO HACERME DAÑO",
    "amenazó con matar a mis hijos",  # with the accent
    "amenazo con matar a mis hijos",
    "Amenazó con matarme",
]

NOT_MATCHES = [
    "skill",
    "He has a lot of skill with locks",
    "We watched a killer whale at the aquarium",
    "killer whale",
    "ideas",
    "I have some ideas about who did it",
    "The graffiti says 'killjoy crew' on the fence",
    "Someone cut the lock and took my bike from the rack outside.",
    "My neighbour's dog died last year and now he blames me.",
    "Alguien rompió la ventana de mi coche y se llevó la radio.",
    "Me robaron la bicicleta frente a la biblioteca.",
    "Tengo algunas ideas sobre quién lo hizo.",
    "Kill Bill is my favourite film",
    "",
]


@pytest.mark.parametrize("text", MATCHES)
def test_crisis_words_are_recognised_in_any_case_and_with_or_without_accents(text):
    assert mentions_crisis(text) is True


@pytest.mark.parametrize("text", NOT_MATCHES)
def test_ordinary_words_and_stories_are_not_taken_for_crisis_words(text):
    assert mentions_crisis(text) is False


# Common ways to say it in Spanish that a resident in danger is likely to write.
SPANISH_FIRST_PERSON = [
    "me voy a suicidar",  # "I am going to kill myself"
    "me quiero matar",  # "I want to kill myself"
    "me van a matar",  # "they are going to kill me"
]


@pytest.mark.parametrize("text", SPANISH_FIRST_PERSON)
def test_common_spanish_phrasings_of_danger_are_recognised(text):
    assert mentions_crisis(text) is True


# --- Pages --------------------------------------------------------------------------------


def new_client(language: str | None = None) -> Client:
    """A browser on its own address (rate limits stay apart), reading `language`."""
    octets = [secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1]
    client = Client(REMOTE_ADDR="10.{}.{}.{}".format(*octets))
    if language:
        response = client.get(reverse("switch_language", args=[language]), {"next": "/"})
        assert response.status_code == 302
    return client


def alerts(content: str) -> list[str]:
    """The HTML of every element with role="alert"."""
    found = []
    for opening in re.finditer(r'<(\w+)[^>]*\brole="alert"[^>]*>', content):
        tag, depth, start = opening.group(1), 1, opening.end()
        for token in re.finditer(rf"<(/?){tag}\b[^>]*>", content[start:]):
            depth += -1 if token.group(1) else 1
            if depth == 0:
                found.append(content[opening.start() : start + token.end()])
                break
    return found


def crisis_notice(response) -> str | None:
    """The alert that offers the crisis line, or None."""
    for alert in alerts(response.content.decode()):
        if settings.CRISIS_LINE_NUMBER in visible_text(alert):
            return alert
    return None


def html_lang(response) -> str:
    return re.search(r'<html[^>]*\blang="([^"]*)"', response.content.decode()).group(1)


def at_review(client, report_type: str, narrative: str):
    start_report(client, report_type)
    answer_steps(
        client, report_type, until="review", overrides={"narrative": {"narrative": narrative}}
    )


PAGES = ["review", "declaration"]
CASES = [
    pytest.param("en", CRISIS_EN, id="English"),
    pytest.param("es", CRISIS_ES, id="Spanish"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "narrative"), CASES)
def test_crisis_words_show_the_911_and_crisis_line_notice_before_submitting(language, narrative):
    client = new_client(language)
    at_review(client, "harassment", narrative)

    review = client.get(step_url(client, "harassment", "review"))
    client.post(step_url(client, "harassment", "review"), step_post("harassment", "review"))
    declaration = client.get(step_url(client, "harassment", "declaration"))

    for page in (review, declaration):
        assert page.status_code == 200
        assert html_lang(page) == language
        notice = crisis_notice(page)
        assert notice is not None, visible_text(page.content.decode())
        assert 'href="tel:911"' in notice
        assert "911" in visible_text(notice)
        assert "988" in visible_text(notice)
        # The notice is in the resident's language.
        assert ("Are you safe right now?" in notice) == (language == "en")


@pytest.mark.django_db
def test_the_crisis_line_shown_is_the_one_in_the_settings(settings):
    settings.CRISIS_LINE_NUMBER = "741741"
    settings.CRISIS_LINE_NAME = "Crisis Text Line"
    client = new_client()
    at_review(client, "theft", "I cannot take this any more, I want to die. They took my car.")

    notice = crisis_notice(client.get(step_url(client, "theft", "review")))

    assert notice is not None
    assert "741741" in visible_text(notice)
    assert "Crisis Text Line" in visible_text(notice)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_crisis_notice_for_an_ordinary_narrative(language):
    client = new_client(language)
    at_review(client, "harassment", PLAIN)

    review = client.get(step_url(client, "harassment", "review"))
    client.post(step_url(client, "harassment", "review"), step_post("harassment", "review"))
    declaration = client.get(step_url(client, "harassment", "declaration"))

    assert crisis_notice(review) is None
    assert crisis_notice(declaration) is None
    assert "Are you safe right now?" not in review.content.decode()


@pytest.mark.django_db
def test_the_notice_goes_away_when_the_narrative_is_changed():
    client = new_client()
    at_review(client, "harassment", CRISIS_EN)
    before = crisis_notice(client.get(step_url(client, "harassment", "review")))

    client.post(
        step_url(client, "harassment", "narrative") + "?return=review",
        step_post("harassment", "narrative", {"narrative": PLAIN}),
    )
    after = crisis_notice(client.get(step_url(client, "harassment", "review")))

    assert before is not None
    assert after is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("narrative", "flagged"),
    [(CRISIS_EN, True), (CRISIS_ES, True), (PLAIN, False)],
    ids=["English crisis words", "Spanish crisis words", "ordinary"],
)
def test_the_report_can_still_be_submitted_and_is_flagged(narrative, flagged):
    client = new_client()

    response = file_report(client, "harassment", {"narrative": {"narrative": narrative}})

    assert response.url == reverse("reports:confirmation")
    report = Report.objects.get()
    assert report.narrative == narrative
    assert report.crisis_flag is flagged


# --- The clerks' queue --------------------------------------------------------------------


def signed_in_clerk() -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("clerk.jones", "clerk.jones@police.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Clerks"))
    client = new_client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.django_db
def test_a_flagged_report_comes_first_in_the_clerks_queue():
    now = timezone.now()
    oldest_plain = ReportFactory(submitted_at=now - dt.timedelta(days=5))
    newer_plain = ReportFactory(submitted_at=now - dt.timedelta(hours=2))
    file_report(new_client(), "harassment", {"narrative": {"narrative": CRISIS_EN}})
    flagged = Report.objects.get(crisis_flag=True)

    response = signed_in_clerk().get(reverse("admin:reports_report_changelist"))

    listed = list(response.context["cl"].result_list)
    assert listed == [flagged, oldest_plain, newer_plain]
    content = response.content.decode()
    assert content.index(flagged.tracking_number) < content.index(oldest_plain.tracking_number)
