"""Every business rule of the sandbox, in one place.

Values quoted from the official sheets are marked with the sheet they come from.
Values the sheets do not give are our choice, documented here; change them here only.
What the codes and the NIR look like (their lengths, their first digits) is shared with the
secret detector of every layer: those facts live in common/formats.py and are re-exported here,
so that the sandbox reads all its rules from this module.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from dateutil.easter import easter as dateutil_easter

from common import settings
from common.formats import (  # noqa: F401  (re-exported: the sandbox's rules on lengths)
    CODE_KIOSK_LENGTH,
    CODE_PERSONNEL_MAX_LENGTH,
    CODE_PERSONNEL_MIN_LENGTH,
    CODE_PROVISOIRE_DESK_LENGTH,
    CODE_PROVISOIRE_LENGTHS,
    NIR_DEFINITIVE_FIRST_DIGITS,
    NIR_LENGTH,
    NIR_PROVISIONAL_FIRST_DIGITS,
    SECURITY_CODE_LENGTH,
)

# --- Security code (sheets 09, 08 and "Connexion compte ameli") -------------------------
# SECURITY_CODE_LENGTH: common/formats.py
SECURITY_CODE_VALIDITY = timedelta(minutes=15)  # "valable seulement 15 minutes"
MAX_CODES_PER_HOUR = 5  # "5 codes max par heure"
CODE_RATE_WINDOW = timedelta(hours=1)
# The sheets say "trop de codes ... sans les utiliser pour me connecter": only codes that
# were NOT used to log in count towards the limit (sliding one-hour window).
# Our choice: 3 wrong entries burn a code; the user must then ask for a new one.
MAX_WRONG_ENTRIES_PER_CODE = 3
# Our choice: only the latest code of a login attempt is valid; asking for a new code
# makes the older ones unusable (the user is told to use the most recent mail).

# "Je coche la case pour ne plus saisir de code de sécurité pendant 6 mois".
# 6 months = 183 days (half of 366, rounded up): never shorter than 6 calendar months.
TRUSTED_DEVICE_DURATION = timedelta(days=183)

# --- Account creation (sheet 07) and code provisoire (sheet 1.1) ------------------------
VALIDATION_LINK_VALIDITY = timedelta(days=7)  # "le lien est valable 7 jours"
# The lengths of the code personnel and of the codes provisoires (sheet 1.1), the NIR's length and
# first digits: common/formats.py.
RIB_SUFFIX_LENGTH = 7  # sheet 07: "les 7 derniers caractères du RIB"
VITALE_SUFFIX_LENGTH = 11  # sheet 07: "les 11 derniers chiffres du n° de série"
# Sheet 07, "Je ne peux pas utiliser ce service si ... transfert d'un autre organisme".
TRANSFER_ORGANISMS = ("MSA", "MGEN", "ENIM", "CNMSS", "CAMIEG", "CRPCEN", "LMDE")

# --- Simulated mailbox ------------------------------------------------------------------
MAIL_FOLDERS = ("inbox", "spam")
DEFAULT_SPAM_SHARE = 0.5  # share of mails that land in the spam folder
SPAM_SHARE_ENV = settings.SANDBOX_SPAM_SHARE
VALIDATION_LINK_BASE = "https://compte-ameli.bac-a-sable.invalid/valider?jeton="


def spam_share_from_env() -> float:
    """The spam share from SANDBOX_SPAM_SHARE (0 to 1), or the default."""
    value = settings.sandbox_spam_share()
    return DEFAULT_SPAM_SHARE if value is None else min(1.0, max(0.0, value))


# --- Worlds and workshops (our choice) ----------------------------------------------------
# Each learner practises in a world of their own; a world unused for this long is deleted.
WORLD_RETENTION = timedelta(days=7)
WORLD_RETENTION_ENV = settings.SANDBOX_WORLD_RETENTION_DAYS
WORLD_PURGE_INTERVAL = timedelta(hours=1)  # the purge runs on its own at most this often
WORKSHOP_CODE_LENGTH = 6
WORKSHOP_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud
WORKSHOP_NAME_MAX_LENGTH = 60
NICKNAME_MAX_LENGTH = 30


def world_retention() -> timedelta:
    """How long an unused world is kept: SANDBOX_WORLD_RETENTION_DAYS (days, > 0), else 7 days."""
    days = settings.sandbox_world_retention_days() or 0.0
    return timedelta(days=days) if days > 0 else WORLD_RETENTION


# --- Phone appointments, « Mon agenda / Prendre un rendez-vous » (our choice) -----------
TIMEZONE = "Europe/Paris"
BUSINESS_DAY_START = time(8, 30)
BUSINESS_DAY_END = time(17, 0)  # the last slot ends at 17:00
APPOINTMENT_SLOT = timedelta(minutes=30)
# Today (if a working day) and the next working days: two weeks, so that « la semaine
# prochaine » always has slots (a France Services adviser books within about two weeks).
APPOINTMENT_WORKING_DAYS = 10
APPOINTMENT_MIN_NOTICE = timedelta(hours=1)  # never offer a slot starting sooner
# How the free slots are offered (a short choice, buttons): the first offer spreads over this
# many days, a morning and an afternoon slot each; never more buttons than this in one message.
APPOINTMENT_OFFER_DAYS = 4
APPOINTMENT_OFFER_MAX = 8
# Words of a preference: « le matin » starts before NOON, « l'après-midi » from NOON,
# « en fin de journée » from LATE_DAY_START; « vers 15h » means within AROUND of 15h.
NOON = time(12, 0)
LATE_DAY_START = time(16, 0)
AROUND = timedelta(hours=1)
APPOINTMENT_REASONS: dict[str, str] = {
    "compte_ameli": "Mon compte ameli",
    "remboursement": "Un remboursement",
    "carte_vitale": "Ma carte Vitale",
    "arret_travail": "Un arrêt de travail",
    "autre": "Une autre question",
}


def is_public_holiday(day: date) -> bool:
    """French public holidays (metropolitan list)."""
    fixed = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
    if (day.month, day.day) in fixed:
        return True
    easter = dateutil_easter(day.year)
    return day in {easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(days=50)}


def is_working_day(day: date) -> bool:
    """Monday to Friday, except public holidays."""
    return day.weekday() < 5 and not is_public_holiday(day)


# --- Secret hashing (our choice: scrypt, per-record random salt) ------------------------
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
