"""What the resident is told about the agency's policy: the reasons a policy rule gives
for an outcome, and the agency's own words and numbers for the pages."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.agency import agency_name
from screening.policy import (
    BANNED_KEY,
    OVER_CAP_KEY,
    SUSPECT_911,
    SUSPECT_KEY,
    TYPES_WITH_REPAIR_COST,
    ZIP_KEY,
    Policy,
)
from screening.rules import Decision

BANNED_REASON_PREFIX = "banned:"

# The short words staff pages and case copies use for the reasons a screening sent
# someone to 911, and for the agency's own questions.
REASON_WORDS = {
    "emergency": gettext_lazy("Someone hurt or in danger, or help needed now"),
    "in_progress": gettext_lazy("Crime happening now"),
    "suspicious_now": gettext_lazy("Suspicious activity now"),
    "threat": gettext_lazy("Threat right now"),
    "major_crime": gettext_lazy("Major crime"),
    "witnesses": gettext_lazy("Witnesses an officer should talk to"),
    "evidence": gettext_lazy("Evidence an officer should collect"),
    "officer_needed": gettext_lazy("Asked for an officer in person"),
    "in_city": gettext_lazy("Not sure it happened in the city"),
    # Reasons the agency's own policy gives (screening.policy).
    "suspect_known": gettext_lazy("The person responsible is known"),
    "banned_property": gettext_lazy("Property reported by phone only"),
    "over_cap": gettext_lazy("Value over the online limit"),
    "zip": gettext_lazy("Outside the agency's area (ZIP code)"),
}


def reason_words(reason: str) -> str:
    """A screening reason in words; an agency's own question ("extra_freeway") and an
    unknown reason are spelled out rather than shown as a code."""
    if reason in REASON_WORDS:
        return str(REASON_WORDS[reason])
    if reason.startswith("extra_"):
        return _("Agency question: %(key)s") % {
            "key": reason.removeprefix("extra_").replace("_", " ")
        }
    if reason.startswith(BANNED_REASON_PREFIX):
        return _("Property reported by phone only: %(what)s") % {
            "what": reason.removeprefix(BANNED_REASON_PREFIX).replace("_", " ")
        }
    return reason.replace("_", " ").capitalize()


def policy_context(policy: Policy, language: str) -> dict:
    """The referral words and links for the templates (the agency's name and numbers come
    from screening.agency, for every page)."""
    return {
        "policy_referral_text": policy.referral_text.get(language),
        "policy_referral_links": [
            (link.label.get(language), link.url) for link in policy.referral_links
        ],
        "policy_address_lookup_url": policy.address_lookup_url,
        "policy_email_required": policy.email_required,
    }


def policy_reasons(
    policy: Policy,
    decision: Decision,
    report_type: str,
    answers: Mapping[str, str],
    language: str,
) -> list[str]:
    """The sentences that explain the reasons of a decision that come from the policy
    (not from the source document's questions), in the order of the reasons."""
    said = []
    agency = agency_name(policy, language)
    for reason in decision.reasons:
        if reason == ZIP_KEY:
            said.append(
                _("The ZIP code you gave, %(zip)s, is outside the area the %(agency)s serves.")
                % {"zip": answers.get(ZIP_KEY, ""), "agency": agency}
            )
        elif reason == SUSPECT_KEY:
            rule = policy.type_rule(report_type)
            definition = rule.suspect_definition.get(language) if rule else ""
            how = (
                _("an officer must take it: call 911")
                if rule is not None and rule.suspect_rule == SUSPECT_911
                else _("the %(agency)s takes it by phone") % {"agency": agency}
            )
            said.append(
                _("You told us you know who did it (%(definition)s), so %(how)s.")
                % {"definition": definition, "how": how}
            )
        elif reason == BANNED_KEY:
            for banned in policy.banned_property:
                said.append(f"{banned.label.get(language)}: {banned.reason.get(language)}")
        elif reason.startswith(BANNED_REASON_PREFIX):
            banned = policy.banned(reason.removeprefix(BANNED_REASON_PREFIX))
            if banned is not None:
                said.append(f"{banned.label.get(language)}: {banned.reason.get(language)}")
        elif reason == OVER_CAP_KEY:
            cap = policy.value_cap(report_type)
            if cap is not None:
                what = (
                    _("a repair over %(cap)s")
                    if report_type in TYPES_WITH_REPAIR_COST
                    else _("property worth more than %(cap)s")
                ) % {"cap": f"${cap:,.0f}"}
                said.append(
                    _("The %(agency)s takes reports of %(what)s by phone, not online.")
                    % {"agency": agency, "what": what}
                )
        elif question := policy.extra_question(reason):
            said.append(question.reason.get(language))
    return said
