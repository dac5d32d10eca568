from django.db import models
from django.utils.translation import gettext_lazy as _

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
