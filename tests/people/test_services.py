"""Person records: identity numbers, names for search, alerts, non-associations."""

from __future__ import annotations

import datetime as dt

import pytest

from normalitet.core.errors import Conflict, DomainError
from normalitet.core.text import fold
from normalitet.people import services
from normalitet.people.models import NonAssociation, Person

pytestmark = pytest.mark.django_db


def _valid_fnr() -> tuple[str, dt.date]:
    from stdnum.no import fodselsnummer

    # 17 May 1990, individual number 123, check digits computed by python-stdnum's rules
    base = "170590123"
    for k1 in range(10):
        for k2 in range(10):
            number = f"{base}{k1}{k2}"
            if fodselsnummer.is_valid(number):
                return number, dt.date(1990, 5, 17)
    raise AssertionError("no valid number")


def test_person_gets_a_person_number_and_folded_search_name(users):
    p = services.person_create(
        actor=users["case_manager"],
        given_names=" Åse Marie ",
        family_name="Ærø-Østbø",
        birth_date=dt.date(1988, 2, 29),
        gender="female",
    )
    assert p.person_number == f"N{p.pk:07d}"
    assert p.search_name == "ase marie aero-ostbo"
    assert fold("Bjørn Ødegård") == "bjorn odegard"


def test_valid_identity_number_is_kept(users):
    fnr, born = _valid_fnr()
    p = services.person_create(
        actor=users["case_manager"],
        given_names="Ola",
        family_name="Nordmann",
        birth_date=born,
        gender="male",
        national_id=fnr[:6] + " " + fnr[6:],
    )
    assert p.national_id == fnr
    with pytest.raises(Conflict):
        services.person_create(
            actor=users["case_manager"],
            given_names="Ola",
            family_name="Nordmann",
            birth_date=born,
            gender="male",
            national_id=fnr,
        )


@pytest.mark.parametrize("bad", ["12345678901", "1705901234", "abc"])
def test_invalid_identity_number_is_refused_and_nothing_saved(users, bad):
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=users["case_manager"],
            given_names="Ola",
            family_name="Nordmann",
            birth_date=dt.date(1990, 5, 17),
            gender="male",
            national_id=bad,
        )
    assert exc.value.field == "national_id"
    assert Person.objects.count() == 0


def test_identity_number_must_match_birth_date(users):
    fnr, _ = _valid_fnr()
    with pytest.raises(DomainError, match="1990-05-17"):
        services.person_create(
            actor=users["case_manager"],
            given_names="Ola",
            family_name="Nordmann",
            birth_date=dt.date(1991, 5, 17),
            gender="male",
            national_id=fnr,
        )


def test_birth_date_in_future_refused(users):
    with pytest.raises(DomainError):
        services.person_create(
            actor=users["case_manager"],
            given_names="A",
            family_name="B",
            birth_date=dt.date(2999, 1, 1),
            gender="male",
        )


def test_alert_period_and_end(users):
    p = services.person_create(
        actor=users["case_manager"],
        given_names="A",
        family_name="B",
        birth_date=dt.date(1990, 1, 1),
        gender="male",
    )
    with pytest.raises(DomainError):
        services.alert_add(
            actor=users["case_manager"],
            person=p,
            kind="escape",
            text="x",
            active_from=dt.date(2026, 3, 2),
            active_to=dt.date(2026, 3, 1),
        )
    alert = services.alert_add(
        actor=users["case_manager"],
        person=p,
        kind="escape",
        text="Escape attempt 2024",
        active_from=dt.date(2026, 1, 1),
    )
    services.alert_end(actor=users["case_manager"], alert=alert, on=dt.date(2026, 2, 1))
    alert.refresh_from_db()
    assert alert.active_to == dt.date(2026, 2, 1)


def test_non_association_is_stored_once_and_not_twice(users):
    cm = users["case_manager"]
    a = services.person_create(
        actor=cm, given_names="A", family_name="B", birth_date=dt.date(1990, 1, 1), gender="male"
    )
    b = services.person_create(
        actor=cm, given_names="C", family_name="D", birth_date=dt.date(1990, 1, 1), gender="male"
    )
    na = services.non_association_add(actor=cm, person=b, other=a, scope="unit", reason="Threats")
    assert (na.person_a, na.person_b) == (a, b)
    with pytest.raises(Conflict):
        services.non_association_add(actor=cm, person=a, other=b, scope="cell", reason="x")
    with pytest.raises(DomainError):
        services.non_association_add(actor=cm, person=a, other=a, scope="cell", reason="x")
    services.non_association_end(actor=cm, na=na, reason="Case closed")
    services.non_association_add(actor=cm, person=a, other=b, scope="cell", reason="New")
    assert NonAssociation.objects.filter(ended_at__isnull=True).count() == 1
