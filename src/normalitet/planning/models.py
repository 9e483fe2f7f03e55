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
    TRANSFERRED = "transferred", _("The person was transferred to another facility")
    RELEASED = "released", _("The person was released")
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


class Milestone(models.TextChoices):
    """The steps of the way home, in the order a person usually meets them (SGL §§ 14-16 a,
    20, 33, 42)."""

    LEAVE = "leave", _("Leave")
    DAY_RELEASE = "day_release", _("Day release for work or school")
    LOWER_SECURITY = "lower_security", _("Lower security")
    HALFWAY_HOUSE = "halfway_house", _("Halfway house")
    SECTION_16 = "section_16", _("Outside prison with conditions (§ 16)")
    ELECTRONIC_MONITORING = "electronic_monitoring", _("Electronic monitoring (§ 16 a)")
    PAROLE = "parole", _("Parole")
    EXPIRY = "expiry", _("End of sentence")


class StepStatus(models.TextChoices):
    """Recorded decisions on a step. 'Not yet' and 'eligible' follow from the legal dates."""

    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    NOT_SUITABLE = "not_suitable", _("Not suitable now")


class PathwayDecision(models.Model):
    """A recorded status of one step of a person's pathway, with its reason. The newest row for
    a step is in force; earlier rows are its history. A person eligible for a less restrictive
    form who is not moved must have a reason recorded here (SGL § 3)."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="pathway_decisions"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    milestone = models.CharField(_("step"), max_length=24, choices=Milestone.choices)
    status = models.CharField(_("status"), max_length=16, choices=StepStatus.choices)
    decided_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["episode", "milestone", "-id"], name="pathway_step_newest")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.milestone} {self.status}"


# --- Risk assessment and the sentence plan (framtidsplan) -------------------------------------


class RiskArea(models.TextChoices):
    """The areas of the structured risk assessment, each judged and explained on its own."""

    ESCAPE = "escape", _("Escape")
    VIOLENCE = "violence", _("Violence")
    REOFFENDING = "reoffending", _("Reoffending")
    VULNERABILITY = "vulnerability", _("Vulnerability")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class RiskAssessment(models.Model):
    """A structured risk assessment: one explained level per area, no score. A new assessment
    supersedes the current one, which is kept as history. Holds no health diagnoses (RULES.md
    § 10): vulnerability is described in the situation's own terms."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField(_("review by"))
    summary = models.CharField(_("summary"), max_length=1000, blank=True)
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_risk_assessment",
            ),
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("assessed_on")),
                name="risk_review_after_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} risk {self.assessed_on:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def review_overdue(self, today: dt.date) -> bool:
        return self.is_current and today > self.review_on


class RiskFactor(models.Model):
    """One area of a risk assessment: its level, why, and who judged it."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="factors")
    area = models.CharField(_("area"), max_length=16, choices=RiskArea.choices)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    justification = models.CharField(_("justification"), max_length=1000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_factor_per_area"),
            models.CheckConstraint(condition=~Q(justification=""), name="factor_justified"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.level}"


class SentencePlan(models.Model):
    """The sentence plan (framtidsplan) of one custody episode: goals per needs domain, steps
    with an owner and a due date, and whether the person agrees with it (SGL § 41;
    RULES.md § 10)."""

    episode = models.OneToOneField(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by_person = models.BooleanField(_("the person agrees"), default=False)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    person_comment = models.CharField(_("the person's comment"), max_length=1000, blank=True)
    agreement_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_by_person=False, agreed_on__isnull=True)
                | Q(agreed_by_person=True, agreed_on__isnull=False),
                name="plan_agreement_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} plan {self.created_on:%Y-%m-%d}"


class PlanGoal(models.Model):
    """A goal of the sentence plan in one needs domain."""

    plan = models.ForeignKey(SentencePlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=16, choices=NeedsDomain.choices)
    text = models.CharField(_("goal"), max_length=500)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="goal_has_text")]

    def __str__(self) -> str:
        return f"{self.domain}: {self.text[:40]}"


class StepOwner(models.TextChoices):
    """Who does a step: the person, the prison, or one of the services imported into it
    (RULES.md § 10)."""

    PERSON = "person", _("The person")
    CONTACT_OFFICER = "contact_officer", _("Contact officer")
    SCHOOL = "school", _("School")
    NAV = "nav", _("NAV")
    MUNICIPALITY = "municipality", _("Municipality")
    TREATMENT = "treatment", _("Treatment provider")
    EMPLOYER = "employer", _("Employer")
    NGO = "ngo", _("Voluntary organisation")


class PlanStepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanStep(models.Model):
    """A step towards a goal: what, by whom, by when, and how far it has come."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=500)
    owner = models.CharField(_("who"), max_length=16, choices=StepOwner.choices)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStepStatus.choices, default=PlanStepStatus.PLANNED
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="step_has_text")]

    def __str__(self) -> str:
        return f"{self.owner} {self.due_on:%Y-%m-%d}: {self.status}"


