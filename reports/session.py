"""What the session remembers about reports the resident filed or looked up."""

from __future__ import annotations

import uuid

_SUBMITTED = "reports:submitted"
_STATUS_ACCESS = "reports:status_access"
_SAVED_DRAFT = "reports:saved_draft"


class ReportSession:
    def __init__(self, session):
        self._session = session

    # The report filed in this session: its confirmation page and copy are for it alone.
    def set_submitted(self, report) -> None:
        self._session[_SUBMITTED] = str(report.pk)

    def submitted_report_id(self) -> uuid.UUID | None:
        return _uuid_or_none(self._session.get(_SUBMITTED))

    # The report whose status the resident looked up with its tracking number and email:
    # they may add information to it from this session.
    def grant_status_access(self, report) -> None:
        self._session[_STATUS_ACCESS] = str(report.pk)

    def status_access_report_id(self) -> uuid.UUID | None:
        return _uuid_or_none(self._session.get(_STATUS_ACCESS))

    # The resume code is shown once, on the page after "Save and finish later".
    def set_saved_draft(self, *, code: str, expires_at: str, email: str) -> None:
        self._session[_SAVED_DRAFT] = {"code": code, "expires_at": expires_at, "email": email}

    def pop_saved_draft(self) -> dict | None:
        return self._session.pop(_SAVED_DRAFT, None)


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
