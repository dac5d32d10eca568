"""The agency's reporting policy as a frozen value: what screening.rules.evaluate() reads
besides the resident's answers.

A policy is data an agency's supervisors edit (screening.models keeps its versions,
screening.policy_store caches the current one). This module only says what a policy
holds, builds one from a plain document (the same dict that a policy file in TOML holds,
and that every saved version keeps), checks it, and writes it back. It imports nothing
from Django so that the rules stay a pure function.

The default policy is the source document's: the nine report types online, no value cap,
a known suspect no reason to call, no property kept off the form, no ZIP list and no
questions of the agency's own. Under it the screening decides exactly as it always has.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from PIL import Image, UnidentifiedImageError

LANGUAGES = ("en", "es", "so", "hmn")
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "so": "Somali", "hmn": "Hmong"}

# The report types the online forms exist for (screening.rules.ONLINE_REPORT_TYPES, in the
# same order; a test holds the two together) and those of them that list items.
REGISTRY_TYPES = (
    "theft",
    "theft_from_vehicle",
    "property_damage",
    "vehicle_damage",
    "harassment",
    "lost_property",
    "order_violation",
    "visitation_violation",
    "identity_theft",
)
TYPES_WITH_ITEMS = ("theft", "theft_from_vehicle", "lost_property")
# Damage is capped by its repair cost, the others by the total of their items.
TYPES_WITH_REPAIR_COST = ("property_damage", "vehicle_damage")
CAPPABLE_TYPES = TYPES_WITH_ITEMS + TYPES_WITH_REPAIR_COST
# The types where the person responsible is usually known: a known suspect is the point
# of the report, so the known-suspect rule never applies to them.
KNOWN_PERSON_TYPES = ("harassment", "order_violation", "visitation_violation")

SUSPECT_ONLINE, SUSPECT_PHONE, SUSPECT_911 = "online", "phone", "911"
SUSPECT_RULES = (SUSPECT_ONLINE, SUSPECT_PHONE, SUSPECT_911)

FORCE_911, FORCE_PHONE, FORCE_REFERRAL, FORCE_CONTINUE = "911", "phone", "referral", "continue"
FORCED_OUTCOMES = (FORCE_911, FORCE_PHONE, FORCE_REFERRAL, FORCE_CONTINUE)

# The answer keys the policy adds to the screening (see screening.rules).
ZIP_KEY = "zip"
SUSPECT_KEY = "suspect_known"
BANNED_KEY = "banned_property"
OVER_CAP_KEY = "over_cap"
EXTRA_PREFIX = "extra_"

# The agency's logo travels inside the policy (a data: address) so that a version says
# everything residents see; it is served from memory with the version in its address.
LOGO_MAX_BYTES = 100_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_SIDE = 2000  # pixels: a logo, not a photograph (and no decompression bomb)
CRISIS_PHRASES_MAX = 200

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ZIP = re.compile(r"\d{5}")


class PolicyError(ValueError):
    """A policy document that cannot be used. `path` names the setting, e.g.
    ("types", "theft", "value_cap"), so that a file's line can be found."""

    def __init__(self, path: tuple[str, ...], message: str):
        self.path = path
        self.message = message
        super().__init__(f"{'.'.join(path)}: {message}" if path else message)


@dataclass(frozen=True)
class Words:
    """A sentence the agency wrote, per language; a missing language reads as English."""

    texts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, str] | None) -> Words:
        mapping = mapping or {}
        return cls(tuple((lang, mapping[lang]) for lang in LANGUAGES if mapping.get(lang)))

    def get(self, language: str | None = "en") -> str:
        texts = dict(self.texts)
        base = (language or "en").split("-")[0].lower()
        return texts.get(base) or texts.get("en", "")

    def missing(self) -> tuple[str, ...]:
        """The languages with no text of their own (only when there is an English one)."""
        present = dict(self.texts)
        if not present.get("en"):
            return ()
        return tuple(lang for lang in LANGUAGES if not present.get(lang))

    def as_dict(self) -> dict[str, str]:
        return dict(self.texts)

    def __bool__(self) -> bool:
        return bool(self.texts)


