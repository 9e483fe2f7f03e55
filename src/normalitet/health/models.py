"""The health record, kept in the health service's own database (alias ``health``).

Nothing here has a foreign key into the main database: persons, staff, facilities and units are
named by their ids (``person_id``, ``facility_id``, ``*_by_id``), and the name of the member of
staff is copied where the health record must show who did something. Texts that say anything
clinical are read only by health staff; what the prison may know goes out through ``facade``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Service(models.TextChoices):
    """Who the person asks to see."""

    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DENTIST = "dentist", _("Dentist")
    ADDICTION = "addiction", _("Addiction service")


class Stamp(models.Model):
    """Who recorded a row and when: a member of staff by id, with the name shown to health staff."""

    created_at = models.DateTimeField()
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True


# --- Requests and appointments -------------------------------------------------------------


class HealthRequest(Stamp):
    """A person's request to see the health service. The text is confidential to health staff;
    prison staff who log it on the person's behalf get a reference, never the text back."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        BOOKED = "booked", _("Appointment booked")
        CLOSED = "closed", pgettext_lazy("health request", "Closed")

    class Priority(models.TextChoices):
        ACUTE = "acute", _("Acute (today)")
        URGENT = "urgent", _("Urgent (within 3 days)")
        ROUTINE = "routine", _("Routine")

    class Channel(models.TextChoices):
        STAFF = "staff", _("Logged by prison staff on the person's behalf")
        HEALTH = "health", _("Taken by health staff")
        SELF = "self", _("From the person")

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    reference = models.CharField(max_length=16, unique=True)
    service = models.CharField(max_length=16, choices=Service.choices)
    text = models.TextField()
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.STAFF)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    triage_note = models.TextField(blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by_id = models.BigIntegerField(null=True, blank=True)
    triaged_by_name = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["facility_id", "status"], name="health_req_queue")]

    def __str__(self) -> str:
        return self.reference


class Appointment(Stamp):
    """A time in the health service's calendar. The prison learns only the time slot and whether
    the person must be escorted (``facade.appointment_slots``), never its kind."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
        CANCELLED = "cancelled", pgettext_lazy("health appointment", "Cancelled")

    class Escort(models.TextChoices):
        NONE = "none", _("No escort (the person comes to the health department)")
        INSIDE = "inside", _("Escort inside the prison")
        OUTSIDE = "outside", _("Escort outside the prison")

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    request = models.ForeignKey(
        HealthRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    service = models.CharField(max_length=16, choices=Service.choices)
    clinician_id = models.BigIntegerField(null=True, blank=True)
    clinician_name = models.CharField(max_length=150, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    escort = models.CharField(max_length=8, choices=Escort.choices, default=Escort.NONE)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    note = models.TextField(blank=True)
    status_note = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["facility_id", "starts_at"], name="health_appt_day"),
            models.Index(fields=["person_id", "starts_at"], name="health_appt_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_at:%Y-%m-%d %H:%M}"


# --- Medication ------------------------------------------------------------------------------


class Round(models.TextChoices):
    """The dispensing rounds of the day, in order."""

    MORNING = "morning", _("Morning")
    NOON = "noon", _("Noon")
    EVENING = "evening", _("Evening")
    NIGHT = "night", _("Night")


class Prescription(Stamp):
    """A medicine prescribed by a doctor or dentist, with the rounds it is given in. Controlled
    drugs (narcotics, classes A and B) are counted in the stock book."""

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    medicine = models.CharField(max_length=120)
    strength = models.CharField(max_length=60, blank=True)
    dose = models.CharField(max_length=60)  # "1 tablet", "10 ml"
    units_per_dose = models.PositiveSmallIntegerField(default=1)  # counted for controlled drugs
    rounds = models.JSONField(default=list)  # [Round values]
    as_needed = models.BooleanField(default=False)
    controlled = models.BooleanField(default=False)
    instructions = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by_name = models.CharField(max_length=150, blank=True)
    stop_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["medicine"]

    def __str__(self) -> str:
        return f"{self.medicine} {self.strength}".strip()


class DoseRecord(Stamp):
    """What happened to one due dose in one round."""

    class Outcome(models.TextChoices):
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")
        MISSED = "missed", _("Missed (not present)")
        NOT_AVAILABLE = "not_available", _("Not available")

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="doses")
    person_id = models.BigIntegerField(db_index=True)
    day = models.DateField()
    round = models.CharField(max_length=8, choices=Round.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["day", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "day", "round"], name="health_one_dose_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prescription_id} {self.day} {self.round} {self.outcome}"


class ControlledStock(models.Model):
    """One controlled drug held by a facility's health department, counted in units."""

    facility_id = models.BigIntegerField(db_index=True)
    medicine = models.CharField(max_length=120)
    strength = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["medicine", "strength"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility_id", "medicine", "strength"], name="health_one_stock_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.strength}".strip()


