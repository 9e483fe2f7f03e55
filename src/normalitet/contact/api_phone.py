"""API: the phone (under /api/v1/contact/). Numbers, weekly use, the facility's setting, the
import of call records (multipart CSV) and the allowlist the phone system reads."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from normalitet.audit.services import record_access
from normalitet.core import clock
from normalitet.core.errors import NotFound
from normalitet.core.schemas import ERRORS
from normalitet.core.validation import iso_date
from normalitet.identity.models import AuthenticatedRequest
from normalitet.identity.policies import can, ensure_cap
from normalitet.identity.roles import Cap

from . import access, contacts, phone
from .access import ensure_phone
from .models import PhoneNumber
from .schemas_phone import (
    AllowlistPersonOut,
    CallImportOut,
    PhoneDecisionIn,
    PhoneNumberIn,
    PhoneNumberOut,
    PhoneRemoveIn,
    PhoneSettingIn,
    PhoneSettingOut,
    PhoneUsageOut,
)

router = Router(tags=["contact"])


def _viewer(request: AuthenticatedRequest) -> Any:
    if not can(request.user, Cap.CONTACT_VIEW) or not request.user.facility_id:
        raise NotFound(_("Not found."))
    return request.user


def _usage_out(u: phone.WeekUsage) -> dict[str, Any]:
    return {
        "person_id": u.person_id,
        "name": u.name,
        "person_number": u.person_number,
        "week": u.label,
        "quota_minutes": u.quota,
        "minutes": u.minutes,
        "privileged_minutes": u.privileged_minutes,
        "calls": u.calls,
        "monitored_calls": u.monitored_calls,
        "unapproved_calls": u.unapproved_calls,
        "calls_during_ban": u.banned_calls,
        "over_quota": u.over_quota,
    }


@router.get("/persons/{person_id}/phone-numbers", response={200: list[PhoneNumberOut], **ERRORS})
def get_phone_numbers(request: AuthenticatedRequest, person_id: int) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    record_access(actor=user, person_id=episode.person_id, what="contact.phone", reason="api")
    return list(phone.numbers_of(episode.person_id))


@router.post("/persons/{person_id}/phone-numbers", response={201: PhoneNumberOut, **ERRORS})
def post_phone_number(request: AuthenticatedRequest, person_id: int, body: PhoneNumberIn) -> Any:
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    contact = None
    if body.contact_id is not None:
        contact = contacts.contacts_of(episode.person_id).filter(pk=body.contact_id).first()
        if contact is None:
            raise NotFound(_("No such contact."), field="contact_id")
    created = phone.phone_number_add(
        actor=user,
        episode=episode,
        number=body.number,
        label=body.label,
        contact=contact,
        approve=body.approve,
    )
    return Status(201, created)


@router.post("/phone-numbers/{number_id}/decide", response={200: PhoneNumberOut, **ERRORS})
def post_phone_decide(request: AuthenticatedRequest, number_id: int, body: PhoneDecisionIn) -> Any:
    user = _viewer(request)
    target = ensure_phone(actor=user, number_id=number_id)
    phone.phone_number_decide(
        actor=user, phone=target, approve=body.decision == "approve", reason=body.reason
    )
    return PhoneNumber.objects.get(pk=number_id)


@router.post("/phone-numbers/{number_id}/remove", response={200: PhoneNumberOut, **ERRORS})
def post_phone_remove(request: AuthenticatedRequest, number_id: int, body: PhoneRemoveIn) -> Any:
    user = _viewer(request)
    target = ensure_phone(actor=user, number_id=number_id)
    phone.phone_number_remove(actor=user, phone=target, reason=body.reason)
    return PhoneNumber.objects.get(pk=number_id)


@router.get("/persons/{person_id}/phone-usage", response={200: PhoneUsageOut, **ERRORS})
def get_person_usage(request: AuthenticatedRequest, person_id: int, week: str = "") -> Any:
    """The person's use in ``week`` (``2026-W10``; this week if not given)."""
    user = _viewer(request)
    episode = access.ensure_episode(actor=user, person_id=person_id)
    monday = phone.parse_week(week)
    rows = phone.usage_for_week(episodes=[episode], facility=episode.facility, monday=monday)
    return _usage_out(rows[0])


@router.get("/phone/usage", response={200: list[PhoneUsageOut], **ERRORS})
def get_usage(request: AuthenticatedRequest, week: str = "") -> Any:
    """Each person's use in ``week`` in the actor's facility (their caseload only)."""
    user = _viewer(request)
    facility = access.contact_facility(actor=user)
    monday = phone.parse_week(week)
    episodes = list(
        access.episodes_for(actor=user)
        .filter(facility=facility)
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )
    return [
        _usage_out(u)
        for u in phone.usage_for_week(episodes=episodes, facility=facility, monday=monday)
    ]


@router.post("/phone/imports", response={201: CallImportOut, **ERRORS})
def post_import(
    request: AuthenticatedRequest,
    file: File[UploadedFile],
    import_valid: Form[bool] = False,
) -> Any:
    """Import a CSV of call records. A file with row errors imports nothing (400, one error per
    row, its message starting with the line number) unless ``import_valid``."""
    user = _viewer(request)
    ensure_cap(user, Cap.PHONE_IMPORT)
    facility = access.contact_facility(actor=user)
    result = phone.calls_import(
        actor=user,
        facility=facility,
        filename=file.name or "calls.csv",
        content=file.read(),
        import_valid=import_valid,
    )
    if result.saved is None:
        # The API's one error shape: a row's line number leads its message.
        rows = [
            {"field": "file", "message": _("Line %(line)s: %(message)s") % asdict(e),
             "rule": "csv-row"}
            for e in result.errors
        ]  # fmt: skip
        return Status(400, {"errors": rows})
    body = {
        "id": result.saved.pk,
        **{k: getattr(result, k) for k in ("rows", "valid", "added", "duplicates")},
        "unapproved": result.unapproved,
        "during_ban": result.during_ban,
        "row_errors": [asdict(e) for e in result.errors],
    }
    return Status(201, body)


@router.get("/phone/allowlist", response={200: list[AllowlistPersonOut], **ERRORS})
def get_allowlist(request: AuthenticatedRequest, date: str = "") -> Any:
    """For each person in custody in the facility: the numbers they may call on ``date``
    (today if not given) and whether each call is monitored. Read by the phone system; needs
    ``PHONE_IMPORT``."""
    user = _viewer(request)
    ensure_cap(user, Cap.PHONE_IMPORT)
    facility = access.contact_facility(actor=user)
    day = iso_date(date) if date else clock.today()
    return [asdict(p) for p in phone.allowed_numbers(facility.pk, day)]


def _setting_out(setting: Any) -> dict[str, Any]:
    return {
        "facility_id": setting.facility_id,
        "weekly_minutes": setting.weekly_minutes,
        "monitored": setting.monitored,
        "monitoring_reason": setting.monitoring_reason,
        "saved": setting.pk is not None,
    }


@router.get("/phone/setting", response={200: PhoneSettingOut, **ERRORS})
def get_setting(request: AuthenticatedRequest) -> Any:
    user = _viewer(request)
    return _setting_out(phone.setting_of(access.contact_facility(actor=user)))


@router.put("/phone/setting", response={200: PhoneSettingOut, **ERRORS})
def put_setting(request: AuthenticatedRequest, body: PhoneSettingIn) -> Any:
    user = _viewer(request)
    facility = access.contact_facility(actor=user)
    return _setting_out(phone.phone_setting_update(actor=user, facility=facility, **body.dict()))
