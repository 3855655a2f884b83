"""French texts of the widget's web server (web/): the mailbox API and the workshop pages (an answers module).

Plain Python, no Rasa import: web/server.py and web/workshops.py read their words here. The
sandbox's own answers (a workshop unknown, a mail not found) and the names of the mail folders
are those of the chat (actions/sandbox_answers.py), dates are written by common/formats.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Dict, Optional

from actions.sandbox.appointments import LOCAL
from actions.sandbox.reasons import Reason
from actions.sandbox.results import LearnerRow
from actions.sandbox_answers import FOLDER_LABELS, exercise_label, status_label, step_label, text
from common.formats import format_numeric_datetime

__all__ = [
    "BAD_REQUEST",
    "BAD_SESSION",
    "CHOOSE_DELAY",
    "CLOCK_MOVES",
    "FOLDER_LABELS",
    "LEARNER_UNKNOWN",
    "MAIL_NOT_FOUND",
    "TRAINER_LINK_INVALID",
    "WORKSHOP_UNKNOWN",
    "ago",
    "exercise_label",
    "qr_title",
    "received_label",
    "status_label",
    "step_label",
]

BAD_SESSION = "Identifiant de conversation invalide."
BAD_REQUEST = "Requête invalide."
LEARNER_UNKNOWN = "Participant inconnu."
MAIL_NOT_FOUND = text(Reason.MAIL_NOT_FOUND)
WORKSHOP_UNKNOWN = text(Reason.WORKSHOP_UNKNOWN)
TRAINER_LINK_INVALID = "Lien d'animateur invalide. Utilisez le lien reçu à l'ouverture de l'atelier."
CHOOSE_DELAY = "Choisissez un délai dans la liste."
# The clock moves a trainer can ask for, in minutes (16 min: a code is expired; 61 min: the
# 5-codes limit is over; 8 days: a validation link is expired; 184 days: a trusted computer is not).
CLOCK_MOVES: Dict[int, str] = {16: "16 minutes", 61: "1 heure", 8 * 24 * 60: "8 jours", 184 * 24 * 60: "6 mois"}
_QR_TITLE = "Lien de l'atelier : {link}"


def qr_title(link: str) -> str:
    """The title of a workshop's QR code (what a screen reader says)."""
    return _QR_TITLE.format(link=link)


def received_label(moment: Optional[datetime]) -> str:
    """'25/11/2026 à 17h05', Paris time, as a mail client shows it."""
    return format_numeric_datetime(moment.astimezone(LOCAL)) if moment else ""


def ago(moment: datetime, now: datetime) -> str:
    """'à l'instant', 'il y a 2 min', 'il y a 1 h 05'."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 20:
        return "à l'instant"
    if seconds < 3600:
        return f"il y a {max(1, seconds // 60)} min" if seconds >= 60 else f"il y a {seconds} s"
    return f"il y a {seconds // 3600} h {seconds % 3600 // 60:02d}"


def learner_labels(row: LearnerRow) -> Dict[str, str]:
    """The trainer's view of one learner: the exercise, the step and the status, in words."""
    return {"exercise": exercise_label(row), "step": step_label(row), "status_label": status_label(row)}
