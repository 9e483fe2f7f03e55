"""Roles and what each may do, defined in code (DESIGN.md, 'Users and what each may see').

Deny by default: a capability not listed for a role is refused. ``normalitet syncroles`` mirrors
this table into Django groups and permissions, so the admin shows the same truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    OFFICER = "officer"
    CONTACT_OFFICER = "contact_officer"
    CASE_MANAGER = "case_manager"
    FACILITY_LEADER = "facility_leader"
    REGIONAL = "regional"
    NATIONAL = "national"
    HEALTH = "health"
    TEACHER = "teacher"
    PERSON_IN_CUSTODY = "person_in_custody"
    VISITOR = "visitor"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class Scope(StrEnum):
    """Whose person records a role may open."""

    NONE = "none"
    UNITS = "units"  # persons placed in the units the user is assigned to
    ASSIGNED = "assigned"  # persons the user is contact officer for, and their units
    FACILITY = "facility"  # persons in custody in the user's facility
    OWN = "own"  # the person's own record


class Cap(StrEnum):
    """Capabilities. The codename is also the Django permission codename."""

    PERSON_VIEW = "person_view"  # full person record within scope
    PERSON_VIEW_MINIMAL = "person_view_minimal"  # name, birth date and location only
    PERSON_EDIT = "person_edit"  # identity, next of kin, alerts, non-associations
    PERSON_ACCESS_LOG = "person_access_log"  # who looked at a record
    ROLL_VIEW = "roll_view"
    ROLL_AGGREGATE = "roll_aggregate"  # roll counts for the facilities of a region or nation
    COUNT_RECORD = "count_record"
    CUSTODY_ADMIT = "custody_admit"
    CUSTODY_MOVE = "custody_move"  # cell allocation, internal moves, absences out and back
    CUSTODY_TRANSFER = "custody_transfer"
    CUSTODY_RELEASE = "custody_release"
    ESTATE_VIEW = "estate_view"
    ESTATE_MANAGE = "estate_manage"
    USER_MANAGE = "user_manage"
    AUDIT_VERIFY = "audit_verify"
    SENTENCE_VIEW = "sentence_view"  # legal dates and their explanations
    SENTENCE_EDIT = "sentence_edit"  # judgments, remand, interruptions, decisions
    SENTENCE_RECALC_ALL = "sentence_recalc_all"  # recalculate every active sentence
    PLAN_VIEW = "plan_view"  # contact officer, contact sessions and needs mapping
    PLAN_EDIT = "plan_edit"  # allocate a contact officer, record sessions, map needs
    # Transfer cases that the rules leave to the regional office (sentences over 10 years,
    # preventive detention, special high-security units), for the facilities of their region.
    TRANSFER_DECIDE_REGIONAL = "transfer_decide_regional"
    # The daily regime (RULES.md § 8). Teachers see only the activities they lead.
    REGIME_VIEW = "regime_view"  # activities, unit lists, schedules, regime figures
    REGIME_MANAGE = "regime_manage"  # catalogue, sessions, day plans, closures
    ACTIVITY_REQUEST = "activity_request"  # put a person on an activity's waiting list
    ACTIVITY_ALLOCATE = "activity_allocate"  # decide requests, allocate, suspend, end
    ATTENDANCE_RECORD = "attendance_record"  # take the register
    ALLOWANCE_VIEW = "allowance_view"  # a person's daily allowance statement
    ALLOWANCE_RUN = "allowance_run"  # compute the allowance for a facility's week
    EDUCATION_VIEW = "education_view"
    EDUCATION_EDIT = "education_edit"  # results, exams, certificates
    DIET_EDIT = "diet_edit"  # diets and clergy visits
    REGIME_AGGREGATE = "regime_aggregate"  # activity share and time out of cell per facility
    # Family contact (RULES.md §§ 7, 8): contacts, visits, phone, mail, court restrictions.
    CONTACT_VIEW = "contact_view"  # a person's contacts, visits, calls, mail and restrictions
    CONTACT_EDIT = "contact_edit"  # approve contacts, the visitor list, police checks, numbers
    VISIT_BOOK = "visit_book"  # book and cancel visits, record that they took place
    VISIT_MANAGE = "visit_manage"  # visit rooms, session times, blocked dates, phone settings
    MAIL_RECORD = "mail_record"  # log and handle letters and parcels
    PHONE_IMPORT = "phone_import"  # import the phone system's call records
    RESTRICTION_EDIT = "restriction_edit"  # record, renew and lift court restrictions
    VISITOR_PORTAL = "visitor_portal"  # the family portal: own relationships and bookings
    # Health (RULES.md § 10): the health record is read and written by health staff only.
    HEALTH_RECORD = "health_record"  # requests, appointments, medication, observation, referrals
    HEALTH_REQUEST_LOG = "health_request_log"  # log a request on a person's behalf (no read-back)
    OBSERVATION_CHECK = "observation_check"  # see observation levels and record each check


class Profession(StrEnum):
    """What a member of the health staff is; decides what they may do in the health record."""

    NURSE = "nurse"
    DOCTOR = "doctor"
    PSYCHOLOGIST = "psychologist"
    DENTIST = "dentist"
    ADDICTION = "addiction"


PROFESSION_CHOICES = [
    (Profession.NURSE.value, _("Nurse")),
    (Profession.DOCTOR.value, _("Doctor")),
    (Profession.PSYCHOLOGIST.value, _("Psychologist")),
    (Profession.DENTIST.value, _("Dentist")),
    (Profession.ADDICTION.value, _("Addiction counsellor")),
]


@dataclass(frozen=True)
class RoleDef:
    label: str | Promise
    scope: Scope
    caps: frozenset[Cap]


_UNIT_STAFF = {
    Cap.PERSON_VIEW,
    Cap.ROLL_VIEW,
    Cap.COUNT_RECORD,
    Cap.CUSTODY_MOVE,
    Cap.ESTATE_VIEW,
    Cap.SENTENCE_VIEW,
    Cap.PLAN_VIEW,
    Cap.REGIME_VIEW,
    Cap.ACTIVITY_REQUEST,
    Cap.ATTENDANCE_RECORD,
    Cap.ALLOWANCE_VIEW,
    Cap.CONTACT_VIEW,
    Cap.VISIT_BOOK,
    Cap.MAIL_RECORD,
    Cap.HEALTH_REQUEST_LOG,
    Cap.OBSERVATION_CHECK,
}
# Case managers and facility leaders run the regime of their facility.
_REGIME_OFFICE = {
    Cap.REGIME_MANAGE,
    Cap.ACTIVITY_ALLOCATE,
    Cap.ALLOWANCE_RUN,
    Cap.EDUCATION_VIEW,
    Cap.DIET_EDIT,
    Cap.CONTACT_EDIT,
    Cap.VISIT_MANAGE,
    Cap.PHONE_IMPORT,
    Cap.RESTRICTION_EDIT,
}

ROLES: dict[Role, RoleDef] = {
    Role.OFFICER: RoleDef(_("Officer"), Scope.UNITS, frozenset(_UNIT_STAFF)),
    Role.CONTACT_OFFICER: RoleDef(
        _("Contact officer"),
        Scope.ASSIGNED,
        frozenset(
            _UNIT_STAFF
            | {
                Cap.PERSON_EDIT,
                Cap.PLAN_EDIT,
                Cap.EDUCATION_VIEW,
                Cap.DIET_EDIT,
                Cap.CONTACT_EDIT,
            }
        ),
    ),
    Role.CASE_MANAGER: RoleDef(
        _("Case manager"),
        Scope.FACILITY,
        frozenset(
            _UNIT_STAFF
            | {
                Cap.PERSON_EDIT,
                Cap.CUSTODY_ADMIT,
                Cap.CUSTODY_TRANSFER,
                Cap.CUSTODY_RELEASE,
                Cap.PERSON_ACCESS_LOG,
                Cap.SENTENCE_EDIT,
                Cap.PLAN_EDIT,
            }
            | _REGIME_OFFICE
        ),
    ),
    Role.FACILITY_LEADER: RoleDef(
        _("Facility leader"),
        Scope.FACILITY,
        frozenset(
            _UNIT_STAFF
            | {
                Cap.PERSON_EDIT,
                Cap.CUSTODY_ADMIT,
                Cap.CUSTODY_TRANSFER,
                Cap.CUSTODY_RELEASE,
                Cap.PERSON_ACCESS_LOG,
                Cap.ESTATE_MANAGE,
                Cap.SENTENCE_EDIT,
                Cap.PLAN_EDIT,
            }
            | _REGIME_OFFICE
        ),
    ),
    Role.REGIONAL: RoleDef(
        _("Regional office"),
        Scope.NONE,
        frozenset(
            {
                Cap.ROLL_AGGREGATE,
                Cap.ESTATE_VIEW,
                Cap.TRANSFER_DECIDE_REGIONAL,
                Cap.REGIME_AGGREGATE,
            }
        ),
    ),
    Role.NATIONAL: RoleDef(
        _("Directorate"),
        Scope.NONE,
        frozenset({Cap.ROLL_AGGREGATE, Cap.ESTATE_VIEW, Cap.REGIME_AGGREGATE}),
    ),
    # Health staff (municipal) keep the health record and see only the minimal custody data
    # they need: name, birth date, unit and cell of the persons in their facility.
    Role.HEALTH: RoleDef(
        _("Health staff"), Scope.FACILITY, frozenset({Cap.PERSON_VIEW_MINIMAL, Cap.HEALTH_RECORD})
    ),
    # Teachers (county school) see the activities they lead, take their registers and keep the
    # education records of the persons enrolled in them; no other person records.
    Role.TEACHER: RoleDef(
        _("Teacher"),
        Scope.NONE,
        frozenset({Cap.REGIME_VIEW, Cap.ATTENDANCE_RECORD, Cap.EDUCATION_VIEW, Cap.EDUCATION_EDIT}),
    ),
    Role.PERSON_IN_CUSTODY: RoleDef(_("Person in custody"), Scope.OWN, frozenset()),
    Role.VISITOR: RoleDef(_("Visitor"), Scope.NONE, frozenset({Cap.VISITOR_PORTAL})),
    Role.RESEARCHER: RoleDef(_("Researcher"), Scope.NONE, frozenset()),
    Role.ADMIN: RoleDef(
        _("System administrator"),
        Scope.NONE,
        frozenset(
            {
                Cap.USER_MANAGE,
                Cap.ESTATE_VIEW,
                Cap.ESTATE_MANAGE,
                Cap.AUDIT_VERIFY,
                Cap.SENTENCE_RECALC_ALL,
            }
        ),
    ),
}

ROLE_CHOICES = [(r.value, ROLES[r].label) for r in Role]


def caps_of(role: str) -> frozenset[Cap]:
    try:
        return ROLES[Role(role)].caps
    except ValueError:
        return frozenset()


def scope_of(role: str) -> Scope:
    try:
        return ROLES[Role(role)].scope
    except ValueError:
        return Scope.NONE
