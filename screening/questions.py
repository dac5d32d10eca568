"""The screening questions in plain words: one place for the wording of each question,
its hint, and what the 911 notice says back when the answer sends the resident to 911."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from screening import rules
from screening.reasons import reason_words


@dataclass(frozen=True)
class Question:
    key: str
    label: Promise
    hint: Promise
    # Said back on the 911 notice: what the resident told us, when "yes" or "not sure".
    said_yes: Promise
    said_unsure: Promise


QUESTIONS = {
    q.key: q
    for q in (
        Question(
            "emergency",
            _(
                "Is anyone hurt or in danger, or do you need police, fire or an ambulance to come now?"
            ),
            _("For example: someone is injured, a fire, a medical emergency."),
            _("You told us someone is hurt or in danger, or that you need help to come now."),
            _("You were not sure whether someone is hurt or in danger."),
        ),
        Question(
            "in_progress",
            _("Is the crime happening right now?"),
            _("For example: someone is breaking into a car or taking things as you read this."),
            _("You told us the crime is happening right now."),
            _("You were not sure whether the crime is still happening."),
        ),
        Question(
            "suspicious_now",
            _("Is there suspicious activity going on right now?"),
            _("For example: someone is trying door handles on your street."),
            _("You told us suspicious activity is going on right now."),
            _("You were not sure whether suspicious activity is still going on."),
        ),
        Question(
            "threat",
            _("Is someone's safety, health or property in danger right now?"),
            _("For example: someone has threatened to come back and hurt you or damage your home."),
            _("You told us someone's safety, health or property is in danger right now."),
            _("You were not sure whether someone's safety, health or property is in danger."),
        ),
        Question(
            "major_crime",
            _("Was it a robbery, assault, burglary, arson or another major crime?"),
            _(
                "Robbery is taking something by force or threat. Burglary is entering a "
                "building, garage or shed without permission. Major crimes also include "
                "sexual assault, kidnapping and any crime where a weapon was used."
            ),
            _("You told us it was a robbery, assault, burglary, arson or another major crime."),
            _("You were not sure whether it was a major crime such as robbery or assault."),
        ),
        Question(
            "witnesses",
            _("Are there witnesses the police need to talk to?"),
            _("Someone who saw what happened and should speak to an officer."),
            _("You told us there are witnesses the police need to talk to."),
            _("You were not sure whether there are witnesses the police need to talk to."),
        ),
        Question(
            "evidence",
            _("Is there physical evidence the police need to collect?"),
            _("For example: a weapon, blood, or something the person responsible left behind."),
            _("You told us there is physical evidence the police need to collect."),
            _("You were not sure whether there is evidence the police need to collect."),
        ),
        Question(
            "officer_needed",
            _("Is there any other reason you need an officer to come to you?"),
            _("Answer yes if you want an officer to come to your location."),
            _("You told us you need an officer to come to you."),
            _("You were not sure whether you need an officer to come to you."),
        ),
        Question(
            "in_city",
            _("Did it happen in %(city)s?"),
            _("Inside the city limits."),
            _("It happened in the city."),
            _("You were not sure whether it happened in the city."),
        ),
    )
}

assert tuple(QUESTIONS) == rules.YES_NO_KEYS, "every screening question needs its wording"

ANSWER_CHOICES = (
    (rules.YES, _("Yes")),
    (rules.NO, _("No")),
    (rules.UNSURE, _("Not sure")),
)


def said_back(key: str, answer: str) -> Promise:
    """What the 911 notice says back for one answer that sent the resident there."""
    question = QUESTIONS[key]
    return question.said_unsure if answer == rules.UNSURE else question.said_yes


def question_label(key: str) -> str:
    """A question as the screening page asks it: the place question names the city."""
    return str(QUESTIONS[key].label) % {"city": settings.CITY_NAME}


def answer_rows(answers: dict) -> list[tuple[str, str]]:
    """The screening answers as the resident gave them, in words: each question as the
    screening page asked it, then the answer ("Yes", "No", "Not sure"). The agency's own
    questions (its policy) follow, in the words staff pages use for them. Stored keys and
    codes never appear."""
    words = dict(ANSWER_CHOICES)
    rows: list[tuple[str, str]] = []
    for key in rules.YES_NO_KEYS:
        if key in answers:
            rows.append((question_label(key), str(words.get(answers[key], answers[key]))))
    for key, answer in sorted(answers.items()):
        if key not in rules.ALL_KEYS and isinstance(answer, str):
            rows.append((reason_words(key), str(words.get(answer, answer))))
    return rows
