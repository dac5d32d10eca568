"""Keeps residents' personal data out of the logs.

Our code never logs a resident's answers, but third-party messages can quote data
(a database error naming a duplicate email, say). This filter redacts email
addresses, phone numbers and dates (a date of birth is a date) from every record and
its traceback before any handler sees it.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    # Not inside a longer word: a task's or a report's UUID may hold ten digits in a row.
    (re.compile(r"(?<!\w)\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"), "[phone]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?![T ]\d{2}:)"), "[date]"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "[date]"),
    # Names appear in logs only next to the fields that hold them (also as posted form
    # data, where the value is a list).
    (
        re.compile(
            r"((?:first|last|reporter|respondent|other_party)_?name['\"]?\s*[:=]\s*\[?['\"]?)"
            r"[^'\",}\]\n]+"
        ),
        r"\1[name]",
    ),
    # PostgreSQL quotes a whole failing row (names, addresses) in its error details.
    (re.compile(r"(Failing row contains )\(.*?\)(?=\.?\s*(?:\n|$))", re.S), r"\1[row]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
