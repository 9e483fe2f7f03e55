"""Person search: names with or without Norwegian letters, identity numbers, person numbers."""

from __future__ import annotations

import pytest

from normalitet.custody.selectors import search_persons

from .helpers import admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def persons(estate, users):
    a = admitted(
        users,
        estate.high,
        estate.cells_a[0],
        given_names="Åse",
        family_name="Østbø",
        national_id="",
    )
    b = admitted(users, estate.high, estate.cells_b[0], given_names="Bjørn", family_name="Ærlig")
    c = admitted(users, estate.lower, estate.lower_cells[0], given_names="Åse", family_name="Østby")
    return a, b, c


@pytest.mark.parametrize("q", ["Østbø", "ostbo", "OSTBO", "åse østbø", "ase ostb"])
def test_name_with_or_without_norwegian_letters(persons, users, q):
    a, _, _ = persons
    assert [e.person_id for e in search_persons(actor=users["case_manager"], q=q)] == [a.person_id]


def test_person_number_with_or_without_prefix(persons, users):
    a, _, _ = persons
    number = a.person.person_number
    for q in (number, number.lower(), str(int(number[1:]))):
        assert [e.person_id for e in search_persons(actor=users["case_manager"], q=q)] == [
            a.person_id
        ]


def test_identity_number(persons, users):
    _, b, _ = persons
    b.person.national_id = "17059012345"
    b.person.save()
    found = search_persons(actor=users["case_manager"], q="170590 12345")
    assert [e.person_id for e in found] == [b.person_id]


def test_search_is_scoped_to_caseload(persons, users):
    a, b, c = persons
    # the officer works in unit A only; the lower-security person is in another facility
    assert [e.person_id for e in search_persons(actor=users["officer"], q="a")] == [a.person_id]
    assert search_persons(actor=users["case_manager"], q="Østby") == []
    assert search_persons(actor=users["regional"], q="Åse") == []
    assert search_persons(actor=users["admin"], q="Åse") == []


def test_in_custody_flag_follows_admission_and_release(estate, users):
    from normalitet.custody import services

    ep = admitted(users, estate.high, estate.cells_a[0])
    ep.person.refresh_from_db()
    assert ep.person.in_custody
    services.release(actor=users["case_manager"], episode=ep, reason="served")
    ep.person.refresh_from_db()
    assert not ep.person.in_custody
