"""Norwegian identity numbers (fødselsnummer, D-nummer) validated with python-stdnum."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

from normalitet.core.errors import DomainError


def clean_national_id(raw: str, *, birth_date: dt.date | None) -> str:
    """Return the 11 digits, or raise with a message a person can act on. Empty stays empty."""
    value = (raw or "").replace(" ", "").strip()
    if not value:
        return ""
    try:
        value = fodselsnummer.validate(value)
    except StdnumError as exc:
        raise DomainError(
            _("Not a valid national identity number or D-number (11 digits, check digits)."),
            field="national_id",
        ) from exc
    try:
        born = fodselsnummer.get_birth_date(value)
    except StdnumError:
        born = None
    if birth_date and born and born != birth_date:
        raise DomainError(
            _("The identity number gives the date of birth %(date)s.") % {"date": born.isoformat()},
            field="national_id",
        )
    return str(value)
