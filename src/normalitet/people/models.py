"""Person records. A national identity number is optional and never the key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from normalitet.core.models import TimeStampedModel


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not stated")


class Person(TimeStampedModel):
    """A person known to the correctional service: in custody now, before or awaiting."""

    person_number = models.CharField(_("person number"), max_length=16, unique=True)
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    preferred_name = models.CharField(_("preferred name"), max_length=120, blank=True)
    search_name = models.CharField(max_length=260, editable=False)
    # Kept by custody's admission and release, so that search over everyone in custody can use a
    # small partial index instead of scanning every person record (see bench/README.md).
    in_custody = models.BooleanField(default=False, editable=False)
    birth_date = models.DateField(_("date of birth"))
    national_id = models.CharField(
        _("national identity number or D-number"), max_length=11, blank=True
    )
    nationality = models.CharField(_("nationality"), max_length=2, default="NO")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    home_municipality = models.ForeignKey(
        "estate.Municipality",
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""), name="person_national_id_uq"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"


class NextOfKin(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="next_of_kin")
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class AlertKind(models.TextChoices):
    """Operational alerts. Never health diagnoses: those stay in the health record."""

    VIOLENCE = "violence", _("Risk of violence")
    ESCAPE = "escape", _("Escape risk")
    STAFF_SAFETY = "staff_safety", _("Staff safety")
    VULNERABLE = "vulnerable", _("Vulnerable person")
    CONFLICT = "conflict", _("Conflict with others")
    LANGUAGE = "language", _("Language and communication")
    OTHER = "other", _("Other")


class PersonAlert(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    text = models.CharField(_("text"), max_length=500)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-active_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="alert_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SeparationScope(models.TextChoices):
    CELL = "cell", _("Not in the same cell")
    UNIT = "unit", _("Not in the same unit")
    FACILITY = "facility", _("Not in the same facility")


class NonAssociation(TimeStampedModel):
    """Two persons to keep apart. Stored once, with the lower person id first."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("scope"), max_length=10, choices=SeparationScope.choices)
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="nonassoc_order"),
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                condition=Q(ended_at__isnull=True),
                name="nonassoc_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} / {self.person_b_id}"
