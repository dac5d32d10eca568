"""The agency's policy in force: saved as versions, read from the cache, kept as a file.

Reading (every resident page): current_policy() asks the cache for the token of the
newest version (one cheap GET, at most every TOKEN_FRESH_SECONDS per process); a worker
that already built that version keeps it in memory, so a page makes no SQL statement for
the policy. A version missing from the cache (after a restart, or a cache that is down)
is read from the database once. Saving a version (the admin, an import) publishes its
token once the transaction commits: every worker sees the new version within a fraction
of a second, with no restart.

Writing: version_save() turns the rows supervisors edit into a document
(screening.policy), checks it and keeps it as a new, immutable PolicyVersion.
document_import() does the reverse for a policy file, in one transaction.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import tomllib
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction

from screening.models import (
    AgencySettings,
    BannedPropertyRule,
    ExtraQuestionRule,
    PolicyVersion,
    ReferralLink,
    ReportTypeRule,
)
from screening.policy import (
    DEFAULT_POLICY,
    REGISTRY_TYPES,
    Policy,
    PolicyError,
    policy_from_document,
    policy_to_document,
)

logger = logging.getLogger(__name__)

_TOKEN_KEY = "agency-policy:token"  # noqa: S105 - a cache key, not a secret
_DOC_KEY = "agency-policy:doc:{}"
_NONE = "0"  # no version saved: the default policy
_memo_lock = threading.Lock()
_memo: tuple[str, Policy] | None = None
# A worker serving hundreds of pages a second asks the cache which version is in force
# at most this often (profiled under load: that GET was a sixteenth of the home page's
# time, and a page that asks for nothing else pays a round trip to Redis for it). Another
# process's new version still reaches every worker well within a second; this process's
# own saves reach it at once (_publish forgets what was seen).
TOKEN_FRESH_SECONDS = 0.2
_token_seen: tuple[str, float] | None = None


# --- reading ----------------------------------------------------------------------------


def _token_from_database() -> str:
    latest = PolicyVersion.objects.order_by("-number").only("pk", "number").first()
    return latest.token if latest else _NONE


def _token_in_force() -> str:
    try:
        token = cache.get(_TOKEN_KEY)
    except Exception:
        logger.warning("cache unavailable: the policy version is read from the database")
        token = None
    if token is None:
        token = _token_from_database()
        _cache_set(_TOKEN_KEY, token)
    return token


def forget_seen_version() -> None:
    """Ask the cache again on the next read (after a save here, or a cleared cache)."""
    global _token_seen
    _token_seen = None


def current_policy() -> Policy:
    """The policy in force (the newest version, or the default when none was saved)."""
    global _memo, _token_seen
    now = time.monotonic()
    seen = _token_seen
    # A clock that went back (a test's frozen time) asks again rather than trusting it.
    if seen is not None and 0 <= now - seen[1] < TOKEN_FRESH_SECONDS:
        token = seen[0]
    else:
        token = _token_in_force()
        _token_seen = (token, now)
    memo = _memo
    if memo is not None and memo[0] == token:
        return memo[1]
    policy = _build(token)
    with _memo_lock:
        _memo = (token, policy)
    return policy


def _build(token: str) -> Policy:
    if token == _NONE:
        return DEFAULT_POLICY
    number, _dot, pk = token.partition(".")
    try:
        document = cache.get(_DOC_KEY.format(token))
    except Exception:
        document = None
    if document is None:
        row = PolicyVersion.objects.filter(pk=pk).only("document").first()
        if row is None:  # a token from another database (a test run): read afresh
            return _build(_token_from_database())
        document = row.document
        _cache_set(_DOC_KEY.format(token), document)
    return policy_from_document(document, version=int(number), stored=True)


def _cache_set(key: str, value: Any) -> None:
    try:
        cache.set(key, value, None)
    except Exception:
        logger.warning("cache unavailable: the policy is not cached")


def request_policy(request) -> Policy:
    """current_policy(), read once per request: the page and the parts every page shares
    (screening.agency) then read the same version, with one cache read between them."""
    policy = getattr(request, "_agency_policy", None)
    if policy is None:
        policy = current_policy()
        request._agency_policy = policy
    return policy


def current_version_number() -> int:
    return current_policy().version


# --- saving ----------------------------------------------------------------------------


def _words(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {lang: text for lang, text in value.items() if isinstance(text, str) and text.strip()}


def crisis_lists(value: Any) -> dict[str, list[str]]:
    """The admin's per-language boxes (one phrase per line) as the policy's lists."""
    return {
        lang: [line.strip() for line in text.splitlines() if line.strip()]
        for lang, text in _words(value).items()
    }


def zips_of(text: str) -> list[str]:
    return sorted(set(re.split(r"[\s,;]+", text.strip()))) if text.strip() else []


def _money(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def document_from_rows() -> dict[str, Any]:
    """The policy the supervisors' rows say, as a document (not yet checked)."""
    settings = AgencySettings.objects.first()
    if settings is None:
        return policy_to_document(DEFAULT_POLICY)
    agency: dict[str, Any] = {
        "phone_311": settings.phone_311,
        "phone_311_full": settings.phone_311_full,
        "min_reporter_age": settings.min_reporter_age,
        "email_required": settings.email_required,
        "report_max_age_days": settings.report_max_age_days,
    }
    if name := _words(settings.agency_name):
        agency["name"] = name
    agency["crisis_words"] = crisis_lists(settings.crisis_words)
    agency["logo"] = settings.logo
    jurisdiction: dict[str, Any] = {
        "zip_codes_inside": zips_of(settings.zip_codes_inside),
        "zip_codes_straddling": zips_of(settings.zip_codes_straddling),
        "address_lookup_url": settings.address_lookup_url,
        "referral_links": [
            {"label": _words(link.label), "url": link.url} for link in settings.referral_links.all()
        ],
    }
    if place := _words(settings.place_question):
        jurisdiction["place_question"] = place
    if referral := _words(settings.referral_text):
        jurisdiction["referral_text"] = referral
    types: dict[str, Any] = {}
    for rule in settings.types.all():
        entry: dict[str, Any] = {"online": rule.online, "suspect_rule": rule.suspect_rule}
        if rule.value_cap is not None:
            entry["value_cap"] = _money(rule.value_cap)
        if definition := _words(rule.suspect_definition):
            entry["suspect_definition"] = definition
        types[rule.slug] = entry
    return {
        "agency": agency,
        "jurisdiction": jurisdiction,
        "types": types,
        "banned_property": [
            {
                "key": b.key,
                "label": _words(b.label),
                "reason": _words(b.reason),
                "words": [w.strip() for w in b.words.splitlines() if w.strip()],
            }
            for b in settings.banned_property.all()
        ],
        "extra_questions": [
            {
                "key": q.key,
                "question": _words(q.question),
                "hint": _words(q.hint),
                "reason": _words(q.reason),
                "if_yes": q.if_yes,
                "if_no": q.if_no,
            }
            for q in settings.extra_questions.all()
        ],
    }


