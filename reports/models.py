"""A filed report and its parts, as relational rows so that clerks and officers can
search by serial number, plate or name. What the resident wrote is never edited: later
information arrives as supplements; status changes go through reports.services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports import registry
from reports.enums import (
    AccountKind,
    CaseCopyState,
    ItemCategory,
    OrderType,
    PlaceKind,
    ReportingFor,
    ReportStatus,
    VehicleRole,
)

REPORT_TYPE_CHOICES = [(slug, t.label) for slug, t in registry.REPORT_TYPES.items()]


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    # One per wizard run: a double click or a replayed final POST finds the same report.
    submission_key = models.UUIDField(unique=True, editable=False)
    report_type = models.CharField(_("report type"), max_length=30, choices=REPORT_TYPE_CHOICES)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"))
    language = models.CharField(_("language"), max_length=10)
    # The screening that let this report be filed online: outcome and answers.
    screening = models.JSONField(_("screening answers"), default=dict)
    policy_version = models.PositiveIntegerField(_("screened under policy version"), default=0)
    # The official case number, given when a records clerk approves the report.
    case_number = models.CharField(
        _("case number"), max_length=20, unique=True, null=True, blank=True
    )
    # FBI NIBRS offense code, from the registry at filing; a clerk may correct it.
    nibrs_code = models.CharField(_("NIBRS code"), max_length=4, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned clerk"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The follow-up clock (reports.follow_ups): when each message went out, so each
    # goes out once.
    info_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    # Crisis words in the narrative (reports.crisis): shown first in the clerks' queue.
    crisis_flag = models.BooleanField(_("crisis words"), default=False, db_index=True)
    # The state of the newest case copy, kept in step by reports.copies.casefiles (the
    # queue filters on it; a per-row subquery cost seconds at a million reports).
    copy_state = models.CharField(
        _("case copy"), max_length=12, choices=CaseCopyState.choices, blank=True, default=""
    )
    # Bumped by every change a case copy must show (supplements, status changes).
    version = models.PositiveIntegerField(default=1)

    # The person reporting.
    reporter_first_name = models.CharField(_("first name"), max_length=100)
    reporter_last_name = models.CharField(_("last name"), max_length=100)
    reporter_date_of_birth = models.DateField(_("date of birth"))
    reporter_phone = models.CharField(_("phone"), max_length=20)
    # Blank when the agency's policy lets residents file without an email address.
    reporter_email = models.EmailField(_("email"), max_length=254, blank=True)
    reporter_street = models.CharField(_("street address"), max_length=200)
    reporter_unit = models.CharField(_("apartment or unit"), max_length=50, blank=True)
    reporter_city = models.CharField(_("city"), max_length=100)
    reporter_state = models.CharField(_("state"), max_length=2)
    reporter_zip = models.CharField(_("ZIP code"), max_length=10)
    preferred_language = models.CharField(_("preferred language"), max_length=50, blank=True)
    reporting_for = models.CharField(
        _("reporting for"), max_length=20, choices=ReportingFor.choices
    )
    organization_name = models.CharField(_("business or organization"), max_length=200, blank=True)
    organization_role = models.CharField(_("role in the organization"), max_length=100, blank=True)
    other_person_name = models.CharField(_("reporting for (name)"), max_length=200, blank=True)
    other_person_contact = models.CharField(
        _("reporting for (contact)"), max_length=200, blank=True
    )

    # When and where.
    occurred_start = models.DateTimeField(_("happened from"))
    occurred_end = models.DateTimeField(_("happened until"), null=True, blank=True)
    location = models.CharField(_("address or intersection"), max_length=200, blank=True)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)

    # What happened, in the resident's own words, and the type's own answers that no one
    # searches by (kind of theft, how a car was entered, graffiti text...).
    narrative = models.TextField(_("what happened"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    total_value = models.DecimalField(
        _("total value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    declared_at = models.DateTimeField(_("declaration accepted"))

    # The records management system's own number for the report, once it imported it
    # (reports.rms.services.report_mark_imported): unique, as the RMS's numbers are.
    rms_record_number = models.CharField(
        _("records system number"), max_length=50, unique=True, null=True, blank=True
    )
    rms_imported_at = models.DateTimeField(_("in the records system since"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        ordering = ["submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["reporter_email"]),
            models.Index(fields=["reporter_last_name", "reporter_first_name"]),
            models.Index(fields=["report_type", "submitted_at"]),
            # Dashboard and retention ranges over the submission time.
            models.Index(fields=["submitted_at"], name="report_submitted_at"),
            # The clerks' queue order: flagged first, then oldest.
            models.Index(F("crisis_flag").desc(), "submitted_at", name="report_queue_order"),
            # Staff search (selectors.report_ids_matching) compares case-insensitively and
            # takes the oldest matches first: a common name reads only those from the index.
            models.Index(
                Upper("reporter_last_name"), "submitted_at", name="report_last_name_upper_at"
            ),
            models.Index(
                Upper("reporter_first_name"), "submitted_at", name="report_first_name_upper_at"
            ),
            models.Index(Upper("reporter_email"), name="report_email_upper"),
            models.Index(fields=["reporter_phone"], name="report_phone"),
            # The dashboard's median time to decision reads the latest decisions.
            models.Index(
                fields=["decided_at"],
                condition=models.Q(decided_at__isnull=False),
                name="report_decided_at",
            ),
            # The clerks' queue filtered, or sorted, by one column, in queue order: each
            # reads its first page straight from its own index, at any table size (a
            # reversed sort reads it backwards: review.admin.QueueChangeList).
            *(
                models.Index(column, F("crisis_flag").desc(), "submitted_at", name=name)
                for column, name in (
                    ("status", "report_status_queue"),
                    ("copy_state", "report_copy_queue"),
                    ("report_type", "report_type_queue"),
                    ("assigned_to", "report_assignee_queue"),
                    ("language", "report_language_queue"),
                )
            ),
            # A search by full name compares both names at once and, like the last-name
            # search, reads its first matches in queue order straight from the index.
            models.Index(
                Upper("reporter_last_name"),
                Upper("reporter_first_name"),
                "submitted_at",
                name="report_full_name_upper_at",
            ),
            # Partial-name search of people responsible uses a trigram index that only
            # PostgreSQL has: created by migration 0021 on PostgreSQL only.
        ]
        permissions = [
            ("download_casefile", "Can search reports and download case copies"),
            ("review_report", "Can review reports (claim, approve, reject, ask for more)"),
            ("reopen_report", "Can reopen rejected or duplicate reports"),
            ("reassign_report", "Can reassign reports to another clerk"),
            ("export_report", "Can export the report list"),
            ("export_report_pii", "Can export residents' personal data"),
            ("view_dashboard", "Can see the diversion dashboard"),
        ]

    history = HistoricalRecords(excluded_fields=["version", "copy_state"])

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def type_info(self) -> registry.ReportType:
        return registry.REPORT_TYPES[self.report_type]

    @property
    def reporter_name(self) -> str:
        return f"{self.reporter_first_name} {self.reporter_last_name}"


class RejectionReason(models.Model):
    """Why a report was not accepted, in words the resident reads. The agency edits the
    list in the admin; the clerk may add a private note that stays internal."""

    code = models.SlugField(unique=True)
    label = models.CharField(_("label for clerks"), max_length=100)
    public_text = models.TextField(_("what the resident reads"))
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("rejection reason")

    def __str__(self) -> str:
        return self.label


class StatusChange(models.Model):
    """One step of a report's workflow: who, when, from, to, and the words said."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="status_changes")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    # Shown to the resident (a question, a rejection explanation).
    message = models.TextField(blank=True)
    reason = models.ForeignKey(RejectionReason, on_delete=models.PROTECT, null=True, blank=True)
    # For staff only.
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")

    def __str__(self) -> str:
        return f"{self.report} {self.from_status} → {self.to_status}"


