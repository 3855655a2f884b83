"""Sandbox of the ameli account system, so users can practise safely.

Pure Python (SQLAlchemy + python-stdnum), no Rasa import: the Rasa actions are thin
adapters over `Sandbox`. Modules:

- policy: every rule (durations, limits, lengths, business hours) in one place
- identifiers: NIR / RIB / carte Vitale / e-mail / mobile / code checks -> Reason
- results: what an operation returns (a Reason code and raw values: actions/sandbox_answers.py writes the French)
- clock: SystemClock, FakeClock
- security: salted hashes, random codes, mail secret encryption
- db: schema and engine; demo: fictitious dossiers; mailbox: mail texts
- appointments: « Mon agenda » slots; service: the `Sandbox` façade
- progress: what the trainer's view shows of a learner; workshops: workshops (a mixin of `Sandbox`)
"""

from .clock import Clock, FakeClock, SystemClock
from .reasons import Reason
from .results import AppointmentView, DossierView, LearnerRow, MailSummary, MailView, Result, Slot
from .service import Sandbox, get_sandbox

__all__ = [
    "AppointmentView",
    "Clock",
    "DossierView",
    "LearnerRow",
    "FakeClock",
    "MailSummary",
    "MailView",
    "Reason",
    "Result",
    "Sandbox",
    "Slot",
    "SystemClock",
    "get_sandbox",
]