def _publish(version: PolicyVersion) -> None:
    _cache_set(_DOC_KEY.format(version.token), version.document)
    _cache_set(_TOKEN_KEY, version.token)
    forget_seen_version()


@transaction.atomic
def version_save(*, user=None, how: str = "") -> PolicyVersion:
    """Keep the rows' policy as a new version, in force once the transaction commits.

    Raises PolicyError when the rows do not make a usable policy (nothing is saved).
    Side effects: one PolicyVersion row; after commit, the cache names it current.
    """
    policy = policy_from_document(document_from_rows())
    # Versions are numbered in order: lock the newest so two saves never share a number.
    latest = PolicyVersion.objects.select_for_update().order_by("-number").first()
    version = PolicyVersion.objects.create(
        number=(latest.number if latest else 0) + 1,
        document=policy_to_document(policy),
        created_by=user if user is not None and user.is_authenticated else None,
        how=how[:100],
    )
    transaction.on_commit(lambda: _publish(version))
    return version


@transaction.atomic
def document_import(document: dict[str, Any], *, user=None, how: str = "import") -> PolicyVersion:
    """Replace the supervisors' rows by a policy document and save it as one new version.

    Raises PolicyError (nothing changed) when the document is not a usable policy.
    """
    policy = policy_from_document(document)
    clean = policy_to_document(policy)
    settings = AgencySettings.objects.select_for_update().first() or AgencySettings()
    agency, place = clean["agency"], clean["jurisdiction"]
    settings.agency_name = agency.get("name", {})
    settings.phone_311 = agency["phone_311"]
    settings.phone_311_full = agency["phone_311_full"]
    settings.min_reporter_age = agency["min_reporter_age"]
    settings.email_required = agency["email_required"]
    settings.report_max_age_days = agency["report_max_age_days"]
    settings.place_question = place.get("place_question", {})
    settings.zip_codes_inside = " ".join(place["zip_codes_inside"])
    settings.zip_codes_straddling = " ".join(place["zip_codes_straddling"])
    settings.address_lookup_url = place["address_lookup_url"]
    settings.referral_text = place.get("referral_text", {})
    settings.crisis_words = {
        lang: "\n".join(phrases) for lang, phrases in agency["crisis_words"].items()
    }
    settings.logo = agency["logo"]
    settings.save()
    for model in (ReportTypeRule, BannedPropertyRule, ExtraQuestionRule, ReferralLink):
        for row in model.objects.filter(policy=settings):
            row.delete()  # one by one: each deletion is kept in the row's history
    for slug in REGISTRY_TYPES:
        entry = clean["types"][slug]
        ReportTypeRule.objects.create(
            policy=settings,
            slug=slug,
            online=entry["online"],
            value_cap=Decimal(str(entry["value_cap"])) if "value_cap" in entry else None,
            suspect_rule=entry["suspect_rule"],
            suspect_definition=entry.get("suspect_definition", {}),
        )
    for position, link in enumerate(place["referral_links"]):
        ReferralLink.objects.create(
            policy=settings, position=position, label=link["label"], url=link["url"]
        )
    for position, banned in enumerate(clean["banned_property"]):
        BannedPropertyRule.objects.create(
            policy=settings,
            position=position,
            key=banned["key"],
            label=banned["label"],
            reason=banned["reason"],
            words="\n".join(banned["words"]),
        )
    for position, question in enumerate(clean["extra_questions"]):
        ExtraQuestionRule.objects.create(
            policy=settings,
            position=position,
            key=question["key"],
            question=question["question"],
            hint=question.get("hint", {}),
            reason=question["reason"],
            if_yes=question["if_yes"],
            if_no=question["if_no"],
        )
    return version_save(user=user, how=how)


