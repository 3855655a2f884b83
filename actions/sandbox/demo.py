"""Fictitious demo dossiers, loaded into each new world (idempotent) and on reset.

Every NIR key below was checked with stdnum.fr.nir (all six keys given in the issue are
right); every IBAN with stdnum.iban (French RIB keys are right too). Birth dates, IBANs
(except Marie Durand's), carte Vitale serials and e-mails are invented.

| # | Person        | NIR                   | Born       | Case                           | What to type |
|---|---------------|-----------------------|------------|--------------------------------|--------------|
| 1 | Marie Durand  | 2 84 05 38 185 123 29 | 12/05/1984 | no account: creation succeeds  | RIB end 7890189, Vitale end 10234567891 |
| 2 | Jean Martin   | 1 75 01 69 123 456 79 | 23/01/1975 | active account                 | code personnel 24681357, mail jean.martin@example.org |
| 3 | Lina Haddad   | 7 92 03 75 112 045 42 | 08/03/1992 | provisional number: refused    | - |
| 4 | Paul Bernard  | 1 68 02 33 005 017 54 | 17/02/1968 | no RIB on file: refused        | - |
| 5 | Sophie Leroy  | 2 91 07 31 555 088 94 | 30/07/1991 | transfer from the MSA: refused | - |
| 6 | Ahmed Benali  | 1 55 05 99 350 012 58 | 04/05/1955 | code provisoire from the CPAM  | code provisoire 4826 |
| 7 | Nadia Moreau  | 2 62 10 69 055 078 27 | 09/10/1962 | code of the kiosks (8 digits)  | code 73519046 (no new password) |

Sheet 1.1: a 4-digit code is the code provisoire of the CPAM desk (to personalise); an 8-digit
code was already personalised at the kiosks (« bornes multi-services »): both are in
`code_provisoire`, the length tells them apart (policy.CODE_PROVISOIRE_DESK_LENGTH, CODE_KIOSK_LENGTH).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import db, identifiers, security


@dataclass(frozen=True)
class DemoPerson:
    """A fictitious person of the sandbox, with the secrets a trainer hands out."""

    nir: str
    first_name: str
    last_name: str
    birth_date: date
    iban: Optional[str]
    vitale_serial: Optional[str]
    status: str = "normal"
    transfer_from: Optional[str] = None
    code_provisoire: Optional[str] = None
    account_email: Optional[str] = None  # an active account exists when set
    account_mobile: Optional[str] = None
    code_personnel: Optional[str] = None
    case: str = ""


DEMO_PEOPLE: List[DemoPerson] = [
    DemoPerson(
        "2 84 05 38 185 123 29",
        "Marie",
        "Durand",
        date(1984, 5, 12),
        "FR76 3000 6000 0112 3456 7890 189",
        "8025010234567891",
        case="Pas encore de compte : la création réussit.",
    ),
    DemoPerson(
        "1 75 01 69 123 456 79",
        "Jean",
        "Martin",
        date(1975, 1, 23),
        "FR76 3000 4008 1900 0123 4567 879",
        "8025020987654321",
        account_email="jean.martin@example.org",
        account_mobile="06 12 34 56 78",
        code_personnel="24681357",
        case="Compte actif : connexion avec un code de sécurité.",
    ),
    DemoPerson(
        "7 92 03 75 112 045 42",
        "Lina",
        "Haddad",
        date(1992, 3, 8),
        "FR76 1027 8060 3900 0201 2340 156",
        None,
        case="Numéro provisoire : création refusée.",
    ),
    DemoPerson(
        "1 68 02 33 005 017 54",
        "Paul",
        "Bernard",
        date(1968, 2, 17),
        None,
        "8025031415926535",
        case="Pas de RIB sur le dossier : création refusée.",
    ),
    DemoPerson(
        "2 91 07 31 555 088 94",
        "Sophie",
        "Leroy",
        date(1991, 7, 30),
        "FR76 1820 6000 4265 0123 4567 857",
        "8025027182818284",
        status="transfer",
        transfer_from="MSA",
        case="Dossier en cours de transfert depuis la MSA : création refusée.",
    ),
    DemoPerson(
        "1 55 05 99 350 012 58",
        "Ahmed",
        "Benali",
        date(1955, 5, 4),
        "FR76 3000 3036 2000 0501 2345 668",
        "8025016180339887",
        code_provisoire="4826",
        case="Code provisoire remis à l'accueil : la première connexion le personnalise.",
    ),
    DemoPerson(
        "2 62 10 69 055 078 27",
        "Nadia",
        "Moreau",
        date(1962, 10, 9),
        "FR76 3000 2005 5000 0456 7812 386",
        "8025014142135623",
        code_provisoire="73519046",
        case="Code à 8 chiffres déjà personnalisé aux bornes multi-services : pas de nouveau mot de passe.",
    ),
]


@functools.lru_cache(maxsize=None)
def _compact_nir(person: DemoPerson) -> str:
    """The demo NIR, compact; refuses a wrong key instead of silently loading it."""
    check = identifiers.check_nir(person.nir)
    if check.value is None:
        raise ValueError(f"demo NIR of {person.first_name} {person.last_name} is invalid: {check.reason}")
    return check.value


@functools.lru_cache(maxsize=None)
def _compact_iban(person: DemoPerson) -> Optional[str]:
    """The demo IBAN, compact; refuses a wrong one instead of silently loading it."""
    if not person.iban:
        return None
    iban = identifiers.check_iban(person.iban).value
    if iban is None:
        raise ValueError(f"demo IBAN of {person.first_name} {person.last_name} is invalid")
    return iban


def load_demo(
    session: Session,
    world_id: int,
    now: datetime,
    nir_digest: Callable[[str], str],
    hash_secret: Callable[[str], str] = security.hash_secret,
) -> int:
    """Insert the demo dossiers (and Jean Martin's account) of one world. Returns the count.

    nir_digest: the sandbox's keyed digest (the NIR itself is never stored).
    hash_secret: how demo codes are hashed; the sandbox passes a per-process cache, so a new
    world costs no key derivation (the demo codes are public, their hashes salted once).
    """
    present = set(session.execute(select(db.Dossier.nir_digest).where(db.Dossier.world_id == world_id)).scalars())
    dossiers, accounts = [], []
    for person in DEMO_PEOPLE:
        nir = _compact_nir(person)
        digest = nir_digest(nir)
        if digest in present:
            continue
        iban = _compact_iban(person)
        dossier = db.Dossier(
            world_id=world_id,
            nir_digest=digest,
            nir_masked=identifiers.mask_nir(nir),
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            iban=iban,
            vitale_serial=person.vitale_serial,
            status=person.status,
            transfer_from=person.transfer_from,
            is_demo=True,
            code_provisoire_hash=hash_secret(person.code_provisoire) if person.code_provisoire else None,
        )
        dossiers.append(dossier)
        if person.account_email and person.code_personnel and person.account_mobile:
            accounts.append(
                (
                    dossier,
                    db.Account(
                        world_id=world_id,
                        nir_digest=digest,
                        email=person.account_email.lower(),
                        mobile=identifiers.check_mobile(person.account_mobile).value,
                        code_hash=hash_secret(person.code_personnel),
                        active=True,
                        terms_accepted_at=now,
                        created_at=now,
                        activated_at=now,
                    ),
                )
            )
    session.add_all(dossiers)
    session.flush()  # one round of inserts; the accounts need the dossiers' ids
    for dossier, account in accounts:
        account.dossier_id = dossier.id
    session.add_all([account for _, account in accounts])
    return len(dossiers)
