"""The court's restrictions enforced beyond visits: cell allocation (full isolation means a cell
alone; isolation from named persons keeps them in different units, both ways), activities
(no group activity in full isolation; no activity where an isolated-from person holds a place,
without naming them), and the regime's figures (full isolation counts as restricted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from normalitet.core.errors import Conflict
from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.regime import allocation as alloc
from normalitet.regime import figures

from ..regime.helpers import activity, place
from .helpers import order
from .test_court_orders import remanded

SHARE = "Delt celle etter vurdering"


@pytest.fixture
def two(estate: Any, users: dict[str, Any], frozen: Any) -> dict[str, Any]:
    """Rune in unit A and Per, not yet placed: both on remand in the high-security prison."""
    return {
        "rune": remanded(users, estate.high, estate.cells_a[0], given_names="Rune"),
        "per": remanded(users, estate.high, given_names="Per"),
    }


def _cell(users: dict[str, Any], episode: Any, cell: Any, **kw: Any) -> CustodyEpisode:
    return custody.allocate_cell(actor=users["case_manager"], episode=episode, cell=cell, **kw)


def _where(episode: Any) -> Any:
    return CustodyEpisode.objects.get(pk=episode.pk).cell_id


# --- Cell allocation ----------------------------------------------------------------------------


def test_full_isolation_refuses_a_shared_cell_both_ways(two, users, estate):
    rune, per = two["rune"], two["per"]
    _cell(users, rune, estate.double_cell)  # alone: allowed
    order(per, "full_isolation", offence_max_years=10, ends_on=dt.date(2026, 3, 14))
    with pytest.raises(Conflict, match="cannot share a cell") as err:
        _cell(users, per, estate.double_cell, shared_cell_reason=SHARE)
    assert err.value.rule == "court-isolation" and _where(per) is None
    _cell(users, per, estate.cells_b[0])  # a cell alone is fine
    # The other way: someone moves in with a person in full isolation.
    ole = remanded(users, estate.high, given_names="Ole")
    order(ole, "full_isolation", offence_max_years=10, ends_on=dt.date(2026, 3, 14))
    cm = users["case_manager"]
    custody.allocate_cell(actor=cm, episode=rune, cell=estate.cells_a[1])  # Rune moves out
    _cell(users, ole, estate.double_cell)
    with pytest.raises(Conflict, match="in full isolation by court order"):
        _cell(users, rune, estate.double_cell, shared_cell_reason=SHARE)
    assert _where(rune) == estate.cells_a[1].pk


def test_isolation_from_named_persons_keeps_them_in_different_units_both_ways(two, users, estate):
    rune, per = two["rune"], two["per"]
    o = order(rune, "isolation_named")
    o.named_persons.set([per.person_id])
    with pytest.raises(Conflict, match="isolation from a person placed in this unit") as err:
        _cell(users, per, estate.cells_a[1])  # Per is named in Rune's order
    assert "Rune" not in err.value.message and _where(per) is None
    _cell(users, per, estate.cells_b[0])
    # Rune, whose order it is, cannot move into Per's unit either.
    with pytest.raises(Conflict, match="isolation from a person placed in this unit"):
        _cell(users, rune, estate.cells_b[1])
    assert _where(rune) == estate.cells_a[0].pk


def test_a_lifted_or_expired_order_no_longer_refuses(two, users, estate):
    rune, per = two["rune"], two["per"]
    o = order(rune, "isolation_named", ends_on=dt.date(2026, 3, 1))  # expired yesterday
    o.named_persons.set([per.person_id])
    _cell(users, per, estate.cells_a[1])
    assert _where(per) == estate.cells_a[1].pk


# --- Activities ---------------------------------------------------------------------------------


def _request(users: dict[str, Any], episode: Any, act: Any) -> Any:
    return alloc.allocation_request(actor=users["case_manager"], episode=episode, activity=act)


def test_full_isolation_refuses_group_activities_only(two, users, estate):
    rune = two["rune"]
    order(rune, "full_isolation", offence_max_years=10, ends_on=dt.date(2026, 3, 14))
    group = activity(estate.high, "Snekkerverkstedet", capacity=6)
    cm = users["case_manager"]
    waiting = _request(users, rune, group)
    with pytest.raises(Conflict, match="full isolation") as err:
        alloc.allocation_allocate(actor=cm, allocation=waiting)
    assert err.value.rule == "court-isolation"
    waiting.refresh_from_db()
    assert waiting.status == "requested"
    # After the order expires, the place can be given.
    done = alloc.allocation_allocate(actor=cm, allocation=waiting, starts_on=dt.date(2026, 3, 15))
    assert done.status == "allocated"
    alone = activity(estate.high, "Eneundervisning", category="basic_schooling", capacity=1)
    assert alloc.allocation_allocate(actor=cm, allocation=_request(users, rune, alone))


def test_isolation_from_named_refuses_the_activity_both_ways_without_naming(two, users, estate):
    rune, per = two["rune"], two["per"]
    _cell(users, per, estate.cells_b[0])
    o = order(rune, "isolation_named")
    o.named_persons.set([per.person_id])
    shop = activity(estate.high, "Snekkerverkstedet", capacity=6)
    kitchen = activity(estate.high, "Kjøkkenet", category="kitchen", capacity=6)
    cm = users["case_manager"]
    place(shop, per)
    with pytest.raises(Conflict, match="isolated from someone") as err:
        alloc.allocation_allocate(actor=cm, allocation=_request(users, rune, shop))
    assert "Per" not in err.value.message
    place(kitchen, rune)
    with pytest.raises(Conflict, match="isolated from someone"):
        alloc.allocation_allocate(actor=cm, allocation=_request(users, per, kitchen))
    other = remanded(users, estate.high, estate.cells_a[1], given_names="Ole")
    assert alloc.allocation_allocate(actor=cm, allocation=_request(users, other, shop))


# --- The regime's figures -----------------------------------------------------------------------


def test_full_isolation_counts_as_restricted_in_the_figures(two, users, estate):
    rune, per = two["rune"], two["per"]
    order(rune, "full_isolation", starts_on=dt.date(2026, 2, 25), ends_on=dt.date(2026, 3, 10),
          offence_max_years=10)  # fmt: skip
    order(per, "visit_ban")  # not a restriction on company
    found = figures.restrictions_on(day=dt.date(2026, 3, 2), facility_ids=[estate.high.pk])
    assert found == {rune.pk: ("court", dt.date(2026, 2, 25))}
    later = figures.restrictions_on(day=dt.date(2026, 3, 11), facility_ids=[estate.high.pk])
    assert later == {}
