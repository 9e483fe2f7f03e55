"""Family contact under the law (RULES.md §§ 7, 8; SGL §§ 30-32, STRPL § 186): approved
contacts and their police checks, visits booked by staff and in the family portal, phone numbers
and call records, the mail log, and the court's restrictions on persons on remand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from normalitet.core.models import TimeStampedModel

# --- Visitors and approved contacts ------------------------------------------------------------


class Visitor(TimeStampedModel):
    """Someone outside who visits, calls or writes: family, friends, lawyers, official bodies.

    ``user`` is set when they registered in the family portal (role ``visitor``); staff may
    also record a visitor who never logs in (a lawyer, a small child)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visitor_profile",
    )
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    birth_date = models.DateField(_("date of birth"))
    national_id = models.CharField(
        _("national identity number or D-number"), max_length=11, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    organisation = models.CharField(_("law firm or body"), max_length=200, blank=True)
    # A child (without a login) added in the family portal by the adult who brings them.
    registered_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="registered"
    )

    class Meta:
        ordering = ["family_name", "given_names"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_FAMILY = "other_family", _("Other family")
    FRIEND = "friend", _("Friend")
    LAWYER = "lawyer", _("Defence lawyer")
    OFFICIAL = "official", _("Official body")
    OTHER = "other", _("Other")


# The closest family: together they count as one entry on the visitor list (SGF § 3-28).
CLOSEST_FAMILY = frozenset(
    {Relationship.PARTNER, Relationship.CHILD, Relationship.PARENT, Relationship.SIBLING}
)
# Privileged contacts: never overheard, never read, never stopped by a court ban.
PRIVILEGED = frozenset({Relationship.LAWYER, Relationship.OFFICIAL})


class ContactStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


class Contact(TimeStampedModel):
    """A relationship between a person in custody and a visitor, approved by staff."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="contacts")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.REQUESTED
    )
    on_visitor_list = models.BooleanField(_("on the visitor list"), default=False)
    # High security: visits are supervised unless the facility waives it for this contact.
    supervision_waived = models.BooleanField(_("visits need not be supervised"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    requested_via_portal = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["person_id", "visitor__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "visitor"],
                condition=Q(status__in=["requested", "approved"]),
                name="contact_one_live",
            )
        ]
        indexes = [models.Index(fields=["person", "status"], name="contact_person_status")]

    def __str__(self) -> str:
        return f"{self.person_id} – {self.visitor_id} ({self.relationship})"

    @property
    def privileged(self) -> bool:
        return self.relationship in PRIVILEGED

    @property
    def closest_family(self) -> bool:
        return self.relationship in CLOSEST_FAMILY


class PoliceCheckStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CLEARED = "cleared", _("Cleared")
    REFUSED = "refused", _("Refused")


class PoliceCheck(models.Model):
    """A police check of a visitor (from age 15; SGF § 3-28), with its answer and expiry."""

    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="police_checks")
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PoliceCheckStatus.choices,
        default=PoliceCheckStatus.REQUESTED,
    )
    requested_on = models.DateField(_("requested"))
    decided_on = models.DateField(_("answered"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visitor_id} {self.status} {self.requested_on}"


# --- Visits -------------------------------------------------------------------------------------


class RoomKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary visit room")
    NON_CONTACT = "non_contact", _("Non-contact room (glass wall)")
    FAMILY = "family", _("Family room with play corner")
    LAWYER = "lawyer", _("Lawyer's room")


class VisitRoom(models.Model):
    facility = models.ForeignKey(
        "estate.Facility", on_delete=models.PROTECT, related_name="visit_rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=RoomKind.choices)
    # How many visits (one person in custody and their visitors) the room holds at once.
    capacity = models.PositiveSmallIntegerField(_("visits at once"), default=1)
    seats = models.PositiveSmallIntegerField(_("visitors per visit"), default=4)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["facility_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="visitroom_name_uq"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="visitroom_capacity_pos"),
        ]

    def __str__(self) -> str:
        return self.name


class VisitSessionTemplate(models.Model):
    """A weekly visiting time in a room: the slots the portal and staff book."""

    room = models.ForeignKey(VisitRoom, on_delete=models.PROTECT, related_name="templates")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("visits"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Open to the family portal; staff book every session.
    bookable_online = models.BooleanField(_("bookable online"), default=True)

    class Meta:
        ordering = ["room_id", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="visittpl_weekday"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="visittpl_times"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="visittpl_capacity"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="visittpl_valid_order",
            ),
        ]
        indexes = [models.Index(fields=["room", "weekday"], name="visittpl_room_day")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.weekday} {self.starts_at:%H:%M}"


class BlockedDate(models.Model):
    """A day without visits, for the facility or one room (a holiday, an exercise, works)."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        VisitRoom, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day"]
        indexes = [models.Index(fields=["facility", "day"], name="visitblock_fac_day")]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.day}"


