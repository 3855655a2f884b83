"""Checks of what a user types: NIR, RIB, carte Vitale serial, e-mail, mobile, codes.

Each check returns a `Check` with a `Reason`; the French text is in actions/sandbox_answers.py.
The NIR key and the IBAN are checked with python-stdnum.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional, Union

from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir as stdnum_nir

from . import policy
from .reasons import Reason

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\t": " "})


@dataclass(frozen=True)
class Check:
    """Outcome of a check: a reason code and, when it makes sense, the normalised value."""

    reason: Reason
    value: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.reason is Reason.OK


def check_nir(raw: str) -> Check:
    """Check a social security number: 13 characters + 2-digit key (spaces/dots allowed).

    Key = 97 - (number mod 97), Corsica 2A -> 19 and 2B -> 18 (stdnum.fr.nir does this).
    stdnum accepts any first digit, so provisional numbers (first digit 7 or 8) are told
    apart here. A valid provisional number gives NIR_PROVISIONAL with the compact value.
    """
    number = stdnum_nir.compact((raw or "").translate(_SPACES))
    first_digits = policy.NIR_DEFINITIVE_FIRST_DIGITS + policy.NIR_PROVISIONAL_FIRST_DIGITS
    if len(number) != 15 or number[0] not in first_digits:
        return Check(Reason.NIR_FORMAT)
    try:
        stdnum_nir.validate(number)
    except InvalidChecksum:
        return Check(Reason.NIR_KEY)
    except ValidationError:
        return Check(Reason.NIR_FORMAT)
    if number[0] in policy.NIR_PROVISIONAL_FIRST_DIGITS:
        return Check(Reason.NIR_PROVISIONAL, number)
    return Check(Reason.OK, number)


def mask_nir(compact: str) -> str:
    """'184057512345678' -> '1 84 05 •• ••• ••• 78': sex, year and month of birth, and the key."""
    if len(compact) != 15:
        return "•" * 5
    return f"{compact[0]} {compact[1:3]} {compact[3:5]} •• ••• ••• {compact[13:]}"


def format_nir(compact: str) -> str:
    """'184057512345678' -> '1 84 05 75 123 456 78'."""
    return stdnum_nir.format(compact)


def check_iban(raw: str) -> Check:
    """Validate an IBAN (country format and check digits); value is the compact IBAN."""
    try:
        return Check(Reason.OK, stdnum_iban.validate((raw or "").translate(_SPACES)))
    except ValidationError:
        return Check(Reason.IBAN_INVALID)


def check_rib_suffix(typed: str, iban_on_file: str) -> Check:
    """Compare the last 7 characters of the RIB typed by the user with the IBAN on file."""
    size = policy.RIB_SUFFIX_LENGTH
    value = re.sub(r"[\s.\-]", "", (typed or "").translate(_SPACES)).upper()
    if not re.fullmatch(rf"[A-Z0-9]{{{size}}}", value):
        return Check(Reason.RIB_FORMAT)
    expected = stdnum_iban.compact(iban_on_file)[-size:].upper()
    return Check(Reason.OK, value) if value == expected else Check(Reason.RIB_MISMATCH)


def check_vitale_suffix(typed: str, serial_on_file: str) -> Check:
    """Compare the last 11 digits of the carte Vitale serial number with the file."""
    size = policy.VITALE_SUFFIX_LENGTH
    value = re.sub(r"[\s.\-]", "", (typed or "").translate(_SPACES))
    if not re.fullmatch(rf"\d{{{size}}}", value):
        return Check(Reason.VITALE_FORMAT)
    return Check(Reason.OK, value) if serial_on_file.endswith(value) else Check(Reason.VITALE_MISMATCH)


_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)


def check_email(raw: str) -> Check:
    """Plain e-mail syntax check; value is the address in lower case."""
    value = (raw or "").strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        return Check(Reason.EMAIL_FORMAT)
    return Check(Reason.OK, value)


def check_mobile(raw: str) -> Check:
    """French mobile: 06/07 + 8 digits, or +33 6/7 (also 0033). Value is '06XXXXXXXX'."""
    value = re.sub(r"[\s.\-()]", "", (raw or "").translate(_SPACES))
    value = re.sub(r"^(\+33|0033)0?", "0", value)
    if not re.fullmatch(r"0[67]\d{8}", value):
        return Check(Reason.MOBILE_FORMAT)
    return Check(Reason.OK, value)


def check_code_personnel(raw: str) -> Check:
    """Code personnel (the password): 8 to 13 digits."""
    value = (raw or "").strip()
    lo, hi = policy.CODE_PERSONNEL_MIN_LENGTH, policy.CODE_PERSONNEL_MAX_LENGTH
    if not (value.isascii() and value.isdigit() and lo <= len(value) <= hi):
        return Check(Reason.CODE_PERSONNEL_FORMAT)
    return Check(Reason.OK, value)


def check_code_provisoire(raw: str) -> Check:
    """Code provisoire given at the CPAM desk: 4 or 8 digits."""
    value = (raw or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) in policy.CODE_PROVISOIRE_LENGTHS):
        return Check(Reason.CODE_PROVISOIRE_FORMAT)
    return Check(Reason.OK, value)


def check_security_code(raw: str) -> Check:
    """Security code from the mail: 6 digits (spaces allowed, the mail shows '4 0 0 3 6 5')."""
    value = re.sub(r"\s", "", (raw or "").translate(_SPACES))
    if not (value.isascii() and value.isdigit() and len(value) == policy.SECURITY_CODE_LENGTH):
        return Check(Reason.SECURITY_CODE_FORMAT)
    return Check(Reason.OK, value)


def parse_birth_date(value: Union[date, str, None]) -> Optional[date]:
    """A date, or 'JJ/MM/AAAA', 'JJ-MM-AAAA', 'JJ.MM.AAAA', 'AAAA-MM-JJ'; None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def same_name(a: str, b: str) -> bool:
    """Compare names ignoring case, accents, hyphens and extra spaces."""

    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKD", text or "")
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
        return " ".join(re.sub(r"[^a-z]+", " ", text).split())

    return bool(norm(a)) and norm(a) == norm(b)


