"""The screening questionnaire: three short pages, safety questions first."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ereport.forms import UswdsForm
from reports.registry import REPORT_TYPES
from screening import rules
from screening.questions import ANSWER_CHOICES, QUESTIONS


class AnswerField(forms.ChoiceField):
    """Yes / No / Not sure, none preselected, as radios."""

    def __init__(self, key: str, **kwargs):
        question = QUESTIONS[key]
        super().__init__(
            label=question.label % {"city": settings.CITY_NAME},
            help_text=question.hint,
            choices=ANSWER_CHOICES,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Answer yes, no or not sure."),
                "invalid_choice": _("Answer yes, no or not sure."),
            },
            **kwargs,
        )


class _QuestionsForm(UswdsForm):
    keys: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in self.keys:
            if key in QUESTIONS:
                self.fields[key] = AnswerField(key)


class NowForm(_QuestionsForm):
    keys = rules.NOW_KEYS


class IncidentForm(_QuestionsForm):
    keys = rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS


_PHONE_ONLY_TYPES = {
    "stolen_vehicle": (
        _("Stolen vehicle"),
        _("Your car, truck or motorcycle itself was stolen."),
    ),
    "other": (
        _("Something else"),
        _("A crime that is not on this list."),
    ),
}


def report_type_choices() -> list[tuple[str, Promise]]:
    choices = [(slug, t.label) for slug, t in REPORT_TYPES.items()]
    choices += [(slug, label) for slug, (label, _summary) in _PHONE_ONLY_TYPES.items()]
    return choices


class PlaceForm(_QuestionsForm):
    keys = (*rules.PLACE_KEYS, rules.REPORT_TYPE_KEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.ChoiceField(
            label=_("What do you want to report?"),
            help_text=_("Choose the one that fits best."),
            choices=report_type_choices(),
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose what you want to report."),
                "invalid_choice": _("Choose one of the kinds of report listed."),
            },
        )
        field.choice_descriptions = {slug: t.summary for slug, t in REPORT_TYPES.items()} | {
            slug: summary for slug, (_label, summary) in _PHONE_ONLY_TYPES.items()
        }
        field.widget.attrs["class"] = "usa-radio__input usa-radio__input--tile"
        self.fields[rules.REPORT_TYPE_KEY] = field


@dataclass(frozen=True)
class ScreeningPage:
    slug: str
    title: Promise
    form_class: type[_QuestionsForm]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.form_class.keys


SCREENING_PAGES = (
    ScreeningPage("now", _("Is this happening now?"), NowForm),
    ScreeningPage("incident", _("About what happened"), IncidentForm),
    ScreeningPage("place", _("Where it happened and what it was"), PlaceForm),
)