@dataclass(frozen=True)
class TypeRule:
    slug: str
    online: bool = True
    # The most the items (or, for damage, the repair) may be worth online; None: no cap.
    value_cap: Decimal | None = None
    suspect_rule: str = SUSPECT_ONLINE
    # The agency's own words for "knowing who did it", shown with the question.
    suspect_definition: Words = field(default_factory=Words)


@dataclass(frozen=True)
class BannedProperty:
    key: str
    label: Words
    reason: Words
    # Words in an item's description that mean this property (any language, whole words).
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraQuestion:
    key: str
    question: Words
    reason: Words
    if_yes: str = FORCE_CONTINUE
    if_no: str = FORCE_CONTINUE
    hint: Words = field(default_factory=Words)

    @property
    def answer_key(self) -> str:
        return EXTRA_PREFIX + self.key

    def forced(self, answer: str) -> str:
        return self.if_yes if answer == "yes" else self.if_no


@dataclass(frozen=True)
class Link:
    label: Words
    url: str


@dataclass(frozen=True)
class Policy:
    """One version of an agency's reporting policy. Build with policy_from_document()."""

    version: int = 0
    agency_name: Words = field(default_factory=Words)
    phone_311: str = "311"
    phone_311_full: str = "612-673-3000"
    min_reporter_age: int = 18
    email_required: bool = True
    report_max_age_days: int = 1095
    types: tuple[TypeRule, ...] = tuple(TypeRule(slug) for slug in REGISTRY_TYPES)
    banned_property: tuple[BannedProperty, ...] = ()
    place_question: Words = field(default_factory=Words)
    zip_codes_inside: frozenset[str] = frozenset()
    zip_codes_straddling: frozenset[str] = frozenset()
    address_lookup_url: str = ""
    referral_text: Words = field(default_factory=Words)
    referral_links: tuple[Link, ...] = ()
    extra_questions: tuple[ExtraQuestion, ...] = ()
    # Phrases that suggest someone is in danger now, per language, added to the built-in
    # English and Spanish ones (reports.filing.crisis); matched in any narrative.
    crisis_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The agency's logo as a data: address (PNG or JPEG), or "".
    logo: str = ""

    # --- reading it ---------------------------------------------------------------------

    @cached_property
    def fingerprint(self) -> int:
        """Equal for equal policies, within one process: the key of what is drawn once
        from a policy (a version number alone may come back after a restore)."""
        return hash(self)

    def type_rule(self, slug: str) -> TypeRule | None:
        return next((rule for rule in self.types if rule.slug == slug), None)

    def is_online(self, slug: str) -> bool:
        rule = self.type_rule(slug)
        return rule is not None and rule.online

    @property
    def online_types(self) -> tuple[str, ...]:
        return tuple(rule.slug for rule in self.types if rule.online)

    @property
    def has_zip_list(self) -> bool:
        return bool(self.zip_codes_inside or self.zip_codes_straddling)

    def zip_decides(self, zip_code: str) -> str | None:
        """ "inside" or "outside" when the ZIP code settles where it happened; None when it
        straddles the line, is not given, or there is no list (the place question then)."""
        if not self.has_zip_list or not zip_code:
            return None
        if zip_code in self.zip_codes_straddling:
            return None
        return "inside" if zip_code in self.zip_codes_inside else "outside"

    def asks_suspect(self, slug: str) -> bool:
        rule = self.type_rule(slug)
        return (
            rule is not None
            and rule.online
            and rule.suspect_rule != SUSPECT_ONLINE
            and slug not in KNOWN_PERSON_TYPES
        )

    def asks_banned(self, slug: str) -> bool:
        return bool(self.banned_property) and slug in TYPES_WITH_ITEMS and self.is_online(slug)

    def value_cap(self, slug: str) -> Decimal | None:
        rule = self.type_rule(slug)
        return rule.value_cap if rule is not None and rule.online else None

    def detail_keys(self, slug: str) -> tuple[str, ...]:
        """The questions the policy adds for a report type, in the order asked: the
        agency's own questions, then who did it, banned property and the value."""
        keys = [question.answer_key for question in self.extra_questions]
        if not self.is_online(slug):
            return tuple(keys)
        if self.asks_suspect(slug):
            keys.append(SUSPECT_KEY)
        if self.asks_banned(slug):
            keys.append(BANNED_KEY)
        if self.value_cap(slug) is not None:
            keys.append(OVER_CAP_KEY)
        return tuple(keys)

    def extra_question(self, answer_key: str) -> ExtraQuestion | None:
        return next((q for q in self.extra_questions if q.answer_key == answer_key), None)

    def banned(self, key: str) -> BannedProperty | None:
        return next((b for b in self.banned_property if b.key == key), None)

    def banned_in(self, text: str) -> BannedProperty | None:
        """The banned property an item's description names, if any (whole words, any
        case or accents)."""
        folded = _fold(text)
        for banned in self.banned_property:
            for word in banned.words:
                if re.search(r"(?<!\w)" + re.escape(_fold(word)) + r"s?(?!\w)", folded):
                    return banned
        return None

    @property
    def crisis_phrases(self) -> tuple[str, ...]:
        """Every crisis phrase the agency added, whatever its language."""
        return tuple(phrase for _lang, phrases in self.crisis_words for phrase in phrases)

    @cached_property
    def logo_token(self) -> str:
        """A short fingerprint of the logo's bytes, for its address ("" with no logo)."""
        if not self.logo:
            return ""
        return hashlib.sha256(self.logo.encode("ascii")).hexdigest()[:16]

    @cached_property
    def logo_image(self) -> tuple[str, bytes] | None:
        """(content type, bytes) of the agency's logo, or None."""
        if not self.logo:
            return None
        header, _comma, data = self.logo.partition(",")
        return header.removeprefix("data:").removesuffix(";base64"), base64.b64decode(data)

    def missing_translations(self) -> list[tuple[str, tuple[str, ...]]]:
        """(setting, languages with no text of their own) for every text the agency wrote."""
        found = []
        for name, words in _all_words(self):
            if missing := words.missing():
                found.append((name, missing))
        return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _all_words(policy: Policy):
    yield "agency.name", policy.agency_name
    yield "jurisdiction.place_question", policy.place_question
    yield "jurisdiction.referral_text", policy.referral_text
    for index, link in enumerate(policy.referral_links):
        yield f"jurisdiction.referral_links[{index + 1}].label", link.label
    for rule in policy.types:
        yield f"types.{rule.slug}.suspect_definition", rule.suspect_definition
    for banned in policy.banned_property:
        yield f"banned_property.{banned.key}.label", banned.label
        yield f"banned_property.{banned.key}.reason", banned.reason
    for question in policy.extra_questions:
        yield f"extra_questions.{question.key}.question", question.question
        yield f"extra_questions.{question.key}.reason", question.reason


