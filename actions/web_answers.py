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
    "WIDGET_TEXTS",
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


# The texts the pages' scripts write (web/static/widget.js, atelier.js, rejoindre.js): messages,
# button texts, aria-labels. web/server.py serves them as /static/texts.js
# (window.AMELIBOT_TEXTS); a script reads TEXTS.key, or say('key', {name: ...}) for a text with
# `{name}` in it. Keys in English, the words the page shows; the static HTML keeps its own words.
_NBSP = "\u00a0"
WIDGET_TEXTS: Dict[str, str] = {
    # widget.js: the connection
    "unreachable": (
        f"Impossible de joindre l'assistant pour le moment. Vérifiez votre connexion, puis cliquez sur "
        f"«{_NBSP}Réessayer{_NBSP}»."
    ),
    "no_reply": f"L'assistant ne répond pas. Cliquez sur «{_NBSP}Réessayer{_NBSP}» pour relancer la connexion.",
    "queued": "Votre message sera envoyé dès que l'assistant sera de nouveau joignable.",
    "new_conversation": "Nouvelle conversation.",
    # widget.js: the messages
    "new_tab": " (nouvel onglet)",
    "listen": "Écouter",
    "listen_stop": "Arrêter la lecture",
    "listen_title": "Écouter ce message (lecture à voix haute)",
    "you_said": "Vous : ",
    "bot_said": "L'assistant : ",
    "quick_replies": "Réponses proposées",
    "feedback_group": "Votre avis sur cette réponse",
    "feedback_question": "Utile ?",
    "feedback_yes": "Oui, cette réponse m'a aidé",
    "feedback_no": "Non, cette réponse ne m'a pas aidé",
    "masked": "Masqué pour votre sécurité",
    "too_long": f"Votre message est trop long{_NBSP}: {{count}} caractères sur {{max}}. Raccourcissez-le pour l'envoyer.",
    # widget.js: the simulated mailbox
    "mailbox_unreachable": f"La boîte mail simulée ne répond pas. Cliquez sur «{_NBSP}Actualiser{_NBSP}».",
    "no_mailbox": "Aucune boîte mail pour cette conversation.",  # when the server gave no message
    "folder_inbox": FOLDER_LABELS["inbox"],
    "folder_spam": FOLDER_LABELS["spam"],
    "logged_in_account": "Compte de démonstration connecté : {name}",
    "no_mail_in_folder": "Aucun mail dans ce dossier.",
    "mail_unread": "Non lu – ",
    "mail_item_meta": "De : {sender} – {received}",
    "mail_view_meta": "De : {sender} – {received} – {folder}",
    "mail_click_link": "Cliquer sur le lien (simulation)",
    "mail_not_found": MAIL_NOT_FOUND,
    "mail_open_failed": "Impossible d'ouvrir ce mail. Réessayez.",
    # atelier.js and rejoindre.js: the workshops
    "server_down": "Le serveur ne répond pas. Réessayez dans un instant.",
    "workshop": "Atelier",
    "workshop_title": "Atelier « {name} »",
    # atelier.js: the trainer's pages
    "unreadable_response": "Réponse illisible du serveur.",
    "workshop_name_missing": "Donnez un nom à l'atelier.",
    "qr_alt": "QR code du lien des participants : {link}",
    "clock_select_label": "Délai pour l'horloge de {name}",
    "advance": "Avancer",
    "advance_label": "Avancer l'horloge de {name}",
    "reset": "Remettre à zéro",
    "reset_label": "Remettre à zéro le bac à sable de {name}",
    "reset_confirm": "Remettre à zéro le bac à sable de {name} ?",
    "room_page_title": "Suivre la salle – {name}",
    "room_clock": "Horloge de la salle avancée de {delay}.",
    "server_down_retrying": "Le serveur ne répond pas : nouvel essai dans quelques secondes.",
    "trainer_link_invalid": TRAINER_LINK_INVALID,
    # rejoindre.js: a learner's page
    "nickname_label": "Votre prénom ou un pseudo (pas de nom de famille)",
    "join": "Rejoindre l'atelier",
    "joined_next": (
        "{message} Ouvrez l'assistant (bulle bleue en bas à droite) et dites par exemple "
        "« je veux m'entraîner à créer mon compte ». Votre bac à sable est à vous seul."
    ),
    "widget_not_loaded": "L'assistant n'est pas chargé. Rechargez la page.",
    "welcome": "Bienvenue ! Pour suivre votre progression, l'animateur a seulement besoin d'un prénom ou d'un pseudo.",
    "nickname_missing": "Indiquez un prénom ou un pseudo.",
}