def mask_email(address: str) -> str:
    """'eric.dupont@gmail.com' -> 'e***@g***.com', as shown on the login page."""
    local, _, domain = address.partition("@")
    host, _, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}"


_NICKNAME = re.compile(r"[^\W_](?:[\w' .-]*[^\W_])?")


def check_nickname(raw: str) -> Check:
    """A first name or nickname for a workshop: letters, digits, spaces, ' . -; no e-mail, no number.

    More than 4 digits could be a phone number or a NIR: refused, since a workshop keeps no
    real identity.
    """
    text = " ".join(str(raw or "").translate(_SPACES).split())
    if (
        not text
        or len(text) > policy.NICKNAME_MAX_LENGTH
        or not _NICKNAME.fullmatch(text)
        or sum(ch.isdigit() for ch in text) > 4
    ):
        return Check(Reason.NICKNAME_INVALID)
    return Check(Reason.OK, text)


def check_workshop_name(raw: str) -> Check:
    """A workshop's name: any printable text up to the length limit, markup characters removed."""
    text = " ".join(re.sub(r"[<>\x00-\x1f\x7f]", " ", str(raw or "")).split())
    if not text or len(text) > policy.WORKSHOP_NAME_MAX_LENGTH:
        return Check(Reason.WORKSHOP_NAME_INVALID)
    return Check(Reason.OK, text)


def normalise_workshop_code(raw: str) -> str:
    """'ab c-2d' -> 'ABC2D': what a learner may type or scan, upper case, separators dropped."""
    return re.sub(r"[^A-Z0-9]", "", str(raw or "").upper())[: 2 * policy.WORKSHOP_CODE_LENGTH]
