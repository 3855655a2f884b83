"""Every number the assistant states about ameli, with the meaning the sheets give it.

One row per (number, meaning): the pattern the bot's wording must match around the number,
the sheet's own words and where they are (file of ../shared/seeds and line). A test
(tests/test_facts.py) checks that every bot text mentioning 15, 5, 6, 7, 11, 4, 8 or 13
uses it with one of these meanings, and that each quote is at that line of that sheet.
Rows whose `sheet` is empty are facts the sheets do not give (the format of the social
security number, a postcode): said as an adviser would, kept here so they stay few.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Tuple

# The numbers the issue lists (issue 15): each occurrence must match a row below.
CHECKED_NUMBERS = (15, 5, 6, 7, 11, 4, 8, 13)


@dataclass(frozen=True)
class Fact:
    number: int
    pattern: str  # a regex; the group `n` is the number itself
    meaning: str
    quote: str  # the sheet's words, as printed
    sheet: str  # file in ../shared/seeds, "" when the sheets do not give it
    line: int

    def regex(self) -> "re.Pattern[str]":
        return re.compile(self.pattern, re.IGNORECASE)


S07, S08, S09, S_CNX, S_11 = (
    "002_32de2fcb98a37a46.txt",
    "000_65b1921467ee2062.txt",
    "001_8375dc5a232b16a1.txt",
    "003_a259eca033f20e35.txt",
    "004_3a21d8423102286a.txt",
)
_SENTENCE = r"[^.?!\n]{0,90}"

FACTS: Tuple[Fact, ...] = (
    Fact(
        15,
        r"(?P<n>15) minutes",
        "durée de validité du code de sécurité",
        "Je n’ai pas saisi le code de sécurité dans les 15 minutes",
        S09,
        49,
    ),
    Fact(5, r"(?P<n>5) codes", "codes de sécurité au maximum par heure", "(5 codes max par heure)", S09, 50),
    Fact(
        6,
        r"(?P<n>6) mois",
        "plus de code de sécurité sur l'ordinateur personnel",
        "ne plus saisir de code de sécurité pendant 6 mois",
        S09,
        34,
    ),
    Fact(
        6,
        r"(?P<n>6) chiffres",
        "longueur du code de sécurité (le code du mail : 4 0 0 3 6 5)",
        "The security code '4 0 0 3 6 5'",
        S_CNX,
        144,
    ),
    Fact(
        7,
        r"(?P<n>7) jours",
        "validité du lien de validation du compte",
        "Attention, le lien est valable 7 jours.",
        S07,
        37,
    ),
    Fact(
        7, r"(?P<n>7) derniers caractères", "fin du RIB demandée à la création", "Je complète les 7 derniers", S07, 19
    ),
    Fact(
        11,
        r"(?P<n>11) derniers chiffres",
        "fin du numéro de série de la carte Vitale",
        "Je saisis les 11 derniers",
        S07,
        25,
    ),
    Fact(
        4,
        r"(?:provisoire" + _SENTENCE + r"(?<!\d )(?P<n>4) chiffres)",
        "code provisoire remis à l'accueil de la CPAM",
        "le code provisoire à 4 chiffres devra être personnalisé",
        S_11,
        48,
    ),
    Fact(
        4,
        r"(?P<n>4) chiffres" + _SENTENCE + "provisoire",
        "code provisoire remis à l'accueil de la CPAM",
        "Vous disposez d'un code à 4 ou 8 chiffres",
        S_11,
        9,
    ),
    Fact(
        8,
        r"(?P<n>8) chiffres" + _SENTENCE + r"(?:personnalisé|bornes multi-services)",
        "code déjà personnalisé pour les bornes multi-services",
        "code déjà personnalisé pour accéder aux bornes multi-services",
        S_11,
        13,
    ),
    Fact(
        8,
        r"(?:personnalisé|bornes multi-services)" + _SENTENCE + r"(?P<n>8) chiffres",
        "code déjà personnalisé pour les bornes multi-services",
        "code déjà personnalisé pour accéder aux bornes multi-services",
        S_11,
        13,
    ),
    Fact(
        8,
        r"(?P<n>8) à 13 chiffres",
        "longueur du mot de passe (minimum)",
        "personnalisé en mot de passe de 8 à 13 chiffres",
        S_11,
        48,
    ),
    Fact(
        13,
        r"8 à (?P<n>13) chiffres",
        "longueur du mot de passe (maximum)",
        "personnalisé en mot de passe de 8 à 13 chiffres",
        S_11,
        48,
    ),
    # Not in the sheets: how a social security number is written (13 digits and a 2-digit key).
    Fact(15, r"(?P<n>15) chiffres", "longueur du numéro de sécurité sociale", "", "", 0),
    Fact(13, r"(?P<n>13) chiffres(?:,)? puis une clé", "numéro de sécurité sociale sans la clé", "", "", 0),
    # Not in the sheets: a French postcode, asked to find the nearest France Services.
    Fact(5, r"code postal \((?P<n>5) chiffres\)", "longueur d'un code postal", "", "", 0),
    # The numbering of the guided mode: « Étape 4 sur 6 », « On reprend l'étape 4 ».
    Fact(0, r"[ée]tape (?P<n>\d+)", "numéro d'une étape du guide", "", "", 0),
    Fact(0, r"[ée]tape \d+ sur (?P<n>\d+)", "nombre d'étapes du guide", "", "", 0),
    # A social security number written in groups (« 7 92 03 75 112 045 42 », a fictitious dossier).
    Fact(
        0,
        r"(?<!\d)(?P<n>\d) \d\d \d\d (?:\d\d|2A|2B) \d{3} \d{3} \d\d(?!\d)",
        "un numéro de sécurité sociale",
        "",
        "",
        0,
    ),
    # The number of an item of a list (« 6. Ahmed BENALI… », the fictitious dossiers).
    Fact(0, r"(?m)^(?P<n>\d+)\. ", "numéro d'un élément de liste", "", "", 0),
)

# A number standing alone: not part of a longer number, a date, an hour, « 06 » or a version (« CC BY 4.0 »).
STANDALONE = re.compile(r"(?<![\d/.,:h])(?P<n>\d+)(?![\d/:h]|[,.]\d)")


def unexplained_numbers(text: str) -> list:
    """The checked numbers of `text` no row of FACTS explains: [(number, context), ...]."""
    covered = set()
    for fact in FACTS:
        for match in fact.regex().finditer(text):
            if fact.number in (0, int(match.group("n"))):
                covered.add(match.start("n"))
    out = []
    for match in STANDALONE.finditer(text):
        value = int(match.group("n"))
        if match.group("n").startswith("0"):
            continue  # « 06 ou 07 », a month: not one of the numbers checked
        if value in CHECKED_NUMBERS and match.start("n") not in covered:
            out.append((value, text[max(0, match.start() - 40) : match.end() + 40]))
    return out
