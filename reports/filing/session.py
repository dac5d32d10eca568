"""What the session remembers about reports the resident filed or looked up."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

_SUBMITTED = "reports:submitted"
_SUBMITTED_DRAFT = "reports:submitted_draft"
_STATUS_ACCESS = "reports:status_access"
_SAVED_DRAFT = "reports:saved_draft"
_OPEN_DRAFTS = "reports:open_drafts"
_SEEN = "reports:seen"

# Reports this browser has open (one per tab at most, in practice). The oldest is let go
# beyond this many: its answers stay in its Draft row until it expires.
MAX_OPEN_DRAFTS = 10


@dataclass(frozen=True)
class OpenDraft:
    draft_id: str
    report_type: str
    # The screening that allowed this report: it travels with the draft, so a new
    # screening in another tab (another incident) never changes or blocks this one.
    screening: dict


class ReportSession:
    def __init__(self, session):
        self._session = session

    # The report filed in this session: its confirmation page and copy are for it alone.
    def set_submitted(self, report_id, *, draft_id: str) -> None:
        """The report written as `draft_id` was filed: the draft is no longer open here."""
        self.close_draft(draft_id)
        self._session[_SUBMITTED] = str(report_id)
        self._session[_SUBMITTED_DRAFT] = str(draft_id)

    def filed_from(self, draft_id) -> bool:
        """Whether the report filed in this session was written as this draft."""
        return self._session.get(_SUBMITTED_DRAFT) == str(draft_id)

    def submitted_report_id(self) -> uuid.UUID | None:
        return _uuid_or_none(self._session.get(_SUBMITTED))

    # The report whose status the resident looked up with its tracking number and email:
    # they may add information to it from this session.
    def grant_status_access(self, report) -> None:
        # Looking the same report up again (a reload, a bookmark) writes nothing: the
        # session then keeps the expiry the first lookup gave it (SESSION_COOKIE_AGE).
        if self._session.get(_STATUS_ACCESS) != str(report.pk):
            self.renew_key()
            self._session[_STATUS_ACCESS] = str(report.pk)

    def renew_key(self) -> None:
        """Give this browser a new session key, with the same contents: called when the
        resident proves who they are (tracking number and email or phone, a resume code
        or the emailed link), so that a key planted in the browser beforehand (session
        fixation) gains nothing from it (OWASP ASVS 3.2.1)."""
        self._session.cycle_key()

    def status_access_report_id(self) -> uuid.UUID | None:
        return _uuid_or_none(self._session.get(_STATUS_ACCESS))

    # The resume code is shown once, on the page after "Save and finish later".
    def set_saved_draft(self, *, code: str, expires_at: str, email: str) -> None:
        self._session[_SAVED_DRAFT] = {"code": code, "expires_at": expires_at, "email": email}

    def pop_saved_draft(self) -> dict | None:
        return self._session.pop(_SAVED_DRAFT, None)

    def keep_alive(self, *, every: int = 60) -> None:
        """Restart the session's clock: a resident at work on a report is not signed
        out of it. At most once every `every` seconds, as each restart is a write."""
        now = int(time.time())
        try:
            seen = int(self._session.get(_SEEN) or 0)
        except (TypeError, ValueError):
            seen = 0
        if now - seen >= every:
            self._session[_SEEN] = now

    # The reports being written in this browser, each under its own draft id (in the
    # wizard's URLs). Only a draft opened here — started here, or resumed here with its
    # code — can be continued here: knowing a draft's URL is not enough.
    def open_draft(self, *, report_type: str, screening: dict, draft_id: str | None = None) -> str:
        opened = {k: v for k, v in self._open().items() if k != draft_id}
        draft_id = draft_id or str(uuid.uuid4())
        opened[draft_id] = {"type": report_type, "screening": screening}
        while len(opened) > MAX_OPEN_DRAFTS:
            opened.pop(next(iter(opened)))
        self._session[_OPEN_DRAFTS] = opened
        self._session[_SEEN] = int(time.time())  # a write already: the clock restarts
        return draft_id

    def opened_draft(self, draft_id) -> OpenDraft | None:
        entry = self._open().get(str(draft_id))
        if not isinstance(entry, dict):
            return None
        return OpenDraft(str(draft_id), entry.get("type", ""), dict(entry.get("screening") or {}))

    def latest_open_draft(self, report_type: str) -> OpenDraft | None:
        for draft_id in reversed(self._open()):
            draft = self.opened_draft(draft_id)
            if draft and draft.report_type == report_type:
                return draft
        return None

    def close_draft(self, draft_id) -> None:
        opened = self._open()
        if opened.pop(str(draft_id), None) is not None:
            self._session[_OPEN_DRAFTS] = opened

    def _open(self) -> dict:
        opened = self._session.get(_OPEN_DRAFTS)
        return dict(opened) if isinstance(opened, dict) else {}


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
