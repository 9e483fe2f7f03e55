"""The daily regime (RULES.md § 8; SGL § 3, SGF § 1-4 and § 3-13): what a facility offers (work,
school, programmes, leisure), each unit's day, who takes part in what, attendance, the daily
allowance it earns, education records that follow the person, and meals, diets and faith.

Money is integer øre. Dates in law are local dates; session times are local wall-clock times.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from normalitet.core.models import TimeStampedModel

# --- The activity catalogue ---------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    PROGRAMME = "programme", _("Programme")
    LEISURE = "leisure", _("Leisure")


class ActivityCategory(models.TextChoices):
    """What the activity is. The kind it belongs to is in :data:`CATEGORY_KIND`."""

    # Work
    CARPENTRY = "carpentry", _("Carpentry")
    METALWORK = "metalwork", _("Metalwork")
    KITCHEN = "kitchen", _("Kitchen production")
    LAUNDRY = "laundry", _("Laundry")
    MAINTENANCE = "maintenance", _("Maintenance")
    HORTICULTURE = "horticulture", _("Horticulture")
    ASSEMBLY = "assembly", _("Assembly and packing")
    CLEANING = "cleaning", _("Cleaning")
    # Education (delivered by the county)
    BASIC_SCHOOLING = "basic_schooling", _("Basic schooling")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary education")
    VOCATIONAL = "vocational", _("Vocational course")
    HIGHER_EDUCATION = "higher_education", _("Higher education")
    NORWEGIAN_LANGUAGE = "norwegian_language", _("Norwegian language course")
    # Programmes
    DRUG_PROGRAMME = "drug_programme", _("Drug programme")
    ANGER_MANAGEMENT = "anger_management", _("Anger management")
    COGNITIVE_SKILLS = "cognitive_skills", _("Cognitive skills programme")
    TRAFFIC_PROGRAMME = "traffic_programme", _("Traffic programme")
    # Leisure
    GYM = "gym", _("Gym")
    LIBRARY = "library", _("Library")
    CHAPEL = "chapel", _("Chapel and faith services")
    MUSIC = "music", _("Music room")
    ART = "art", _("Art room")
    OUTDOOR = "outdoor", _("Outdoor time")


CATEGORY_KIND: dict[str, str] = {
    **{
        c: ActivityKind.WORK
        for c in (
            ActivityCategory.CARPENTRY,
            ActivityCategory.METALWORK,
            ActivityCategory.KITCHEN,
            ActivityCategory.LAUNDRY,
            ActivityCategory.MAINTENANCE,
            ActivityCategory.HORTICULTURE,
            ActivityCategory.ASSEMBLY,
            ActivityCategory.CLEANING,
        )
    },
    **{
        c: ActivityKind.EDUCATION
        for c in (
            ActivityCategory.BASIC_SCHOOLING,
            ActivityCategory.UPPER_SECONDARY,
            ActivityCategory.VOCATIONAL,
            ActivityCategory.HIGHER_EDUCATION,
            ActivityCategory.NORWEGIAN_LANGUAGE,
        )
    },
    **{
        c: ActivityKind.PROGRAMME
        for c in (
            ActivityCategory.DRUG_PROGRAMME,
            ActivityCategory.ANGER_MANAGEMENT,
            ActivityCategory.COGNITIVE_SKILLS,
            ActivityCategory.TRAFFIC_PROGRAMME,
        )
    },
    **{
        c: ActivityKind.LEISURE
        for c in (
            ActivityCategory.GYM,
            ActivityCategory.LIBRARY,
            ActivityCategory.CHAPEL,
            ActivityCategory.MUSIC,
            ActivityCategory.ART,
            ActivityCategory.OUTDOOR,
        )
    },
}


class Provider(models.TextChoices):
    """Who delivers the activity (the import model, SGL § 4: schools are the county's)."""

    CORRECTIONAL_SERVICE = "kriminalomsorgen", _("Correctional service")
    COUNTY = "county", _("County (school)")
    EXTERNAL = "external", _("External partner")
    MUNICIPALITY = "municipality", _("Municipality")


class Activity(TimeStampedModel):
    """Something a facility offers on a schedule: a workshop, a class, a programme, the gym."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    category = models.CharField(_("category"), max_length=24, choices=ActivityCategory.choices)
    provider = models.CharField(
        _("provided by"),
        max_length=16,
        choices=Provider.choices,
        default=Provider.CORRECTIONAL_SERVICE,
    )
    place = models.CharField(_("place"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("places"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_activities",
        verbose_name=_("officer or teacher in charge"),
    )
    # Which forms of execution and legal statuses may take part (lists of SecurityLevel and
    # LegalStatus values); empty means all.
    security_levels = models.JSONField(_("security levels"), default=list, blank=True)
    legal_statuses = models.JSONField(_("legal statuses"), default=list, blank=True)
    # Work, school and programmes meet the activity duty (SGF § 1-4); leisure does not.
    meets_activity_duty = models.BooleanField(_("meets the activity duty"), default=True)
    # Supplement on the daily allowance for demanding work (SGF § 3-13), øre per day; at most
    # the year's supplement rate, checked when it is set.
    supplement_ore = models.PositiveIntegerField(_("supplement (øre a day)"), default=0)
    runs_on_holidays = models.BooleanField(_("runs on public holidays"), default=False)
    # Faith services: the community whose service this is (equal access is counted by it).
    community = models.CharField(_("faith community"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["facility_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="activity_name_per_facility"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]
        indexes = [models.Index(fields=["facility", "is_active"], name="activity_facility_active")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A weekly time slot of an activity (Monday is 0), valid between two dates. The dated
    occurrences are derived; a cancelled one is a :class:`SessionCancellation`."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="session_weekday"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="session_ends_after"),
        ]
        indexes = [models.Index(fields=["activity", "weekday"], name="session_activity_day")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.weekday} {self.starts:%H:%M}-{self.ends:%H:%M}"


class SessionCancellation(models.Model):
    """One occurrence of a session that does not run (staff, holiday plan, lockdown)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="cancellations")
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "on"], name="one_cancellation_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.on}"


