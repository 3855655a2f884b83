"""Small result objects returned by the `Sandbox` façade."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Dict, Optional

from .reasons import Reason


@dataclass(frozen=True)
class Result:
    """Outcome of one operation: ok flag, reason code, extra data, and the raw values of its text.

    The sandbox says no French: actions/sandbox_answers.py writes the text of a result
    (`say(result)`) from its reason and values (counts, durations, moments, keys).
    """

    ok: bool
    reason: Reason
    data: Dict[str, Any] = field(default_factory=dict)
    values: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MailSummary:
    """One line of a mailbox listing."""

    id: str
    subject: str
    sender: str
    received_at: datetime
    folder: str
    read: bool


@dataclass(frozen=True)
class MailView:
    """A mail as the simulated user reads it (secret in clear)."""

    id: str
    subject: str
    sender: str
    received_at: datetime
    folder: str
    body: str


@dataclass(frozen=True)
class Slot:
    """An offered phone appointment slot."""

    id: str  # 'YYYY-MM-DDTHH:MM', local time
    start: datetime  # aware, Europe/Paris
    label: str  # 'lundi 6 janvier 2025 à 9h30'


@dataclass(frozen=True)
class AppointmentView:
    """A booked phone appointment."""

    id: int
    start: datetime
    label: str
    reason: str
    reason_label: str
    phone: str


@dataclass(frozen=True)
class DossierView:
    """A dossier as the trainer sees it (no secrets)."""

    nir: str
    first_name: str
    last_name: str
    birth_date: date
    has_rib: bool
    status: str
    transfer_from: Optional[str]
    has_code_provisoire: bool
    account: Optional[str]  # None, "inactive" or "active"
    email: Optional[str]


@dataclass(frozen=True)
class LearnerRow:
    """One learner in the trainer's view of a workshop. No secret, no identity but a nickname."""

    id: int
    nickname: str
    exercise: Optional[str]
    step: Optional[str]
    mistakes: int
    status: Optional[str]
    last_activity: datetime
    world_time: str  # the learner's sandbox date, e.g. 'lundi 6 janvier 2025 à 9h30'
    own_clock_label: str  # how far this learner's own clock was moved ('' when not)
