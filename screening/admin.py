"""The agency's reporting policy in the admin (supervisors).

One page holds the whole policy: the agency's settings, then a row per report type, the
property taken by phone only, the agency's own questions and the links for residents
outside the area. Every text is asked in each language (an empty one reads as English;
the page lists which are missing). Saving the page makes a new version of the policy,
in force at once on every worker (screening.policy_store); every change to a row is
kept in its history, and the versions are listed, read-only, under "Policy versions".
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from screening import policy_store
from screening.forms import PlaceForm, detail_wording
from screening.models import (
    AgencySettings,
    BannedPropertyRule,
    ExtraQuestionRule,
    PolicyVersion,
    ReferralLink,
    ReportTypeRule,
)
from screening.policy import (
    LANGUAGE_NAMES,
    LANGUAGES,
    LOGO_MAX_BYTES,
    LOGO_MAX_SIDE,
    PolicyError,
    logo_address,
    logo_type,
    policy_from_document,
)
from screening.rules import REPORT_TYPES

# The report types in words, for the type rows (the registry's labels live in reports,
# which screening does not import).
TYPE_NAMES = {
    "theft": _("Theft"),
    "theft_from_vehicle": _("Theft from a vehicle"),
    "property_damage": _("Property damage"),
    "vehicle_damage": _("Damage to a vehicle"),
    "harassment": _("Harassment"),
    "lost_property": _("Lost property"),
    "order_violation": _("Restraining order violation"),
    "visitation_violation": _("Visitation rights violation"),
    "identity_theft": _("Identity theft"),
}


class WordsWidget(forms.MultiWidget):
    """One box per language, each labelled with the language's name."""

    template_name = "admin/screening/words_widget.html"

    def __init__(self, multiline: bool = False):
        box = (
            forms.Textarea(attrs={"rows": 2, "cols": 60})
            if multiline
            else forms.TextInput(attrs={"size": 60})
        )
        super().__init__({lang: box for lang in LANGUAGES})

    def decompress(self, value):
        value = value if isinstance(value, dict) else {}
        return [value.get(lang, "") for lang in LANGUAGES]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for lang, sub in zip(LANGUAGES, context["widget"]["subwidgets"], strict=True):
            sub["language_name"] = LANGUAGE_NAMES[lang]
        return context


