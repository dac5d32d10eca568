"""The resident's screening state in the session, behind named accessors.

Nothing else reads or writes these session keys: views use ScreeningSession, and the
report's "Start now" asks it whether the resident may file a given type (the report then
keeps a copy of the decision: reports.session.OpenDraft).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from screening import rules

_ANSWERS = "screening:answers"
_DECISION = "screening:decision"


@dataclass(frozen=True)
class StoredDecision:
    decision: rules.Decision
    report_type: str
    answers: Mapping[str, str]
    decided_at: float
    # The version of the agency's policy it was decided under (0: the default).
    policy_version: int = 0

    @property
    def outcome(self) -> str:
        return self.decision.outcome


class ScreeningSession:
    def __init__(self, session):
        self._session = session

    # Answers given so far, page by page.
    def answers(self) -> dict[str, str]:
        return dict(self._session.get(_ANSWERS, {}))

    def add_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        merged = {**self.answers(), **answers}
        self._session[_ANSWERS] = merged
        return merged

    def set_decision(
        self, decision: rules.Decision, answers: Mapping[str, str], *, policy_version: int = 0
    ) -> None:
        self._session[_DECISION] = {
            "policy_version": policy_version,
            "outcome": decision.outcome,
            "reasons": list(decision.reasons),
            "report_type": answers.get(rules.REPORT_TYPE_KEY, ""),
            "answers": dict(answers),
            "decided_at": time.time(),
        }
        self._session.pop(_ANSWERS, None)

    def decision(self) -> StoredDecision | None:
        """The latest decision, or None when there is none or it is over its time limit."""
        raw = self._session.get(_DECISION)
        if not isinstance(raw, dict):
            return None
        try:
            stored = StoredDecision(
                decision=rules.Decision(raw["outcome"], tuple(raw["reasons"])),
                report_type=raw["report_type"],
                answers=raw["answers"],
                decided_at=float(raw["decided_at"]),
                policy_version=int(raw.get("policy_version", 0)),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if time.time() - stored.decided_at > settings.SCREENING_DECISION_TTL_SECONDS:
            return None
        return stored

    def eligible_decision_for(self, report_type: str) -> StoredDecision | None:
        """The decision that lets the resident file `report_type` online, if any."""
        stored = self.decision()
        if stored and stored.decision.eligible and stored.report_type == report_type:
            return stored
        return None

    def restart(self, *, decided_at: float | None = None) -> None:
        """Forget the answers and the decision (only the decision made at `decided_at`,
        when given)."""
        stored = self._session.get(_DECISION)
        if decided_at is not None and (
            not isinstance(stored, dict) or stored.get("decided_at") != decided_at
        ):
            return
        self._session.pop(_ANSWERS, None)
        self._session.pop(_DECISION, None)
