"""Names for synthetic people and places: plausible, and combined at random so they are fictional.

Given and family names are common ones, drawn independently, so no combination stands for anyone;
names of well-known people are left out. Place names are made-up compounds (no real prison's name).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# --- Norwegian ---------------------------------------------------------------------------------

NO_MALE = (
    "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Thomas Hans Geir Tor Morten Terje Odd Erik Rune "
    "Trond Martin Anders Andreas Jon Espen Stian Kristian Daniel Marius Magnus Jonas Mathias Sondre "
    "Sindre Henrik Eirik Håkon Øyvind Ståle Pål Åge Frode Roar Vegard Jørgen Sigurd Ivar Tore Leif "
    "Gunnar Even Fredrik Kristoffer Tobias Emil Sander Aleksander Joakim Petter Ørjan Ådne Torbjørn "
    "Halvard Steinar Atle Yngve Bård Kåre Njål Kjetil Ola Audun Børge Tormod Asbjørn Øystein"
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

# --- Foreign nationals -------------------------------------------------------------------------


@dataclass(frozen=True)
class Nationality:
    """A nationality common among foreign nationals in Norwegian prisons, with its languages.

    ``interpreter`` is the chance that a person with only these languages needs an interpreter.
    """

    code: str
    weight: int
    languages: tuple[str, ...]
    interpreter: float
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    feminine: str = ""  # how a family name changes for a woman: "pl", "lt", "lv", "bg"


def _w(text: str) -> tuple[str, ...]:
    return tuple(x.replace("_", " ") for x in text.split())


ARABIC_MALE = _w("Ahmed Mohammed Ali Hussein Omar Karim Mustafa Yassin Khaled Samir Rami Bilal "
                 "Hamza Youssef Tariq Nabil Walid Jamal")
ARABIC_FEMALE = _w("Fatima Noor Leila Rania Huda Amal Samira")

NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        "PL", 18, ("pl",), 0.55,
        _w("Piotr Krzysztof Tomasz Paweł Michał Marcin Łukasz Grzegorz Mateusz Jakub Dawid "
           "Wojciech Sebastian Adrian Kamil Rafał Przemysław Bartłomiej Damian Zbigniew"),
        _w("Anna Katarzyna Małgorzata Agnieszka Joanna Magdalena Ewa Monika Aleksandra Żaneta"),
        _w("Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
           "Dąbrowski Kozłowski Jankowski Mazur Krawczyk Piotrowski Grabowski Pawłowski "
           "Michalski Król Wieczorek Jabłoński Nowakowski Majewski Olszewski Stępień "
           "Malinowski Jaworski Adamczyk Dudek Górski Sikora Baran Wróblewski Zając"),
        "pl",
    ),
    Nationality(
        "LT", 14, ("lt", "ru"), 0.6,
        _w("Tomas Mantas Darius Andrius Mindaugas Vytautas Rolandas Paulius Marius Giedrius "
           "Tadas Donatas Saulius Arūnas Žilvinas Kęstutis Remigijus"),
        _w("Rasa Jurgita Inga Kristina Aistė Eglė Rūta Vilma"),
        _w("Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus "
           "Paulauskas Urbonas Kavaliauskas Pocius Navickas Rimkus Balčiūnas Šimkus Žemaitis "
           "Vaitkus Mockus Adomaitis Sakalauskas"),
        "lt",
    ),
    Nationality(
        "RO", 10, ("ro",), 0.6,
        _w("Ion Andrei Alexandru Mihai Constantin Florin Gheorghe Marius Cristian Bogdan Adrian "
           "Ionuț Ștefan Vasile Daniel Sorin"),
        _w("Maria Elena Ioana Andreea Mihaela Alina Cristina Georgiana"),
        _w("Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu "
           "Constantin Lazăr Mocanu Radu Dinu Toma Marin Ene Neagu Șerban Țurcanu"),
    ),
    Nationality(
        "SE", 5, ("sv",), 0.0,
        _w("Johan Erik Lars Anders Mikael Andreas Fredrik Daniel Jonas Oskar Björn Viktor"),
        _w("Anna Emma Sara Linnea Karin Elin Maja"),
        _w("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
           "Gustafsson Pettersson Lindqvist Bergström Åberg Sjöberg Lundgren Holmström"),
    ),
    Nationality(
        "DK", 2, ("da",), 0.0,
        _w("Mads Rasmus Søren Jesper Morten Kasper Mikkel"),
        _w("Mette Pernille Line Sofie"),
        _w("Jensen Nielsen Hansen Pedersen Andersen Christensen Sørensen Rasmussen Jørgensen "
           "Madsen Kjærgaard"),
    ),
    Nationality(
        "AL", 6, ("sq",), 0.6,
        _w("Arben Besnik Dritan Ermal Fatmir Gentian Ilir Kujtim Mentor Rezart Sokol Valon Altin"),
        _w("Arta Blerina Elira Mirela"),
        _w("Hoxha Shehu Dervishi Leka Gjoka Krasniqi Berisha Kola Çela Marku Dedaj Bajrami Xhafa "
           "Gashi Hasani"),
    ),
    Nationality(
        "SO", 5, ("so",), 0.65,
        _w("Abdirahman Abdullahi Mohamed Ahmed Hassan Ismail Yusuf Omar Abdiaziz Liban Mahad "
           "Abdikarim"),
        _w("Amina Hodan Faduma Sahra Hibo Ayan"),
        _w("Ali_Farah Warsame Jama Hussein Abdi Osman Nur Aden Egal Dirie Gedi Abdi_Warsame "
           "Mohamud Yusuf_Jama"),
    ),
    Nationality(
        "NG", 3, ("en",), 0.05,
        _w("Chinedu Emeka Oluwaseun Babatunde Ikechukwu Tunde Uche Obinna Segun"),
        _w("Ngozi Chioma Funmilayo Adaeze"),
        _w("Okafor Okonkwo Adeyemi Eze Nwosu Balogun Ogunleye Adebayo Chukwu Olawale"),
    ),
    Nationality(
        "ER", 3, ("ti",), 0.75,
        _w("Yonas Dawit Tesfay Kibrom Semere Mehari Filmon Habtom Yohannes Bereket"),
        _w("Helen Senait Luwam Selam"),
        _w("Tesfamariam Gebremedhin Haile Kidane Tekle Berhane Woldemichael Asmerom Abraha "
           "Tewelde"),
    ),
    Nationality(
        "IQ", 4, ("ar", "ku"), 0.6,
        ARABIC_MALE + _w("Karwan Rebwar Soran Dilshad"),
        ARABIC_FEMALE,
        _w("Mahmoud Rasul Aziz Khalil Haddad Mansour Saleh Ibrahim Abbas Jaber Al-Jubouri "
           "Hamdan"),
    ),
    Nationality(
        "SY", 3, ("ar",), 0.6, ARABIC_MALE, ARABIC_FEMALE,
        _w("Al-Hassan Khalil Haddad Mansour Saleh Nasser Hamdan Al-Khatib Darwish Sabbagh"),
    ),
    Nationality(
        "AF", 4, ("fa",), 0.7,
        _w("Ahmad Mohammad Abdul Farid Jawad Naveed Samiullah Rahim Wahid Zabihullah"),
        _w("Zahra Mariam Fereshta Nilofar"),
        _w("Ahmadi Rahimi Karimi Hakimi Noori Sultani Hashimi Mohammadi Safi Popal"),
    ),
    Nationality(
        "RS", 3, ("sr",), 0.5,
        _w("Nikola Marko Stefan Aleksandar Miloš Nemanja Dragan Goran Zoran Dejan Vladimir"),
        _w("Jelena Milica Ivana Dragana"),
        _w("Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović "
           "Kovačević Todorović Đukić Popović"),
    ),
    Nationality(
        "MA", 3, ("ar", "fr"), 0.5, ARABIC_MALE, ARABIC_FEMALE,
        _w("Benali El_Amrani Bouzid Haddouchi Tazi Alaoui Berrada Ouazzani"),
    ),
    Nationality(
        "DZ", 2, ("ar", "fr"), 0.5, ARABIC_MALE, ARABIC_FEMALE,
        _w("Belkacem Cherif Mebarki Ait_Ahmed Boudiaf Hamidi Saidi"),
    ),
    Nationality(
        "LV", 3, ("lv", "ru"), 0.55,
        _w("Jānis Andris Māris Edgars Artūrs Kaspars Raivis Aivars"),
        _w("Ilze Inese Līga Kristīne"),
        _w("Bērziņš Kalniņš Ozoliņš Jansons Ozols Liepiņš Krūmiņš Balodis Zariņš Pētersons"),
        "lv",
    ),
    Nationality(
        "BG", 3, ("bg",), 0.6,
        _w("Georgi Ivan Dimitar Nikolay Hristo Stoyan Plamen Todor"),
        _w("Ivanka Desislava Petya Maria"),
        _w("Ivanov Georgiev Dimitrov Petrov Nikolov Hristov Stoyanov Todorov Iliev Atanasov"),
        "bg",
    ),
    Nationality(
        "GE", 2, ("ka", "ru"), 0.7,
        _w("Giorgi Davit Levan Irakli Nika Zurab Tornike Lasha"),
        _w("Nino Tamar Mariam Ana"),
        _w("Beridze Kapanadze Gelashvili Maisuradze Tsiklauri Lomidze Japaridze Chikovani "
           "Abashidze"),
    ),
    Nationality(
        "VN", 3, ("vi",), 0.75,
        _w("Văn_Minh Văn_Hùng Đức_Anh Quang_Huy Thanh_Tùng Hoàng_Nam Minh_Tuấn"),
        _w("Thị_Lan Thị_Hoa Thu_Trang Ngọc_Anh"),
        _w("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ"),
    ),
    Nationality(
        "GB", 1, ("en",), 0.0,
        _w("James Daniel Thomas Liam Ryan Craig Stuart"),
        _w("Emma Laura Sarah"),
        _w("Smith Jones Taylor Brown Wilson Evans Walker Hughes Robinson"),
    ),
)
_NAT_WEIGHTS = [n.weight for n in NATIONALITIES]
BY_CODE = {n.code: n for n in NATIONALITIES}


def _feminine(family: str, rule: str) -> str:
    if rule == "pl":
        for masc, fem in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if family.endswith(masc):
                return family[: -len(masc)] + fem
    elif rule == "lt":
        for masc, fem in (("ius", "ienė"), ("us", "uvienė"), ("as", "ienė"), ("is", "ienė")):
            if family.endswith(masc):
                return family[: -len(masc)] + fem
    elif rule == "lv":
        for masc, fem in (("š", "a"), ("ons", "one"), ("is", "e"), ("s", "a")):
            if family.endswith(masc):
                return family[: -len(masc)] + fem
    elif rule == "bg":
        return family + "a"
    return family


def pick_nationality(rng: random.Random) -> Nationality:
    return rng.choices(NATIONALITIES, weights=_NAT_WEIGHTS)[0]


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


def foreign_name(rng: random.Random, nat: Nationality, female: bool) -> tuple[str, str]:
    given = rng.choice(nat.female if female else nat.male)
    family = rng.choice(nat.family)
    if female:
        family = _feminine(family, nat.feminine)
    return given, family


def languages_for(rng: random.Random, nat: Nationality | None) -> tuple[list[str], bool]:
    """Languages (ISO 639-1 codes, first the one the person speaks best) and interpreter need."""
    if nat is None:
        langs = ["nb"]
        if rng.random() < 0.25:
            langs.append("en")
        return langs, False
    langs = [nat.languages[0]]
    if len(nat.languages) > 1 and rng.random() < 0.5:
        langs.append(nat.languages[1])
    speaks_english = "en" in langs or rng.random() < 0.3
    if speaks_english and "en" not in langs:
        langs.append("en")
    if nat.code in ("SE", "DK") or (nat.code != "GB" and rng.random() < 0.08):
        langs.append("nb")
    chance = nat.interpreter * (0.4 if speaks_english and nat.code != "NG" else 1.0)
    return langs, "nb" not in langs and rng.random() < chance


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
    random.Random("normalitet-places").shuffle(combos)
    for name in combos:
        if len(result) >= count:
            break
        if name not in seen:
            seen.add(name)
            result.append(name.capitalize())
    if len(result) < count:
        raise ValueError(f"cannot make {count} distinct place names")
    return result


STREETS = _w(
    "Bjørkeveien Storgata Kirkeveien Skolegata Fjordveien Granveien Solbakken Løkkeveien "
    "Myrvegen Åsveien Kongens_gate Strandgata Tunveien Lyngveien Rognebærstien Furuveien "
    "Elvebakken Steinhaugen Nedre_gate Smedvegen"
)

RELATIONSHIPS = (
    ("mor", 14), ("far", 8), ("ektefelle", 10), ("samboer", 12), ("søster", 8), ("bror", 8),
    ("datter", 5), ("sønn", 5), ("venn", 4), ("tante", 2), ("onkel", 2), ("besteforelder", 2),
)
