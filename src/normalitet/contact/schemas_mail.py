"""API schemas of mail and parcels. Names are unique across the whole API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class MailItemIn(Schema):
    direction: str
    kind: str
    counterpart: str = ""
    contact_id: int | None = None
    privileged: bool = False
    contents: str = ""
    note: str = ""


class MailHandleIn(Schema):
    action: str
    witness: str = ""
    reason: str = ""
    contents_controlled: bool = False
    contents: str = ""
    person_present: bool = False


class MailItemOut(Schema):
    id: int
    person_id: int
    direction: str
    kind: str
    counterpart: str
    contact_id: int | None
    privileged: bool
    status: str
    logged_at: dt.datetime
    handled_at: dt.datetime | None
    witness: str
    reason: str
    contents: str
    contents_controlled: bool
    next_actions: list[str]
