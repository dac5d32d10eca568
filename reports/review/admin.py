"""Django admin for records clerks and supervisors.

What the resident wrote is read-only here: the workflow buttons, notes and NIBRS
corrections call the workflow services (reports.review.workflow), which check every
step. Nobody deletes a report. The list is built for big tables: related rows are
joined or annotated, and the whole table is never counted on each page.
"""

from __future__ import annotations

import csv
import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ereport.http import client_ip
from reports import audit, rules, tracking
from reports.copies import casefiles
from reports.enums import ReportStatus
from reports.formatting import format_phone
from reports.models import (
    AccessLog,
    CaseCopyState,
    RejectionReason,
    Report,
)
from reports.nibrs.export import nibrs_check
from reports.review import reading, selectors, workflow
from reports.storage import private_file_response

# --- Read-only inlines -------------------------------------------------------------------


# --- List filters ------------------------------------------------------------------------


class CopyStateFilter(admin.SimpleListFilter):
    title = _("case copy")
    parameter_name = "copy"

    def lookups(self, request, model_admin):
        return CaseCopyState.choices

    def queryset(self, request, queryset):
        if self.value() in CaseCopyState.values:
            return queryset.filter(copy_state=self.value())
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """The language the report was filed in. Its choices are the site's languages: the
    admin's own filter would read every distinct value from a million rows per page."""

    title = _("language filed in")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return list(settings.LANGUAGES)

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            return queryset.filter(language=self.value())
        return queryset


class RecordsSystemFilter(admin.SimpleListFilter):
    """Approved reports the records system has taken (it says so through the RMS API),
    and those it has not yet."""

    title = _("records system")
    parameter_name = "rms"

    def lookups(self, request, model_admin):
        return [("in", _("In the records system")), ("waiting", _("Approved, not taken yet"))]

    def queryset(self, request, queryset):
        if self.value() == "in":
            return queryset.filter(rms_imported_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(status=ReportStatus.APPROVED, rms_imported_at__isnull=True)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned clerk")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        # Staff who can review, from the (small) users table: listing the assignees found
        # in the reports table would read a million rows on every page of the queue.
        clerks = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(groups__name__in=("Clerks", "Supervisors")) | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )
        return [("me", _("Me")), ("nobody", _("Nobody"))] + [
            (str(user.pk), user.get_full_name() or user.username) for user in clerks
        ]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(assigned_to_id=int(self.value()))
        return queryset


# --- Workflow forms ----------------------------------------------------------------------


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ReportStatus.choices)
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.filter(active=True), required=False
    )
    duplicate_of = forms.CharField(required=False, max_length=40)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class NibrsForm(forms.Form):
    code = forms.CharField(max_length=10)
    note = forms.CharField(required=False, max_length=500)

    def clean_code(self):
        # Only codes on the FBI's offense list (Group A and B), in any case: "23h" -> "23H".
        try:
            return workflow.nibrs_code_checked(self.cleaned_data["code"])
        except workflow.TransitionError as error:
            raise forms.ValidationError(error.messages) from error


class EstimatedCountPaginator(Paginator):
    """Counting a million rows on every page of the queue is slow. Up to EXACT_UP_TO
    matching reports the count is exact; past that (a filter such as "approved" matches
    hundreds of thousands) PostgreSQL's own estimate says how many pages there are, so a
    page costs the same at any table size. The unfiltered list reads the table's estimate."""

    EXACT_UP_TO = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None or connection.vendor != "postgresql":
            return super().count
        if not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.EXACT_UP_TO:
                return int(row[0])
        unordered = self.object_list.order_by()
        counted = unordered[: self.EXACT_UP_TO + 1].count()
        if counted <= self.EXACT_UP_TO:
            return counted
        plan = json.loads(unordered.explain(format="json"))
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted)


class _Echo:
    def write(self, value):
        return value


# --- The report admin --------------------------------------------------------------------


