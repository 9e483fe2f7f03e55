"""Factories that keep invariants: a unit and its cells in one facility, users with a caseload."""

from __future__ import annotations

import datetime as dt

import factory

from normalitet.estate.models import Cell, Facility, Region, SecurityLevel, Unit
from normalitet.identity.models import User
from normalitet.people.models import Gender, Person
from normalitet.people.services import person_number_for, search_name_of


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Fjellvik {n} fengsel")
    security_level = SecurityLevel.HIGH


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Avdeling {n}")
    security_level = factory.LazyAttribute(lambda o: o.facility.security_level)


class CellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cell

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"{100 + n}")
    capacity = 1
    single_occupancy = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_names = factory.Sequence(lambda n: f"Ola{n}")
    family_name = "Nordmann"
    birth_date = dt.date(1990, 5, 17)
    gender = Gender.MALE
    person_number = factory.Sequence(lambda n: f"T{n:07d}")
    search_name = factory.LazyAttribute(lambda o: search_name_of(o.given_names, o.family_name))

    @factory.post_generation
    def number(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.person_number = person_number_for(obj.pk)
            obj.save(update_fields=["person_number"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Kari"
    last_name = "Betjent"
    password = factory.django.Password("demo-password-1")
    role = "officer"

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.units.set(extracted)
