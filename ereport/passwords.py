"""Password rules beyond Django's own validators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter user names ("al") are common inside ordinary words and passphrases.
MIN_NAME_LENGTH = 3


class NoUsernameInPasswordValidator:
    """Refuse a password that contains the user name, in any case: "supervisor-supervisor"
    is the first thing an attacker tries for the account "supervisor"."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= MIN_NAME_LENGTH and username in password.casefold():
            raise ValidationError(
                _("The password must not contain your user name."),
                code="password_contains_username",
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain your user name.")