class QueueChangeList(ChangeList):
    """A column sort keeps the queue order (crisis words first, then oldest) inside each
    value of the column, so the column's own queue index (Report.Meta.indexes) reads the
    first page. Sorting a column the other way reverses the whole order, which the same
    index reads backwards; without this, Django would sort a million rows."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if not self.params.get(ORDER_VAR):
            return ordering
        keys: list[str] = []
        for key in ordering:
            if not isinstance(key, str):
                return ordering  # an expression sort: leave Django's order alone
            if key.lstrip("-") not in {k.lstrip("-") for k in keys}:
                keys.append(key)
        # The columns the clerk chose keep their directions; only the queue order (and the
        # primary key) after them turns round when the first column is reversed.
        chosen = len(self.params[ORDER_VAR].split("."))
        if keys and keys[0].startswith("-"):
            keys = keys[:chosen] + [k[1:] if k.startswith("-") else f"-{k}" for k in keys[chosen:]]
        return keys


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    change_form_template = "admin/reports/report/change_form.html"
    list_display = (
        "tracking_number",
        "type_label",
        "status",
        "age",
        "assigned_to",
        "copy_state_label",
        "case_number",
        "nibrs_code",
        "crisis_flag",
    )
    list_filter = (
        "crisis_flag",
        "status",
        "report_type",
        ("submitted_at", admin.DateFieldListFilter),
        AssignedFilter,
        CopyStateFilter,
        LanguageFilter,
        RecordsSystemFilter,
    )
    # Only columns an index orders (models.Report.Meta.indexes): a sort by any other
    # column would read and sort the whole table at a million reports.
    sortable_by = ("tracking_number", "type_label", "status", "age", "crisis_flag")
    search_fields = (
        "=tracking_number",
        "=case_number",
        "=reporter_last_name",
        "=reporter_first_name",
        "=reporter_email",
        "=reporter_phone",
        "=items__serial_number",
        "=vehicles__plate",
        "=vehicles__vin",
    )
    search_help_text = _(
        "Tracking or case number, last name, email, phone, serial number, plate or VIN."
    )
    list_select_related = ("assigned_to",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    # Reports whose narrative holds crisis words first, then the oldest.
    ordering = ("-crisis_flag", "submitted_at")
    actions = ("claim_selected", "export_csv", "regenerate_copies")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "tracking_number",
                    "report_type",
                    "status",
                    "case_number",
                    "nibrs_code",
                    "assigned_to",
                    "duplicate_of",
                    "submitted_at",
                    "decided_at",
                    "language",
                )
            },
        ),
        (
            _("Person reporting"),
            {
                "fields": (
                    "reporter_first_name",
                    "reporter_last_name",
                    "reporter_date_of_birth",
                    "reporter_phone",
                    "reporter_email",
                    "reporter_street",
                    "reporter_unit",
                    "reporter_city",
                    "reporter_state",
                    "reporter_zip",
                    "preferred_language",
                    "reporting_for",
                    "organization_name",
                    "organization_role",
                    "other_person_name",
                    "other_person_contact",
                )
            },
        ),
        (
            _("When and where"),
            {"fields": ("occurred_start", "occurred_end", "location", "place_kind")},
        ),
        (
            _("What happened"),
            {"fields": ("narrative", "details", "total_value", "declared_at", "screening")},
        ),
    )

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    # Nobody adds, edits or deletes a report here: changes go through the workflow.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # The same search as the officers' portal: exact, index-backed lookups, forgiving
        # about how numbers are typed (see selectors.report_ids_matching).
        if not search_term.strip():
            return queryset, False
        audit.record_search(request=request, query=search_term, where="review queue")
        return selectors.reports_matching(queryset, search_term), False

    # The list's cells are plain strings: the admin compares each cell with its five
    # empty values, and a lazy translation is translated again at every comparison
    # (profiled: a fifth of a page of rows).
    @admin.display(description=_("type"), ordering="report_type")
    def type_label(self, report):
        return str(report.type_info.label)

    # Ascending age: the newest report (the youngest) first.
    @admin.display(description=_("age"), ordering="-submitted_at")
    def age(self, report):
        delta = timezone.now() - report.submitted_at
        if delta.days:
            return _("%(days)d d") % {"days": delta.days}
        return _("%(hours)d h") % {"hours": delta.seconds // 3600}

    @admin.display(description=_("copy"))
    def copy_state_label(self, report):
        return str(CaseCopyState(report.copy_state).label) if report.copy_state else "—"

    def action_checkbox(self, report):
        # Django's own markup, written directly: Django renders a form widget through
        # the template engine for each row, a quarter of the list's time (profiled).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(report.pk),
            format_html(gettext("Select this object for an action - {}"), str(report)),
        )

    # --- actions ------------------------------------------------------------------------

    @admin.action(description=_("Claim selected reports"), permissions=["review"])
    def claim_selected(self, request, queryset):
        claimed = without_email = 0
        for report in queryset.filter(status=ReportStatus.SUBMITTED):
            try:
                workflow.report_claim(report=report, actor=request.user)
                audit.record(
                    action=AccessLog.Action.STATUS_CHANGE,
                    user=request.user,
                    request=request,
                    report=report,
                    detail="submitted -> in_review",
                )
                claimed += 1
                without_email += not report.reporter_email
            except workflow.TransitionError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
        self.message_user(request, _("%(n)d reports claimed.") % {"n": claimed})
        if without_email:
            self.message_user(
                request,
                ngettext(
                    "%(n)d of them has no email address: no email was sent. Call the "
                    "resident from the report's page.",
                    "%(n)d of them have no email address: no email was sent. Call the "
                    "residents from the reports' pages.",
                    without_email,
                )
                % {"n": without_email},
                messages.WARNING,
            )

    @admin.action(description=_("Regenerate case copies"), permissions=["review"])
    def regenerate_copies(self, request, queryset):
        count = workflow.copies_regenerate(reports=queryset.order_by())
        self.message_user(request, _("New copies requested for %(n)d reports.") % {"n": count})

    @admin.action(description=_("Export as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        with_pii = request.user.has_perm("reports.export_report_pii")
        AccessLog.objects.create(
            at=timezone.now(),
            user=request.user,
            action=AccessLog.Action.EXPORT,
            ip_address=client_ip(request),
            detail=f"{'with' if with_pii else 'without'} personal data",
        )
        rows = selectors.export_rows(queryset=queryset, with_pii=with_pii)
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="reports-{timezone.localdate():%Y%m%d}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response

    def has_review_permission(self, request):
        return request.user.has_perm("reports.review_report")

    def has_export_permission(self, request):
        return request.user.has_perm("reports.export_report")

    # --- the report page ------------------------------------------------------------------

    def get_urls(self):
        own = [
            path(
                "<uuid:report_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="reports_report_workflow",
            ),
            path(
                "<uuid:report_id>/note/",
                self.admin_site.admin_view(self.note_view),
                name="reports_report_note",
            ),
            path(
                "<uuid:report_id>/nibrs/",
                self.admin_site.admin_view(self.nibrs_view),
                name="reports_report_nibrs",
            ),
            path(
                "<uuid:report_id>/copy.pdf",
                self.admin_site.admin_view(self.copy_view),
                name="reports_report_copy",
            ),
            path(
                "<uuid:report_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="reports_report_attachment",
            ),
            path(
                "export-all/",
                self.admin_site.admin_view(self.export_all_view),
                name="reports_report_export_all",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = (
            selectors.report_for_staff(
                request=request, report_id=object_id, action=AccessLog.Action.VIEW
            )
            if self.has_view_permission(request)
            else None
        )
        extra_context = extra_context or {}
        if report is not None:
            is_supervisor = request.user.has_perm("reports.reopen_report")
            can_review = request.user.has_perm("reports.review_report")
            next_statuses = rules.next_statuses(report.status, is_supervisor=is_supervisor)
            attachments = list(report.attachments.all())
            extra_context.update(
                report=report,
                reporter_phone=format_phone(report.reporter_phone),
                next_statuses=[(s, ReportStatus(s).label) for s in next_statuses],
                can_review=can_review,
                can_mark_duplicate=can_review and ReportStatus.DUPLICATE in next_statuses,
                reasons=RejectionReason.objects.filter(active=True),
                current_copy=report.copies.order_by("-version").first(),
                attachments=attachments,
                thumbnails=[
                    (a, casefiles.thumbnail(a))
                    for a in attachments
                    if a.content_type.startswith("image/")
                ],
                **self._reading_context(request, report),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _reading_context(self, request, report: Report) -> dict:
        """The report read as a report, its possible duplicates and its history."""
        supplements = list(report.supplements.prefetch_related("items"))
        for supplement in supplements:
            supplement.item_rows = [reading.item_rows(i) for i in supplement.items.all()]
        may_see_emails = request.user.has_perm("reports.view_report")
        return {
            "sections": reading.report_sections(report),
            "nibrs": nibrs_check(report),
            "duplicates": selectors.possible_duplicates(report),
            "supplements": supplements,
            "history": list(report.status_changes.select_related("actor", "reason")),
            "notes": list(report.notes.select_related("author").order_by("at")),
            "emails": [
                (reading.email_kind_words(email.kind), email)
                for email in report.emails.order_by("queued_at")
            ]
            if may_see_emails
            else [],
            "access": list(report.access_log.select_related("user").order_by("-at")[:50]),
        }

    def _report_or_404(self, report_id) -> Report:
        return get_object_or_404(Report, pk=report_id)

    def _back(self, report):
        return HttpResponseRedirect(reverse("admin:reports_report_change", args=[report.pk]))

    def workflow_view(self, request, report_id):
        if request.method != "POST":
            raise Http404
        if not request.user.has_perm("reports.review_report"):
            raise PermissionDenied
        report = self._report_or_404(report_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("That action is not available."), messages.ERROR)
            return self._back(report)
        data = form.cleaned_data
        duplicate_of = None
        if data["duplicate_of"]:
            canonical = tracking.normalize(data["duplicate_of"])
            duplicate_of = (
                Report.objects.filter(tracking_number=canonical).first() if canonical else None
            )
        try:
            updated = workflow.report_transition(
                report=report,
                actor=request.user,
                to_status=data["to_status"],
                message=data["message"],
                reason=data["reason"],
                duplicate_of=duplicate_of,
                note=data["note"],
            )
        except workflow.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            audit.record(
                action=AccessLog.Action.STATUS_CHANGE,
                user=request.user,
                request=request,
                report=updated,
                detail=f"{report.status} -> {updated.status}",
            )
            text = _("The report is now “%(status)s”.") % {"status": updated.get_status_display()}
            if updated.case_number and data["to_status"] == ReportStatus.APPROVED:
                text += " " + _("Case number: %(n)s.") % {"n": updated.case_number}
            self.message_user(request, text, messages.SUCCESS)
            if not updated.reporter_email:
                self.message_user(
                    request,
                    _(
                        "No email was sent: the resident gave no email address. Call them at "
                        "%(phone)s."
                    )
                    % {"phone": format_phone(updated.reporter_phone)},
                    messages.WARNING,
                )
        return self._back(report)

    def note_view(self, request, report_id):
        if request.method != "POST":
            raise Http404
        if not request.user.has_perm("reports.add_internalnote"):
            raise PermissionDenied
        report = self._report_or_404(report_id)
        form = NoteForm(request.POST)
        if form.is_valid():
            workflow.note_add(report=report, author=request.user, text=form.cleaned_data["text"])
            self.message_user(request, _("Note added."), messages.SUCCESS)
        else:
            self.message_user(request, _("Write the note."), messages.ERROR)
        return self._back(report)

    def nibrs_view(self, request, report_id):
        if request.method != "POST":
            raise Http404
        if not request.user.has_perm("reports.review_report"):
            raise PermissionDenied
        report = self._report_or_404(report_id)
        form = NibrsForm(request.POST)
        try:
            if not form.is_valid():
                raise workflow.TransitionError(_("Enter a NIBRS offense code, like 23H."))
            workflow.report_correct_nibrs(
                report=report,
                actor=request.user,
                code=form.cleaned_data["code"],
                note=form.cleaned_data["note"],
            )
        except workflow.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("NIBRS code corrected."), messages.SUCCESS)
        return self._back(report)

    def copy_view(self, request, report_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = selectors.report_for_staff(
            request=request, report_id=report_id, action=AccessLog.Action.DOWNLOAD_COPY
        )
        copy = casefiles.current_copy(report) if report else None
        if copy is None:
            raise Http404
        return private_file_response(
            copy.file.name, f"{report.tracking_number}.pdf", "application/pdf"
        )

    def attachment_view(self, request, report_id, attachment_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = selectors.report_for_staff(
            request=request, report_id=report_id, action=AccessLog.Action.DOWNLOAD_ATTACHMENT
        )
        attachment = report.attachments.filter(pk=attachment_id).first() if report else None
        if attachment is None:
            raise Http404
        return private_file_response(
            attachment.file.name, attachment.display_name, attachment.content_type
        )

    def export_all_view(self, request):
        """Export the list as filtered on screen (the action only covers one page)."""
        if not request.user.has_perm("reports.export_report"):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self.export_csv(request, changelist.get_queryset(request))


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    # Edited on each reason's own page, where every field has its label (an editable
    # list would put unlabeled inputs in the table).
    list_display = ("label", "active", "position")
    fields = ("label", "code", "public_text", "active", "position")
    search_fields = ("label", "public_text")

    def has_delete_permission(self, request, obj=None):
        # Reasons are kept: old decisions point at them. Deactivate instead.
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "username", "action", "report_id", "ip_address", "detail")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("=username", "=ip_address")
    list_select_related = ("user",)
    show_full_result_count = False
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def dashboard(request, *, admin_site):
    """The diversion dashboard: how many reports were taken online instead of by a squad."""
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    context = {
        **admin_site.each_context(request),
        "title": _("Dashboard"),
        **selectors.dashboard_numbers(),
    }
    return TemplateResponse(request, "admin/reports/dashboard.html", context)


admin.site.add_view("dashboard/", dashboard, "dashboard")
