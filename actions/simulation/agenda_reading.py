"""« Mon agenda »: read the learner's own words (typos, no accents, SMS spelling) as a reason of
the appointment or as a preference for the slot. Plain Python, no Rasa import.

The word lists below are what people type, not texts the bot says (those live in
actions/simulation_answers.py); the rules they map to (hours, days ahead) live in
actions/sandbox/policy.py.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, time, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from actions.sandbox.appointments import SlotWish

# -- normalising -----------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, no accents, apostrophes and dashes as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`´\-_]", " ", text)
    text = re.sub(r"[^\w:/ ]", " ", text)
    return " ".join(text.split())


def _close(token: str, word: str) -> bool:
    """Same word, or a typo of it (long enough words only)."""
    if token == word:
        return True
    return len(word) >= 5 and len(token) >= 4 and difflib.SequenceMatcher(None, token, word).ratio() >= 0.8


# -- reasons -----------------------------------------------------------------------------------

# Words that point to each reason code of policy.APPOINTMENT_REASONS, with a weight: the words of
# a precise topic (remboursement, carte Vitale, arrêt) weigh more than the account's generic ones.
# A word ending in "*" matches as a prefix (« rembours* »: remboursé, remboursements, rembourser).
REASON_WORDS: Dict[str, Sequence[Tuple[str, int]]] = {
    "remboursement": (
        ("rembours*", 2),
        ("remb", 2),
        ("rbt", 2),
        ("rmb", 2),
        ("rembourcement", 2),
        ("ranboursement", 2),
        ("paiement", 2),
        ("paye", 1),
        ("payer", 1),
        ("virement", 2),
        ("feuille de soin*", 2),
        ("argent", 1),
        ("delai*", 1),
        ("frais", 1),
        ("pas ete rembourse", 2),
        ("decompte*", 2),
    ),
    "carte_vitale": (
        ("carte vital*", 3),
        ("vital*", 2),
        ("vitalle", 2),
        ("carte", 1),
        ("cv", 1),
        ("numero de serie", 2),
    ),
    "arret_travail": (
        ("arret*", 2),
        ("ar de travail", 2),
        ("arret maladie", 3),
        ("indemnite*", 2),
        ("ij", 2),
        ("ijss", 2),
        ("maladie", 1),
        ("conge maladie", 2),
        ("avis d arret", 3),
    ),
    "compte_ameli": (
        ("compte", 1),
        ("conte", 1),
        ("compt", 1),
        ("connexion", 1),
        ("connecter", 1),
        ("conecter", 1),
        ("mot de passe", 1),
        ("mdp", 1),
        ("identifiant", 1),
        ("code", 1),
        ("espace", 1),
        ("ameli", 1),
    ),
    "autre": (
        ("autre*", 1),
        ("aucun", 1),
        ("rien de tout ca", 2),
        ("divers", 1),
        ("pas dans la liste", 2),
    ),
}


def _word_hits(tokens: List[str], joined: str, word: str) -> bool:
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if " " in word:
        return re.search(rf"\b{re.escape(word)}" + ("" if prefix else r"\b"), joined) is not None
    if prefix:
        return any(t.startswith(word) or _close(t[: len(word)], word) for t in tokens if len(t) >= len(word) - 1)
    return any(_close(t, word) for t in tokens)


def match_reason(text: str, reasons: Sequence[Tuple[str, str]]) -> Optional[str]:
    """The reason code the words point to, or None (nothing, or two reasons as likely)."""
    joined = normalise(text)
    if not joined:
        return None
    for code, label in reasons:  # a button's code, or the label typed as shown
        if joined in (normalise(code), normalise(label)):
            return code
    tokens = joined.split()
    scores: Dict[str, int] = {}
    for code, _label in reasons:
        scores[code] = sum(weight for word, weight in REASON_WORDS.get(code, ()) if _word_hits(tokens, joined, word))
    best = max(scores.values(), default=0)
    winners = [code for code, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


# -- slot preferences --------------------------------------------------------------------------

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
_HOUR = r"(\d{1,2})\s*(?:h|heures?|:)\s*(\d{2})?"
_AFTER = r"(?:apres|a partir de|a partir d|pas avant|plus tard que|des|depuis)"
_BEFORE = r"(?:avant|pas apres|au plus tard a|jusqu a|plus tot que)"
_AROUND = r"(?:vers|autour de|environ|aux alentours de)"
_AFTERNOON = r"\b(?:apres midi|apres midis|aprem|aprems|apm|aprm|aprem)\b"
_LATER = (
    r"\b(?:plus tard|autre jour|autres jours|un autre|une autre|d autres|autre chose|autres creneaux|"
    r"autres horaires|autre horaire|autre creneau|arrange pas|trop tot|pas dispo|pas disponible|"
    r"semaine d apres|semaine suivante)\b"
)


def _weekday_of(token: str) -> Optional[int]:
    for number, name in enumerate(WEEKDAYS):
        if _close(token, name):
            return number
    return None


def _time(hour: str, minute: Optional[str]) -> Optional[time]:
    h, m = int(hour), int(minute or 0)
    return time(h, m) if h < 24 and m < 60 else None


def _date_near(today: date, day: int, month: Optional[int] = None) -> Optional[date]:
    """The first date from today with this day of month (and month)."""
    for offset in range(0, 400):
        candidate = today + timedelta(days=offset)
        if candidate.day == day and (month is None or candidate.month == month):
            return candidate
    return None


def read_wish(text: str, today: date) -> Optional[SlotWish]:
    """A preference for the slot in the learner's words, or None when there is none."""
    t = normalise(text)
    if not t:
        return None
    tokens = t.split()
    found = False
    days: set = set()
    weekdays: set = set()
    not_weekdays: set = set()
    week: Optional[int] = None
    part: Optional[str] = None
    after = before = at = around = None
    later = False

    # days
    for i, token in enumerate(tokens):
        number = _weekday_of(token)
        if number is None:
            continue
        found = True
        before_words = tokens[max(0, i - 2) : i]
        if before_words and (
            before_words[-1] in ("pas", "sauf")
            or before_words[:1] == ["pas"]
            and before_words[-1] in ("le", "de", "du", "les")
        ):
            not_weekdays.add(number)
        else:
            weekdays.add(number)
    if re.search(r"\bapres demain\b", t):
        days.add(today + timedelta(days=2))
        found = True
    elif re.search(r"\b(?:demain|dmain|demin)\b", t):
        days.add(today + timedelta(days=1))
        found = True
    if re.search(r"\b(?:aujourd hui|aujourdhui|auj|ajd|ce matin|cet apres midi|cet aprem)\b", t):
        days.add(today)
        found = True
    for day, month in re.findall(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b", t):
        when = _date_near(today, int(day), int(month)) if 1 <= int(month) <= 12 else None
        if when:
            days.add(when)
            found = True
    for day, _er, month in re.findall(rf"\b(\d{{1,2}})(er)?\s+({'|'.join(MONTHS)})\b", t):
        when = _date_near(today, int(day), MONTHS.index(month) + 1)
        if when:
            days.add(when)
            found = True
    for day in re.findall(r"\ble\s+(\d{1,2})(?:er)?\b(?!\s*(?:h\b|h\d|:|heure|/|" + "|".join(MONTHS) + "))", t):
        when = _date_near(today, int(day))
        if when:
            days.add(when)
            found = True

    # week
    if re.search(r"\bsemaine (?:prochaine|pro|proch|qui vient|d apres|suivante)\b", t):
        week, found = 1, True
    elif re.search(r"\bcette semaine\b", t):
        week, found = 0, True
    if re.search(r"\bdebut de (?:la )?semaine\b", t):
        weekdays |= {0, 1}
        found = True
    elif re.search(r"\bmilieu de (?:la )?semaine\b", t):
        weekdays |= {2}
        found = True
    elif re.search(r"\bfin de (?:la )?semaine\b", t):
        weekdays |= {3, 4}
        found = True

    # part of the day
    if re.search(r"\b(?:fin de journee|fin d apres midi|fin d aprem|le soir|en soiree|tard dans la journee)\b", t):
        part, found = "late", True
    elif re.search(_AFTERNOON, t):
        part, found = "afternoon", True
    elif re.search(r"\b(?:matin|matins|matinee|mat)\b", t):
        part, found = "morning", True
        if re.search(r"\b(?:tot le matin|de bonne heure|a la premiere heure)\b", t):
            before = time(10, 0)

    # hours
    t_hours = re.sub(r"\bmidi\b", "12h", re.sub(_AFTERNOON, " ", t))
    for match in re.finditer(rf"(?:\b({_AFTER}|{_BEFORE}|{_AROUND}|a)\s+)?\b{_HOUR}", t_hours):
        moment = _time(match.group(2), match.group(3))
        if moment is None:
            continue
        found = True
        word = match.group(1) or ""
        if re.fullmatch(_AFTER, word):
            after = moment
        elif re.fullmatch(_BEFORE, word):
            before = moment
        elif re.fullmatch(_AROUND, word):
            around = moment
        else:
            at = moment

    if re.search(_LATER, t) and not (days or weekdays or week is not None):
        later, found = True, True
    if re.search(r"\b(?:le plus tot possible|au plus vite|des que possible|au plus tot|rapidement)\b", t):
        found = True

    if not found:
        return None
    return SlotWish(
        days=frozenset(days),
        weekdays=frozenset(weekdays),
        not_weekdays=frozenset(not_weekdays),
        week=week,
        part=part,
        after=after,
        before=before,
        at=at,
        around=around,
        later=later,
    )


_ORDINALS = (
    (r"\b(?:le |la )?(?:premier|premiere|1er|1ere|1)\b", 0),
    (r"\b(?:le |la )?(?:deuxieme|second|seconde|2e|2eme|2)\b", 1),
    (r"\b(?:le |la )?(?:troisieme|3e|3eme|3)\b", 2),
    (r"\b(?:le |la )?(?:quatrieme|4e|4eme|4)\b", 3),
    (r"\b(?:le |la )?(?:dernier|derniere)\b", -1),
)


def pick_shown(text: str, shown: Sequence) -> Optional[object]:
    """The slot the learner points to among those just shown: « oui » when only one was shown,
    « le premier », « le 2e », « le dernier ». None otherwise."""
    t = normalise(text)
    if not t or not shown:
        return None
    if len(shown) == 1 and re.fullmatch(
        r"(?:oui|ok|d accord|daccord|ca me va|parfait|tres bien|ouais|oui merci)"
        r"(?: (?:ca me va|merci|parfait|c est bon))?",
        t,
    ):
        return shown[0]
    if re.search(r"\d{1,2}\s*h|:\d", t):  # an hour: read as a preference, not a rank
        return None
    for pattern, index in _ORDINALS:
        if re.fullmatch(
            rf"(?:je prends |je choisis |je veux )?{pattern}(?: (?:creneau|svp|s il vous plait|merci))*", t
        ):
            return shown[index] if -len(shown) <= index < len(shown) else None
    return None
