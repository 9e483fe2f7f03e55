"""Judgments, sentences, deprivations of liberty, interruptions and court decisions, and the
history of every calculation of a person's legal dates.

The calculation itself is pure (``sentencing.domain``); these records are its input and its
remembered output.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Execution(models.Model):
    """The sentences a person serves together from one start date (straffegjennomføring)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("execution starts"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_active=True), name="one_active_execution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} from {self.start_date}"


class Judgment(models.Model):
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="judgments")
    court = models.CharField(_("court"), max_length=120)
    case_number = models.CharField(_("case number"), max_length=60)
    judgment_date = models.DateField(_("judgment date"))
    date_final = models.DateField(_("date final"), null=True, blank=True)

    class Meta:
        ordering = ["judgment_date", "id"]

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}"


class SentenceKind(models.TextChoices):
    PRISON = "prison", _("Prison sentence")
    PREVENTIVE_DETENTION = "preventive_detention", _("Preventive detention")


class Sentence(models.Model):
    """One sentence. Prison terms in days, or in years, months and days; preventive detention
    with a time frame and a minimum term."""

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=24, choices=SentenceKind.choices)
    years = models.PositiveSmallIntegerField(default=0)
    months = models.PositiveSmallIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    minimum_years = models.PositiveSmallIntegerField(default=0)
    minimum_months = models.PositiveSmallIntegerField(default=0)
    minimum_days = models.PositiveIntegerField(default=0)
    frame_years = models.PositiveSmallIntegerField(default=0)
    frame_months = models.PositiveSmallIntegerField(default=0)
    frame_days = models.PositiveIntegerField(default=0)
    thirty_year_offence = models.BooleanField(_("30-year offence"), default=False)
    under_18_at_offence = models.BooleanField(_("under 18 at the time of the act"), default=False)
    excluded_from_em = models.BooleanField(
        _("offence excludes electronic monitoring"), default=False
    )
    offence = models.CharField(_("offence"), max_length=255, blank=True)

    class Meta:
        ordering = ["judgment_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.years}y{self.months}m{self.days}d"


class Deprivation(models.Model):
    """Arrest and remand: a continuous deprivation of liberty credited to the sentence."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="deprivations")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="deprivation_period_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class Isolation(models.Model):
    """Court-ordered full isolation within a deprivation (STRL § 83: extra deduction)."""

    deprivation = models.ForeignKey(
        Deprivation, on_delete=models.CASCADE, related_name="isolations"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="isolation_period_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class InterruptionReason(models.TextChoices):
    ESCAPE = "escape", _("Escape")
    FAILURE_TO_RETURN = "failure_to_return", _("Failure to return from leave")
    INTERRUPTION = "interruption", _("Interruption of sentence")
    REMAND_OTHER_CASE = "remand_other_case", _("Remand in another case")


class Interruption(models.Model):
    """Time that does not count as served (SGF § 3-2)."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="interruptions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=24, choices=InterruptionReason.choices)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.reason} {self.starts_on} – {self.ends_on}"


class CourtDecisionKind(models.TextChoices):
    EXTENSION = "extension", _("Time frame extended")
    PROBATION_REFUSED = "probation_refused", _("Release on probation refused")
    PAROLE_REFUSED = "parole_refused", _("Parole refused")


class CourtDecision(models.Model):
    """Later decisions that move dates: preventive detention extensions and refusals."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=24, choices=CourtDecisionKind.choices)
    decided_on = models.DateField(_("decided on"))
    extension_years = models.PositiveSmallIntegerField(default=0)
    extension_months = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.decided_on}"


class Calculation(models.Model):
    """One calculation of the legal dates, kept for ever: the newest is the one in force."""

    execution = models.ForeignKey(Execution, on_delete=models.PROTECT, related_name="calculations")
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField(max_length=120)
    rule_set = models.CharField(max_length=40)
    input = models.JSONField()
    result = models.JSONField()
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["execution", "-id"], name="calc_execution_newest")]

    def __str__(self) -> str:
        return f"{self.execution_id} {self.computed_at:%Y-%m-%d %H:%M} {self.rule_set}"
