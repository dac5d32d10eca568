"""The screening questionnaire: three short pages, safety questions first."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ereport.forms import FixedChoiceField, UswdsForm
from reports.registry import REPORT_TYPES
from screening import rules
from screening.policy import (
    BANNED_KEY,
    DEFAULT_POLICY,
    OVER_CAP_KEY,
    SUSPECT_KEY,
    TYPES_WITH_REPAIR_COST,
    ZIP_KEY,
    Policy,
)
from screening.questions import ANSWER_CHOICES, QUESTIONS, question_label

_lazy_question_label = lazy(question_label, str)


class AnswerField(FixedChoiceField):
    """Yes / No / Not sure, none preselected, as radios. Its label is read in the
    language of the page that shows it, so one field serves every resident."""

    def __init__(self, key: str, **kwargs):
        super().__init__(
            label=_lazy_question_label(key),
            help_text=QUESTIONS[key].hint,
            choices=ANSWER_CHOICES,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Answer yes, no or not sure."),
                "invalid_choice": _("Answer yes, no or not sure."),
            },
            **kwargs,
        )


class _QuestionsForm(UswdsForm):
    """A page of screening questions: `keys` names them. The yes/no/not sure ones are
    declared once, when the class is made, as Django copies declared fields for each form
    it builds (profiled: building them anew for each screening page, each answer list run
    through normalize_choices, was a fourteenth of the page's time); a form adds the
    others itself."""

    keys: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Django's form metaclass gathers every class's declared_fields after this runs.
        asked = {key: AnswerField(key) for key in cls.keys if key in QUESTIONS}
        cls.declared_fields = {**cls.declared_fields, **asked}

    def __init__(self, *args, policy: Policy | None = None, **kwargs):
        self.policy = DEFAULT_POLICY if policy is None else policy
        super().__init__(*args, **kwargs)


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
        language = get_language()
        if self.policy.place_question:
            self.fields["in_city"].label = self.policy.place_question.get(language)
        if self.policy.has_zip_list:
            # The ZIP code settles the place for most addresses; the question is then only
            # needed for a ZIP code on the line (or none given).
            self.fields[ZIP_KEY] = forms.RegexField(
                label=_("ZIP code where it happened"),
                regex=r"^\s*\d{5}\s*$",
                required=False,
                help_text=_("5 digits. Leave empty if you do not know it."),
                error_messages={"invalid": _("Enter the ZIP code with 5 digits, like 55401.")},
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
                ),
            )
            self.fields["in_city"].required = False
            self.fields["in_city"].help_text = _(
                "Answer this if you left the ZIP code empty or it is on the city line."
            )
            self.order_fields([ZIP_KEY, "in_city", rules.REPORT_TYPE_KEY])

    def clean(self):
        data = super().clean()
        if not self.policy.has_zip_list:
            return data
        data[ZIP_KEY] = (data.get(ZIP_KEY) or "").strip()
        place = self.policy.zip_decides(data[ZIP_KEY])
        if place is not None:
            # The answer the ZIP code gives (the rules go by the ZIP code itself).
            data["in_city"] = rules.YES if place == "inside" else rules.NO
        elif not data.get("in_city") and "in_city" not in self.errors:
            self.add_error("in_city", _("Answer yes, no or not sure."))
        return data


class DetailsForm(_QuestionsForm):
    """The questions the agency's policy adds for the chosen report type (yes or no)."""

    report_type = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        policy, slug = self.policy, self.report_type
        for key in self.keys:
            label, hint = detail_wording(policy, slug, key, language)
            self.fields[key] = forms.ChoiceField(
                label=label,
                help_text=hint,
                choices=((rules.YES, _("Yes")), (rules.NO, _("No"))),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Answer yes or no."),
                    "invalid_choice": _("Answer yes or no."),
                },
            )


def detail_wording(policy: Policy, slug: str, key: str, language: str) -> tuple[str, str]:
    if key == SUSPECT_KEY:
        rule = policy.type_rule(slug)
        return (
            str(_("Do you know who did it?")),
            rule.suspect_definition.get(language) if rule else "",
        )
    if key == BANNED_KEY:
        things = ", ".join(b.label.get(language) for b in policy.banned_property)
        return (str(_("Was any of this taken or lost: %(things)s?") % {"things": things}), "")
    if key == OVER_CAP_KEY:
        cap = f"${policy.value_cap(slug):,.0f}"
        if slug in TYPES_WITH_REPAIR_COST:
            return (
                str(_("Will the repair cost more than %(cap)s?") % {"cap": cap}),
                str(_("Your best estimate.")),
            )
        return (
            str(_("Was everything together worth more than %(cap)s?") % {"cap": cap}),
            str(_("Your best estimate of what it would cost to replace.")),
        )
    question = policy.extra_question(key)
    if question is None:
        return key, ""
    return question.question.get(language), question.hint.get(language)


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
DETAILS_SLUG = "details"


# The place page of a policy with a list of ZIP codes: the ZIP question first. Made once,
# like the pages above (each form class declares its questions when it is made).
_PLACE_WITH_ZIP = ScreeningPage(
    SCREENING_PAGES[2].slug,
    SCREENING_PAGES[2].title,
    type("PlaceForm", (PlaceForm,), {"keys": (ZIP_KEY, *PlaceForm.keys)}),
)


@functools.lru_cache(maxsize=512)
def _details_page(keys: tuple[str, ...], slug: str) -> ScreeningPage:
    """The page of the policy's own questions for a report type, made once per process
    for each list of questions (a new policy version asking others gets a new page)."""
    form_class = type("DetailsForm", (DetailsForm,), {"keys": keys, "report_type": slug})
    return ScreeningPage(DETAILS_SLUG, _("A few more questions"), form_class)


def screening_pages(policy: Policy, answers: dict[str, str]) -> tuple[ScreeningPage, ...]:
    """The pages asked under this policy: the three of the source document, then a page
    of the policy's own questions once the report type is known and it has any."""
    pages = SCREENING_PAGES
    if policy.has_zip_list:
        pages = (*pages[:2], _PLACE_WITH_ZIP)
    slug = answers.get(rules.REPORT_TYPE_KEY)
    keys = policy.detail_keys(slug) if slug in rules.REPORT_TYPES else ()
    if keys:
        pages = (*pages, _details_page(keys, slug))
    return pages