class InternalNote(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at"]
        verbose_name = _("internal note")

    def __str__(self) -> str:
        return f"{self.report} note {self.at:%Y-%m-%d %H:%M}"


class CaseNumberCounter(models.Model):
    """The last case number given in a year: case numbers are gap-free per year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Supplement(models.Model):
    """Information the resident added after filing; the original statement never changes."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="supplements")
    created_at = models.DateTimeField(_("added"))
    narrative = models.TextField(_("more information"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("supplement")

    def __str__(self) -> str:
        return f"{self.report} supplement {self.created_at:%Y-%m-%d %H:%M}"


class Item(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="items")
    supplement = models.ForeignKey(
        Supplement, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    position = models.PositiveSmallIntegerField()
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    color = models.CharField(_("color"), max_length=50, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    value = models.DecimalField(
        _("value each"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = _("item")
        indexes = [models.Index(Upper("serial_number"), name="item_serial_upper")]

    def __str__(self) -> str:
        return self.description


class Vehicle(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="vehicles")
    role = models.CharField(_("whose vehicle"), max_length=20, choices=VehicleRole.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    make = models.CharField(_("make"), max_length=50, blank=True)
    model = models.CharField(_("model"), max_length=50, blank=True)
    color = models.CharField(_("color"), max_length=50, blank=True)
    plate = models.CharField(_("license plate"), max_length=8, blank=True, db_index=True)
    plate_state = models.CharField(_("plate state"), max_length=2, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")

    def __str__(self) -> str:
        return " ".join(str(p) for p in (self.year, self.make, self.model, self.plate) if p)


class PersonResponsible(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="people_responsible")
    name = models.CharField(_("name"), max_length=200, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phones = models.CharField(_("phone numbers"), max_length=200, blank=True)
    online_accounts = models.CharField(_("online accounts"), max_length=300, blank=True)
    vehicle_description = models.CharField(_("vehicle"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person responsible")
        verbose_name_plural = _("people responsible")

    def __str__(self) -> str:
        return self.name or str(_("Unknown person"))


class CourtOrder(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="court_orders")
    order_type = models.CharField(_("kind of order"), max_length=20, choices=OrderType.choices)
    court_file_number = models.CharField(_("court file number"), max_length=50, db_index=True)
    county = models.CharField(_("county"), max_length=100)
    state = models.CharField(_("state"), max_length=2, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    respondent_name = models.CharField(_("respondent / other party"), max_length=200, blank=True)
    respondent_date_of_birth = models.DateField(
        _("respondent's date of birth"), null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("court order")

    def __str__(self) -> str:
        return f"{self.get_order_type_display()} {self.court_file_number}"


class IdentityTheftAccount(models.Model):
    """An account misused in an identity theft. Only the last 4 digits are ever kept."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="accounts")
    institution = models.CharField(_("institution"), max_length=200)
    kind = models.CharField(_("kind of account"), max_length=20, choices=AccountKind.choices)
    last4 = models.CharField(_("last 4 digits"), max_length=4, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    opened_on = models.DateField(_("date opened"), null=True, blank=True)
    discovered_on = models.DateField(_("date discovered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity theft account")

    def __str__(self) -> str:
        return f"{self.institution} …{self.last4}" if self.last4 else self.institution


class Attachment(models.Model):
    """A resident's photo or document, stored privately under a random name."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    supplement = models.ForeignKey(
        Supplement, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=200)
    display_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.display_name


class CaseCopy(models.Model):
    """The PDF case copy of one version of a report.

    The row is written in the same transaction as the change it shows (an outbox): a
    copy that a worker has not made yet is a `pending` row that the sweeper re-queues,
    so no committed report is ever left without its copy. One row and at most one file
    per (report, version).
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="copies")
    version = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=CaseCopyState.choices, default=CaseCopyState.PENDING
    )
    file = models.FileField(upload_to="casecopies/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    # Printed on the copy; an index for the public verification page (see casefiles).
    verification_code = models.CharField(max_length=11, blank=True, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case copy")
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="one_copy_per_version")
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.report} v{self.version} ({self.state})"


class ReportDayCount(models.Model):
    """Reports filed per local day and type, for the dashboard: reading twelve weeks of
    these is the same work at a thousand reports or a million. On PostgreSQL a trigger on
    reports_report keeps it (migration 0016), so every way a report is inserted counts;
    rows are never taken away when reports are later deleted: they count filings."""

    day = models.DateField()
    report_type = models.CharField(max_length=30)
    filed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "report_type"], name="report_day_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.report_type}: {self.filed}"


class ResidentEmail(models.Model):
    """An email owed to the resident (an outbox row), written in the same transaction as
    the change it tells of. A worker sends it and marks it sent; if the broker was down
    when it was owed, the sweeper queues it again, so nobody is left without word."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20)
    queued_at = models.DateTimeField()  # when it was last handed to a worker
    # A worker that took it sends it before then; after, it is free to be tried again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("email to the resident")
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=models.Q(sent_at__isnull=True),
                name="resident_email_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} email, {'sent' if self.sent_at else 'not sent yet'}"


class AccessLog(models.Model):
    """The audit log (CJIS 5.4, ASVS 16): staff sign-ins and failures, lockouts, MFA and
    permission changes, every report view, download, export and status change. One row
    each: UTC time, actor, source IP, action, object, outcome.

    Append-only: the admin cannot change or delete rows, and on PostgreSQL a trigger
    refuses UPDATE and DELETE (migration 0006). The report is kept as a bare id, without
    a foreign-key constraint, so purging a report under the retention rules leaves its
    audit trail intact.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed report")
        DOWNLOAD_COPY = "download_copy", _("Downloaded case copy")
        DOWNLOAD_ATTACHMENT = "download_attachment", _("Downloaded attachment")
        SEARCH = "search", _("Searched reports")
        EXPORT = "export", _("Exported reports")
        STATUS_CHANGE = "status_change", _("Changed a report's status")
        PASSWORD_ACCEPTED = "password_ok", _("Password accepted (second factor next)")
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        MFA_FAILED = "mfa_failed", _("Wrong second-factor code")
        PASSWORD_CHANGE = "password_change", _("Changed password")
        LOCKOUT = "lockout", _("Locked out")
        LOGOUT = "logout", _("Signed out")
        MFA_CHANGE = "mfa_change", _("Changed two-step sign-in")
        PERMISSION_CHANGE = "permission_change", _("Changed permissions")
        DOWNLOAD_NIBRS = "download_nibrs", _("Downloaded NIBRS document")
        API_CALL = "api_call", _("Records system request")
        RMS_IMPORTED = "rms_imported", _("Marked as in the records system")
        API_KEY_CHANGE = "api_key_change", _("Changed a records system key")

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="report_accesses",
    )
    # As typed at sign-in: kept for failed attempts, where there may be no such user.
    username = models.CharField(max_length=150, blank=True)
    report = models.ForeignKey(
        Report,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="access_log",
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.user_id} {self.action}"


class Draft(models.Model):
    """An unfinished report, saved as the resident goes so that nothing is lost: the
    wizard's answers (only answers that passed validation), the screening it came
    from, and, once the resident chose "save and finish later", the hash of a resume
    code. Emptied when the report is filed; deleted when the draft expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report_type = models.CharField(max_length=30, choices=REPORT_TYPE_CHOICES)
    email = models.EmailField(blank=True)
    resume_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict)
    screening = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the report is filed: the answers are cleared (the report holds them), and
    # another tab or device still on this draft is shown the confirmation, not a form.
    report = models.ForeignKey(
        "Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("draft")

    def __str__(self) -> str:
        return f"draft {self.report_type} until {self.expires_at:%Y-%m-%d}"


class ApiKey(models.Model):
    """A records system's key to the RMS API (reports.rms). The key is shown once, when
    made; only its SHA-256 is kept (it is 256 random bits: no salt or slow hash needed),
    found by its prefix. Supervisors make and revoke keys in the admin."""

    name = models.CharField(_("records system"), max_length=100, unique=True)
    prefix = models.CharField(_("key starts with"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("records system key")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
