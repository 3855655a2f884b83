"""The steps the sandbox and the exercises' forms agree on, as typed values.

`str` Enums: a member equals (and hashes like) its string, `CreationStep.RIB == "rib"`, so the
database columns, the `Result.data` of the sandbox and the Rasa slots keep the same strings.
`str()` and f-strings give the value too. Pure Python, no Rasa import.
"""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """A str Enum whose str() is its value (as enum.StrEnum in Python 3.11+)."""

    def __str__(self) -> str:
        return str(self.value)


class CreationStep(StrEnum):
    """Enrolment.step: where an account creation stands (sheet 07, and the sheet 1.1 route)."""

    RIB = "rib"  # 7 derniers caractères du RIB
    VITALE = "vitale"  # 11 derniers chiffres du n° de série de la carte Vitale
    TERMS = "terms"  # conditions d'utilisation
    CONTACT = "contact"  # adresse e-mail + n° de portable
    CONSENT = "contacts"  # sheet 1.1: « accepter ou non les contacts » (code provisoire route)
    CODE = "code"  # code personnel
    DONE = "done"  # account created (inactive), validation link sent


class EnrolmentRoute(StrEnum):
    """Enrolment.route: how the enrolment started."""

    CREATION = "creation"  # sheet 07: NIR, name, birth date, RIB, carte Vitale
    PROVISIONAL = "provisional"  # sheet 1.1: login with a code provisoire, then personalise


class LoginStage(StrEnum):
    """Conversation.stage: where a login stands in a conversation."""

    NONE = "none"
    CODE = "code"  # password checked, security code to request and type
    INACTIVE = "inactive"  # password checked, account not activated yet
    LOGGED_IN = "logged_in"


class AccountState(StrEnum):
    """DossierView.account: the state of a dossier's account (None when there is none)."""

    INACTIVE = "inactive"
    ACTIVE = "active"
