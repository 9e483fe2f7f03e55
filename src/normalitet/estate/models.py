"""Regions, facilities, units and cells: the places where people serve their sentence."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from normalitet.core.models import TimeStampedModel


class SecurityLevel(models.TextChoices):
    """Forms of execution in an institution (SGL § 10)."""

    HIGH = "high", _("High security")
    LOWER = "lower", _("Lower security")
    HALFWAY = "halfway", _("Halfway house")


class UnitKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary unit")
    REMAND = "remand", _("Remand unit")
    SPECIAL_HIGH = "special_high", _("Special high-security unit")
    YOUTH = "youth", _("Youth unit")
    WOMEN = "women", _("Women's unit")
    RECEPTION = "reception", _("Reception unit")
    DRUG_FREE = "drug_free", _("Drug-free unit")


class Activatable(TimeStampedModel):
    is_active = models.BooleanField(_("active"), default=True)
    status_reason = models.CharField(_("reason for status"), max_length=255, blank=True)

    class Meta:
        abstract = True


class Region(TimeStampedModel):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(TimeStampedModel):
    """A municipality (kommune) with the position of its centre: where persons live, so that
    placement can weigh the distance to home and family (SGF § 3-4: near home where practical).
    Reference data, kept by the system administrator (numbers and centres from Statistics
    Norway)."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "municipalities"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="municipality_position_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Facility(Activatable):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="facilities")
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    security_level = models.CharField(
        _("security level"), max_length=16, choices=SecurityLevel.choices
    )
    # Where the facility is, for the distance to a person's home in placement.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class Unit(Activatable):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.ORDINARY
    )
    security_level = models.CharField(
        _("security level"), max_length=16, choices=SecurityLevel.choices
    )

    class Meta:
        ordering = ["facility__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} – {self.name}"


class Cell(Activatable):
    """A cell or room. Capacity is the number of beds; most cells hold one person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cells")
    code = models.CharField(_("number"), max_length=16)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    single_occupancy = models.BooleanField(_("single occupancy"), default=True)
    accessible = models.BooleanField(_("accessible"), default=False)
    own_bathroom = models.BooleanField(_("own bathroom"), default=True)
    safe_cell = models.BooleanField(_("safe cell"), default=False)

    class Meta:
        ordering = ["unit_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="cell_code_unique"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=8), name="cell_capacity_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code
