"""The public verification form: anyone holding a case copy checks its code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ereport.forms import UswdsForm


class VerifyForm(UswdsForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        help_text=_("On the first page of the case copy, for example 7K3M9-QXD4A."),
        error_messages={"required": _("Enter the verification code.")},
    )