# --- Placement and transfers (SGL §§ 11, 14; RULES.md § 5) ------------------------------------


class TransferReason(models.TextChoices):
    PROGRESSION = "progression", _("Progression to a less restrictive form")
    NEAR_HOME = "near_home", _("Closer to home and family")
    PLAN = "plan", _("Work, school or treatment in the sentence plan")
    SECURITY = "security", _("More control is needed")
    SEPARATION = "separation", _("Separation from other persons")
    CAPACITY = "capacity", _("Capacity")
    OTHER = "other", _("Other")


class DecisionLevel(models.TextChoices):
    FACILITY = "facility", _("The facility")
    REGIONAL = "regional", _("The regional office")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXECUTED = "executed", _("Carried out")


OPEN_TRANSFER = (TransferStatus.PROPOSED, TransferStatus.GRANTED)


class TransferCase(models.Model):
    """A transfer to another facility: proposed with its reason and the placement
    recommendation of the day, decided at the level the rules require (regional for sentences
    over 10 years, preventive detention and special high-security units), and carried out as a
    custody movement. A decision states the appeal deadline (SGL § 7 e)."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="transfer_cases"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    from_facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    to_facility = models.ForeignKey(
        "estate.Facility", verbose_name=_("to facility"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=TransferReason.choices)
    justification = models.CharField(_("justification"), max_length=1000)
    recommendation = models.JSONField(default=dict, blank=True)
    decision_level = models.CharField(max_length=10, choices=DecisionLevel.choices)
    decision_level_rule = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PROPOSED
    )
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(_("reasons for the decision"), max_length=2000, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    appeal_days = models.PositiveSmallIntegerField(null=True, blank=True)
    appeal_rule = models.CharField(max_length=100, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "decision_level"], name="transfer_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status__in=["proposed", "granted"]),
                name="one_open_transfer_case",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "withdrawn"])
                | Q(decided_at__isnull=False, appeal_deadline__isnull=False),
                name="transfer_decision_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(to_facility=models.F("from_facility")),
                name="transfer_to_another_facility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.from_facility_id}→{self.to_facility_id} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER


# --- Reentry: referrals to partners, release readiness, the SGL § 41 duty ----------------------


class Partner(models.TextChoices):
    """The services release preparation works with (RULES.md § 10, the import model)."""

    NAV = "nav", _("NAV")
    HOUSING = "housing", _("Municipal housing service")
    HEALTH = "health", _("Health and addiction services")
    EDUCATION = "education", _("County education")
    EMPLOYER = "employer", _("Employer")
    NGO = "ngo", _("Voluntary organisation")


class ReadinessArea(models.TextChoices):
    """What a person needs in place on release day."""

    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income or job")
    CARE = "care", _("Continued care")
    ID_BANK = "id_bank", _("ID and bank account")
    NETWORK = "network", _("Network")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    IN_PLACE = "in_place", _("In place")
    DECLINED = "declined", _("Declined by the partner")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(models.Model):
    """A referral to an outside partner for one area of release readiness: to whom, what for,
    when it was sent, and how far it has come."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    partner = models.CharField(_("partner"), max_length=12, choices=Partner.choices)
    partner_name = models.CharField(_("office or organisation"), max_length=200)
    area = models.CharField(_("area"), max_length=10, choices=ReadinessArea.choices)
    purpose = models.CharField(_("what for"), max_length=500)
    sent_on = models.DateField(_("sent"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    status_on = models.DateField(_("status date"))
    meeting_on = models.DateField(_("meeting or start date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area", "-sent_on", "-id"]
        indexes = [models.Index(fields=["episode", "area"], name="referral_episode_area")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_on__gte=models.F("sent_on")), name="referral_status_after_sent"
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="referral_has_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.area} {self.status}"


class CoordinationConsent(models.Model):
    """Whether a person under 25 consents to coordinated release preparation (SGL § 41: for
    them it is then a duty). The newest row for an episode is in force."""

    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="coordination_consents"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    consents = models.BooleanField(_("the person consents"))
    given_on = models.DateField(_("date"))
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} consents={self.consents}"