class WordsField(forms.MultiValueField):
    """A text the agency writes, per language; English is needed when any is given."""

    def __init__(
        self,
        *,
        multiline: bool = False,
        required: bool = False,
        english_required: bool = True,
        **kwargs,
    ):
        self.english_required = english_required
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        fields = [forms.CharField(required=False, max_length=2000) for _lang in LANGUAGES]
        super().__init__(
            fields,
            widget=WordsWidget(multiline),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        values = dict(zip(LANGUAGES, data_list or [], strict=False))
        words = {lang: text.strip() for lang, text in values.items() if text and text.strip()}
        if words and "en" not in words and self.english_required:
            raise ValidationError(
                _("Write the English text too: a missing translation is shown in English.")
            )
        if self.required and not words:
            raise ValidationError(_("Write the English text."))
        return words


def _words_formfield(db_field, *, multiline=False, **kwargs):
    # Crisis phrases are not translations of each other: any language may have its own.
    return WordsField(
        multiline=multiline,
        english_required=db_field.name != "crisis_words",
        required=not db_field.blank,
        label=db_field.verbose_name.capitalize(),
        help_text=db_field.help_text,
    )


class _WordsMixin:
    multiline_words: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.get_internal_type() == "JSONField":
            return _words_formfield(db_field, multiline=db_field.name in self.multiline_words)
        if db_field.name in ("url", "address_lookup_url"):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _row_check(document: dict, field_names: dict[str, str]):
    """Check one row as the policy would; a problem becomes the form's error on its field."""
    try:
        policy_from_document(document)
    except PolicyError as error:
        field = next((field_names[p] for p in reversed(error.path) if p in field_names), None)
        raise ValidationError({field: error.message} if field else error.message) from error


class TypeRuleForm(forms.ModelForm):
    slug = forms.ChoiceField(label=_("Report type"), choices=list(TYPE_NAMES.items()))

    class Meta:
        model = ReportTypeRule
        fields = ("slug", "online", "value_cap", "suspect_rule", "suspect_definition")

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("slug"):
            return data
        entry = {"online": data.get("online", True), "suspect_rule": data.get("suspect_rule")}
        if data.get("value_cap") is not None:
            entry["value_cap"] = str(data["value_cap"])
        if data.get("suspect_definition"):
            entry["suspect_definition"] = data["suspect_definition"]
        _row_check({"types": {data["slug"]: entry}}, {n: n for n in self.fields})
        return data


class TypeRuleInline(_WordsMixin, admin.TabularInline):
    model = ReportTypeRule
    form = TypeRuleForm
    extra = 0
    max_num = len(TYPE_NAMES)
    verbose_name_plural = _("Report types: online, value cap, a known suspect")


class BannedForm(forms.ModelForm):
    class Meta:
        model = BannedPropertyRule
        fields = ("position", "key", "label", "reason", "words")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        entry = {
            "key": data.get("key"),
            "label": data.get("label"),
            "reason": data.get("reason"),
            "words": [w.strip() for w in (data.get("words") or "").splitlines() if w.strip()],
        }
        _row_check({"banned_property": [entry]}, {n: n for n in self.fields})
        return data


class BannedInline(_WordsMixin, admin.StackedInline):
    model = BannedPropertyRule
    form = BannedForm
    extra = 0
    multiline_words = ("reason",)


class ExtraQuestionForm(forms.ModelForm):
    class Meta:
        model = ExtraQuestionRule
        fields = ("position", "key", "question", "hint", "reason", "if_yes", "if_no")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        entry = {k: data.get(k) for k in ("key", "question", "reason", "if_yes", "if_no")}
        if data.get("hint"):
            entry["hint"] = data["hint"]
        _row_check({"extra_questions": [entry]}, {n: n for n in self.fields})
        return data


class ExtraQuestionInline(_WordsMixin, admin.StackedInline):
    model = ExtraQuestionRule
    form = ExtraQuestionForm
    extra = 0
    multiline_words = ("reason", "hint")


class ReferralLinkInline(_WordsMixin, admin.TabularInline):
    model = ReferralLink
    extra = 0


class AgencySettingsForm(forms.ModelForm):
    address_lookup_url = forms.URLField(
        label=_("Address lookup link"),
        required=False,
        assume_scheme="https",
        help_text=_("The city's page where residents check whether an address is inside."),
    )
    logo_file = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=format_lazy(
            _(
                "A PNG or JPEG image of at most {kb} KB and {side} pixels a side, shown "
                "beside the agency's name on every page and on the case copies. About 80 "
                "pixels high looks best."
            ),
            kb=LOGO_MAX_BYTES // 1000,
            side=LOGO_MAX_SIDE,
        ),
    )
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = AgencySettings
        fields = (
            "agency_name",
            "phone_311",
            "phone_311_full",
            "min_reporter_age",
            "email_required",
            "report_max_age_days",
            "place_question",
            "zip_codes_inside",
            "zip_codes_straddling",
            "address_lookup_url",
            "referral_text",
            "crisis_words",
        )

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is %(kb)d KB: make it %(max)d KB or less.")
                % {"kb": -(-upload.size // 1000), "max": LOGO_MAX_BYTES // 1000}
            )
        raw = upload.read()
        kind = logo_type(raw)
        if kind is None:
            raise ValidationError(
                _("The logo must be a PNG or JPEG image of at most %(side)d pixels a side.")
                % {"side": LOGO_MAX_SIDE}
            )
        return logo_address(raw, kind)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        agency = {
            k: data.get(k)
            for k in ("phone_311", "phone_311_full", "min_reporter_age", "report_max_age_days")
        }
        if data.get("agency_name"):
            agency["name"] = data["agency_name"]
        agency["crisis_words"] = policy_store.crisis_lists(data.get("crisis_words"))
        place = {
            "zip_codes_inside": policy_store.zips_of(data.get("zip_codes_inside") or ""),
            "zip_codes_straddling": policy_store.zips_of(data.get("zip_codes_straddling") or ""),
            "address_lookup_url": data.get("address_lookup_url") or "",
        }
        for name in ("place_question", "referral_text"):
            if data.get(name):
                place[name] = data[name]
        _row_check({"agency": agency, "jurisdiction": place}, {n: n for n in self.fields})
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("logo_file"):
            self.instance.logo = self.cleaned_data["logo_file"]
        elif self.cleaned_data.get("logo_remove"):
            self.instance.logo = ""
        return super().save(commit)


class _Preview(Exception):
    """Not an error: carries the policy that saving would make out of the save."""

    def __init__(self, policy, problem: str):
        self.policy = policy
        self.problem = problem


def preview_pages(policy, language: str) -> dict:
    """What residents would read, in one language: the place question, the types
    offered online, and the further questions asked for each type."""
    if policy is None:
        return {}
    with translation.override(language):
        place = PlaceForm(policy=policy)
        types = []
        for slug in policy.online_types:
            keys = policy.detail_keys(slug)
            questions = [detail_wording(policy, slug, key, language) for key in keys]
            types.append((TYPE_NAMES[slug], [str(q) for q, _hint in questions]))
        return {
            "place_question": str(place.fields["in_city"].label),
            "asks_zip": policy.has_zip_list,
            "online": types,
            "by_phone": [str(TYPE_NAMES[r.slug]) for r in policy.types if not r.online],
            "banned": [
                (b.label.get(language), b.reason.get(language)) for b in policy.banned_property
            ],
            "referral_text": policy.referral_text.get(language),
        }


@admin.register(AgencySettings)
class AgencySettingsAdmin(_WordsMixin, SimpleHistoryAdmin):
    form = AgencySettingsForm
    multiline_words = ("referral_text", "crisis_words")
    inlines = (TypeRuleInline, BannedInline, ExtraQuestionInline, ReferralLinkInline)
    readonly_fields = ("version_in_force", "missing_translations", "logo_in_use")
    fieldsets = (
        (None, {"fields": ("version_in_force", "missing_translations")}),
        (
            _("The agency"),
            {
                "fields": (
                    "agency_name",
                    "logo_in_use",
                    "logo_file",
                    "logo_remove",
                    "phone_311",
                    "phone_311_full",
                    "min_reporter_age",
                    "email_required",
                    "report_max_age_days",
                    "crisis_words",
                )
            },
        ),
        (
            _("Where the agency takes reports"),
            {
                "fields": (
                    "place_question",
                    "zip_codes_inside",
                    "zip_codes_straddling",
                    "address_lookup_url",
                    "referral_text",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AgencySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        # The policy is replaced, never removed: every version stays.
        return False

    @admin.display(description=_("Version in force"))
    def version_in_force(self, obj):
        policy = policy_store.current_policy()
        return policy.version or _("The default policy (no version saved yet)")

    @admin.display(description=_("Logo"))
    def logo_in_use(self, obj):
        if obj is None or not obj.logo:
            return _("No logo: the agency's name stands alone.")
        kind = obj.logo.partition(";")[0].removeprefix("data:image/").upper()
        size = len(obj.logo.partition(",")[2]) * 3 // 4
        return _("A %(kind)s image of %(kb)d KB.") % {"kind": kind, "kb": -(-size // 1000)}

    @admin.display(description=_("Missing translations"))
    def missing_translations(self, obj):
        missing = policy_store.current_policy().missing_translations()
        if not missing:
            return _("None: every text is written in every language.")
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (name, ", ".join(str(LANGUAGE_NAMES[lang]) for lang in langs))
                for name, langs in missing
            ),
        )

    change_form_template = "admin/screening/agencysettings/change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or "_preview" not in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Preview: the page is saved as usual inside a transaction that is then undone,
        # so that the preview shows exactly what saving would put in force.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Preview as preview:
            return render(
                request,
                "admin/screening/policy_preview.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Preview of the resident pages"),
                    "opts": self.model._meta,
                    "languages": [
                        (LANGUAGE_NAMES[lang], preview_pages(preview.policy, lang))
                        for lang in LANGUAGES
                    ],
                    "problem": preview.problem,
                    "back_url": request.get_full_path(),
                },
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "_preview" in request.POST:
            try:
                policy = policy_from_document(policy_store.document_from_rows())
            except PolicyError as error:
                raise _Preview(None, error.message) from error
            raise _Preview(policy, "")
        try:
            version = policy_store.version_save(user=request.user, how="edited in the admin")
        except PolicyError as error:
            # Each row passed its own check: this is a conflict between rows. Nothing of
            # this save is kept (the admin's page runs in one transaction).
            transaction.set_rollback(True)
            self.message_user(
                request,
                _("Nothing was saved: %(problem)s") % {"problem": error.message},
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            _("Version %(number)d of the policy is in force now.") % {"number": version.number},
            messages.SUCCESS,
        )


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "created_by", "how")
    fields = ("number", "created_at", "created_by", "how", "summary")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("What it says"))
    def summary(self, obj):
        policy = policy_from_document(obj.document, version=obj.number, stored=True)
        lines = []
        for rule in policy.types:
            words = [str(TYPE_NAMES[rule.slug])]
            words.append(str(_("online")) if rule.online else str(_("by phone only")))
            if rule.value_cap is not None:
                words.append(str(_("up to $%(cap)s")) % {"cap": f"{rule.value_cap:,.2f}"})
            if rule.suspect_rule != "online":
                words.append(str(_("known suspect: %(rule)s")) % {"rule": rule.suspect_rule})
            lines.append(", ".join(words))
        for banned in policy.banned_property:
            lines.append(str(_("By phone only: %(what)s")) % {"what": banned.label.get("en")})
        for question in policy.extra_questions:
            lines.append(str(_("Question: %(q)s")) % {"q": question.question.get("en")})
        if policy.zip_codes_inside:
            lines.append(
                str(_("ZIP codes inside: %(zips)s"))
                % {"zips": " ".join(sorted(policy.zip_codes_inside))}
            )
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))


assert set(TYPE_NAMES) <= set(REPORT_TYPES)
