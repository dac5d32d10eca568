"""The wizard's step catalog: each step name in the registry's flows, with its title and
form. Templates live at templates/reports/wizard/<template>.html."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reports.questions import forms as f


@dataclass(frozen=True)
class Step:
    name: str
    title: Promise
    form_class: type[forms.BaseForm] | type[forms.BaseFormSet]
    template: str  # under templates/reports/wizard/
    # Shown in the check-your-answers page under this heading (None: not shown).
    summary_title: Promise | None = None

    @property
    def is_formset(self) -> bool:
        return issubclass(self.form_class, forms.BaseFormSet)

    @property
    def template_name(self) -> str:
        return f"reports/wizard/{self.template}.html"


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("about_you", _("About you"), f.AboutYouForm, "about_you", _("About you")),
        Step("when_where", _("When and where"), f.WhenWhereForm, "when_where", _("When and where")),
        Step(
            "when_discovered",
            _("When you found out"),
            f.DiscoveredWhenForm,
            "when_where",
            _("When you found out"),
        ),
        Step(
            "when_last_seen",
            _("When and where you last had it"),
            f.LastSeenWhenForm,
            "when_where",
            _("When and where you last had it"),
        ),
        Step(
            "theft_details",
            _("What was stolen"),
            f.TheftDetailsForm,
            "theft_details",
            _("What was stolen"),
        ),
        Step("items", _("The items"), f.ItemFormSet, "items", _("Items")),
        Step("vehicle", _("Your vehicle"), f.TheftFromVehicleForm, "vehicle", _("Your vehicle")),
        Step(
            "vehicle_damage",
            _("Your vehicle and the damage"),
            f.VehicleDamageForm,
            "vehicle_damage",
            _("Your vehicle and the damage"),
        ),
        Step(
            "property_damage",
            _("The damage"),
            f.PropertyDamageForm,
            "property_damage",
            _("The damage"),
        ),
        Step(
            "harassment", _("The harassment"), f.HarassmentForm, "harassment", _("The harassment")
        ),
        Step(
            "court_order",
            _("The court order"),
            f.CourtOrderForm,
            "court_order",
            _("The court order"),
        ),
        Step(
            "visitation",
            _("The court order and the visit"),
            f.VisitationForm,
            "visitation",
            _("The court order and the visit"),
        ),
        Step("children", _("The children"), f.ChildFormSet, "children", _("Children")),
        Step(
            "identity_theft",
            _("What was misused"),
            f.IdentityTheftForm,
            "identity_theft",
            _("What was misused"),
        ),
        Step("accounts", _("The accounts"), f.AccountFormSet, "accounts", _("Accounts")),
        Step(
            "person_responsible",
            _("The person responsible"),
            f.PersonResponsibleForm,
            "person_responsible",
            _("The person responsible"),
        ),
        Step(
            "person_responsible_required",
            _("The person responsible"),
            f.RequiredPersonResponsibleForm,
            "person_responsible",
            _("The person responsible"),
        ),
        Step("narrative", _("What happened"), f.NarrativeForm, "narrative", _("What happened")),
        Step(
            "attachments",
            _("Photos and documents"),
            f.AttachmentsForm,
            "attachments",
            _("Photos and documents"),
        ),
        Step("review", _("Check your answers"), f.ReviewForm, "review"),
        Step("declaration", _("Declaration"), f.DeclarationForm, "declaration"),
    )
}