class VisitSlot(models.Model):
    """One occurrence of a session template on a date. Created when first booked; bookings lock
    this row, so that no session is ever booked beyond its capacity."""

    template = models.ForeignKey(VisitSessionTemplate, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "day"], name="visitslot_uq"),
        ]
        indexes = [models.Index(fields=["facility", "day"], name="visitslot_fac_day")]

    def __str__(self) -> str:
        return f"{self.template_id} {self.day}"


class VisitKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary visit")
    NON_CONTACT = "non_contact", _("Non-contact visit")
    FAMILY = "family", _("Family visit with children")
    LAWYER = "lawyer", _("Lawyer's visit")


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held (not yet confirmed)")
    CONFIRMED = "confirmed", _("Confirmed")
    FLAGGED = "flagged", _("Needs review")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Took place")
    NO_SHOW = "no_show", _("Did not take place")


# The statuses that take a place in the session (a hold only until it lapses).
TAKES_PLACE = ("held", "confirmed", "flagged")


class VisitBooking(TimeStampedModel):
    slot = models.ForeignKey(
        VisitSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    room = models.ForeignKey(VisitRoom, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    supervised = models.BooleanField(_("supervised"), default=False)
    police_control = models.BooleanField(_("under police control"), default=False)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    via_portal = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    flag_reason = models.CharField(_("why it needs review"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_times"),
            models.CheckConstraint(
                condition=Q(slot__isnull=False) | Q(kind="lawyer"), name="booking_slot_or_lawyer"
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "status"], name="booking_slot_status"),
            models.Index(fields=["person", "starts_at"], name="booking_person_time"),
            models.Index(fields=["facility", "starts_at"], name="booking_facility_time"),
        ]

    def __str__(self) -> str:
        return self.reference


class BookingVisitor(models.Model):
    """Who comes to a visit: approved contacts of the person."""

    booking = models.ForeignKey(VisitBooking, on_delete=models.CASCADE, related_name="visitors")
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "visitor"], name="bookingvisitor_uq")
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.visitor_id}"


class NoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Visit confirmed")
    CANCELLED = "cancelled", _("Visit cancelled")
    CHANGED = "changed", _("Visit needs review")
    CONTACT_DECIDED = "contact", _("Contact request answered")


