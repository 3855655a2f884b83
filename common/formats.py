"""What the codes and the social security number (NIR) look like, as people type them.

Facts shared by the sandbox (actions/sandbox/policy.py re-exports them with its other rules and
checks them), the secret detector (which finds and hides them in the NLU pipeline, the channels,
the tracker store and the logs), the answers (which tell them to the user) and the NLU data
(`nir` of data/nlu/regex.yml is `\\b` + NIR_PATTERN + `\\b`, checked by tests/test_one_home.py).
Change them here only.

And how dates, times and durations are written in French (one helper for the sandbox's texts,
the locator and the web mailbox).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from math import ceil

# --- Security code (sheets 09, 08 and "Connexion compte ameli") -------------------------
SECURITY_CODE_LENGTH = 6  # the mail shows a 6-digit code ("4 0 0 3 6 5")

# --- Code personnel and code provisoire (sheet 1.1) --------------------------------------
CODE_PERSONNEL_MIN_LENGTH = 8  # sheet 1.1: "mot de passe de 8 à 13 chiffres"
CODE_PERSONNEL_MAX_LENGTH = 13
CODE_PROVISOIRE_LENGTHS = (4, 8)  # sheet 1.1: "un code à 4 ou 8 chiffres"
# Sheet 1.1, line 13: "code provisoire remis à l'accueil de la CPAM ou code déjà personnalisé pour
# accéder aux bornes multi-services": the 4-digit code is the code provisoire of the CPAM desk, the
# 8-digit one is already personalised (kiosks); line 48: only the 4-digit code must be personalised.
CODE_PROVISOIRE_DESK_LENGTH = 4  # must be personalised (PERSONALISE_REQUIRED)
CODE_KIOSK_LENGTH = 8  # already personalised: logs in like a password, no new password to choose

# --- Social security number (NIR) ---------------------------------------------------------
# Its groups, as the INSEE writes them: sex, year, month, department (2A / 2B in Corsica), commune,
# order number, key (the sheets do not give it).
NIR_GROUPS = (1, 2, 2, 2, 3, 3, 2)
NIR_KEY_LENGTH = NIR_GROUPS[-1]
NIR_LENGTH = sum(NIR_GROUPS)  # 15: 13 digits and a 2-digit key
NIR_LENGTHS = (NIR_LENGTH - NIR_KEY_LENGTH, NIR_LENGTH)  # typed without or with its key
NIR_PROVISIONAL_FIRST_DIGITS = ("7", "8")  # temporary numbers given while waiting
NIR_DEFINITIVE_FIRST_DIGITS = ("1", "2")
# Every first digit a NIR may have (3 and 4: people born abroad, as the INSEE writes them).
NIR_FIRST_DIGITS = "123478"
# Corsica's departments, 2A and 2B, in place of two digits.
NIR_CORSICA = "2[ABab]"
_BIRTH = sum(NIR_GROUPS[1:3])  # year and month
_DEPARTMENT = NIR_GROUPS[3]
_REST = sum(NIR_GROUPS[4:])  # commune, order number, key
# A NIR inside a sentence, with or without spaces or dots between its groups, Corsica 2A / 2B:
# « 2 84 05 38 185 123 29 », « 284053818512329 », « 1.75.01.2A.123.456.79 ». What the exercises
# read as a NIR, and `nir` of data/nlu/regex.yml.
NIR_PATTERN = (
    rf"[{NIR_FIRST_DIGITS}](?:[ .]?\d){{{_BIRTH}}}[ .]?(?:\d{{{_DEPARTMENT}}}|{NIR_CORSICA})(?:[ .]?\d){{{_REST}}}"
)


def nir_units(run: str) -> int:
    """The length of a run of digits as a NIR counts it: a Corsica 2A / 2B is two."""
    return sum(1 for ch in run if ch.isdigit() or ch in "ABab")


def looks_like_nir(run: str) -> bool:
    """A run of digits that may be a NIR, for the secret detector: a NIR's first digit and its
    length with or without the key, whatever the separators. Wider than NIR_PATTERN (every NIR
    the exercises read is one; tests/test_secret_detector.py checks it)."""
    return run[:1] != "" and run[0] in NIR_FIRST_DIGITS and nir_units(run) in NIR_LENGTHS


# --- Dates, times, durations, as the bot and the web pages write them in French -----------
# The one home of French date formatting (the sandbox's texts, the locator's list date, the web
# mailbox). Callers pass local (Europe/Paris) times: the zone is a rule of the sandbox's policy.
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def plural(count: int, word: str) -> str:
    """'1 essai', '2 essais', '0 mail'."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def clock_time(hour: int, minute: int) -> str:
    """(14, 0) -> '14h', (9, 30) -> '9h30'."""
    return f"{hour}h{minute:02d}" if minute else f"{hour}h"


def format_time(moment: time) -> str:
    """'14h', '9h30'."""
    return clock_time(moment.hour, moment.minute)


def format_day(day: date) -> str:
    """'jeudi 4 décembre' (no year)."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def format_long_date(day: date) -> str:
    """'1er août 2024', '6 janvier 2025'."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def format_datetime(local: datetime) -> str:
    """'lundi 6 janvier 2025 à 9h30' (the moment as given: convert it to local time first)."""
    return (
        f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} à {local.hour}h{local.minute:02d}"
    )


def format_slot_short(local: datetime) -> str:
    """'jeudi 4 décembre, 10h30' (local time): the title of a slot button."""
    return f"{format_day(local.date())}, {format_time(local.time())}"


def format_numeric_datetime(local: datetime) -> str:
    """'25/11/2026 à 17h05', as a mail client shows it (local time)."""
    return local.strftime("%d/%m/%Y à %Hh%M")


def format_duration(delta: timedelta) -> str:
    """'55 minutes', '1 heure', '2 heures 5 minutes', '3 jours' (rounded up to the minute)."""
    minutes = max(1, ceil(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    if hours:
        parts.append(f"{hours} heure{'s' if hours > 1 else ''}")
    if mins:
        parts.append(f"{mins} minute{'s' if mins > 1 else ''}")
    return " ".join(parts)


def format_phone(number: str) -> str:
    """'0612345678' -> '06 12 34 56 78'."""
    return " ".join(number[i : i + 2] for i in range(0, len(number), 2))
