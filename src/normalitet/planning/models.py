"""The contact officer (kontaktbetjent) and their work with the person: allocation history,
contact sessions and the needs mapping (kartlegging) made soon after arrival (SGL § 41)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AllocationReason(models.TextChoices):
    """Why a contact officer was allocated; the same reason ends the previous allocation."""

    ARRIVAL = "arrival", _("New arrival")
    CAPACITY = "capacity", _("Balancing the contact officers' caseloads")
    OFFICER_UNAVAILABLE = "officer_unavailable", _("Contact officer moved, on leave or left")
    PERSON_REQUEST = "person_request", _("The person asked for another contact officer")
    RELATIONSHIP = "relationship", _("The working relationship did not work")
    MOVED_UNIT = "moved_unit", _("The person moved to another unit")
    OTHER = "other", _("Other")


class ContactOfficerAllocation(models.Model):
    """One period in which an officer was a person's contact officer. The current one has no
    ``ended_at``; ``CustodyEpisode.contact_officer`` points to its officer."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(_("allocated"))
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=24, choices=AllocationReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=24, choices=AllocationReason.choices, blank=True
    )
    end_note = models.CharField(_("note on ending"), max_length=500, blank=True)

    class Meta:
        ordering = ["-allocated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(ended_at__isnull=True), name="one_open_allocation"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="ended_allocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} → {self.person_id} {self.allocated_at:%Y-%m-%d}"


class ContactOfficerCapacity(models.Model):
    """How many persons one contact officer follows at most. Without a row, the service
    standard in :mod:`normalitet.planning.domain.rules` applies."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    max_persons = models.PositiveSmallIntegerField(_("persons at most"), default=6)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(max_persons__gte=1), name="capacity_at_least_one")
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.max_persons}"


class SessionKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    NEEDS_MAPPING = "needs_mapping", _("Needs mapping")
    PLAN_REVIEW = "plan_review", _("Plan review")
    EXTERNAL = "external", _("Contact with NAV or school")
    OTHER = "other", _("Other")


class ContactSession(models.Model):
    """A meeting between the contact officer and the person. The note is short and never holds
    health information (RULES.md § 10: health personnel share only what is strictly necessary)."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    note = models.CharField(_("note"), max_length=500)
    follow_ups = models.CharField(_("follow-ups"), max_length=500, blank=True)
    follow_up_due = models.DateField(_("follow up by"), null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["person", "-held_on"], name="session_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=models.F("held_on")),
                name="follow_up_not_before_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on:%Y-%m-%d}"


class NeedsDomain(models.TextChoices):
    """The domains of the needs mapping (the 'reintegration pathways')."""

    HOUSING = "housing", _("Housing")
    WORK_EDUCATION = "work_education", _("Work and education")
    FINANCES = "finances", _("Finances and debt")
    ID_BANK = "id_bank", _("ID documents and bank account")
    HEALTH = "health", _("Health, as the person describes it")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    FAMILY = "family", _("Family and network, children")
    ATTITUDES = "attitudes", _("Attitudes and behaviour")


class NeedStatus(models.TextChoices):
    NOT_MAPPED = "", _("Not mapped yet")
    NO_NEED = "no_need", _("No need")
    NEED = "need", _("Need")
    DECLINED = "declined", _("Support declined")
    IN_PROGRESS = "in_progress", _("Being addressed")
    DONE = "done", _("Done")


class NeedsAssessment(models.Model):
    """The needs mapping of one custody episode, due a set number of days after admission."""

    episode = models.OneToOneField(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    rule = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.person_id} due {self.due_on:%Y-%m-%d}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_complete and today > self.due_on


class NeedsItem(models.Model):
    """One domain of a needs mapping: its status and the person's own words."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(max_length=16, choices=NeedsDomain.choices)
    status = models.CharField(max_length=16, choices=NeedStatus.choices, blank=True)
    own_words = models.CharField(_("in the person's own words"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_item_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.status or '-'}"
