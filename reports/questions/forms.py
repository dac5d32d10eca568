"""The report forms, one per wizard step. Plain Django forms: the fields in
reports.fields hold the validation rules; forms add the rules that span fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ereport.forms import (
    FixedChoiceField,
    FixedMultipleChoiceField,
    HoneypotMixin,
    UswdsForm,
)
from reports import rules
from reports.enums import AccountKind, ItemCategory, OrderType, PlaceKind, ReportingFor
from reports.questions.fields import (
    DATE_OF_BIRTH_HINT,
    TIME_HINT,
    DateOfBirthField,
    EmailField,
    Last4Field,
    MoneyField,
    NarrativeField,
    PastDateField,
    PhoneField,
    PlateField,
    QuantityField,
    StateField,
    TextField,
    TimeField,
    VinField,
    ZipField,
    aware_local_datetime,
)
from screening import rules as screening_rules
from screening.policy_store import current_policy
from screening.rules import Decision

YES_NO = (("yes", _("Yes")), ("no", _("No")))
YES_NO_UNSURE = (("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure")))


# Every required choice names its question in its message: the error summary lists the
# messages alone, as links, and three links reading "Choose one of the answers." would not
# say which question each one is about. So required_message has no default.
def radio(label, choices, *, required_message, required=True, help_text=""):
    return FixedChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose one of the answers."),
        },
    )


def checkboxes(label, choices, *, required_message, required=True, help_text=""):
    return FixedMultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose from the answers listed."),
        },
    )


def text(label, max_length, *, required=True, multiline=False, help_text="", required_message=None):
    return TextField(
        label=label,
        max_length=max_length,
        required=required,
        multiline=multiline,
        help_text=help_text,
        error_messages={"required": required_message or _("Enter an answer.")},
    )


class StepForm(UswdsForm):
    """A wizard step. `trap()` returns a 911 decision when an answer shows the incident
    cannot be reported online after all."""

    def trap(self) -> Decision | None:
        return None

    def full_clean(self):
        super().full_clean()
        # The error summary lists the errors in this dict's order, and errors found by
        # clean() (a date the chosen answer needs) come after those of single fields:
        # put them back in the order of the questions on the page.
        if self._errors:
            order = {name: index for index, name in enumerate(self.fields)}
            self._errors = ErrorDict(
                sorted(self._errors.items(), key=lambda item: order.get(item[0], -1)),
                renderer=self.renderer,
            )


# --- Common steps -------------------------------------------------------------------


class AboutYouForm(HoneypotMixin, StepForm):
    first_name = text(_("First name"), 100, required_message=_("Enter your first name."))
    last_name = text(_("Last name"), 100, required_message=_("Enter your last name."))
    date_of_birth = DateOfBirthField(label=_("Date of birth"), help_text=DATE_OF_BIRTH_HINT)
    phone = PhoneField(
        label=_("Phone number"), help_text=_("A clerk may call you about your report.")
    )
    email = EmailField(
        label=_("Email address"),
        help_text=_("We send your copy of the report and every update to this address."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address, like name@example.com."),
        },
    )
    street = text(_("Street address"), 200, required_message=_("Enter your street address."))
    unit = text(_("Apartment or unit"), 50, required=False)
    city = text(_("City"), 100, required_message=_("Enter your city."))
    state = StateField(label=_("State"), initial="MN")
    zip_code = ZipField(label=_("ZIP code"))
    preferred_language = text(
        _("Preferred language"),
        50,
        required=False,
        help_text=_("The language you would like us to use if we contact you."),
    )
    reporting_for = radio(
        _("Who are you reporting for?"),
        ReportingFor.choices,
        required_message=_("Choose who you are reporting for."),
    )
    organization_name = text(
        _("Name of the business or organization"),
        200,
        required=False,
        help_text=_("Only if you are reporting for a business or organization."),
    )
    organization_role = text(
        _("Your role there"), 100, required=False, help_text=_("For example: owner, manager.")
    )
    other_person_name = text(
        _("Name of the person you are reporting for"),
        200,
        required=False,
        help_text=_("Only if you are reporting for another person."),
    )
    other_person_contact = text(_("Their phone number or email"), 200, required=False)

    # The wizard passes the policy it already read for the request (see ReportWizard).
    takes_policy = True

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        policy = policy if policy is not None else current_policy()
        # The agency's saved policy sets the minimum age to file (else the setting).
        if policy.version:
            self.fields["date_of_birth"].min_age = policy.min_reporter_age
        if not policy.email_required:
            email = self.fields["email"]
            email.required = False
            email.help_text = _(
                "If you give one, we send your copy of the report and every update to it. "
                "Without one, you check on your report here with its tracking number and "
                "your phone number."
            )

    def clean(self):
        data = super().clean()
        if data.get("reporting_for") == ReportingFor.BUSINESS:
            if not data.get("organization_name"):
                self.add_error(
                    "organization_name", _("Enter the name of the business or organization.")
                )
            if not data.get("organization_role"):
                self.add_error(
                    "organization_role", _("Enter your role in the business or organization.")
                )
        if data.get("reporting_for") == ReportingFor.OTHER_PERSON:
            if not data.get("other_person_name"):
                self.add_error(
                    "other_person_name", _("Enter the name of the person you are reporting for.")
                )
            if not data.get("other_person_contact"):
                self.add_error("other_person_contact", _("Enter their phone number or email."))
        return data


class WhenWhereForm(StepForm):
    """When it happened (exactly, or between two times) and where.

    The date and time boxes come in two groups, one per answer to `timing`; the step's
    template shows each group under a heading that names its answer (and the script shows
    only the chosen one). A box required by its answer carries `required_for_choice`, so it
    is not marked "(optional)" although the form, which must accept the other answer's
    group empty, does not require it.
    """

    timing_label = _("Do you know exactly when it happened?")
    timing_required_message = _("Choose whether you know exactly when it happened.")
    exact_legend = _("The date and time it happened")
    window_legend = _("The time range when it could have happened")
    date_label = _("Date it happened")
    date_required_message = _("Enter the date it happened.")
    time_label = _("Time it happened")
    location_label = _("Address or nearest intersection")
    location_required = True

    timing = FixedChoiceField(
        choices=(
            ("exact", _("Yes, I know the date and time")),
            ("window", _("No, I only know it happened between two times")),
        ),
        widget=forms.RadioSelect,
    )
    date = PastDateField(required=False)
    time = TimeField(required=False, help_text=TIME_HINT)
    start_date = PastDateField(
        label=_("Start date"),
        required=False,
        help_text=_("The last time you know everything was fine."),
    )
    start_time = TimeField(label=_("Start time"), required=False, help_text=TIME_HINT)
    end_date = PastDateField(
        label=_("End date"), required=False, help_text=_("When you noticed what happened.")
    )
    end_time = TimeField(label=_("End time"), required=False, help_text=TIME_HINT)
    location = text(
        _("Address or nearest intersection"),
        200,
        help_text=_("For example: 350 S 5th St, or Lake St and Hiawatha Ave."),
        required_message=_("Enter the address or the nearest intersection."),
    )
    place_kind = radio(
        _("What kind of place is it?"),
        PlaceKind.choices,
        required_message=_("Choose what kind of place it is."),
    )

    # The boxes of each answer to `timing`, in the order shown.
    timing_groups = {
        "exact": ("date", "time"),
        "window": ("start_date", "start_time", "end_date", "end_time"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["timing"].label = self.timing_label
        fields["timing"].error_messages["required"] = self.timing_required_message
        fields["date"].label = self.date_label
        fields["time"].label = self.time_label
        fields["location"].label = self.location_label
        fields["location"].required = self.location_required
        for name in ("date", "start_date", "end_date"):
            fields[name].required_for_choice = True

    def full_clean(self):
        # A saved agency policy says how old an incident may be (else the setting). It is
        # read when answers are checked, not when a form is built to draw a page.
        policy = current_policy()
        if policy.version:
            for name in ("date", "start_date", "end_date"):
                self.fields[name].max_age_days = policy.report_max_age_days
        super().full_clean()

    def timing_fieldsets(self):
        """(answer, heading, bound fields) for each group of date and time boxes."""
        legends = {"exact": self.exact_legend, "window": self.window_legend}
        return [
            (answer, legends[answer], [self[name] for name in names])
            for answer, names in self.timing_groups.items()
        ]

    def _required(self, data, name, message):
        if data.get(name) is None and name not in self.errors:
            self.add_error(name, message)

    def clean(self):
        data = super().clean()
        now = timezone.now()
        if data.get("timing") == "exact":
            self._required(data, "date", self.date_required_message)
            if data.get("date"):
                start = aware_local_datetime(data["date"], data.get("time"))
                if start > now:
                    self.add_error("time", _("The time cannot be in the future."))
                data["occurred_start"], data["occurred_end"] = start, None
        elif data.get("timing") == "window":
            self._required(data, "start_date", _("Enter the start date."))
            self._required(data, "end_date", _("Enter the end date."))
            if data.get("start_date") and data.get("end_date"):
                start = aware_local_datetime(data["start_date"], data.get("start_time"))
                end = aware_local_datetime(
                    data["end_date"], data.get("end_time") or dt.time(23, 59)
                )
                if data.get("end_time") is None and data["end_date"] == timezone.localdate():
                    end = min(end, now)
                if end > now:
                    self.add_error("end_time", _("The time cannot be in the future."))
                if start > end:
                    self.add_error(
                        "end_date", _("The end of the time range must be after its start.")
                    )
                data["occurred_start"], data["occurred_end"] = start, end
        return data


class DiscoveredWhenForm(WhenWhereForm):
    """Identity theft is dated by when it was discovered; it often has no place."""

    timing_label = _("Do you know exactly when you found out?")
    timing_required_message = _("Choose whether you know exactly when you found out.")
    exact_legend = _("The date and time you found out")
    window_legend = _("The time range when you could have found out")
    date_label = _("Date you found out")
    date_required_message = _("Enter the date you found out.")
    time_label = _("Time you found out")
    location_label = _("Where did it happen, if you know?")
    location_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].help_text = _(
            "Leave empty if it happened online or you do not know."
        )


class LastSeenWhenForm(WhenWhereForm):
    timing_label = _("Do you know exactly when you last had it?")
    timing_required_message = _("Choose whether you know exactly when you last had it.")
    exact_legend = _("The date and time you last had it")
    window_legend = _("The time range when you could have lost it")
    date_label = _("Date you last had it")
    date_required_message = _("Enter the date you last had it.")
    time_label = _("Time you last had it")
    location_label = _("Where did you last have it?")


class PersonResponsibleForm(StepForm):
    required_person = False

    known = radio(
        _("Do you know who did it?"),
        (
            ("known", _("Yes, I know who it was")),
            ("seen", _("No, but I saw them or can describe them")),
            ("unknown", _("No, I do not know anything about them")),
        ),
        required_message=_("Choose whether you know who did it."),
    )
    name = text(_("Name"), 200, required=False)
    description = text(
        _("Description"),
        2000,
        required=False,
        multiline=True,
        help_text=_("For example: age, height, hair, clothing, anything you noticed."),
    )
    address = text(_("Address"), 200, required=False)
    phones = text(_("Phone numbers"), 200, required=False)
    online_accounts = text(
        _("Online accounts or email addresses"),
        300,
        required=False,
        help_text=_("For example: social media user names."),
    )
    vehicle_description = text(
        _("Vehicle"),
        200,
        required=False,
        help_text=_("Make, model, color and plate, if you know them."),
    )

    def clean(self):
        data = super().clean()
        described = any(
            data.get(f)
            for f in (
                "name",
                "description",
                "address",
                "phones",
                "online_accounts",
                "vehicle_description",
            )
        )
        if data.get("known") in ("known", "seen") and not described:
            self.add_error("description", _("Tell us anything you know about them."))
        if self.required_person and data.get("known") == "unknown":
            self.add_error(
                "known",
                _(
                    "For a harassment report we need to know who is contacting you, "
                    "or at least the numbers or accounts they use."
                ),
            )
        return data


class RequiredPersonResponsibleForm(PersonResponsibleForm):
    required_person = True


class NarrativeForm(StepForm):
    narrative = NarrativeField(
        label=_("What happened?"),
        help_text=_(
            "In your own words: what happened, in the order it happened. Include anything "
            "that could help, such as what you noticed before and after."
        ),
    )


class AttachmentsForm(StepForm):
    """Files arrive one at a time through the step's own file input (see the wizard), so
    the form itself has nothing to validate."""


class ReviewForm(StepForm):
    """The check-your-answers page: nothing to fill in."""


class DeclarationForm(StepForm):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the information in this report is true to the best of my knowledge."
        ),
        error_messages={
            "required": _("Confirm that the information is true to submit your report.")
        },
    )


# --- Items (theft, theft from a vehicle, lost property) ------------------------------


class ItemForm(UswdsForm):
    category = FixedChoiceField(
        label=_("Kind of item"),
        choices=[("", _("- Select -")), *ItemCategory.choices],
        error_messages={
            "required": _("Choose the kind of item."),
            "invalid_choice": _("Choose the kind of item from the list."),
        },
    )
    description = text(
        _("Description"),
        300,
        required_message=_("Describe the item."),
        help_text=_("For example: black mountain bike with a red seat."),
    )
    brand = text(_("Brand"), 100, required=False)
    model = text(_("Model"), 100, required=False)
    serial_number = text(
        _("Serial number"),
        100,
        required=False,
        help_text=_("Often on a sticker or engraved; it helps return the item."),
    )
    color = text(_("Color"), 50, required=False)
    quantity = QuantityField(label=_("How many"), initial=1)
    value = MoneyField(label=_("Value of each, in dollars"), required=False)


class RowsFormSet(forms.BaseFormSet):
    """A step of repeated rows (items, children, accounts): at least one row kept."""

    too_few_message = _("Add at least one.")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" not in form.fields:
            return
        form.fields["DELETE"].label = _("Remove this one")
        if self.total_form_count() == 1:
            # The only row cannot be removed (a step needs one), so it is not offered:
            # it would only lead to "Add at least one". The field stays, hidden, so that
            # a removal sent anyway is still refused by clean().
            form.fields["DELETE"].widget = forms.HiddenInput()

    def kept_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.kept_forms():
            raise forms.ValidationError(self.too_few_message, code="too_few")


def rows_formset(form_class, *, max_num: int, too_few, too_many):
    """A step of 1 to max_num rows of form_class, rows removable, with our messages."""
    base = type(
        f"{form_class.__name__}Rows",
        (RowsFormSet,),
        {"too_few_message": too_few, "default_error_messages": {"too_many_forms": too_many}},
    )
    return forms.formset_factory(
        form_class,
        formset=base,
        extra=0,
        min_num=1,
        max_num=max_num,
        validate_max=True,
        absolute_max=max_num,
        can_delete=True,
    )


class ItemFormSet(
    rows_formset(
        ItemForm,
        max_num=25,
        too_few=_("Add at least one item."),
        too_many=_("You can add up to 25 items."),
    )
):
    # The wizard says which report the items are for (the agency's caps are per type).
    report_type = ""

    def trap(self) -> Decision | None:
        """Property the agency takes by phone only, or items worth more than its cap for
        the type, send the resident to the phone (screening.rules.items_decision)."""
        items = [f.cleaned_data for f in self.kept_forms()]
        texts = [
            " ".join(str(item.get(k) or "") for k in ("description", "brand", "model"))
            for item in items
        ]
        return screening_rules.items_decision(
            current_policy(), self.report_type, texts, rules.total_value(items)
        )


# --- Type-specific steps --------------------------------------------------------------


class TheftDetailsForm(StepForm):
    theft_kind = radio(
        _("What was stolen?"),
        (
            ("bicycle", _("A bicycle")),
            ("package", _("A package or mail")),
            ("yard", _("Something from a yard, porch or open area")),
            ("business", _("Something from a business or store")),
            ("other", _("Something else")),
        ),
        required_message=_("Choose what was stolen."),
    )
    entered_building = radio(
        _("Did someone go into a building, garage or shed without permission to take it?"),
        YES_NO_UNSURE,
        required_message=_("Choose whether anyone went into a building, garage or shed."),
    )
    force_or_threat = radio(
        _("Did anyone use force or threats against a person?"),
        YES_NO_UNSURE,
        required_message=_("Choose whether anyone used force or threats against a person."),
    )

    def trap(self) -> Decision | None:
        # "Not sure" counts as yes, as in the screening: if in doubt, call 911.
        entered = "yes" if self.cleaned_data["entered_building"] != "no" else "no"
        force = "yes" if self.cleaned_data["force_or_threat"] != "no" else "no"
        return rules.theft_trap(entered_building=entered, force_or_threat=force)


class _VehicleFieldsMixin(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=dt.date.today().year + 1,
        error_messages={
            "invalid": _("Enter the year with 4 digits, like 2019."),
            "min_value": _("Enter the year with 4 digits, like 2019."),
            "max_value": _("Enter the year with 4 digits, like 2019."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    make = text(_("Make"), 50, required_message=_("Enter the make, like Toyota."))
    model = text(_("Model"), 50, required=False)
    color = text(_("Color"), 50, required=False)
    plate = PlateField(label=_("License plate"), required=False)
    plate_state = StateField(label=_("Plate state"), required=False, initial="MN")

    def clean(self):
        data = super().clean()
        if data.get("plate") and not data.get("plate_state"):
            self.add_error("plate_state", _("Choose the state of the license plate."))
        return data


class TheftFromVehicleForm(_VehicleFieldsMixin, StepForm):
    locked = radio(
        _("Was the vehicle locked?"),
        YES_NO_UNSURE,
        required_message=_("Choose whether the vehicle was locked."),
    )
    entry = radio(
        _("How did they get in?"),
        (
            ("window", _("Broke a window")),
            ("lock", _("Forced a lock or door")),
            ("unlocked", _("It was unlocked")),
            ("outside", _("They took something from outside the vehicle")),
            ("unknown", _("I do not know")),
        ),
        required_message=_("Choose how they got in."),
    )
    damage = text(_("Describe any damage"), 1000, required=False, multiline=True)


class VehicleDamageForm(_VehicleFieldsMixin, StepForm):
    vin = VinField(
        label=_("VIN (vehicle identification number)"),
        required=False,
        help_text=_("17 characters, on your registration or insurance card."),
    )
    damage = text(
        _("Describe the damage"), 2000, multiline=True, required_message=_("Describe the damage.")
    )
    repair_cost = MoneyField(label=_("Estimated repair cost, in dollars"), required=False)
    hit_and_run = radio(
        _("Was it hit by another vehicle that drove away while yours was parked?"),
        YES_NO,
        required_message=_("Choose whether another vehicle hit yours and drove away."),
    )
    anyone_hurt = radio(
        _("Was anyone hurt?"), YES_NO_UNSURE, required_message=_("Choose whether anyone was hurt.")
    )
    other_vehicle = text(
        _("The other vehicle"),
        200,
        required=False,
        help_text=_("Make, model, color and plate, if you know them."),
    )

    report_type = "vehicle_damage"

    def trap(self) -> Decision | None:
        return rules.injury_trap(
            anyone_hurt=self.cleaned_data["anyone_hurt"]
        ) or screening_rules.repair_decision(
            current_policy(), self.report_type, self.cleaned_data.get("repair_cost")
        )


class PropertyDamageForm(StepForm):
    damaged = checkboxes(
        _("What was damaged?"),
        (
            ("building", _("A building or house")),
            ("window", _("A window or door")),
            ("fence", _("A fence, gate or garage")),
            ("graffiti", _("Graffiti")),
            ("other", _("Something else")),
        ),
        required_message=_("Choose what was damaged."),
    )
    owner = radio(
        _("Who owns it?"),
        (
            ("me", _("I do")),
            ("landlord", _("My landlord")),
            ("business", _("A business")),
            ("public", _("The city or public property")),
            ("other", _("Someone else")),
        ),
        required_message=_("Choose who owns it."),
    )
    owner_name = text(_("Owner's name"), 200, required=False, help_text=_("If it is not yours."))
    description = text(
        _("Describe the damage"), 2000, multiline=True, required_message=_("Describe the damage.")
    )
    repair_cost = MoneyField(label=_("Estimated repair cost, in dollars"), required=False)
    graffiti_text = text(
        _("Words or symbols in the graffiti"),
        500,
        required=False,
        help_text=_("Only for graffiti: copy what it says, as well as you can."),
    )

    report_type = "property_damage"

    def trap(self) -> Decision | None:
        # A repair over the agency's cap is taken by phone (screening.rules).
        return screening_rules.repair_decision(
            current_policy(), self.report_type, self.cleaned_data.get("repair_cost")
        )


class HarassmentForm(StepForm):
    methods = checkboxes(
        _("How are they contacting or bothering you?"),
        (
            ("calls", _("Phone calls")),
            ("texts", _("Text messages")),
            ("social", _("Social media")),
            ("email", _("Email")),
            ("in_person", _("In person")),
            ("other", _("Another way")),
        ),
        required_message=_("Choose how they are contacting or bothering you."),
    )
    since = PastDateField(
        label=_("Since when?"),
        help_text=_("The date it started, your best guess."),
        error_messages={"required": _("Enter the date it started.")},
    )
    frequency = radio(
        _("How often?"),
        (
            ("once", _("Once")),
            ("few", _("A few times")),
            ("daily", _("About every day")),
            ("many_daily", _("Many times a day")),
        ),
        required_message=_("Choose how often it happens."),
    )
    numbers_accounts = text(
        _("Phone numbers or accounts they use"),
        1000,
        required=False,
        multiline=True,
        help_text=_("One per line."),
    )
    asked_to_stop = radio(
        _("Have you asked them to stop?"),
        YES_NO,
        required_message=_("Choose whether you have asked them to stop."),
    )
    threats = radio(
        _("Have they threatened violence?"),
        YES_NO,
        required_message=_("Choose whether they have threatened violence."),
    )
    threat_now = radio(
        _("Are they threatening you right now, or are they near you now?"),
        YES_NO_UNSURE,
        required_message=_("Choose whether they are threatening you or near you right now."),
    )

    def trap(self) -> Decision | None:
        return rules.threat_now_trap(threat_now=self.cleaned_data["threat_now"])


class CourtOrderForm(StepForm):
    order_type = radio(
        _("What kind of order is it?"),
        [(c, label) for c, label in OrderType.choices if c != OrderType.VISITATION],
        required_message=_("Choose what kind of order it is."),
    )
    court_file_number = text(
        _("Court file number"),
        50,
        help_text=_("On the first page of the order, for example 27-CV-24-1234."),
        required_message=_("Enter the court file number."),
    )
    county = text(_("County"), 100, required_message=_("Enter the county of the court."))
    state = StateField(label=_("State"), initial="MN")
    issued_on = PastDateField(label=_("Date issued"), required=False, check_max_age=False)
    expires_on = forms.DateField(
        label=_("Date it expires"),
        required=False,
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # Only a browser without a date picker sends what cannot be read: a text box,
        # where the American order is the one accepted besides the picker's own.
        error_messages={"invalid": _("Enter a real date, like 01/31/2027.")},
    )
    respondent_name = text(
        _("Name of the person the order is against"),
        200,
        required_message=_("Enter the name of the person the order is against."),
    )
    respondent_date_of_birth = PastDateField(
        label=_("Their date of birth"), required=False, check_max_age=False
    )
    violation = checkboxes(
        _("How did they violate the order?"),
        (
            ("calls", _("Phone calls")),
            ("texts", _("Text messages")),
            ("social", _("Social media")),
            ("third_party", _("Through another person")),
            ("in_person", _("In person")),
            ("other", _("Another way")),
        ),
        required_message=_("Choose how they violated the order."),
    )
    respondent_nearby = radio(
        _("Are they near you now, or threatening you now?"),
        YES_NO_UNSURE,
        required_message=_("Choose whether they are near you or threatening you now."),
    )

    def trap(self) -> Decision | None:
        return rules.threat_now_trap(threat_now=self.cleaned_data["respondent_nearby"])


class VisitationForm(StepForm):
    court_file_number = text(
        _("Court file number"), 50, required_message=_("Enter the court file number.")
    )
    county = text(_("County"), 100, required_message=_("Enter the county of the court."))
    other_party = text(
        _("Name of the other parent or party"),
        200,
        required_message=_("Enter the other party's name."),
    )
    scheduled = text(
        _("When was the visit or exchange supposed to happen?"),
        200,
        help_text=_("For example: Friday June 5 at 6 pm, at the library."),
        required_message=_("Tell us when the visit or exchange was scheduled."),
    )
    what_happened = radio(
        _("What happened?"),
        (
            ("not_returned", _("The child was not returned on time")),
            ("no_show", _("The other party did not bring the child")),
            ("denied", _("I was kept from my parenting time")),
            ("other", _("Something else")),
        ),
        required_message=_("Choose what happened with the visit or exchange."),
    )


class ChildForm(UswdsForm):
    first_name = text(
        _("Child's first name"), 100, required_message=_("Enter the child's first name.")
    )
    age = forms.IntegerField(
        label=_("Age"),
        min_value=0,
        max_value=17,
        error_messages={
            "required": _("Enter the child's age."),
            "invalid": _("Enter the age as a number."),
            "min_value": _("Enter an age from 0 to 17."),
            "max_value": _("Enter an age from 0 to 17."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


ChildFormSet = rows_formset(
    ChildForm,
    max_num=10,
    too_few=_("Add at least one child."),
    too_many=_("You can add up to 10 children."),
)


class IdentityTheftForm(StepForm):
    misused = checkboxes(
        _("What was misused?"),
        (
            ("ssn", _("My Social Security number")),
            ("bank_account", _("A bank account")),
            ("card", _("A credit or debit card")),
            ("drivers_license", _("My driver's license or ID")),
            ("other", _("Something else")),
        ),
        required_message=_("Choose what was misused."),
    )
    how_found = text(
        _("How did you find out?"),
        2000,
        multiline=True,
        help_text=_("For example: a letter about a loan you did not apply for."),
        required_message=_("Tell us how you found out."),
    )
    ftc_report_number = text(
        _("FTC IdentityTheft.gov report number"),
        30,
        required=False,
        help_text=_("If you have already reported it at IdentityTheft.gov."),
    )
    credit_bureaus = radio(
        _("Have you contacted the credit bureaus?"),
        (("yes", _("Yes")), ("no", _("Not yet"))),
        required_message=_("Choose whether you have contacted the credit bureaus."),
    )


class AccountForm(UswdsForm):
    institution = text(
        _("Bank, card company or business"),
        200,
        required_message=_("Enter the name of the bank or business."),
    )
    kind = FixedChoiceField(
        label=_("Kind of account"),
        choices=[("", _("- Select -")), *AccountKind.choices],
        error_messages={
            "required": _("Choose the kind of account."),
            "invalid_choice": _("Choose the kind of account."),
        },
    )
    last4 = Last4Field(label=_("Last 4 digits of the account number"), required=False)
    amount = MoneyField(label=_("Amount lost or charged, in dollars"), required=False)
    opened_on = PastDateField(
        label=_("Date the account was opened (if it is a new account)"), required=False
    )
    discovered_on = PastDateField(label=_("Date you found out"), required=False)


AccountFormSet = rows_formset(
    AccountForm,
    max_num=10,
    too_few=_("Add at least one account."),
    too_many=_("You can add up to 10 accounts."),
)