class Notice(models.Model):
    """A message to a visitor, shown in the family portal (and sent by email where given)."""

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="notices")
    booking = models.ForeignKey(
        VisitBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


# --- Phone --------------------------------------------------------------------------------------


class PhoneStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REMOVED = "removed", _("Removed")


class PhoneNumber(TimeStampedModel):
    """A number a person may call (SGL § 32). Calls to a lawyer's number are never monitored."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="phone_numbers"
    )
    number = models.CharField(_("number"), max_length=20)  # E.164, e.g. +4791234567
    label = models.CharField(_("whose number"), max_length=120)
    privileged = models.BooleanField(_("lawyer or official body"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=PhoneStatus.choices, default=PhoneStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["person_id", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number"],
                condition=Q(status__in=["requested", "approved"]),
                name="phone_one_live",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PhoneSetting(models.Model):
    """A facility's phone rules: weekly minutes (never below the law's minimum) and whether
    calls are monitored, by default from the security level."""

    facility = models.OneToOneField(
        "estate.Facility", on_delete=models.CASCADE, related_name="phone_setting"
    )
    weekly_minutes = models.PositiveSmallIntegerField(_("minutes a week"))
    monitored = models.BooleanField(_("calls monitored"))
    monitoring_reason = models.CharField(_("why (not) monitored"), max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.weekly_minutes} min"


class CallImport(models.Model):
    """One file of call records from the phone system."""

    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class CallRecord(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("estate.Facility", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=20)
    phone_number = models.ForeignKey(
        PhoneNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()
    monitored = models.BooleanField(default=False)
    call_id = models.CharField(max_length=64)  # the phone system's own id
    source = models.ForeignKey(CallImport, on_delete=models.PROTECT, related_name="records")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "call_id"], name="call_unique_id"),
        ]
        indexes = [models.Index(fields=["person", "started_at"], name="call_person_time")]

    def __str__(self) -> str:
        return self.call_id


# --- Mail and parcels ---------------------------------------------------------------------------


class MailDirection(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class MailKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    PARCEL = "parcel", _("Parcel")


class MailStatus(models.TextChoices):
    LOGGED = "logged", _("Logged, not yet handled")
    INSPECTED = "inspected", _("Inspected")
    OPENED_IN_PRESENCE = "opened_in_presence", _("Opened in the person's presence, not read")
    NOT_INSPECTED = "not_inspected", _("Passed without inspection")
    POLICE = "police", _("Sent to the police for control")
    WITHHELD = "withheld", _("Withheld")
    DELIVERED = "delivered", _("Delivered")
    SENT = "sent", _("Sent")
    RETURNED = "returned", _("Returned to the sender")


class MailItem(TimeStampedModel):
    """One letter or parcel to or from a person (SGL § 30)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("direction"), max_length=4, choices=MailDirection.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=MailKind.choices)
    counterpart = models.CharField(_("sender or recipient"), max_length=200)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privileged = models.BooleanField(_("lawyer or official body"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=MailStatus.choices, default=MailStatus.LOGGED
    )
    logged_at = models.DateTimeField(_("logged"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    witness = models.CharField(_("second officer present"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    contents = models.CharField(_("parcel contents"), max_length=500, blank=True)
    contents_controlled = models.BooleanField(_("contents controlled"), default=False)

    class Meta:
        ordering = ["-logged_at", "-id"]
        indexes = [models.Index(fields=["person", "logged_at"], name="mail_person_time")]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.counterpart}"


# --- Court restrictions on remand (STRPL § 186) -------------------------------------------------


class RestrictionKind(models.TextChoices):
    VISIT_BAN = "visit_ban", _("Ban on visits")
    LETTER_BAN = "letter_ban", _("Ban on letters")
    VISITS_POLICE = "visits_police", _("Visits only under police control")
    LETTERS_POLICE = "letters_police", _("Letters only under police control")
    MEDIA_BAN = "media_ban", _("Ban on newspapers and media")
    ISOLATION_NAMED = "isolation_named", _("Isolation from named persons")
    FULL_ISOLATION = "full_isolation", _("Full isolation")


class CourtRestriction(TimeStampedModel):
    """A restriction the court ordered for a person on remand, with its order and expiry.

    It is in force from ``starts_on`` to ``ends_on`` (both included) unless lifted earlier.
    The defence lawyer's contact is never restricted by it (STRPL § 186)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "custody.CustodyEpisode", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("restriction"), max_length=16, choices=RestrictionKind.choices)
    court = models.CharField(_("court"), max_length=120)
    case_number = models.CharField(_("case number"), max_length=40)
    ordered_on = models.DateField(_("order date"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("expires"))
    # For full isolation: the maximum penalty of the offence, which sets the legal maximum.
    offence_max_years = models.PositiveSmallIntegerField(
        _("maximum penalty of the offence (years)"), null=True, blank=True
    )
    named_persons = models.ManyToManyField("people.Person", blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_on = models.DateField(_("lifted"), null=True, blank=True)
    lifted_reason = models.CharField(_("why lifted"), max_length=500, blank=True)

    class Meta:
        ordering = ["ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="restriction_period_order"
            )
        ]
        indexes = [
            models.Index(fields=["person", "kind", "ends_on"], name="restriction_person"),
            models.Index(fields=["ends_on"], name="restriction_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.starts_on}–{self.ends_on}"
