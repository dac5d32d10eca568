"""The report wizard: one formtools NamedUrlWizardView per report type, its steps taken
from the registry.

The flow, in the order a request meets it:
1. Gate: the report (the draft id in the URL) must be open in this browser: started with
   "Start now" after an eligible screening, or resumed with its code. Otherwise the
   resident goes back to the screening (a crafted URL or POST cannot skip it).
2. A step can only be opened once the steps before it are answered.
3. A POST is checked for tampering (management form, step name) before anything else:
   a tampered POST gets a 400 page, never a 500.
4. A valid step is stored; if an answer shows the incident needs an officer after all
   (a "trap"), the wizard ends with the 911 notice.
5. "Back" keeps what was typed when it is valid; "Change" links from the review come
   back to the review.
6. The final POST re-validates every step, sends the resident to the first incomplete
   one, and files the report in one transaction (idempotent).

Each report has its own draft id in the URL (/report/<type>/<draft id>/<step>/) and its
answers live in that draft's row (reports.draft_storage), so two reports in two tabs
never mix, and two tabs on the same report never undo each other's pages.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from ereport import ratelimit
from ereport.forms import error_summary, posted_names, shared_unbound_form, unbound_form_html
from ereport.http import client_ip
from reports import registry, rules
from reports.filing import crisis, drafts, uploads
from reports.filing.draft_storage import DraftStorage
from reports.filing.services import SubmissionError, report_submit
from reports.filing.session import OpenDraft, ReportSession
from reports.filing.uploads import PendingUpload, discard_uploads, upload_stage
from reports.models import Draft
from reports.questions import summary
from reports.questions.steps import STEPS
from screening.policy_store import request_policy
from screening.services import screening_outcome_record
from screening.session import ScreeningSession

logger = logging.getLogger(__name__)

_SUBMISSION_KEY = "submission_key"
_STARTED_AT = "started_at"

_UPLOADS = drafts.UPLOADS


class TamperedPost(Exception):
    """The POST did not come from our form (bad management form or step name)."""


class ReportWizard(NamedUrlWizardView):
    report_type: registry.ReportType = None  # set by as_view()

    @classmethod
    def for_type(cls, report_type: registry.ReportType):
        return cls.as_view(
            form_list=[(name, STEPS[name].form_class) for name in report_type.steps],
            url_name="reports:wizard",
            done_step_name="done",
            report_type=report_type,
        )

    # --- plumbing ---------------------------------------------------------------------

    def get_prefix(self, request, *args, **kwargs):
        # Names the management form's fields; the storage is the draft's own row.
        return f"report_{self.report_type.slug}"

    def get_step_url(self, step):
        return step_url(self.draft, step)

    def get_form_step_data(self, form):
        # What formtools keeps of a step is the raw POST: keep only what the step's form
        # reads (not the CSRF token, the buttons, or any key a client made up), so that
        # the draft holds answers and nothing else.
        declared = posted_names(form)
        data = MultiValueDict()
        for key, values in form.data.lists():
            if key in declared:
                data.setlist(key, values)
        return data

    def get_template_names(self):
        return [STEPS[self.steps.current].template_name]

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if getattr(self.form_list[step or self.steps.current], "takes_policy", False):
            # Read once per request (one cache read), not once per form built.
            kwargs["policy"] = request_policy(self.request)
        return kwargs

    def get_form_list(self):
        # A report type's steps are its own list, with no formtools conditions: formtools
        # would check the conditions' cache key on every call (several a request).
        if not self.condition_dict:
            return self.form_list.copy()
        return super().get_form_list()

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        if data is None and files is None and not self.get_form_initial(step):
            # An unanswered step: nothing of the resident's in its form.
            return shared_unbound_form(
                lambda: self._new_form(step, None, None),
                step,
                self.report_type.slug,
                request_policy(self.request).fingerprint,
            )
        return self._new_form(step, data, files)

    def _new_form(self, step, data, files):
        form = super().get_form(step, data, files)
        if hasattr(form, "report_type"):
            # The agency's value caps are per report type (the items step's trap).
            form.report_type = self.report_type.slug
        return form

    @property
    def _uploads(self) -> list[PendingUpload]:
        return [PendingUpload.from_dict(u) for u in self.storage.extra_data.get(_UPLOADS, [])]

    def _set_uploads(self, pending: list[PendingUpload]) -> None:
        extra = dict(self.storage.extra_data)
        extra[_UPLOADS] = [u.as_dict() for u in pending]
        self.storage.extra_data = extra

    def _submission_key(self) -> uuid.UUID:
        extra = dict(self.storage.extra_data)
        if _SUBMISSION_KEY not in extra:
            extra[_SUBMISSION_KEY] = str(uuid.uuid4())
            extra[_STARTED_AT] = time.time()
            self.storage.extra_data = extra
        return uuid.UUID(extra[_SUBMISSION_KEY])

    def _autosave(self):
        """Save the answers so far into the resident's Draft row (see reports.drafts)."""
        about = self.storage.get_step_data("about_you")
        if about is None:
            return self.storage.save()  # no address given yet: the stored one stands
        # As it stands now: an address cleared on "About you" is forgotten, so a code
        # saved later is never sent to it.
        email = about.get("about_you-email", "")  # formtools gives a MultiValueDict
        return self.storage.save(email=email if isinstance(email, str) else "")

    def _screening_for_save(self) -> dict:
        # The language the resident files in: their draft emails use it too.
        return {**self.draft.screening, "language": self.request.LANGUAGE_CODE}

    def _save_for_later(self, draft):
        draft = Draft.objects.get(pk=draft.pk)
        code = drafts.draft_save_for_later(draft=draft)
        ReportSession(self.request.session).set_saved_draft(
            code=code, expires_at=draft.expires_at.isoformat(), email=draft.email
        )
        return redirect("reports:draft_saved")

    def _filled_too_fast(self) -> bool:
        started = self.storage.extra_data.get(_STARTED_AT)
        return (
            started is not None and time.time() - float(started) < settings.REPORT_MIN_FILL_SECONDS
        )

    def _first_unanswered_step(self) -> str | None:
        for step in self.get_form_list():
            if step in ("review", "declaration"):
                return None
            if self.storage.get_step_data(step) is None:
                return step
        return None

    # --- gate -------------------------------------------------------------------------

    def dispatch(self, request, *args, draft_id=None, **kwargs):
        self.draft = ReportSession(request.session).opened_draft(draft_id)
        if self.draft is None or self.draft.report_type != self.report_type.slug:
            if ReportSession(request.session).filed_from(draft_id):
                # A double click, a replay, or another tab of a report filed here.
                return redirect("reports:confirmation")
            messages.warning(
                request,
                _(
                    "We could not find that report in this browser. If you saved it, "
                    "continue with your resume code. Otherwise, please answer the "
                    "screening questions first."
                ),
            )
            return redirect("screening:start")
        ReportSession(request.session).keep_alive()
        # What formtools' dispatch does, with the draft's own storage instead of one
        # named by a setting (formtools constructs storages from a dotted path only).
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DraftStorage(
            self.prefix, request, draft=self.draft, screening_for_save=self._screening_for_save
        )
        self.steps = StepsHelper(self)
        if self.storage.filed_report_id:
            # Filed from another tab or device: this one gets the confirmation too.
            ReportSession(request.session).set_submitted(
                self.storage.filed_report_id, draft_id=self.draft.draft_id
            )
            return redirect("reports:confirmation")
        try:
            response = TemplateView.dispatch(self, request, *args, **kwargs)
        except TamperedPost:
            return render(request, "errors/400.html", status=400)
        self.storage.update_response(response)
        return response

    # --- GET ----------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None or step == self.done_step_name:
            # Where the resident left off: the first page not yet answered.
            return redirect(self.get_step_url(self._first_unanswered_step() or self.steps.current))
        if step not in self.get_form_list():
            raise Http404
        first_open = self._first_unanswered_step()
        form_list = list(self.get_form_list())
        if first_open and form_list.index(step) > form_list.index(first_open):
            return redirect(self.get_step_url(first_open))
        return super().get(request, *args, **kwargs)

    # --- POST ---------------------------------------------------------------------------

    def post(self, *args, **kwargs):
        # The clock (see _filled_too_fast) starts with the first page posted: opening a
        # page saves nothing (a draft gets its row with its first answers), so a clock
        # started by a GET would be lost.
        self._submission_key()
        post = self.request.POST
        management_form = ManagementForm(post, prefix=self.prefix)
        if not management_form.is_valid():
            raise TamperedPost
        posted_step = management_form.cleaned_data["current_step"]
        if posted_step not in self.get_form_list():
            raise TamperedPost
        if not self.storage.data.get("step_data") and posted_step != self.steps.first:
            # Nothing is saved for this draft (it expired): a later page cannot stand alone.
            messages.warning(self.request, _("Your session expired. Please start again."))
            return redirect(self.get_step_url(self.steps.first))
        self.storage.current_step = posted_step

        if "add_row" in post:
            return self._render_with_added_row(post)
        if "remove_upload" in post:
            return self._remove_upload(post["remove_upload"])

        form = self.get_form(data=post, files=self.request.FILES)
        going_back = post.get("wizard_goto_step") in self.get_form_list()
        if going_back and not form.is_valid():
            # Back never traps the resident on a page with errors.
            return self.render_goto_step(post["wizard_goto_step"])
        if posted_step == "attachments":
            # Files are checked and stored one by one as they arrive (not by formtools), so
            # that a later error never makes the resident upload them all again.
            if "upload" in self.request.FILES:
                try:
                    self._handle_upload(self.request.FILES["upload"])
                except ValidationError as error:
                    return self.render(form, upload_errors=error.messages)
            if "upload_only" in post:
                return redirect(self.get_step_url(posted_step))
        if not form.is_valid():
            if "save_later" in post and self.storage.get_step_data(self.steps.first):
                # Leaving now: keep every page already answered, not this one's errors.
                return self._save_for_later(self._autosave())
            return self.render(form)

        self.storage.set_step_data(posted_step, self.process_step(form))
        trap = form.trap() if hasattr(form, "trap") else None
        if trap is not None:
            return self._stop_with_911(trap)
        draft = self._autosave()
        if "save_later" in post:
            return self._save_for_later(draft)
        if going_back:
            return self.render_goto_step(post["wizard_goto_step"])
        if self.request.GET.get("return") == "review" and "review" in self.get_form_list():
            return self.render_goto_step("review")
        if posted_step == self.steps.last:
            # Per browser, and per address with room for a library, a shelter or a phone
            # carrier's shared address (many residents behind one).
            refused = ratelimit.first_refusal(
                [
                    ("submit_session", self.request.session.session_key or "none"),
                    ("submit", client_ip(self.request) or "unknown"),
                ]
            )
            if refused is not None:
                return ratelimit.too_many_requests(self.request, refused)
            if self._filled_too_fast():
                form.add_error(None, _("That was very quick. Please check, then submit again."))
                return self.render(form)
            return self.render_done(form, **kwargs)
        return self.render_next_step(form)

    def _render_with_added_row(self, post):
        """Add a row to a formset step without losing what was typed."""
        step = STEPS[self.steps.current]
        if not step.is_formset:
            raise TamperedPost
        data = post.copy()
        total_key = f"{self.get_form_prefix()}-TOTAL_FORMS"
        try:
            total = int(data.get(total_key, "0"))
        except ValueError as exc:
            raise TamperedPost from exc
        if total >= step.form_class.max_num:
            messages.info(self.request, _("You have added as many as you can."))
        else:
            # The new row starts with the form's initial values (quantity 1), so that
            # it counts as untouched until the resident types in it.
            prefix = self.get_form_prefix()
            for name, field in step.form_class.form.base_fields.items():
                if field.initial is not None:
                    data[f"{prefix}-{total}-{name}"] = str(field.initial)
            data[total_key] = str(max(total, 0) + 1)
        return self.render(self.get_form(data=data))

    def _handle_upload(self, uploaded) -> None:
        pending = self._uploads
        uploads.check_count(len(pending))
        pending.append(upload_stage(uploads.process_upload(uploaded)))
        self._set_uploads(pending)

    def _remove_upload(self, storage_name: str):
        pending = self._uploads
        keep = [u for u in pending if u.storage_name != storage_name]
        discard_uploads([u for u in pending if u.storage_name == storage_name])
        self._set_uploads(keep)
        return redirect(self.get_step_url(self.steps.current))

    def _stop_with_911(self, decision):
        answers = dict(self.draft.screening.get("answers") or {})
        # The 911 notice says back what sent the resident there: this answer, now.
        answers.update(dict.fromkeys(decision.reasons, "yes"))
        ScreeningSession(self.request.session).set_decision(decision, answers)
        screening_outcome_record(
            decision=decision,
            report_type=self.report_type.slug,
            language=self.request.LANGUAGE_CODE,
        )
        discard_uploads(self._uploads)
        self.storage.close()
        ReportSession(self.request.session).close_draft(self.draft.draft_id)
        return redirect("screening:result")

    # --- rendering ----------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        # The context formtools' WizardView and NamedUrlWizardView make, less the
        # ManagementForm they build for the template: the page writes that input itself
        # (below).
        context = TemplateView.get_context_data(self, form=form, **kwargs)
        context.update(self.storage.extra_data)
        context["wizard"] = {"form": form, "steps": self.steps, "url_name": self.url_name}
        step = STEPS[self.steps.current]
        form_list = list(self.get_form_list())
        index = form_list.index(self.steps.current)
        context.update(
            step=step,
            report_type=self.report_type,
            step_number=index + 1,
            step_count=len(form_list),
            step_titles=[STEPS[name].title for name in form_list],
            # The step indicator's key: its titles are the steps' own (code, not data).
            step_names=",".join(form_list),
            error_list=error_summary(form) if form.is_bound else [],
            back_step=form_list[index - 1] if index else None,
            returning_to_review=self.request.GET.get("return") == "review",
            draft_saved=self.storage.exists,
            quick_exit=self.report_type.sensitive,
            form_action=self.request.get_full_path(),
        )
        # formtools' management form, written directly (the same bytes): drawn through
        # the form templates it was a tenth of a step's page (profiled).
        context["wizard"]["management_form"] = format_html(
            '<input type="hidden" name="{0}-current_step" value="{1}" id="id_{0}-current_step">',
            self.prefix,
            self.steps.current,
        )
        if not form.initial:  # the steps have no initial answers: keep it that way
            context["form_html"] = unbound_form_html(
                form, request_policy(self.request).fingerprint, self.report_type.slug
            )
        if step.name == "attachments":
            upload_errors = kwargs.get("upload_errors", [])
            context["uploads"] = self._uploads
            context["max_uploads"] = uploads.MAX_FILES
            context["upload_errors"] = upload_errors
            context["error_list"] += [("upload", message) for message in upload_errors]
        if step.name == "review":
            context["sections"] = self._review_sections()
        if step.name in ("review", "declaration"):
            narrative = (self.storage.get_step_data("narrative") or {}).get(
                "narrative-narrative", ""
            )
            context["crisis_notice"] = crisis.mentions_crisis(
                narrative or "", request_policy(self.request).crisis_phrases
            )
        context["session_timeout_seconds"] = settings.SESSION_COOKIE_AGE
        return context

    def _review_sections(self) -> list[summary.Section]:
        sections = []
        for name in self.get_form_list():
            step = STEPS[name]
            if step.summary_title is None:
                continue
            section = summary.Section(
                step=name,
                title=step.summary_title,
                change_url=self.get_step_url(name) + "?return=review",
            )
            if name == "attachments":
                section.rows = [(u.display_name, f"{u.size // 1024 + 1} KB") for u in self._uploads]
                sections.append(section)
                continue
            cleaned = self.get_cleaned_data_for_step(name)
            if cleaned is None:
                continue
            form = self.get_form(step=name)
            if step.is_formset:
                kept = [entry for entry in cleaned if entry and not entry.get("DELETE")]
                section.entries = [summary.rows_for(form.form(), entry) for entry in kept]
                if name == "items" and (total := rules.total_value(kept)) is not None:
                    section.total = f"${total:,.2f}"
            else:
                section.rows = summary.when_rows(cleaned) + summary.rows_for(form, cleaned)
            sections.append(section)
        return sections

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(self.request, _("Please check your answers on this page."))
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    # --- done ---------------------------------------------------------------------------

    def render_done(self, form, **kwargs):
        # File the report in the final POST itself: formtools' named-URL wizard would
        # redirect and file it on a GET of the "done" URL. done() closes the draft once
        # the report is filed; a failed filing keeps every answer.
        return WizardView.render_done(self, form, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        answers: dict[str, Any] = {}
        for name, form in form_dict.items():
            if isinstance(form, forms.BaseFormSet):
                answers[name] = [
                    {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                    for f in form.kept_forms()
                ]
            else:
                answers[name] = form.cleaned_data
        screening = self.draft.screening
        try:
            report = report_submit(
                report_type=self.report_type.slug,
                submission_key=self._submission_key(),
                language=self.request.LANGUAGE_CODE,
                screening={
                    "outcome": screening.get("outcome", ""),
                    "answers": dict(screening.get("answers") or {}),
                    "policy_version": int(screening.get("policy_version") or 0),
                },
                answers=answers,
                uploads=self._uploads,
            )
        except SubmissionError:
            logger.exception("report submission failed")
            messages.error(
                self.request,
                _("We could not save one of your files. Please upload it again."),
            )
            self._set_uploads([u for u in self._uploads if default_storage.exists(u.storage_name)])
            self.storage.save()
            return redirect(self.get_step_url("attachments"))
        self.storage.close(filed_report=report)
        ReportSession(self.request.session).set_submitted(report.pk, draft_id=self.draft.draft_id)
        # A new report needs a new screening; one made since, in another tab, stays.
        ScreeningSession(self.request.session).restart(
            decided_at=self.draft.screening.get("decided_at")
        )
        return redirect("reports:confirmation")


WIZARDS = {slug: ReportWizard.for_type(t) for slug, t in registry.REPORT_TYPES.items()}


def step_url(draft: OpenDraft, step: str) -> str:
    """The address of `step` in this draft: reverse() once per process for each report
    type and step, the draft's id put in its place (reversing on every step posted was a
    twenty-fifth of the request, py-spy)."""
    address = _step_address(get_script_prefix(), draft.report_type, step)
    return address.replace(_ANY_DRAFT, str(draft.draft_id))


# A draft id that stands for the draft's own in a reversed address.
_ANY_DRAFT = "00000000-0000-4000-8000-000000000000"


@functools.lru_cache(maxsize=512)
def _step_address(_script_prefix: str, report_type: str, step: str) -> str:
    return reverse(
        "reports:wizard",
        kwargs={"report_type": report_type, "draft_id": _ANY_DRAFT, "step": step},
    )


def open_report(request, decision) -> OpenDraft:
    """ "Start now": the report this screening allows. Pressing it again (in this tab or
    another) continues the same report; a new screening starts a new one."""
    session = ReportSession(request.session)
    latest = session.latest_open_draft(decision.report_type)
    if latest and latest.screening.get("decided_at") == decision.decided_at:
        draft = latest
    else:
        draft_id = session.open_draft(
            report_type=decision.report_type,
            screening={
                "outcome": decision.outcome,
                "answers": dict(decision.answers),
                "decided_at": decision.decided_at,
                "policy_version": decision.policy_version,
            },
        )
        draft = session.opened_draft(draft_id)
    return draft


def restore_draft(request, draft: Draft) -> str:
    """Open a saved draft in this browser (its answers stay in its row, under the
    screening it was started with), under a new session key (the resident just proved
    who they are), and return the URL of the step to continue from."""
    session = ReportSession(request.session)
    session.renew_key()
    draft_id = session.open_draft(
        draft_id=str(draft.pk), report_type=draft.report_type, screening=dict(draft.screening)
    )
    step = (draft.data or {}).get("step") or registry.REPORT_TYPES[draft.report_type].steps[0]
    return step_url(session.opened_draft(draft_id), step)
