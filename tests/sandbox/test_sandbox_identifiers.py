"""Identifier checks: NIR (stdnum), RIB, carte Vitale, e-mail, mobile, codes; rule helpers."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.fr import nir as stdnum_nir

from actions import sandbox_answers
from actions.sandbox import identifiers as ids
from actions.sandbox import policy, security
from actions.sandbox.demo import DEMO_PEOPLE
from actions.sandbox.reasons import Reason


def _with_key(first13: str) -> str:
    return first13 + stdnum_nir.calc_check_digits(first13 + "00")


@pytest.mark.parametrize(
    "raw", ["2 84 05 38 185 123 29", "284053818512329", "2.84.05.38.185.123.29", "2\u00a084 05 38 185 123 29"]
)
def test_nir_valid_with_spaces_or_dots(raw: str) -> None:
    check = ids.check_nir(raw)
    assert check.reason is Reason.OK and check.value == "284053818512329"


def test_nir_key_is_97_minus_number_mod_97() -> None:
    number = "1750169123456"
    assert f"{97 - int(number) % 97:02d}" == "79"
    assert ids.check_nir(number + "79").ok
    assert ids.check_nir(number + "78").reason is Reason.NIR_KEY


def test_nir_corsica_2a_2b() -> None:
    # 2A counts as 19 and 2B as 18 in the key.
    assert 97 - int("2530719073004") % 97 == 43
    assert ids.check_nir("2 53 07 2A 073 004 43").ok
    assert ids.check_nir("2 53 07 2B 073 004 70").ok
    assert ids.check_nir("2 53 07 2A 073 004 70").reason is Reason.NIR_KEY
    assert ids.check_nir("2 53 07 2C 073 004 43").reason is Reason.NIR_FORMAT


@pytest.mark.parametrize(
    "raw", ["", "12345", "1 75 01 69 123 456", "1750169123456790", "A75016912345679", "3 75 01 69 123 456 86"]
)
def test_nir_wrong_format(raw: str) -> None:
    assert ids.check_nir(raw).reason is Reason.NIR_FORMAT


def test_nir_first_digit_3_is_a_format_error_even_with_a_good_key() -> None:
    number = _with_key("3750169123456")
    assert stdnum_nir.is_valid(number)  # stdnum itself accepts it
    assert ids.check_nir(number).reason is Reason.NIR_FORMAT


def test_nir_provisional_7_or_8_is_told_apart() -> None:
    assert stdnum_nir.is_valid("792037511204542")  # stdnum accepts a first digit 7
    check = ids.check_nir("7 92 03 75 112 045 42")
    assert check.reason is Reason.NIR_PROVISIONAL and check.value == "792037511204542"
    assert ids.check_nir(_with_key("8920375112045")).reason is Reason.NIR_PROVISIONAL
    assert ids.check_nir("7 92 03 75 112 045 41").reason is Reason.NIR_KEY


def test_demo_nirs_and_ibans_are_valid() -> None:
    for person in DEMO_PEOPLE:
        assert stdnum_nir.is_valid(person.nir), person
        if person.iban:
            assert ids.check_iban(person.iban).ok, person


def test_rib_suffix_against_iban_on_file() -> None:
    iban = "FR7630006000011234567890189"
    assert ids.check_rib_suffix("7890189", iban).ok
    assert ids.check_rib_suffix(" 78 90 189 ", iban).ok
    assert ids.check_rib_suffix("7890188", iban).reason is Reason.RIB_MISMATCH
    assert ids.check_rib_suffix("789018", iban).reason is Reason.RIB_FORMAT
    assert ids.check_iban("FR76 3000 6000 0112 3456 7890 188").reason is Reason.IBAN_INVALID


def test_vitale_last_11_digits() -> None:
    assert ids.check_vitale_suffix("10234567891", "8025010234567891").ok
    assert ids.check_vitale_suffix("10234567890", "8025010234567891").reason is Reason.VITALE_MISMATCH
    assert ids.check_vitale_suffix("1023456789", "8025010234567891").reason is Reason.VITALE_FORMAT


@pytest.mark.parametrize(
    "raw,ok",
    [
        ("Jean.Martin@Example.org", True),
        ("a+b@sub.domaine.fr", True),
        ("jean@", False),
        ("jean martin@x.fr", False),
        ("a..b@x.fr", False),
        ("a@x", False),
        ("@x.fr", False),
    ],
)
def test_email_syntax(raw: str, ok: bool) -> None:
    check = ids.check_email(raw)
    assert check.ok is ok
    if ok:
        assert check.value == raw.lower()


@pytest.mark.parametrize(
    "raw,value",
    [
        ("06 12 34 56 78", "0612345678"),
        ("07.12.34.56.78", "0712345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("+33 (0)7 12 34 56 78", "0712345678"),
        ("0033612345678", "0612345678"),
        ("01 23 45 67 89", None),
        ("06 12 34 56 7", None),
        ("+44 7 12 34 56 78", None),
    ],
)
def test_french_mobile(raw: str, value: str) -> None:
    check = ids.check_mobile(raw)
    assert check.value == value
    assert check.ok is (value is not None)


def test_code_lengths() -> None:
    assert not ids.check_code_personnel("1234567").ok
    assert ids.check_code_personnel("12345678").ok
    assert ids.check_code_personnel("1234567890123").ok
    assert not ids.check_code_personnel("12345678901234").ok
    assert not ids.check_code_personnel("1234567a").ok
    assert ids.check_code_provisoire("4826").ok and ids.check_code_provisoire("48264826").ok
    assert not ids.check_code_provisoire("48264").ok
    assert ids.check_security_code("4 0 0 3 6 5").value == "400365"
    assert not ids.check_security_code("40036").ok


def test_mask_email_like_the_login_page() -> None:
    assert ids.mask_email("eric.dupont@gmail.com") == "e***@g***.com"
    assert ids.mask_email("jean.martin@example.org") == "j***@e***.org"


def test_names_and_birth_dates() -> None:
    assert ids.same_name("  lérOY ", "Leroy")
    assert ids.same_name("Martin-Dupont", "martin dupont")
    assert not ids.same_name("Martin", "Martine")
    assert ids.parse_birth_date("12/05/1984") == date(1984, 5, 12)
    assert ids.parse_birth_date("1984-05-12") == date(1984, 5, 12)
    assert ids.parse_birth_date("31/02/1984") is None


def test_every_reason_has_a_french_message() -> None:
    assert set(sandbox_answers.MESSAGES) == set(Reason)


def test_public_holidays_and_working_days() -> None:
    assert policy.is_public_holiday(date(2025, 4, 21))  # lundi de Pâques
    assert policy.is_public_holiday(date(2025, 5, 29))  # Ascension
    assert policy.is_public_holiday(date(2025, 12, 25))
    assert not policy.is_working_day(date(2025, 1, 11))  # Saturday
    assert policy.is_working_day(date(2025, 1, 13))


def test_production_hash_cost() -> None:
    from sandbox_helpers import PRODUCTION_SCRYPT_N

    assert PRODUCTION_SCRYPT_N >= 2**14


def test_hashes_are_salted_and_verified() -> None:
    first, second = security.hash_secret("24681357"), security.hash_secret("24681357")
    assert first != second and "24681357" not in first
    assert security.verify_secret("24681357", first) and security.verify_secret("24681357", second)
    assert not security.verify_secret("24681358", first)
    assert not security.verify_secret("24681357", None)


def test_secret_box_round_trip_and_tamper() -> None:
    box = security.SecretBox(b"a" * 32)
    sealed = box.seal("400365")
    assert "400365" not in sealed
    assert box.open(sealed) == "400365"
    assert security.SecretBox(b"b" * 32).open(sealed) is None
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    assert box.open(tampered) is None


def test_spam_share_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(policy.SPAM_SHARE_ENV, "0.2")
    assert policy.spam_share_from_env() == 0.2
    monkeypatch.setenv(policy.SPAM_SHARE_ENV, "n'importe quoi")
    assert policy.spam_share_from_env() == policy.DEFAULT_SPAM_SHARE
    monkeypatch.delenv(policy.SPAM_SHARE_ENV)
    assert policy.spam_share_from_env() == policy.DEFAULT_SPAM_SHARE
