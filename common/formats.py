"""What the codes and the social security number (NIR) look like, as people type them.

Facts shared by the sandbox (actions/sandbox/policy.py re-exports them with its other rules and
checks them), the secret detector (which finds and hides them in the NLU pipeline, the channels,
the tracker store and the logs), the answers (which tell them to the user) and the NLU data
(`nir` of data/nlu/regex.yml is `\\b` + NIR_PATTERN + `\\b`, checked by tests/test_one_home.py).
Change them here only.
"""

from __future__ import annotations

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
