"""Names for synthetic people and places: plausible, and combined at random so they are fictional.

Given and family names are common ones, drawn independently, so no combination stands for anyone;
names of well-known people are left out. Place names are made-up compounds (no real prison's name).
"""

from __future__ import annotations

import random

from .nationalities import words

# --- Norwegian ---------------------------------------------------------------------------------

NO_MALE = (
    "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Thomas Hans Geir Tor Morten Terje Odd Erik "
    "Rune Trond Martin Anders Andreas Jon Espen Stian Kristian Daniel Marius Magnus Jonas Mathias "
    "Sondre Sindre Henrik Eirik Håkon Øyvind Ståle Pål Åge Frode Roar Vegard Jørgen Sigurd Ivar "
    "Tore Leif Gunnar Even Fredrik Kristoffer Tobias Emil Sander Aleksander Joakim Petter Ørjan "
    "Ådne Torbjørn Halvard Steinar Atle Yngve Bård Kåre Njål Kjetil Ola Audun Børge Tormod "
    "Asbjørn Øystein"
).split()
NO_FEMALE = (
    "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Randi Solveig Anna Nina Ida "
    "Silje Camilla Hanne Marianne Heidi Line Tone Kristin Ingeborg Sigrid Åse Guro Tuva Maren "
    "Ragnhild Synnøve Målfrid Torill Gro Siri Mona Elin Sunniva Mari Thea Emilie Ane Vilde Jorunn "
    "Bodil Åshild Tonje Linn Turid Gunvor Øydis"
).split()
NO_FAMILY = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solheim Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Rasmussen Lunde Kristensen Bakke "
    "Berge Moe Nygård Fredriksen Holm Lien Andresen Hauge Christensen Knudsen Nielsen Evensen "
    "Sæther Aas Myhre Hanssen Haugland Thomassen Sivertsen Simonsen Danielsen Berntsen Sandvik "
    "Rønning Arnesen Antonsen Næss Sandberg Ødegård Ødegaard Vik Haug Isaksen Mikkelsen Edvardsen "
    "Brekke Engen Aasen Wold Holmen Ruud Løken Hoel Bråten Kvamme Bjørnstad Grønli Håland Økland "
    "Østby Kjær Bø Fjeld Bøe Åsheim Våge Tveit Tangen Sætre Grønvold Kårstad Løvås Nordahl Mæland "
    "Sæbø Strøm Fosse Rød Dalen Flaten Helland Skog Tvedt Ås Bjørke Lægreid Østvold Sørli Ålvik "
    "Førde Ørnes Skår Rønneberg Hovland Frøyland Mørk Grønstad Vågen Åkre Nærø Bråthen Sjøvoll"
).split()


def norwegian_name(rng: random.Random, female: bool) -> tuple[str, str]:
    pool = NO_FEMALE if female else NO_MALE
    given = rng.choice(pool)
    if rng.random() < 0.14:
        second = rng.choice(pool)
        if second != given:
            given = f"{given} {second}"
    family = rng.choice(NO_FAMILY)
    if rng.random() < 0.06:
        other = rng.choice(NO_FAMILY)
        if other != family:
            family = f"{other} {family}" if rng.random() < 0.5 else f"{other}-{family}"
    return given, family


# --- Places -------------------------------------------------------------------------------------

# Stems for the national estate, in order. Made up: none is the name of a Norwegian prison.
PLACE_STEMS = (
    "Fjellvik Storsund Lyngmo Granlia Bjørkedal Måkeberg Ørnevik Ulvetind Revedal Tjernmo "
    "Furusund Rognvika Kvitstein Myrvoll Havbakken Elvemo Steinsland Nordvåg Sølvberg Lauvhaug "
    "Tranevik Hegreberg Reinheim Gaupedal Jervheim Lomvik Svanedal Tiurmo Grågås Bjønnli "
    "Kvernvik Sildvåg Torskenes Brattmyr Lyngsund Ospeli Heggemo Rypeheia Mosvik "
    "Skjærvåg Fiskebøl Selvåg Kobbvik Ørretjern Lågdal Vidmyr Kolbeinstad Tuvdal Åsmyr "
    "Hestvika Reirvik Fjordheim Vardeli Grindmo Kleivstad Sandtjern"
).split()

_PREFIXES = (
    "Fjell Lyng Gran Bjørke Måke Ørne Ulve Reve Tjern Furu Rogn Kvit Myr Hav Elve Stein Nord Sør "
    "Sølv Lauv Trane Hegre Rein Gaupe Jerv Lom Svane Tiur Bjønn Kvern Sild Torsk Bratt Ospe Hegge "
    "Rype Mos Skjær Kobbe Ørret Låg Vid Tuv Hest Reir Varde Grind Kleiv Sand Ask Hassel Lind Selje "
    "Einer Bringe Blåbær Tytte Mjølke"
).split()
_SUFFIXES = (
    "vik mo dal heim nes berg stad haug sund li vang voll åsen bakken tun lia myr våg fjord øy "
    "eid hamn land seter rud tjern moen strand holt brekka haugen kamp sletta tangen vollen "
    "grenda lund skog kleiva nuten"
).split()


def place_stems(count: int) -> list[str]:
    """``count`` distinct made-up place names: the national stems first, then compounds."""
    result = list(PLACE_STEMS[:count])
    seen = set(result)
    combos = [p + s for p in _PREFIXES for s in _SUFFIXES]
    random.Random("normalitet-places").shuffle(combos)  # noqa: S311 - made-up names, not secrets
    for name in combos:
        if len(result) >= count:
            break
        if name not in seen:
            seen.add(name)
            result.append(name.capitalize())
    if len(result) < count:
        raise ValueError(f"cannot make {count} distinct place names")
    return result


STREETS = words(
    "Bjørkeveien Storgata Kirkeveien Skolegata Fjordveien Granveien Solbakken Løkkeveien "
    "Myrvegen Åsveien Kongens_gate Strandgata Tunveien Lyngveien Rognebærstien Furuveien "
    "Elvebakken Steinhaugen Nedre_gate Smedvegen"
)

RELATIONSHIPS = (
    ("mor", 14),
    ("far", 8),
    ("ektefelle", 10),
    ("samboer", 12),
    ("søster", 8),
    ("bror", 8),
    ("datter", 5),
    ("sønn", 5),
    ("venn", 4),
    ("tante", 2),
    ("onkel", 2),
    ("besteforelder", 2),
)
