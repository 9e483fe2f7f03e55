"""Custody episodes, every movement as replayable history, and the roll's physical counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LegalStatus(models.TextChoices):
    REMAND = "remand", _("Remand")
    SENTENCED = "sentenced", _("Serving a sentence")
    PREVENTIVE_DETENTION = "preventive_detention", _("Preventive detention")
    OTHER = "other", _("Other legal basis")


class AbsenceKind(models.TextChoices):
    COURT = "court", _("Court")
    HOSPITAL = "hospital", _("Hospital")
    LEAVE = "leave", _("Leave")
    ESCORTED = "escorted", _("Escorted outing")
    OTHER = "other", _("Other")


class ReleaseReason(models.TextChoices):
    SENTENCE_SERVED = "served", _("Sentence served")
    PAROLE = "parole", _("Release on parole")
    REMAND_ENDED = "remand_ended", _("Remand ended by the court")
    ELECTRONIC_MONITORING = "em", _("Transferred to electronic monitoring")
    SECTION_16 = "s16", _("Outside prison with special conditions (§ 16)")
    DEPORTED = "deported", _("Deported")
    OTHER = "other", _("Other")


class CustodyEpisode(models.Model):
    """One continuous stay in the correctional service's custody, from admission to release.

    ``facility``, ``unit`` and ``cell`` are where the person is now (kept with every movement);
    the history lives in :class:`Movement`.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    legal_status = models.CharField(_("legal status"), max_length=24, choices=LegalStatus.choices)
    admitted_at = models.DateTimeField(_("admitted"))
    arrived_at = models.DateTimeField(_("arrived at this facility"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.CharField(
        _("release reason"), max_length=16, choices=ReleaseReason.choices, blank=True
    )
    expected_release_date = models.DateField(_("expected release"), null=True, blank=True)
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "estate.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cell = models.ForeignKey(
        "estate.Cell", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_cell_decided = models.BooleanField(default=False)
    absent_since = models.DateTimeField(null=True, blank=True)
    absence_kind = models.CharField(max_length=16, choices=AbsenceKind.choices, blank=True)
    absence_expected_back = models.DateTimeField(null=True, blank=True)
    contact_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_persons",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(released_at__isnull=True), name="one_open_episode"
            ),
            models.CheckConstraint(
                condition=Q(cell__isnull=True) | Q(unit__isnull=False), name="cell_needs_unit"
            ),
        ]
        indexes = [
            models.Index(
                fields=["facility", "unit"],
                condition=Q(released_at__isnull=True),
                name="episode_open_location",
            ),
            models.Index(
                fields=["cell"], condition=Q(released_at__isnull=True), name="episode_open_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.legal_status} {self.admitted_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None

    @property
    def is_absent(self) -> bool:
        return self.absent_since is not None


class MovementKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    CELL_ALLOCATION = "cell_allocation", _("Cell allocated")
    INTERNAL_MOVE = "internal_move", _("Moved within the facility")
    TRANSFER = "transfer", _("Transferred")
    ABSENCE_OUT = "absence_out", _("Left temporarily")
    ABSENCE_RETURN = "absence_return", _("Returned")
    RELEASE = "release", _("Released")


class Movement(models.Model):
    """A change of where a person is. Replaying them in order answers 'where was X on day D'."""

    episode = models.ForeignKey(CustodyEpisode, on_delete=models.PROTECT, related_name="movements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=MovementKind.choices)
    occurred_at = models.DateTimeField()
    from_facility = models.ForeignKey(
        "estate.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_unit = models.ForeignKey(
        "estate.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_cell = models.ForeignKey(
        "estate.Cell", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_facility = models.ForeignKey(
        "estate.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "estate.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_cell = models.ForeignKey(
        "estate.Cell", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    absence_kind = models.CharField(max_length=16, choices=AbsenceKind.choices, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["person", "occurred_at"], name="movement_person_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class RollCount(models.Model):
    """A physical count of a unit (or a whole facility) against the roll at that moment."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "estate.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counted_at = models.DateTimeField()
    expected = models.PositiveIntegerField()
    counted = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-counted_at"]
        indexes = [models.Index(fields=["facility", "-counted_at"], name="count_facility_time")]

    def __str__(self) -> str:
        return f"{self.counted}/{self.expected}"

    @property
    def discrepancy(self) -> int:
        return self.counted - self.expected
