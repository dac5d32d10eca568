"""Preset rejection reasons reach residents whether or not a clerk asked them anything:
their words must be true either way."""

from __future__ import annotations

import pytest

from reports.models import RejectionReason

pytestmark = pytest.mark.django_db

# Words that are only true after the resident was asked for more and did not answer.
ONLY_TRUE_AFTER_A_QUESTION = ("hear back", "did not reply", "no reply", "did not answer")


def test_no_preset_reason_says_the_resident_failed_to_answer_a_question():
    for reason in RejectionReason.objects.all():
        text = reason.public_text.casefold()
        assert not any(words in text for words in ONLY_TRUE_AFTER_A_QUESTION), reason.code


def test_not_enough_information_invites_the_resident_to_file_again():
    reason = RejectionReason.objects.get(code="insufficient_information")
    assert "file again" in reason.public_text