class StockEntry(Stamp):
    """A line in the controlled-drug book: received, given (from a dose), wasted, or a count.
    The balance is the sum of the quantities; a count records what was found and the witness."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        DISPENSED = "dispensed", _("Given")
        WASTED = "wasted", _("Wasted or returned")
        COUNT = "count", _("Count")

    stock = models.ForeignKey(ControlledStock, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(default=0)  # +received, -given, -wasted, ±count difference
    counted = models.IntegerField(null=True, blank=True)  # for a count: what was found
    expected = models.IntegerField(null=True, blank=True)  # for a count: the book's balance
    dose = models.OneToOneField(
        DoseRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="stock_entry"
    )
    witness_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.stock_id} {self.kind} {self.quantity}"


# --- Observation (suicide and self-harm prevention) ------------------------------------------


class ObservationLevel(Stamp):
    """How closely officers must look in on a person, set by health staff. The reason stays in
    the health record; officers see the level, the interval and when the next check is due."""

    class Level(models.TextChoices):
        # The interval of each level is a dated rule (domain.rules), never part of its name.
        CONSTANT = "constant", pgettext_lazy("observation level", "Constant")
        CLOSE = "close", pgettext_lazy("observation level", "Close")
        FREQUENT = "frequent", pgettext_lazy("observation level", "Frequent")
        HOURLY = "hourly", pgettext_lazy("observation level", "Hourly")

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    interval_minutes = models.PositiveSmallIntegerField()
    reason = models.TextField()
    review_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_id = models.BigIntegerField(null=True, blank=True)
    ended_by_name = models.CharField(max_length=150, blank=True)
    end_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"],
                condition=models.Q(ended_at__isnull=True),
                name="health_one_open_observation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.level}"


class ObservationCheck(Stamp):
    """An officer looked in on the person. ``created_by`` is the officer."""

    class State(models.TextChoices):
        SETTLED = "settled", _("Seen, settled")
        ASLEEP = "asleep", _("Seen, asleep (breathing)")
        DISTRESSED = "distressed", _("Seen, distressed: health staff told")
        NOT_SEEN = "not_seen", _("Not seen: door opened")

    observation = models.ForeignKey(
        ObservationLevel, on_delete=models.PROTECT, related_name="checks"
    )
    person_id = models.BigIntegerField(db_index=True)
    checked_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices)
    note = models.CharField(max_length=300, blank=True)
    late_by_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["observation", "-checked_at"], name="health_obs_checks")]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.checked_at:%H:%M}"


class MissedCheck(models.Model):
    """A check that fell due and was not made in time: raised as an alert when first seen, closed
    by the next check."""

    observation = models.ForeignKey(
        ObservationLevel, on_delete=models.PROTECT, related_name="missed"
    )
    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    closed_by = models.OneToOneField(
        ObservationCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="closes"
    )

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "due_at"], name="health_missed_once")
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} due {self.due_at:%H:%M}"


class CrisisEvent(Stamp):
    """A crisis and the response to it, step by step (health record)."""

    class Kind(models.TextChoices):
        SELF_HARM = "self_harm", _("Self-harm")
        ATTEMPT = "attempt", _("Suicide attempt")
        THREAT = "threat", _("Suicidal statements or plans")
        OTHER = "other", _("Other acute crisis")

    class Step(models.TextChoices):
        FIRST_AID = "first_aid", _("First aid given")
        DOCTOR = "doctor", _("Doctor called")
        AMBULANCE = "ambulance", _("Ambulance or emergency room")
        OBSERVATION = "observation", _("Observation level set or raised")
        ITEMS = "items", _("Dangerous items removed")
        SPECIALIST = "specialist", _("Specialist mental health contacted")
        FAMILY = "family", _("Next of kin informed (with consent)")
        DEBRIEF = "debrief", _("Debrief held with staff")
        FOLLOW_UP = "follow_up", _("Follow-up conversation with the person")

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    steps = models.JSONField(default=list)  # [Step values], in the order they were taken
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


# --- What the prison may know ------------------------------------------------------------------


class WorkFitness(Stamp):
    """Whether the person is fit for work, from a date. The prison sees yes / no / restricted,
    never the reason."""

    class Fitness(models.TextChoices):
        FIT = "fit", _("Fit for work")
        RESTRICTED = "restricted", _("Fit for restricted work")
        UNFIT = "unfit", _("Not fit for work")

    person_id = models.BigIntegerField(db_index=True)
    fitness = models.CharField(max_length=12, choices=Fitness.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)  # health staff only

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.fitness} {self.valid_from}"


class MedicalDiet(Stamp):
    """A diet the kitchen must follow for medical reasons. ``kitchen_instruction`` is what the
    prison sees ("gluten-free"); ``reason`` stays in the health record."""

    person_id = models.BigIntegerField(db_index=True)
    kitchen_instruction = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kitchen_instruction}"


# --- Continuity of care ------------------------------------------------------------------------


class CareReferral(Stamp):
    """Care that must go on after release, arranged with a community provider before it."""

    class ProviderKind(models.TextChoices):
        ADDICTION = "addiction", _("Addiction treatment (TSB)")
        OPIOID = "opioid", _("Opioid substitution treatment (LAR)")
        MENTAL = "mental", _("Specialist mental health care (DPS)")
        GP = "gp", _("Regular GP (fastlege)")
        MUNICIPAL = "municipal", _("Municipal health and care services")
        DENTAL = "dental", _("Public dental service")
        OTHER = "other", _("Other provider")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted by the provider")
        APPOINTMENT = "appointment", _("First appointment set")
        DECLINED = "declined", _("Declined by the provider")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person_id = models.BigIntegerField(db_index=True)
    facility_id = models.BigIntegerField(db_index=True)
    provider_kind = models.CharField(max_length=12, choices=ProviderKind.choices)
    provider_name = models.CharField(max_length=200)
    provider_contact = models.CharField(max_length=200, blank=True)
    purpose = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField()
    status_note = models.TextField(blank=True)
    first_appointment_at = models.DateTimeField(null=True, blank=True)
    # Every status change as it was made: [{"at", "by", "status", "note", "first_appointment_at"}]
    history = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.provider_name} ({self.status})"


class HandoverConsent(Stamp):
    """The person's consent that a summary of their health record goes to a named provider.
    Without a consent in force, no summary is produced."""

    class Given(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally, noted by the clinician")

    referral = models.ForeignKey(CareReferral, on_delete=models.PROTECT, related_name="consents")
    person_id = models.BigIntegerField(db_index=True)
    given = models.CharField(max_length=8, choices=Given.choices)
    scope = models.JSONField(default=list)  # the sections the person agreed may be shared
    given_on = models.DateField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.given_on}"


class HandoverSummary(Stamp):
    """A summary produced for the receiving provider, kept as it was sent."""

    referral = models.ForeignKey(CareReferral, on_delete=models.PROTECT, related_name="summaries")
    consent = models.ForeignKey(HandoverConsent, on_delete=models.PROTECT, related_name="+")
    person_id = models.BigIntegerField(db_index=True)
    content = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.created_at:%Y-%m-%d}"


# --- The health service's own log ----------------------------------------------------------------


class HealthAuditEvent(models.Model):
    """Every change to and every read of the health record, append-only and hash-chained like
    the main audit log, but in the health database, so that prison staff cannot read it either."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        ACCESS = "access", _("Access")

    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["person_id", "kind", "-id"], name="health_audit_person")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class HealthChainHead(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.last_hash
