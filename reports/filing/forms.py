"""The resident's forms outside the wizard: status lookup, a supplement, resuming a
saved report. (The wizard's step forms are the report's questions: reports.questions.)"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ereport.forms import HoneypotMixin, UswdsForm
from reports.questions.fields import PhoneField, TextField


class _EmailOrPhoneMixin:
    """The email address a resident gave, or, for one who gave none (the agency's policy
    lets residents file without one), the phone number instead. With email required, and
    no report or saved draft without one, the form asks for the email alone, as it always
    has.
    """

    either_message = _("Enter the email address or the phone number you gave in the report.")
    # The field of the report's key (tracking number, resume code), the key's hint for a
    # resident who may have had no email to find it in, and the email box's label then.
    key_field = ""
    key_hint_without_email = ""
    email_label_without_email = ""

    def _offer_phone(self, email_optional: bool) -> None:
        if email_optional:
            email, phone = self.fields["email"], self.fields["phone"]
            email.required = False
            email.label = self.email_label_without_email
            # One of the two is needed (clean() says so): neither is marked "(optional)".
            email.required_for_choice = phone.required_for_choice = True
            self.fields[self.key_field].help_text = self.key_hint_without_email
        else:
            del self.fields["phone"]

    def clean(self):
        data = super().clean()
        if (
            "phone" in self.fields
            and not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", self.either_message)
        return data


class StatusLookupForm(_EmailOrPhoneMixin, HoneypotMixin, UswdsForm):
    key_field = "tracking_number"
    email_label_without_email = _("Email address you gave in the report, if you gave one")
    key_hint_without_email = _(
        "For example: ER-7K3M-9QXD-4. It is on the page shown when you sent the report, "
        "and in your confirmation email if you gave an email address."
    )

    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        help_text=_("For example: ER-7K3M-9QXD-4. It is in your confirmation email."),
        error_messages={"required": _("Enter your tracking number.")},
    )
    email = forms.EmailField(
        label=_("Email address you used in the report"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address, like name@example.com."),
        },
    )
    phone = PhoneField(
        label=_("Or the phone number you gave in the report"),
        required=False,
    )

    def __init__(self, *args, email_optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer_phone(email_optional)


class SupplementForm(UswdsForm):
    narrative = TextField(
        label=_("What would you like to add?"),
        max_length=10_000,
        multiline=True,
        error_messages={"required": _("Write what you would like to add.")},
    )
    file = forms.FileField(
        label=_("Add a photo or document"),
        required=False,
        help_text=_("JPEG, PNG, WebP or PDF, up to 10 MB."),
    )


class ResumeForm(_EmailOrPhoneMixin, UswdsForm):
    key_field = "code"
    email_label_without_email = _("Email address, if you gave one")
    key_hint_without_email = _(
        "For example: 7K3M-9QXD-4ABC-Q. It was shown when you saved, and sent to your email "
        "address if you gave one."
    )

    code = forms.CharField(
        label=_("Resume code"),
        max_length=40,
        help_text=_("For example: 7K3M-9QXD-4ABC-Q. It is in the email we sent when you saved."),
        error_messages={"required": _("Enter your resume code.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The one you gave on the “About you” page."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address, like name@example.com."),
        },
    )
    phone = PhoneField(
        label=_("Or the phone number you gave on the “About you” page"),
        required=False,
    )

    def __init__(self, *args, email_optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer_phone(email_optional)
