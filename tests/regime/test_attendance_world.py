"""A small world for the attendance and allowance tests (no tests here): time frozen on Monday
2 March 2026, 10:30 in Oslo; three persons admitted on 16 February through the custody
services, with their cells from that day.

- Ola Aas (sentenced, unit A) holds a place in the workshop (two sessions a weekday,
  supplement 10 kroner);
- Kari Berg (sentenced, unit A) holds a place in the school, led by the teacher (one session);
- Per Dahl (remand, unit B) has no activity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from normalitet.core.clock import OSLO
from normalitet.custody import services as custody
from normalitet.custody.models import CustodyEpisode
from normalitet.regime.models import Activity, Allocation, Session

from ..conftest import NOW
from ..factories import PersonFactory
from .helpers import activity, place

TODAY = dt.date(2026, 3, 2)
SINCE = dt.datetime(2026, 2, 16, 8, 0, tzinfo=OSLO)
LAST_WEEK = [dt.date(2026, 2, 23) + dt.timedelta(days=i) for i in range(7)]


def inside(
    users: dict[str, Any],
    cell: Any,
    time_machine: Any,
    *,
    at: dt.datetime = SINCE,
    status: str = "sentenced",
    **person: Any,
) -> CustodyEpisode:
    """A person admitted at ``at`` and given ``cell`` then; the clock goes back to NOW."""
    facility = cell.unit.facility
    cm = users["case_manager"]
    if facility.pk != cm.facility_id:
        cm = users["lower_case_manager"]
    time_machine.move_to(at, tick=False)
    episode = custody.admit(
        actor=cm, person=PersonFactory(**person), legal_status=status, facility=facility
    )
    episode = custody.allocate_cell(actor=cm, episode=episode, cell=cell)
    time_machine.move_to(NOW, tick=False)
    return episode


@dataclass
class World:
    workshop: Activity
    school: Activity
    ola: CustodyEpisode
    kari: CustodyEpisode
    per: CustodyEpisode
    ola_place: Allocation
    kari_place: Allocation

    def session(self, act: Activity, weekday: int = 0, starts: str = "08:30") -> Session:
        return Session.objects.get(
            activity=act, weekday=weekday, starts=dt.time.fromisoformat(starts)
        )

    @property
    def morning(self) -> Session:
        """The workshop's Monday morning session."""
        return self.session(self.workshop)

    @property
    def lesson(self) -> Session:
        """The school's Monday session."""
        return self.session(self.school, starts="09:00")


def build(estate: Any, users: dict[str, Any], time_machine: Any) -> World:
    time_machine.move_to(NOW, tick=False)
    workshop = activity(estate.high, "Snekkerverkstedet", supplement_ore=1_000)
    school = activity(
        estate.high,
        "Grunnskolen",
        category="basic_schooling",
        times=(("09:00", "12:00"),),
        leader=users["teacher"],
        provider="county",
        place="Skolen",
    )
    ola = inside(users, estate.cells_a[0], time_machine, given_names="Ola", family_name="Aas")
    kari = inside(users, estate.cells_a[1], time_machine, given_names="Kari", family_name="Berg")
    per = inside(
        users,
        estate.cells_b[0],
        time_machine,
        status="remand",
        given_names="Per",
        family_name="Dahl",
    )
    start = SINCE.date()
    return World(
        workshop,
        school,
        ola,
        kari,
        per,
        place(workshop, ola, starts_on=start),
        place(school, kari, starts_on=start),
    )
