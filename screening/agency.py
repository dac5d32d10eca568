"""The agency as residents meet it: its name, non-emergency numbers and logo, from the
policy in force, for every page (context_processors), the emails and the case copies.

A setting the policy leaves out (no version saved, or no name written) is said by the
environment's settings, as before policies existed.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_script_prefix, reverse

from ereport.fragments import remember
from ereport.http import tel_number
from screening.policy import Policy
from screening.policy_store import current_policy


def agency_name(policy: Policy, language: str | None) -> str:
    """The agency's name in `language` (English when not written in it; the settings'
    when the policy has none)."""
    return policy.agency_name.get(language) or settings.AGENCY_NAME


def agency_words(policy: Policy | None = None, language: str | None = None) -> dict[str, str]:
    """AGENCY_NAME, PHONE_311, PHONE_311_FULL(_TEL) and AGENCY_LOGO_URL for templates.

    Worked out once per process for each policy, language and the settings they fall
    back on (every page shows them); a copy is returned, so a caller may add to it."""
    policy = policy or current_policy()
    key = (
        "agency words",
        policy.fingerprint,
        language,
        settings.AGENCY_NAME,
        settings.PHONE_311,
        settings.PHONE_311_FULL,
        get_script_prefix(),  # the logo's address
    )
    return dict(remember(key, lambda: _agency_words(policy, language)))


def _agency_words(policy: Policy, language: str | None) -> dict[str, str]:
    if policy.version:
        phone, phone_full = policy.phone_311, policy.phone_311_full
    else:
        phone, phone_full = settings.PHONE_311, settings.PHONE_311_FULL
    return {
        "AGENCY_NAME": agency_name(policy, language),
        "PHONE_311": phone,
        "PHONE_311_FULL": phone_full,
        "PHONE_311_FULL_TEL": tel_number(phone_full),
        # The image's own fingerprint is in the address, so a browser may keep it for good.
        "AGENCY_LOGO_URL": (
            reverse("screening:agency_logo", args=[policy.logo_token]) if policy.logo else ""
        ),
    }
