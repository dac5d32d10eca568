from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from screening import rules


class ScreeningOutcome(models.Model):
    """One anonymous screening decision, counted for the clerks' diversion statistics.

    Deliberately holds nothing that identifies anyone: no IP address, no session, no
    answers beyond the reasons for the outcome, and the time only to the hour.
    """

    outcome = models.CharField(max_length=20, choices=[(o, o) for o in rules.OUTCOMES])
    reasons = models.JSONField(default=list, blank=True)
    # Empty when the resident was sent to 911 before choosing a type.
    report_type = models.CharField(max_length=30, blank=True)
    language = models.CharField(max_length=10)
    decided_hour = models.DateTimeField(db_index=True)
    # 1 for a fresh decision; old rows are merged per day by the retention job.
    count = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("screening outcome")
        indexes = [models.Index(fields=["outcome", "decided_hour"])]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.decided_hour:%Y-%m-%d %H}:00"


# --- The agency's reporting policy ----------------------------------------------------
# Supervisors edit the rows below in the admin (each change kept by django-simple-history);
# every save makes one new PolicyVersion, an immutable copy of the whole policy as a
# document (screening.policy), and the newest version is the one in force
# (screening.policy_store reads it from the cache).

SUSPECT_RULE_CHOICES = [
    ("online", _("May still be reported online")),
    ("phone", _("Call the non-emergency line")),
    ("911", _("Call 911")),
]
FORCED_OUTCOME_CHOICES = [
    ("continue", _("Go on with the questions")),
    ("phone", _("Call the non-emergency line")),
    ("referral", _("Contact another agency (the referral text)")),
    ("911", _("Call 911")),
]


def _no_words() -> dict:
    return {}


class AgencySettings(models.Model):
    """The agency's settings: one row, the policy being edited (PolicyVersion holds what
    is in force)."""

    agency_name = models.JSONField(_("agency name"), default=_no_words, blank=True)
    phone_311 = models.CharField(
        _("non-emergency number in the city"), max_length=30, default="311"
    )
    phone_311_full = models.CharField(
        _("non-emergency number from outside"), max_length=30, default="612-673-3000"
    )
    min_reporter_age = models.PositiveSmallIntegerField(_("minimum age to file"), default=18)
    email_required = models.BooleanField(
        _("email address required"),
        default=True,
        help_text=_(
            "Off: residents may file without an email address. They then get no emails: they "
            "find their report, or a report they saved, with its number and their phone "
            "number, and clerks are told to call them."
        ),
    )
    report_max_age_days = models.PositiveIntegerField(
        _("oldest incident accepted, in days"), default=1095
    )
    place_question = models.JSONField(
        _("wording of the place question"), default=_no_words, blank=True
    )
    zip_codes_inside = models.TextField(
        _("ZIP codes entirely inside the area"),
        blank=True,
        help_text=_("Separated by spaces or commas. Leave empty to ask the place question."),
    )
    zip_codes_straddling = models.TextField(
        _("ZIP codes on the boundary"),
        blank=True,
        help_text=_("For these the resident is asked the place question."),
    )
    address_lookup_url = models.URLField(_("address lookup link"), blank=True)
    referral_text = models.JSONField(
        _("what to tell a resident outside the area"), default=_no_words, blank=True
    )
    # Per language, one phrase per line (the policy keeps them as lists).
    crisis_words = models.JSONField(
        _("more words that suggest someone is in danger now"),
        default=_no_words,
        blank=True,
        help_text=_(
            "One phrase per line, in any of the languages. A narrative with one of them "
            "(or one of the built-in English and Spanish phrases) shows the resident the "
            "911 and crisis-line notice and puts the report first in the queue."
        ),
    )
    # A PNG or JPEG image as a data: address (see screening.policy.LOGO_MAX_BYTES).
    logo = models.TextField(_("logo"), blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency reporting policy")
        verbose_name_plural = _("agency reporting policy")

    def __str__(self) -> str:
        return str(_("Agency reporting policy"))


class ReportTypeRule(models.Model):
    policy = models.ForeignKey(AgencySettings, on_delete=models.CASCADE, related_name="types")
    slug = models.CharField(_("report type"), max_length=30)
    online = models.BooleanField(_("offered online"), default=True)
    value_cap = models.DecimalField(
        _("value cap, in dollars"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Items' total, or the repair cost for damage. Empty: no cap."),
    )
    suspect_rule = models.CharField(
        _("when the resident knows who did it"),
        max_length=10,
        choices=SUSPECT_RULE_CHOICES,
        default="online",
    )
    suspect_definition = models.JSONField(
        _("what knowing who did it means"), default=_no_words, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report type rule")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["policy", "slug"], name="one_rule_per_type")]

    def __str__(self) -> str:
        return self.slug


class BannedPropertyRule(models.Model):
    policy = models.ForeignKey(
        AgencySettings, on_delete=models.CASCADE, related_name="banned_property"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("short name"), max_length=40)
    label = models.JSONField(_("what it is"), default=_no_words)
    reason = models.JSONField(_("why it must be reported by phone"), default=_no_words)
    words = models.TextField(
        _("words that name it in an item's description"), help_text=_("One per line.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("property reported by phone only")
        verbose_name_plural = _("property reported by phone only")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="one_banned_property_per_key")
        ]

    def __str__(self) -> str:
        return self.key


class ExtraQuestionRule(models.Model):
    policy = models.ForeignKey(
        AgencySettings, on_delete=models.CASCADE, related_name="extra_questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("short name"), max_length=40)
    question = models.JSONField(_("question"), default=_no_words)
    hint = models.JSONField(_("hint"), default=_no_words, blank=True)
    reason = models.JSONField(_("what the resident is told"), default=_no_words)
    if_yes = models.CharField(
        _("if yes"), max_length=10, choices=FORCED_OUTCOME_CHOICES, default="continue"
    )
    if_no = models.CharField(
        _("if no"), max_length=10, choices=FORCED_OUTCOME_CHOICES, default="continue"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening question of the agency's own")
        verbose_name_plural = _("screening questions of the agency's own")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="one_extra_question_per_key")
        ]

    def __str__(self) -> str:
        return self.key


class ReferralLink(models.Model):
    policy = models.ForeignKey(
        AgencySettings, on_delete=models.CASCADE, related_name="referral_links"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.JSONField(_("link text"), default=_no_words)
    url = models.URLField(_("address"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link for residents outside the area")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.url


class PolicyVersion(models.Model):
    """One version of the policy, as it was saved: never changed, never deleted."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    document = models.JSONField()
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    how = models.CharField(_("how"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("policy version")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{_('Version')} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a policy version is never changed: save a new one")
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        """Names this version in the cache: the row id too, as a number may come back
        after a rolled-back transaction."""
        return f"{self.number}.{self.pk}"