# --- Taking part: the waiting list and allocations ---------------------------------------------


class AllocationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved, waiting for a place")
    DECLINED = "declined", _("Declined")
    ALLOCATED = "allocated", _("Allocated")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Ended")


# Statuses that hold a place in the activity.
HOLDS_PLACE = (AllocationStatus.ALLOCATED, AllocationStatus.SUSPENDED)
# Statuses on the waiting list.
WAITING = (AllocationStatus.REQUESTED, AllocationStatus.APPROVED)
OPEN_STATUSES = (*WAITING, *HOLDS_PLACE)


class EndReason(models.TextChoices):
    RELEASED = "released", _("Released")
    TRANSFERRED = "transferred", _("Transferred")
    HEALTH = "health", _("Health")
    SECURITY = "security", _("Security")
    COMPLETED = "completed", _("Completed")
    DISMISSED = "dismissed", _("Dismissed")
    PERSON_REQUEST = "person_request", _("At the person's own request")


class Allocation(TimeStampedModel):
    """A person's place in an activity, from the request on the waiting list to the end."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="allocations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=AllocationStatus.choices)
    requested_on = models.DateField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_note = models.CharField(_("why, in the person's words"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on ending"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "episode"],
                condition=Q(status__in=["requested", "approved", "allocated", "suspended"]),
                name="one_open_allocation_per_activity",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="ended_allocation_has_reason_regime",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status"], name="allocation_activity_status"),
            models.Index(fields=["episode", "status"], name="allocation_episode_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.activity_id} ({self.status})"


class Suspension(models.Model):
    """A pause in an allocation, for a reason, with its dates (the place is kept)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="suspensions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=EndReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="suspension_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.starts_on}–{self.ends_on or ''}"


# --- Attendance and the daily allowance --------------------------------------------------------


class Outcome(models.TextChoices):
    """What happened to one person at one session. How each counts for the daily allowance is
    in :mod:`normalitet.regime.domain.allowance`."""

    ATTENDED = "attended", _("Attended")
    LATE = "late", _("Came late or left early")
    SICK = "sick", _("Sick")
    REFUSED = "refused", pgettext_lazy("attendance", "Refused")
    LEGAL_VISIT = "legal_visit", _("Legal visit or court")
    VISIT = "visit", _("Visit")
    HEALTH = "health", _("Health appointment")
    CLASH = "clash", _("Clash with another activity")
    CANCELLED = "cancelled", _("Activity cancelled")
    ABSENT = "absent", _("Away from the facility (leave, hospital)")
    UNEXCUSED = "unexcused", _("Absent without reason")


class Attendance(models.Model):
    """The register: one row per allocation, session and date."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    # Denormalised from the allocation for the allowance and the statements.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "session", "on"], name="one_mark_per_session"
            )
        ]
        indexes = [
            models.Index(fields=["episode", "on"], name="attendance_episode_day"),
            models.Index(fields=["session", "on"], name="attendance_session_day"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.on} {self.outcome}"


class AllowanceRateKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary rate")
    REDUCED = "reduced", _("Reduced rate")
    WITHHELD = "withheld", _("Withheld")
    NONE = "none", _("No allowance")


class AllowanceDay(models.Model):
    """The daily allowance (dagpenger, SGF § 3-13) computed for one person and day, with the
    rule set and the reasons, ready to be handed to the money ledger."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    rate_kind = models.CharField(_("rate"), max_length=10, choices=AllowanceRateKind.choices)
    allowance_ore = models.PositiveIntegerField(_("allowance (øre)"))
    supplement_ore = models.PositiveIntegerField(_("supplement (øre)"), default=0)
    food_ore = models.PositiveIntegerField(_("food money (øre)"), default=0)
    rule_set = models.CharField(_("rule set"), max_length=40)
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField()
    # Set when the money ledger has taken the amount; a posted day is never recomputed.
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "on"], name="one_allowance_per_day")
        ]
        indexes = [models.Index(fields=["facility", "on"], name="allowance_facility_day")]

    def __str__(self) -> str:
        return f"{self.episode_id} {self.on} {self.rate_kind}"

    @property
    def total_ore(self) -> int:
        return self.allowance_ore + self.supplement_ore + self.food_ore


