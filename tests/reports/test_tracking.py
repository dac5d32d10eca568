"""Tracking numbers: readable on the phone, forgiving of presentation, strict on content."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import tracking

CANONICAL = re.compile(r"^ER-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")
# The canonical form of the example in the module docstring.
EXAMPLE = "ER-7K3M-9QXD-Q"


def fixed(value: int):
    """A stand-in for secrets.randbits that always returns value."""
    return lambda k: value


SAMPLE_VALUES = [0, 1, 31, 32, 123_456_789, 987_654_321_012, (1 << 40) - 1]
SAMPLES = [tracking.generate(fixed(value)) for value in SAMPLE_VALUES]


def characters(number: str) -> str:
    """The 9 characters after the prefix, without dashes."""
    return number.removeprefix("ER-").replace("-", "")


# --- generate --------------------------------------------------------------------------


def test_generated_numbers_have_the_canonical_format():
    numbers = [tracking.generate() for _ in range(200)]

    assert all(CANONICAL.fullmatch(number) for number in numbers)


def test_generated_numbers_are_valid_and_already_canonical():
    number = tracking.generate()

    assert tracking.is_valid(number)
    assert tracking.normalize(number) == number


def test_generate_asks_for_at_least_40_random_bits():
    requested: list[int] = []

    def recording_randbits(k: int) -> int:
        requested.append(k)
        return 0

    tracking.generate(randbits=recording_randbits)

    assert sum(requested) >= 40


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "ER-0000-0000-0"),
        ((1 << 40) - 1, "ER-ZZZZ-ZZZZ-8"),
    ],
)
def test_generate_encodes_the_random_bits_in_crockford_base32(value, expected):
    assert tracking.generate(fixed(value)) == expected


def test_every_random_bit_changes_the_number():
    numbers = {tracking.generate(fixed(1 << bit)) for bit in range(40)}

    assert len(numbers) == 40


@pytest.mark.parametrize("value", [-1, 1 << 40])
def test_generate_refuses_randomness_out_of_range(value):
    with pytest.raises(ValueError):
        tracking.generate(fixed(value))


def test_generated_numbers_do_not_repeat_in_a_small_batch():
    numbers = [tracking.generate() for _ in range(1000)]

    assert len(set(numbers)) == len(numbers)


# --- normalize: what people type -------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "ER-7K3M-9QXD-Q",
        "er-7k3m-9qxd-q",
        "ER 7K3M 9QXD Q",
        "ER7K3M9QXDQ",
        "7K3M9QXDQ",
        "7k3m-9qxd-q",
        "  ER-7K3M-9QXD-Q  ",
        "ER.7K3M.9QXD.Q",
        "ER_7K3M_9QXD_Q",
        "ER\u20137K3M\u20139QXD\u2013Q",  # en dashes from autocorrect
        "E R - 7 K 3 M - 9 Q X D - Q",
    ],
)
def test_normalize_accepts_case_spacing_separators_and_a_missing_prefix(typed):
    assert tracking.normalize(typed) == EXAMPLE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ER-0000-0000-0", "ER-0000-0000-0"),
        ("ER-OOOO-OOOO-O", "ER-0000-0000-0"),
        ("er-oooo-0000-o", "ER-0000-0000-0"),
    ],
)
def test_normalize_reads_letter_o_as_zero(typed, expected):
    assert tracking.normalize(typed) == expected


@pytest.mark.parametrize("lookalike", ["I", "i", "L", "l"])
def test_normalize_reads_letters_i_and_l_as_one(lookalike):
    number = tracking.generate(fixed(1 << 35 | 1))  # "ER-1000-0001-?"
    assert characters(number)[0] == "1"

    typed = number.replace("-1", f"-{lookalike}")

    assert tracking.normalize(typed) == number


@pytest.mark.parametrize("number", SAMPLES)
def test_normalize_round_trips_generated_numbers(number):
    assert tracking.normalize(number) == number
    assert tracking.normalize(number.lower()) == number
    assert tracking.normalize(characters(number)) == number


@given(st.integers(min_value=0, max_value=(1 << 40) - 1))
def test_any_40_bit_value_gives_a_number_that_normalizes_to_itself(value):
    number = tracking.generate(fixed(value))

    assert CANONICAL.fullmatch(number)
    assert tracking.normalize(number) == number


# --- normalize: what it refuses --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "ER",
        "ER-7K3M-9QXD",  # check character missing
        "7K3M9QXD",
        "ER-7K3M-9QXD-QQ",
        "ER-7K3M-9QXD-Q-0",
        "XX-7K3M-9QXD-Q",  # another prefix
        "ER-7K3M-9QXU-Q",  # U is not in the alphabet
        "ER-7K3M-9QX!-Q",
        "ER-7K3M-9QXD-Q?",
        "ER-7K3M-9QXD-\u0051\u0301",  # combining accent
        "ER-\uff17K3M-9QXD-Q",  # full-width digit 7
        "ER-7K3M-9QXD-Q" + " " * 40,  # over the input limit, even though it is spaces
        "ER-7K3M-9QXD-R",  # wrong check character
    ],
)
def test_normalize_refuses_malformed_input(typed):
    assert tracking.normalize(typed) is None
    assert not tracking.is_valid(typed)


@pytest.mark.parametrize("not_text", [None, 123, b"ER-7K3M-9QXD-Q"])
def test_normalize_refuses_values_that_are_not_text(not_text):
    assert tracking.normalize(not_text) is None


@pytest.mark.parametrize("number", SAMPLES)
def test_every_single_character_substitution_is_caught(number):
    code = characters(number)
    accepted = []

    for position, wrong in itertools.product(range(len(code)), tracking.ALPHABET):
        if wrong == code[position]:
            continue
        typo = code[:position] + wrong + code[position + 1 :]
        if tracking.normalize(typo) is not None:
            accepted.append(typo)

    assert accepted == []


def test_adjacent_swaps_are_caught_except_between_0_and_z():
    missed = set()

    for a, b in itertools.permutations(tracking.ALPHABET, 2):
        for position in range(8):
            data = list("7K3M9QXD")
            data[position] = a
            if position < 7:
                data[position + 1] = b
            code = "".join(data) + tracking.check_character("".join(data))
            if code[position] == code[position + 1]:
                continue
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            if tracking.normalize(swapped) is not None:
                missed.add(frozenset((code[position], code[position + 1])))

    assert missed == {frozenset("0Z")}


@given(st.text())
def test_normalize_never_raises_for_arbitrary_text(raw):
    result = tracking.normalize(raw)

    assert result is None or CANONICAL.fullmatch(result)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz- ."))
def test_normalize_output_is_always_valid_and_stable(raw):
    result = tracking.normalize(raw)

    if result is not None:
        assert CANONICAL.fullmatch(result)
        assert tracking.normalize(result) == result