DEFAULT_POLICY = Policy()


# --- the document: a policy as plain data (a TOML file, a saved version) --------------


def _table(doc: Mapping, key: str, path: tuple[str, ...]) -> Mapping:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise PolicyError((*path, key), "expected a table of settings")
    return value


def _words(value: Any, path: tuple[str, ...], *, required: bool = False) -> Words:
    if value is None:
        value = {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, Mapping):
        raise PolicyError(path, 'expected the text per language, e.g. { en = "..." }')
    for lang, text in value.items():
        if lang not in LANGUAGES:
            raise PolicyError(path, f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
        if not isinstance(text, str):
            raise PolicyError(path, f"the {LANGUAGE_NAMES[lang]} text must be a string")
    if value and not str(value.get("en", "")).strip():
        raise PolicyError(path, "the English text is missing (other languages fall back to it)")
    if required and not value:
        raise PolicyError(path, "the English text is missing")
    return Words.of({lang: text.strip() for lang, text in value.items()})


def _crisis_words(value: Any, path: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise PolicyError(path, 'expected the phrases per language, e.g. { so = ["..."] }')
    found, count = [], 0
    for lang in value:
        if lang not in LANGUAGES:
            raise PolicyError(path, f"unknown language {lang!r} (use {', '.join(LANGUAGES)})")
    for lang in LANGUAGES:
        phrases = value.get(lang, [])
        if not isinstance(phrases, list) or not all(
            isinstance(p, str) and 0 < len(p.strip()) <= 100 for p in phrases
        ):
            raise PolicyError(
                (*path, lang), 'expected a list of short phrases, e.g. ["want to die"]'
            )
        cleaned = tuple(dict.fromkeys(" ".join(p.split()) for p in phrases))
        if any(not re.search(r"\w", _fold(p)) for p in cleaned):
            # A phrase of marks or punctuation only would match between any two words.
            raise PolicyError((*path, lang), "each phrase needs at least one letter or digit")
        count += len(cleaned)
        if cleaned:
            found.append((lang, cleaned))
    if count > CRISIS_PHRASES_MAX:
        raise PolicyError(path, f"at most {CRISIS_PHRASES_MAX} phrases in all")
    return tuple(found)


def _logo(value: Any, path: tuple[str, ...], *, decode: bool = True) -> str:
    """A PNG or JPEG image of at most LOGO_MAX_BYTES, as a data: address. A saved
    version's logo was read whole when it was saved: `decode=False` only checks its kind
    (a page never fails on an image a newer Pillow would read differently)."""
    if value in (None, ""):
        return ""
    hint = "expected a PNG or JPEG image as a data: address (data:image/png;base64,...)"
    if not isinstance(value, str) or not value.startswith("data:image/"):
        raise PolicyError(path, hint)
    header, _comma, data = value.partition(",")
    if not header.endswith(";base64") or len(data) > LOGO_MAX_BYTES * 4 // 3 + 4:
        raise PolicyError(path, f"{hint}, of at most {LOGO_MAX_BYTES // 1000} KB")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PolicyError(path, hint) from exc
    kind = logo_type(raw) if decode else _magic_type(raw)
    if kind is None:
        raise PolicyError(
            path, f"the logo is not a PNG or JPEG image of at most {LOGO_MAX_SIDE} pixels a side"
        )
    return logo_address(raw, kind)


def logo_address(raw: bytes, content_type: str) -> str:
    return f"data:{content_type};base64," + base64.b64encode(raw).decode("ascii")


def _magic_type(raw: bytes) -> str | None:
    return next((t for magic, t in LOGO_TYPES.items() if raw.startswith(magic)), None)


def logo_type(raw: bytes) -> str | None:
    """The content type of a whole, readable PNG or JPEG image of at most LOGO_MAX_SIDE
    pixels a side, or None: a file that only starts like one is not a logo."""
    kind = _magic_type(raw)
    if kind is None:
        return None
    try:
        with Image.open(io.BytesIO(raw)) as image:
            width, height = image.size
            if max(width, height) > LOGO_MAX_SIDE or image.format not in ("PNG", "JPEG"):
                return None
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return kind


def _int(value: Any, path: tuple[str, ...], low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(path, f"expected a whole number from {low} to {high}")
    return value


def _text(value: Any, path: tuple[str, ...], *, max_length: int = 200) -> str:
    if not isinstance(value, str) or len(value) > max_length:
        raise PolicyError(path, f"expected text of at most {max_length} characters")
    return value.strip()


def _url(value: Any, path: tuple[str, ...]) -> str:
    text = _text(value, path, max_length=500)
    if text and not text.startswith("https://"):
        raise PolicyError(path, "expected an address starting with https://")
    return text


def _key(value: Any, path: tuple[str, ...]) -> str:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise PolicyError(path, "expected a short name in lower case letters, digits and _")
    return value


def _unknown(table: Mapping, known: tuple[str, ...], path: tuple[str, ...]) -> None:
    for key in table:
        if key not in known:
            raise PolicyError((*path, key), f"not a setting (known: {', '.join(known)})")


def _zips(value: Any, path: tuple[str, ...]) -> frozenset[str]:
    if not isinstance(value, list):
        raise PolicyError(path, "expected a list of 5-digit ZIP codes")
    for item in value:
        if not isinstance(item, str) or not _ZIP.fullmatch(item):
            raise PolicyError(path, f"{item!r} is not a 5-digit ZIP code")
    return frozenset(value)


def _money(value: Any, path: tuple[str, ...]) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PolicyError(path, "expected an amount in dollars, e.g. 500")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise PolicyError(path, "expected an amount in dollars, e.g. 500") from exc
    if not amount.is_finite() or amount <= 0 or amount > Decimal("10000000"):
        raise PolicyError(path, "expected an amount in dollars above 0, e.g. 500")
    return amount.quantize(Decimal("0.01"))


_TOP = ("agency", "jurisdiction", "types", "banned_property", "extra_questions")
_AGENCY = (
    "name",
    "logo",
    "crisis_words",
    "phone_311",
    "phone_311_full",
    "min_reporter_age",
    "email_required",
    "report_max_age_days",
)
_JURISDICTION = (
    "place_question",
    "zip_codes_inside",
    "zip_codes_straddling",
    "address_lookup_url",
    "referral_text",
    "referral_links",
)
_TYPE = ("online", "value_cap", "suspect_rule", "suspect_definition")
_BANNED = ("key", "label", "reason", "words")
_EXTRA = ("key", "question", "hint", "reason", "if_yes", "if_no")


def policy_from_document(
    doc: Mapping[str, Any], *, version: int = 0, stored: bool = False
) -> Policy:
    """Build and check a Policy from its document. Raises PolicyError naming the setting.

    Settings left out keep the default policy's value; every report type the forms
    exist for gets a rule (online, no cap, suspect online) unless the document says.
    """
    if not isinstance(doc, Mapping):
        raise PolicyError((), "expected a table of settings")
    _unknown(doc, _TOP, ())
    default = DEFAULT_POLICY

    agency = _table(doc, "agency", ())
    _unknown(agency, _AGENCY, ("agency",))
    email_required = agency.get("email_required", default.email_required)
    if not isinstance(email_required, bool):
        raise PolicyError(("agency", "email_required"), "expected true or false")

    place = _table(doc, "jurisdiction", ())
    _unknown(place, _JURISDICTION, ("jurisdiction",))
    links_raw = place.get("referral_links", [])
    if not isinstance(links_raw, list):
        raise PolicyError(("jurisdiction", "referral_links"), "expected a list of links")
    links = []
    for index, raw in enumerate(links_raw, start=1):
        path = ("jurisdiction", "referral_links", str(index))
        if not isinstance(raw, Mapping):
            raise PolicyError(path, "expected a link: label and url")
        _unknown(raw, ("label", "url"), path)
        url = _url(raw.get("url", ""), (*path, "url"))
        if not url:
            raise PolicyError((*path, "url"), "the link needs an address")
        links.append(Link(_words(raw.get("label"), (*path, "label"), required=True), url))
    inside = _zips(place.get("zip_codes_inside", []), ("jurisdiction", "zip_codes_inside"))
    straddling = _zips(
        place.get("zip_codes_straddling", []), ("jurisdiction", "zip_codes_straddling")
    )
    if both := sorted(inside & straddling):
        raise PolicyError(
            ("jurisdiction", "zip_codes_straddling"),
            f"{both[0]} is listed both as inside and as on the line",
        )

    types_raw = _table(doc, "types", ())
    rules = []
    for slug in types_raw:
        if slug not in REGISTRY_TYPES:
            raise PolicyError(
                ("types", slug), f"not a report type (known: {', '.join(REGISTRY_TYPES)})"
            )
    for slug in REGISTRY_TYPES:
        path = ("types", slug)
        raw = types_raw.get(slug, {})
        if not isinstance(raw, Mapping):
            raise PolicyError(path, "expected a table of settings")
        _unknown(raw, _TYPE, path)
        online = raw.get("online", True)
        if not isinstance(online, bool):
            raise PolicyError((*path, "online"), "expected true or false")
        cap = None
        if "value_cap" in raw:
            if slug not in CAPPABLE_TYPES:
                raise PolicyError(
                    (*path, "value_cap"),
                    f"only {', '.join(CAPPABLE_TYPES)} have a value to cap",
                )
            cap = _money(raw["value_cap"], (*path, "value_cap"))
        suspect = raw.get("suspect_rule", SUSPECT_ONLINE)
        if suspect not in SUSPECT_RULES:
            raise PolicyError((*path, "suspect_rule"), "expected online, phone or 911")
        if suspect != SUSPECT_ONLINE and slug in KNOWN_PERSON_TYPES:
            raise PolicyError(
                (*path, "suspect_rule"),
                "the person responsible is usually known for this type: it stays online",
            )
        definition = _words(raw.get("suspect_definition"), (*path, "suspect_definition"))
        if suspect != SUSPECT_ONLINE and not definition:
            raise PolicyError(
                (*path, "suspect_definition"),
                'say what knowing who did it means, e.g. { en = "You know their full name" }',
            )
        rules.append(TypeRule(slug, online, cap, suspect, definition))

    banned = _list_of(doc, "banned_property", _BANNED, _banned_entry)
    extra = _list_of(doc, "extra_questions", _EXTRA, _extra_entry)

    return Policy(
        version=version,
        agency_name=_words(agency.get("name"), ("agency", "name")),
        logo=_logo(agency.get("logo", ""), ("agency", "logo"), decode=not stored),
        crisis_words=_crisis_words(agency.get("crisis_words"), ("agency", "crisis_words")),
        phone_311=_text(
            agency.get("phone_311", default.phone_311), ("agency", "phone_311"), max_length=30
        )
        or default.phone_311,
        phone_311_full=_text(
            agency.get("phone_311_full", default.phone_311_full),
            ("agency", "phone_311_full"),
            max_length=30,
        )
        or default.phone_311_full,
        min_reporter_age=_int(
            agency.get("min_reporter_age", default.min_reporter_age),
            ("agency", "min_reporter_age"),
            13,
            21,
        ),
        email_required=email_required,
        report_max_age_days=_int(
            agency.get("report_max_age_days", default.report_max_age_days),
            ("agency", "report_max_age_days"),
            1,
            3650,
        ),
        types=tuple(rules),
        banned_property=banned,
        place_question=_words(place.get("place_question"), ("jurisdiction", "place_question")),
        zip_codes_inside=inside,
        zip_codes_straddling=straddling,
        address_lookup_url=_url(
            place.get("address_lookup_url", ""), ("jurisdiction", "address_lookup_url")
        ),
        referral_text=_words(place.get("referral_text"), ("jurisdiction", "referral_text")),
        referral_links=tuple(links),
        extra_questions=extra,
    )


def _list_of(doc, name, known, build):
    raw = doc.get(name, [])
    if not isinstance(raw, list):
        raise PolicyError((name,), "expected a list of entries ([[" + name + "]])")
    entries, seen = [], set()
    for index, entry in enumerate(raw, start=1):
        path = (name, str(index))
        if not isinstance(entry, Mapping):
            raise PolicyError(path, "expected a table of settings")
        _unknown(entry, known, path)
        built = build(entry, path)
        if built.key in seen:
            raise PolicyError((*path, "key"), f"{built.key!r} is used twice")
        seen.add(built.key)
        entries.append(built)
    return tuple(entries)


def _banned_entry(entry: Mapping, path: tuple[str, ...]) -> BannedProperty:
    words = entry.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise PolicyError((*path, "words"), 'expected a list of words, e.g. ["gun", "rifle"]')
    if not words:
        raise PolicyError((*path, "words"), "list the words that name this property")
    return BannedProperty(
        key=_key(entry.get("key"), (*path, "key")),
        label=_words(entry.get("label"), (*path, "label"), required=True),
        reason=_words(entry.get("reason"), (*path, "reason"), required=True),
        words=tuple(w.strip() for w in words),
    )


def _extra_entry(entry: Mapping, path: tuple[str, ...]) -> ExtraQuestion:
    outcomes = {}
    for answer in ("if_yes", "if_no"):
        value = entry.get(answer, FORCE_CONTINUE)
        if value not in FORCED_OUTCOMES:
            raise PolicyError((*path, answer), "expected 911, phone, referral or continue")
        outcomes[answer] = value
    if outcomes["if_yes"] == outcomes["if_no"] == FORCE_CONTINUE:
        raise PolicyError((*path, "if_yes"), "one of the answers must send the resident on")
    return ExtraQuestion(
        key=_key(entry.get("key"), (*path, "key")),
        question=_words(entry.get("question"), (*path, "question"), required=True),
        reason=_words(entry.get("reason"), (*path, "reason"), required=True),
        hint=_words(entry.get("hint"), (*path, "hint")),
        **outcomes,
    )


def policy_to_document(policy: Policy) -> dict[str, Any]:
    """The document of a policy: policy_from_document(policy_to_document(p)) == p, but for
    the version. Settings equal to the default are written too, so a file says it all."""

    def money(amount: Decimal) -> int | str:
        return int(amount) if amount == amount.to_integral_value() else str(amount)

    types: dict[str, Any] = {}
    for rule in policy.types:
        entry: dict[str, Any] = {"online": rule.online}
        if rule.value_cap is not None:
            entry["value_cap"] = money(rule.value_cap)
        entry["suspect_rule"] = rule.suspect_rule
        if rule.suspect_definition:
            entry["suspect_definition"] = rule.suspect_definition.as_dict()
        types[rule.slug] = entry
    jurisdiction: dict[str, Any] = {}
    if policy.place_question:
        jurisdiction["place_question"] = policy.place_question.as_dict()
    jurisdiction["zip_codes_inside"] = sorted(policy.zip_codes_inside)
    jurisdiction["zip_codes_straddling"] = sorted(policy.zip_codes_straddling)
    jurisdiction["address_lookup_url"] = policy.address_lookup_url
    if policy.referral_text:
        jurisdiction["referral_text"] = policy.referral_text.as_dict()
    jurisdiction["referral_links"] = [
        {"label": link.label.as_dict(), "url": link.url} for link in policy.referral_links
    ]
    agency: dict[str, Any] = {}
    if policy.agency_name:
        agency["name"] = policy.agency_name.as_dict()
    agency |= {
        "phone_311": policy.phone_311,
        "phone_311_full": policy.phone_311_full,
        "min_reporter_age": policy.min_reporter_age,
        "email_required": policy.email_required,
        "report_max_age_days": policy.report_max_age_days,
        "crisis_words": {lang: list(phrases) for lang, phrases in policy.crisis_words},
        "logo": policy.logo,
    }
    doc: dict[str, Any] = {"agency": agency, "jurisdiction": jurisdiction, "types": types}
    doc["banned_property"] = [
        {
            "key": b.key,
            "label": b.label.as_dict(),
            "reason": b.reason.as_dict(),
            "words": list(b.words),
        }
        for b in policy.banned_property
    ]
    questions = []
    for q in policy.extra_questions:
        entry = {"key": q.key, "question": q.question.as_dict()}
        if q.hint:
            entry["hint"] = q.hint.as_dict()
        entry |= {"reason": q.reason.as_dict(), "if_yes": q.if_yes, "if_no": q.if_no}
        questions.append(entry)
    doc["extra_questions"] = questions
    return doc
