"""Explanation steps in the reader's language. The engine gives each step a stable `code`, the
rule it cites and its values; English text comes from the engine, Norwegian bokmål from here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import get_language

NB: dict[str, str] = {
    "sentence.length": "Dom {index_1}, {length}, regnet kalendermessig fra {from} til {until}: "
    "{days} dager.",
    "sentence.total": "Dommene sones etter hverandre og legges sammen: {days} dager.",
    "sentence.fraction": "{fraction} av {sentence_days} dager, avrundet {rounding} til hele "
    "dager: {days} dager.",
    "remand.none": "Ingen frihetsberøvelse før start: ikke fradrag.",
    "remand.deprivation": "Frihetsberøvelse {from} til {to} ({hours} t {minutes} min): én dag "
    "for hvert påbegynte døgn utover de første 4 timene = {days} dager.",
    "remand.full_isolation": "Full isolasjon {from} til {to} ({hours} t {minutes} min): én dag "
    "til for hver påbegynte 2 dager = {days} dager.",
    "remand.total": "Fradrag i alt: {days} dager.",
    "date.day_served": "Dagen {days} dager er sonet, når {deduction} dagers fradrag regnes som "
    "sonet: {start} + ({days} - {deduction}) - 1 = {date}.",
    "date.not_before_start": "Ingen dato er før straffegjennomføringen starter: {date}.",
    "date.after_end": "{date} er etter siste dag, {end}: datoen gjelder ikke.",
    "date.later_of": "Den seneste av {first} og {second}: {date}.",
    "expiry.whole_sentence": "Straffen er ferdig den dagen alle {days} dager er sonet.",
    "parole.fraction": "To tredjedeler av {sentence_days} dager, avrundet {rounding}: {days} "
    "dager.",
    "parole.early_fraction": "Halvparten av {sentence_days} dager, avrundet {rounding}: {days} "
    "dager.",
    "parole.minimum_days": "Minst {days} dager må være sonet.",
    "parole.served_in_full": "Bare {remaining} dager ville gjenstå (under {min}): straffen sones "
    "fullt ut; prøveløslatelse bare når sterke grunner taler for det.",
    "custody.from_deprivation": "Sammenhengende frihetsberøvelse startet {from} (frihetsberøvelse "
    "fram til start); {months} måneder er fullført {date}.",
    "custody.from_start": "Sammenhengende frihetsberøvelse startet ved start, {from}; {months} "
    "måneder er fullført {date}.",
    "leave.long_sentence": "Straff over 12 år: i stedet for en tredjedel må {years} kalenderår fra "
    "start, {days} dager, være sonet.",
    "em.excluded": "Lovbruddet utelukker elektronisk kontroll.",
    "em.whole_sentence": "Straffen er høyst {months} kalendermåneder ({limit_days} dager): "
    "elektronisk kontroll kan gjelde fra start, {date}.",
    "em.before_release": "{months} kalendermåneder før forventet løslatelse {release}: {date}.",
    "lower_security.before_parole": "{months} måneder før prøveløslatelsesdatoen {parole}: {date}.",
    "lower_security.no_parole": "Ingen prøveløslatelsesdato, derfor ingen vurderingsdato før den.",
    "parole_review.no_refusal": "Prøveløslatelse er ikke avslått.",
    "parole_review.no_parole": "Ingen ordinær prøveløslatelsesdato å vurdere på nytt.",
    "parole_review.after_refusals": "Etter {refusals} avslag: ny vurdering hver {months}. måned "
    "fra prøveløslatelsesdatoen {parole}: {date}.",
    "not_applicable.prison": "Gjelder bare forvaring.",
    "not_applicable.preventive_detention": "Gjelder ikke forvaring.",
    "preventive.time_frame": "Tidsramme {length}, regnet kalendermessig fra {from} til {until}: "
    "{days} dager.",
    "preventive.extension": "Forlengelse {index_1} fra retten på {length}, fra {from} til "
    "{until}: {days} dager til, {total} i alt.",
    "preventive.frame_end": "Tidsrammen utløper den dagen alle {days} dager er sonet.",
    "preventive.extension_deadline": "Påtalemyndigheten må reise sak om forlengelse minst "
    "{months} måneder før tidsrammen utløper {frame_end}: {date}.",
    "preventive.minimum_term": "Minstetid {length}, regnet kalendermessig fra {from} til "
    "{until}: {days} dager.",
    "preventive.no_minimum_term": "Ingen minstetid er fastsatt.",
    "preventive.leave_fraction": "{fraction} av minstetiden på {minimum_term_days} dager, "
    "avrundet {rounding}: {days} dager.",
    "preventive.probation_application": "Dommen ble rettskraftig {final}; søknad kan fremmes "
    "{years} år senere: {date}.",
    "preventive.probation_after_refusal": "Siste avslag ble rettskraftig {final}; ny søknad kan "
    "fremmes {years} år senere: {date}.",
    "interruption.shift": "Avbrudd ({reason}) fra {from} til {to} regnes ikke som sonet: "
    "{days} dager senere, {date}.",
}

_FRACTIONS = {"2/3": "To tredjedeler", "1/2": "Halvparten", "1/3": "En tredjedel"}
_REASONS = {
    "escape": "rømning",
    "failure_to_return": "uteblivelse fra permisjon",
    "interruption": "avbrudd i straffegjennomføringen",
    "remand_other_case": "varetekt i en annen sak",
}
_ROUNDING = {"up": "opp", "down": "ned"}
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")
_UNITS = (("år", "år"), ("måned", "måneder"), ("dag", "dager"))


def _nb_value(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key == "fraction":
        return _FRACTIONS.get(value, value)
    if key == "reason":
        return _REASONS.get(value, value)
    if key == "rounding":
        return _ROUNDING.get(value, value)
    if match := _DURATION.match(value):
        parts = [
            f"{n} {one if int(n) == 1 else many}"
            for n, (one, many) in zip(match.groups(), _UNITS, strict=True)
            if n
        ]
        return ", ".join(parts) or "0 dager"
    try:
        if "T" in value:
            return dt.datetime.fromisoformat(value).strftime("%d.%m.%Y kl. %H:%M")
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


def step_text(step: dict[str, Any]) -> str:
    """The step's text in the active language (English from the engine, else bokmål here)."""
    template = NB.get(step["code"]) if (get_language() or "nb").startswith("nb") else None
    if template is None:
        return str(step["text"])
    values = {key: _nb_value(key, value) for key, value in step.get("values", {}).items()}
    if "index" in values:
        values["index_1"] = int(values["index"]) + 1
    try:
        return template.format_map(values)
    except (KeyError, ValueError):
        return str(step["text"])
