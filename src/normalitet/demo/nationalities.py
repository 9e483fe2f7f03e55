"""Nationalities common among foreign nationals in Norwegian prisons: names and languages.

Given and family names are common ones in each country, drawn independently, so that no
combination stands for anyone; names of well-known people are left out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


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


def words(text: str) -> tuple[str, ...]:
    """Names separated by spaces; an underscore joins the parts of one name."""
    return tuple(x.replace("_", " ") for x in text.split())


ARABIC_MALE = words(
    "Ahmed Mohammed Ali Hussein Omar Karim Mustafa Yassin Khaled Samir Rami Bilal "
    "Hamza Youssef Tariq Nabil Walid Jamal"
)
ARABIC_FEMALE = words("Fatima Noor Leila Rania Huda Amal Samira")

NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        "PL",
        18,
        ("pl",),
        0.55,
        words(
            "Piotr Krzysztof Tomasz Paweł Michał Marcin Łukasz Grzegorz Mateusz Jakub Dawid "
            "Wojciech Sebastian Adrian Kamil Rafał Przemysław Bartłomiej Damian Zbigniew"
        ),
        words("Anna Katarzyna Małgorzata Agnieszka Joanna Magdalena Ewa Monika Aleksandra Żaneta"),
        words(
            "Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
            "Dąbrowski Kozłowski Jankowski Mazur Krawczyk Piotrowski Grabowski Pawłowski "
            "Michalski Król Wieczorek Jabłoński Nowakowski Majewski Olszewski Stępień "
            "Malinowski Jaworski Adamczyk Dudek Górski Sikora Baran Wróblewski Zając"
        ),
        "pl",
    ),
    Nationality(
        "LT",
        14,
        ("lt", "ru"),
        0.6,
        words(
            "Tomas Mantas Darius Andrius Mindaugas Vytautas Rolandas Paulius Marius Giedrius "
            "Tadas Donatas Saulius Arūnas Žilvinas Kęstutis Remigijus"
        ),
        words("Rasa Jurgita Inga Kristina Aistė Eglė Rūta Vilma"),
        words(
            "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus "
            "Paulauskas Urbonas Kavaliauskas Pocius Navickas Rimkus Balčiūnas Šimkus Žemaitis "
            "Vaitkus Mockus Adomaitis Sakalauskas"
        ),
        "lt",
    ),
    Nationality(
        "RO",
        10,
        ("ro",),
        0.6,
        words(
            "Ion Andrei Alexandru Mihai Constantin Florin Gheorghe Marius Cristian Bogdan Adrian "
            "Ionuț Ștefan Vasile Daniel Sorin"
        ),
        words("Maria Elena Ioana Andreea Mihaela Alina Cristina Georgiana"),
        words(
            "Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu "
            "Constantin Lazăr Mocanu Radu Dinu Toma Marin Ene Neagu Șerban Țurcanu"
        ),
    ),
    Nationality(
        "SE",
        5,
        ("sv",),
        0.0,
        words("Johan Erik Lars Anders Mikael Andreas Fredrik Daniel Jonas Oskar Björn Viktor"),
        words("Anna Emma Sara Linnea Karin Elin Maja"),
        words(
            "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
            "Gustafsson Pettersson Lindqvist Bergström Åberg Sjöberg Lundgren Holmström"
        ),
    ),
    Nationality(
        "DK",
        2,
        ("da",),
        0.0,
        words("Mads Rasmus Søren Jesper Morten Kasper Mikkel"),
        words("Mette Pernille Line Sofie"),
        words(
            "Jensen Nielsen Hansen Pedersen Andersen Christensen Sørensen Rasmussen Jørgensen "
            "Madsen Kjærgaard"
        ),
    ),
    Nationality(
        "AL",
        6,
        ("sq",),
        0.6,
        words(
            "Arben Besnik Dritan Ermal Fatmir Gentian Ilir Kujtim Mentor Rezart Sokol Valon Altin"
        ),
        words("Arta Blerina Elira Mirela"),
        words(
            "Hoxha Shehu Dervishi Leka Gjoka Krasniqi Berisha Kola Çela Marku Dedaj Bajrami Xhafa "
            "Gashi Hasani"
        ),
    ),
    Nationality(
        "SO",
        5,
        ("so",),
        0.65,
        words(
            "Abdirahman Abdullahi Mohamed Ahmed Hassan Ismail Yusuf Omar Abdiaziz Liban Mahad "
            "Abdikarim"
        ),
        words("Amina Hodan Faduma Sahra Hibo Ayan"),
        words(
            "Ali_Farah Warsame Jama Hussein Abdi Osman Nur Aden Egal Dirie Gedi Abdi_Warsame "
            "Mohamud Yusuf_Jama"
        ),
    ),
    Nationality(
        "NG",
        3,
        ("en",),
        0.05,
        words("Chinedu Emeka Oluwaseun Babatunde Ikechukwu Tunde Uche Obinna Segun"),
        words("Ngozi Chioma Funmilayo Adaeze"),
        words("Okafor Okonkwo Adeyemi Eze Nwosu Balogun Ogunleye Adebayo Chukwu Olawale"),
    ),
    Nationality(
        "ER",
        3,
        ("ti",),
        0.75,
        words("Yonas Dawit Tesfay Kibrom Semere Mehari Filmon Habtom Yohannes Bereket"),
        words("Helen Senait Luwam Selam"),
        words(
            "Tesfamariam Gebremedhin Haile Kidane Tekle Berhane Woldemichael Asmerom Abraha Tewelde"
        ),
    ),
    Nationality(
        "IQ",
        4,
        ("ar", "ku"),
        0.6,
        ARABIC_MALE + words("Karwan Rebwar Soran Dilshad"),
        ARABIC_FEMALE,
        words(
            "Mahmoud Rasul Aziz Khalil Haddad Mansour Saleh Ibrahim Abbas Jaber Al-Jubouri Hamdan"
        ),
    ),
    Nationality(
        "SY",
        3,
        ("ar",),
        0.6,
        ARABIC_MALE,
        ARABIC_FEMALE,
        words("Al-Hassan Khalil Haddad Mansour Saleh Nasser Hamdan Al-Khatib Darwish Sabbagh"),
    ),
    Nationality(
        "AF",
        4,
        ("fa",),
        0.7,
        words("Ahmad Mohammad Abdul Farid Jawad Naveed Samiullah Rahim Wahid Zabihullah"),
        words("Zahra Mariam Fereshta Nilofar"),
        words("Ahmadi Rahimi Karimi Hakimi Noori Sultani Hashimi Mohammadi Safi Popal"),
    ),
    Nationality(
        "RS",
        3,
        ("sr",),
        0.5,
        words("Nikola Marko Stefan Aleksandar Miloš Nemanja Dragan Goran Zoran Dejan Vladimir"),
        words("Jelena Milica Ivana Dragana"),
        words(
            "Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović "
            "Kovačević Todorović Đukić Popović"
        ),
    ),
    Nationality(
        "MA",
        3,
        ("ar", "fr"),
        0.5,
        ARABIC_MALE,
        ARABIC_FEMALE,
        words("Benali El_Amrani Bouzid Haddouchi Tazi Alaoui Berrada Ouazzani"),
    ),
    Nationality(
        "DZ",
        2,
        ("ar", "fr"),
        0.5,
        ARABIC_MALE,
        ARABIC_FEMALE,
        words("Belkacem Cherif Mebarki Ait_Ahmed Boudiaf Hamidi Saidi"),
    ),
    Nationality(
        "LV",
        3,
        ("lv", "ru"),
        0.55,
        words("Jānis Andris Māris Edgars Artūrs Kaspars Raivis Aivars"),
        words("Ilze Inese Līga Kristīne"),
        words("Bērziņš Kalniņš Ozoliņš Jansons Ozols Liepiņš Krūmiņš Balodis Zariņš Pētersons"),
        "lv",
    ),
    Nationality(
        "BG",
        3,
        ("bg",),
        0.6,
        words("Georgi Ivan Dimitar Nikolay Hristo Stoyan Plamen Todor"),
        words("Ivanka Desislava Petya Maria"),
        words("Ivanov Georgiev Dimitrov Petrov Nikolov Hristov Stoyanov Todorov Iliev Atanasov"),
        "bg",
    ),
    Nationality(
        "GE",
        2,
        ("ka", "ru"),
        0.7,
        words("Giorgi Davit Levan Irakli Nika Zurab Tornike Lasha"),
        words("Nino Tamar Mariam Ana"),
        words(
            "Beridze Kapanadze Gelashvili Maisuradze Tsiklauri Lomidze Japaridze Chikovani "
            "Abashidze"
        ),
    ),
    Nationality(
        "VN",
        3,
        ("vi",),
        0.75,
        words("Văn_Minh Văn_Hùng Đức_Anh Quang_Huy Thanh_Tùng Hoàng_Nam Minh_Tuấn"),
        words("Thị_Lan Thị_Hoa Thu_Trang Ngọc_Anh"),
        words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ"),
    ),
    Nationality(
        "GB",
        1,
        ("en",),
        0.0,
        words("James Daniel Thomas Liam Ryan Craig Stuart"),
        words("Emma Laura Sarah"),
        words("Smith Jones Taylor Brown Wilson Evans Walker Hughes Robinson"),
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


def foreign_name(rng: random.Random, nat: Nationality, female: bool) -> tuple[str, str]:
    given = rng.choice(nat.female if female else nat.male)
    family = rng.choice(nat.family)
    while family == given:
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
