"""Where the report wizard keeps its answers: the resident's Draft row, not the session.

formtools keeps a wizard in the session by default. That loses work in two ways: two
tabs share one session, so two requests at once write the whole session and the later
one undoes the other's page; and a session that ends takes the answers with it. Here
each report has its own draft id (in the wizard's URLs), its own row, and a request
writes back only the pages it changed (see drafts.draft_autosave).
"""

from __future__ import annotations

from formtools.wizard.storage.base import BaseStorage

from reports.filing import drafts


class DraftStorage(BaseStorage):
    def __init__(self, prefix, request, file_storage=None, *, draft, screening_for_save):
        super().__init__(prefix, request, file_storage)
        self.draft = draft  # reports.session.OpenDraft
        self._screening_for_save = screening_for_save
        self._data, self.filed_report_id, self._loaded_at = drafts.draft_state(
            draft_id=draft.draft_id, report_type=draft.report_type
        )
        self.exists = self._data is not None
        if self._data is None:
            self.init_data()
        # (A filed draft keeps no answers at all: its data is empty.)
        self._uploads_before = list(
            self._data.get(self.extra_data_key, {}).get(drafts.UPLOADS) or []
        )
        self._changed_steps: set[str] = set()
        self._changed_extra: set[str] = set()
        self._closed = False

    # formtools reads and writes `data` and goes through the accessors below; they note
    # what changed so that only that is written back.
    @property
    def data(self):
        return self._data

    @data.setter
    def data(self, value):
        self._data = value

    def set_step_data(self, step, cleaned_data):
        super().set_step_data(step, cleaned_data)
        self._changed_steps.add(step)

    def _set_extra_data(self, extra_data):
        before = self.data[self.extra_data_key]
        keys = before.keys() | extra_data.keys()
        self._changed_extra |= {key for key in keys if before.get(key) != extra_data.get(key)}
        super()._set_extra_data(extra_data)

    @property
    def changed(self) -> bool:
        return bool(self._changed_steps or self._changed_extra)

    def save(self, *, email: str | None = None):
        """Write what this request changed into the Draft row (created on the first
        save). Returns the Draft, or None once the draft was closed."""
        if self._closed:
            return None
        saved = drafts.draft_autosave(
            draft_id=self.draft.draft_id,
            report_type=self.draft.report_type,
            data=self.data,
            screening=self._screening_for_save(),
            email=email,
            steps=set(self._changed_steps),
            extra_keys=set(self._changed_extra),
            new=not self.exists,
            loaded_at=self._loaded_at,
            uploads_before=self._uploads_before,
        )
        self.exists = True
        self._loaded_at = saved.updated_at
        # (A filed draft keeps no answers at all: its data is empty.)
        self._uploads_before = list(
            self._data.get(self.extra_data_key, {}).get(drafts.UPLOADS) or []
        )
        self._changed_steps.clear()
        self._changed_extra.clear()
        return saved

    def close(self, *, filed_report=None) -> None:
        """The report was filed (`filed_report`), or cannot be filed online (the draft
        is deleted). Nothing more is saved for it."""
        if filed_report is not None:
            drafts.draft_mark_filed(draft_id=self.draft.draft_id, report=filed_report)
        else:
            drafts.draft_discard(draft_id=self.draft.draft_id)
        self._closed = True
        self.init_data()

    def reset(self):
        # formtools resets the storage after done(); the wizard closes the draft itself,
        # so a reset only clears this request's copy and writes nothing.
        self.init_data()
        self._changed_steps.clear()
        self._changed_extra.clear()

    def update_response(self, response):
        # Changes that came without a valid page (an upload, say) are kept too; a draft
        # gets its row with its first answers, not when a page is merely opened.
        if self.changed and (self.exists or self.data[self.step_data_key]):
            self.save()
        super().update_response(response)