# --- The regime: each unit's day ---------------------------------------------------------------


class DayType(models.TextChoices):
    WEEKDAY = "weekday", _("Weekday")
    WEEKEND = "weekend", _("Weekend and public holiday")


class DayPlan(TimeStampedModel):
    """A unit's day (unlock, meals, activities, outdoor time, lock-in) for weekdays or for
    weekends and public holidays, valid from a date."""

    unit = models.ForeignKey("estate.Unit", on_delete=models.PROTECT, related_name="+")
    day_type = models.CharField(_("day"), max_length=8, choices=DayType.choices)
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit_id", "day_type", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day_type", "valid_from"], name="one_day_plan_per_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day_type} {self.valid_from}"


class BlockKind(models.TextChoices):
    ASSOCIATION = "association", _("Unlocked, in company (fellesskap)")
    MEAL = "meal", _("Meal")
    ACTIVITIES = "activities", _("Work, school and programmes")
    OUTDOOR = "outdoor", _("Outdoor time")
    LOCKED = "locked", _("Locked in")


class DayPlanBlock(models.Model):
    """One period of a day plan. ``ACTIVITIES`` is time out of cell only for those who take part
    in an activity then; the other kinds count for everyone in the unit."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("kind"), max_length=12, choices=BlockKind.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    in_company = models.BooleanField(_("in company"), default=True)

    class Meta:
        ordering = ["starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="block_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts:%H:%M}-{self.ends:%H:%M}"


class Closure(models.Model):
    """Days on which a unit (or the whole facility) runs a locked-down regime: association and
    activities do not run; only outdoor time does."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "estate.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}/{self.unit_id or '*'} {self.starts_on}–{self.ends_on}"


class UnitRegime(models.Model):
    """What the regime needs to know of a unit beyond the estate: self-catering and the
    facility's configured minimum time out of cell, if it differs from the rule parameter."""

    unit = models.OneToOneField("estate.Unit", on_delete=models.CASCADE, related_name="+")
    self_catering = models.BooleanField(_("self-catering"), default=False)
    minimum_out_of_cell_minutes = models.PositiveSmallIntegerField(
        _("minimum time out of cell (minutes)"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.unit_id}"


class CompanyRestrictionKind(models.TextChoices):
    COURT = "court", _("Court-ordered isolation (STRPL § 186 a)")
    EXCLUSION = "exclusion", _("Excluded from company (SGL § 37)")


class CompanyRestriction(models.Model):
    """A restriction on being with others. While it runs, the person takes no part in
    association or group activities; the time-out-of-cell figures show it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CompanyRestrictionKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="restriction_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.starts_on}"


# --- Education records -------------------------------------------------------------------------


class EducationRecordKind(models.TextChoices):
    ENROLMENT = "enrolment", _("Enrolment")
    EXAM = "exam", _("Exam")
    RESULT = "result", _("Result")
    CERTIFICATE = "certificate", _("Certificate")
    COMPLETION = "completion", _("Course completed")


class EducationRecord(TimeStampedModel):
    """Schooling that follows the person after release or transfer: kept on the person, not the
    custody episode."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EducationRecordKind.choices)
    course = models.CharField(_("course or subject"), max_length=160)
    course_code = models.CharField(_("subject code"), max_length=24, blank=True)
    level = models.CharField(_("level"), max_length=80, blank=True)
    on = models.DateField(_("date"))
    proctored = models.BooleanField(_("proctored exam inside"), default=False)
    result = models.CharField(_("result or grade"), max_length=40, blank=True)
    certificate_reference = models.CharField(_("certificate reference"), max_length=80, blank=True)
    school = models.CharField(_("school"), max_length=160, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "on"], name="education_person_day")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.course}"


# --- Meals, diets and faith --------------------------------------------------------------------


class DietKind(models.TextChoices):
    HALAL = "halal", _("Halal")
    KOSHER = "kosher", _("Kosher")
    NO_PORK = "no_pork", _("No pork")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    VEGAN = "vegan", _("Vegan")
    ALLERGY = "allergy", _("Allergy")
    MEDICAL = "medical", _("Medical diet")
    FASTING = "fasting", _("Religious fast (meals after sunset)")


class DietRequirement(models.Model):
    """A person's diet. A medical diet says what to serve (for example 'gluten-free'), never
    why: diagnoses stay in the health record."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("diet"), max_length=12, choices=DietKind.choices)
    detail = models.CharField(_("what to serve or avoid"), max_length=160, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="diet_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["person", "ends_on"], name="diet_person_open")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class ClergyVisit(models.Model):
    """A visit by the chaplain or by clergy of another faith community, to a group or to one
    person who asked for it. Counted per community to show equal access."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    community = models.CharField(_("faith community"), max_length=80)
    visitor_name = models.CharField(_("name of the chaplain or cleric"), max_length=160)
    external = models.BooleanField(_("external clergy"), default=True)
    starts_at = models.DateTimeField(_("when"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["facility", "starts_at"], name="clergy_facility_time")]

    def __str__(self) -> str:
        return f"{self.community} {self.starts_at:%Y-%m-%d %H:%M}"
