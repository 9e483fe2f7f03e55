"""Text helpers for search: folding Norwegian letters so that 'Ostbo' finds 'Østbø'."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss", "þ": "th", "đ": "d", "ł": "l"})


def fold(text: str) -> str:
    """Lower-case ASCII form: 'Åse Ærø-Østbø' becomes 'ase aero-ostbo'."""
    text = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()
