"""Release readiness and the SGL § 41 duty, as pure rules (no Django).

What a person needs in place on release day is judged per area from two sources: the needs
mapping (what the person needs, in their words) and the referrals to outside partners (what
has been done about it). The values are the codes of ``planning.models``: ``NeedStatus``,
``ReferralStatus`` and ``ReadinessArea``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# The needs mapping domains behind each readiness area.
AREA_DOMAINS: dict[str, tuple[str, ...]] = {
    "housing": ("housing",),
    "income": ("work_education", "finances"),
    "care": ("health", "drugs_alcohol"),
    "id_bank": ("id_bank",),
    "network": ("family",),
}

# Referral statuses: on its way, in place, or closed without result.
ACTIVE_REFERRAL = frozenset({"sent", "acknowledged", "accepted"})
REFERRAL_IN_PLACE = "in_place"
CLOSED_REFERRAL = frozenset({"declined", "withdrawn"})

# Derived readiness of one area.
IN_PLACE = "in_place"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
DECLINED = "declined"  # the person declined support (needs mapping)
NO_NEED = "no_need"
STATUSES = (IN_PLACE, IN_PROGRESS, NOT_STARTED, DECLINED, NO_NEED)

# Under the SGL § 41 duty these areas need a live referral once the readiness window is open.
DUTY_AREAS = ("housing", "income")


def area_status(need_statuses: Sequence[str], referral_statuses: Iterable[str]) -> str:
    """The readiness of one area, first rule that fits:

    1. a referral in place: in place;
    2. a referral sent, acknowledged or accepted, or a domain being addressed: in progress;
    3. a domain with a need, or a domain not mapped yet: not started;
    4. support declined by the person in a domain: declined;
    5. a domain done: in place;
    6. otherwise (no need in every domain): no need.

    ``need_statuses`` has one entry per needs domain of the area ("" when not mapped).
    """
    referrals = set(referral_statuses)
    needs = set(need_statuses) if need_statuses else {""}
    if REFERRAL_IN_PLACE in referrals:
        return IN_PLACE
    if referrals & ACTIVE_REFERRAL or "in_progress" in needs:
        return IN_PROGRESS
    if "need" in needs or "" in needs:
        return NOT_STARTED
    if "declined" in needs:
        return DECLINED
    if "done" in needs:
        return IN_PLACE
    return NO_NEED


@dataclass(frozen=True)
class Section41:
    """The SGL § 41 duty for one person: whether it applies, and what is missing."""

    under_limit: bool
    consents: bool | None  # the answer in force; None when none is recorded
    applies: bool
    ask_consent: bool  # under the age limit and no answer recorded
    missing: tuple[str, ...]  # "coordinator", and any of DUTY_AREAS without a live referral

    @property
    def met(self) -> bool:
        return not self.missing


def section_41(
    *,
    under_limit: bool,
    consents: bool | None,
    coordinator: str,
    window_open: bool,
    areas: Mapping[str, str],
    referrals: Mapping[str, Iterable[str]],
) -> Section41:
    """SGL § 41: for a person under 25 who consents, release preparation with housing, work
    and welfare services is a duty, with coordination. The duty applies when the answer in
    force is a consent; it then needs a named coordinator, and -- from the opening of the
    readiness window -- a referral that is not declined or withdrawn for housing and for
    income, unless the needs mapping records no need in the area (``areas`` holds the derived
    status per area, ``referrals`` the referral statuses per area)."""
    applies = under_limit and consents is True
    missing: list[str] = []
    if applies:
        if not coordinator.strip():
            missing.append("coordinator")
        if window_open:
            for area in DUTY_AREAS:
                live = [s for s in referrals.get(area, ()) if s not in CLOSED_REFERRAL]
                if not live and areas.get(area) != NO_NEED:
                    missing.append(area)
    return Section41(
        under_limit=under_limit,
        consents=consents,
        applies=applies,
        ask_consent=under_limit and consents is None,
        missing=tuple(missing),
    )