# --- the policy as a file (TOML) ------------------------------------------------------


class PolicyFileError(ValueError):
    """A policy file that cannot be imported, with the line it is about (0: unknown)."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


def toml_load(text: str) -> dict[str, Any]:
    """Read and check a policy file. Raises PolicyFileError naming the line."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+)", str(exc))
        raise PolicyFileError(int(match.group(1)) if match else 0, str(exc)) from exc
    try:
        policy_from_document(document)
    except PolicyError as exc:
        raise PolicyFileError(_line_of(text, exc.path), str(exc)) from exc
    return document


def _line_of(text: str, path: tuple[str, ...]) -> int:
    """The line of the file that a setting's path (as PolicyError gives it) is on: the
    setting itself, else its table, else 0."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if match := re.fullmatch(r"\[\[\s*([\w.]+)\s*\]\]", stripped):
            base = tuple(match.group(1).split("."))
            counts[base] = counts.get(base, 0) + 1
            table = (*base, str(counts[base]))
        elif match := re.fullmatch(r"\[\s*([\w.]+)\s*\]", stripped):
            table = tuple(match.group(1).split("."))
        elif match := re.match(r"([\w-]+)\s*=", stripped):
            lines.setdefault((*table, match.group(1)), number)
            continue
        else:
            continue
        lines.setdefault(table, number)
    for size in range(len(path), 0, -1):
        if path[:size] in lines:
            return lines[path[:size]]
    return 0


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string (the same escapes).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} in a policy file")


def _toml_table(header: str, table: dict[str, Any]) -> list[str]:
    lines = [header]
    for key, value in table.items():
        if value in ({}, [], "") and key not in ("zip_codes_inside", "zip_codes_straddling"):
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return [*lines, ""]


def toml_dump(document: dict[str, Any]) -> str:
    """A policy document as a TOML file, always written the same way (so that an export
    after an import gives the same file back)."""
    policy = policy_from_document(document)
    doc = policy_to_document(policy)
    out = [
        "# The agency's reporting policy for e-report.",
        "# Import it with: manage.py agency_policy import <file>",
        "",
    ]
    jurisdiction = dict(doc["jurisdiction"])
    links = jurisdiction.pop("referral_links")
    out += _toml_table("[agency]", doc["agency"])
    out += _toml_table("[jurisdiction]", jurisdiction)
    for link in links:
        out += _toml_table("[[jurisdiction.referral_links]]", link)
    for slug, entry in doc["types"].items():
        out += _toml_table(f"[types.{slug}]", entry)
    for banned in doc["banned_property"]:
        out += _toml_table("[[banned_property]]", banned)
    for question in doc["extra_questions"]:
        out += _toml_table("[[extra_questions]]", question)
    return "\n".join(out).rstrip("\n") + "\n"


def current_document() -> dict[str, Any]:
    return policy_to_document(current_policy())
