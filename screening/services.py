"""State changes of the screening app."""

from __future__ import annotations

from django.utils import timezone

from screening.models import ScreeningOutcome
from screening.rules import Decision


def screening_outcome_record(
    *, decision: Decision, report_type: str, language: str
) -> ScreeningOutcome:
    """Count one screening decision anonymously.

    Side effects: one ScreeningOutcome row (outcome, reasons, type, language, hour).
    """
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return ScreeningOutcome.objects.create(
        outcome=decision.outcome,
        reasons=list(decision.reasons),
        report_type=report_type,
        language=language[:10],
        decided_hour=hour,
    )
