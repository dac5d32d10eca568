"""Tracking numbers: what a resident writes down, reads over the phone and types back in.

They look like "ER-7K3M-9QXD-Q", and are designed for that:

* Crockford's base32 alphabet has no I, L, O or U, so nothing looks like anything else;
  when someone types O for 0 or I/L for 1 anyway, we read what they meant.
* 8 data characters carry 40 random bits from `secrets`: nobody can guess someone else's
  number by counting up from their own, or by trying numbers at random.
* A final check character (Luhn mod N, N = 32) catches every single mistyped character
  and most swaps of two neighbours, so a typo is told apart from a report that does not
  exist ("check the number" rather than "not found").
* Groups of four with dashes are easy to read aloud, but dashes, spaces, dots and case are
  all ignored on the way back in.

40 bits make collisions rare, not impossible: whoever stores the number keeps it unique
(a unique constraint) and generates a fresh one on a clash.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

__all__ = ["ALPHABET", "PREFIX", "check_character", "generate", "is_valid", "normalize"]

PREFIX = "ER"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 8
RANDOM_BITS = 5 * DATA_LENGTH  # 40: each base32 character carries 5 bits.
MAX_INPUT_LENGTH = 40

_N = len(ALPHABET)
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# Crockford's decoding rule: the letters left out are read as the digits they resemble.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Separators people (and phone keyboards' autocorrect) put between groups.
_SEPARATORS = re.compile(r"[\s\-._\u2010-\u2015\u2212]+")


def _luhn_sum(codes: list[int], *, double_first: bool) -> int:
    """Luhn mod N from the right: every second value doubled, its base-N digits summed."""
    total = 0
    factor = 2 if double_first else 1
    for code in reversed(codes):
        addend = factor * code
        total += addend // _N + addend % _N
        factor = 3 - factor
    return total % _N


def check_character(data: str) -> str:
    """The check character for canonical data characters (uppercase, in ALPHABET)."""
    remainder = _luhn_sum([_VALUE[char] for char in data], double_first=True)
    return ALPHABET[(_N - remainder) % _N]


def _format(data: str, check: str) -> str:
    return f"{PREFIX}-{data[:4]}-{data[4:]}-{check}"


def generate(randbits: Callable[[int], int] = secrets.randbits) -> str:
    """A new tracking number, like "ER-7K3M-9QXD-Q".

    randbits is injectable so tests can see how much randomness is asked for and can make
    the result predictable; in production it is secrets.randbits, a CSPRNG, never the
    `random` module, whose output can be predicted from earlier numbers.
    """
    value = randbits(RANDOM_BITS)
    if not 0 <= value < 1 << RANDOM_BITS:
        raise ValueError(f"randbits({RANDOM_BITS}) returned {value}, out of range")
    data = "".join(
        ALPHABET[(value >> shift) & (_N - 1)] for shift in range(RANDOM_BITS - 5, -1, -5)
    )
    return _format(data, check_character(data))


def normalize(raw: str) -> str | None:
    """The canonical form ("ER-7K3M-9QXD-Q") of anything a person may have typed, or None.

    Forgiving about presentation (case, separators, the ER prefix, O/I/L for 0/1) and
    strict about content: a character outside the alphabet, a wrong length or a failing
    check character gives None. Never raises, whatever the input, so it is safe on raw
    request data; over-long input is refused before any work is done on it.
    """
    if not isinstance(raw, str) or len(raw) > MAX_INPUT_LENGTH:
        return None
    text = _SEPARATORS.sub("", raw)
    if not text.isascii():
        return None
    text = text.upper()
    if len(text) == DATA_LENGTH + 1 + len(PREFIX) and text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    if len(text) != DATA_LENGTH + 1:
        return None
    text = text.translate(_LOOKALIKES)
    if any(char not in _VALUE for char in text):
        return None
    if _luhn_sum([_VALUE[char] for char in text], double_first=False) != 0:
        return None
    return _format(text[:DATA_LENGTH], text[DATA_LENGTH])


def is_valid(raw: str) -> bool:
    """Whether raw is (a typed form of) a well-formed tracking number. It says nothing
    about whether a report with that number exists."""
    return normalize(raw) is not None
