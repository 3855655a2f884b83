"""Small result objects returned by the `Sandbox` façade."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Dict, Optional

from .reasons import Reason


@dataclass(frozen=True)
class Result:
    """Outcome of one operation: ok flag, reason code, French message, extra data."""

    ok: bool
    reason: Reason
    message: str
    data: Dict[str, Any] = field(default_factory=dict)


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
    exercise_label: str
    step_label: str
    mistakes: int
    status: Optional[str]
    status_label: str
    last_activity: datetime
    world_time: str  # the learner's sandbox date, e.g. 'lundi 6 janvier 2025 à 9h30'
    own_clock_label: str  # how far this learner's own clock was moved ('' when not)
