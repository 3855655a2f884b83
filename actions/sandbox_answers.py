"""French texts of the sandbox: every `Reason` code, step prompts, the trainer's labels (an answers module).

The sandbox (actions/sandbox) is plain Python and says no French: its operations return a
`Result` with a `Reason` code and the raw values of the text (counts, durations, moments, keys).
`say(result)` (or `text(reason, **values)`) writes them here: the Rasa actions (actions/simulation),
the web pages (web/) and the sandbox's command line call it. Numbers that are rules (15 minutes,
5 codes, 7 days, 8 to 13 digits) come from `policy`, links from the catalogue, dates from
common/formats.py. No Rasa import.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Optional, Tuple

from actions import catalogue as cat
from actions.sandbox import policy
from actions.sandbox.appointments import LOCAL
from actions.sandbox.appointments import local_label as local_datetime
from actions.sandbox.reasons import Reason
from actions.sandbox.results import LearnerRow, Result
from common.formats import format_duration, format_phone, format_slot_short, plural

_CODE_MIN = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
_LINK_DAYS = policy.VALIDATION_LINK_VALIDITY.days
_PERSO = f"{policy.CODE_PERSONNEL_MIN_LENGTH} à {policy.CODE_PERSONNEL_MAX_LENGTH} chiffres"
# The map as link text (markdown link): the widget shows « la carte des France Services »,
# a channel without link text shows the whole URL in the parentheses.
_HELP = f"Une France Services près de chez vous peut vous aider : [la carte des France Services]({cat.FRANCE_SERVICES_MAP.value})."
# What the sandbox does where the sheets are silent is said as the exercise's convention.
_EXERCISE = "Dans cet exercice, "
_SPAM = "Pensez à regarder dans vos spams."

# Prompt for each step of an account creation, used when a step comes out of order.
STEP_PROMPTS: Dict[str, str] = {
    "rib": f"Saisissez les {policy.RIB_SUFFIX_LENGTH} derniers caractères de votre RIB.",
    "vitale": (
        f"Saisissez les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres du numéro de série de votre carte Vitale."
    ),
    "terms": "Acceptez les conditions d'utilisation pour continuer.",
    "contact": "Indiquez votre adresse mail personnelle et votre numéro de portable.",
    "contacts": "Acceptez-vous ou non les contacts de l'Assurance Maladie ? Les deux réponses sont possibles.",
    "code": f"Choisissez votre code personnel, c'est-à-dire votre mot de passe : {_PERSO}.",
    "done": "Votre compte est créé. Cliquez sur le lien reçu par mail pour l'activer.",
}

# The mail folders, as the chat and the web mailbox name them (the sheets: « vos spams »).
FOLDER_LABELS: Dict[str, str] = {"inbox": "Boîte de réception", "spam": "Spam"}

MESSAGES: Dict[Reason, str] = {
    Reason.OK: "C'est bon.",
    # Identifier checks
    Reason.NIR_FORMAT: (
        "Ce numéro de sécurité sociale n'est pas valide. Il compte 13 chiffres, "
        "puis une clé de 2 chiffres. Vérifiez votre saisie."
    ),
    Reason.NIR_KEY: (
        "La clé de ce numéro ne correspond pas. La clé, ce sont les 2 derniers chiffres. Vérifiez votre saisie."
    ),
    Reason.NIR_PROVISIONAL: (
        "Votre numéro de sécurité sociale est provisoire. Vous ne pouvez pas encore créer "
        "votre compte ameli. Vous pourrez le faire quand vous aurez votre numéro définitif. " + _HELP
    ),
    Reason.IBAN_INVALID: "Cet IBAN n'est pas valide. Vérifiez votre saisie.",
    Reason.RIB_FORMAT: (
        f"Saisissez les {policy.RIB_SUFFIX_LENGTH} derniers caractères de votre RIB, "
        "sans espace. Ce sont des chiffres ou des lettres."
    ),
    Reason.RIB_MISMATCH: (
        "Ces caractères ne correspondent pas au RIB de votre dossier. Prenez le RIB du "
        "compte où sont versés vos remboursements. Regardez la fin de l'IBAN."
    ),
    Reason.VITALE_FORMAT: (
        f"Saisissez les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres du numéro de série de votre carte Vitale."
    ),
    Reason.VITALE_MISMATCH: (
        "Ces chiffres ne correspondent pas à votre carte Vitale. Le numéro de série est "
        "au dos de la carte. Vérifiez votre saisie."
    ),
    Reason.EMAIL_FORMAT: "Cette adresse mail n'est pas valide. Exemple : prenom.nom@exemple.fr",
    Reason.MOBILE_FORMAT: ("Ce numéro de portable n'est pas valide. Il commence par 06 ou 07 et compte 10 chiffres."),
    Reason.CODE_PERSONNEL_FORMAT: f"Votre mot de passe doit compter {_PERSO}, sans espace.",
    Reason.CODE_PROVISOIRE_FORMAT: (
        f"Le code provisoire remis à l'accueil de la CPAM compte {policy.CODE_PROVISOIRE_DESK_LENGTH} chiffres. "
        f"Un code à {policy.CODE_KIOSK_LENGTH} chiffres est un code déjà personnalisé (bornes multi-services)."
    ),
    Reason.BIRTH_DATE_FORMAT: "Indiquez votre date de naissance ainsi : JJ/MM/AAAA.",
    Reason.SECURITY_CODE_FORMAT: (
        f"Le code de sécurité compte {policy.SECURITY_CODE_LENGTH} chiffres. Recopiez-le depuis le mail."
    ),
    # Creation (sheet 07) and code provisoire (sheet 1.1)
    Reason.CREATION_STARTED: "Vos informations sont reconnues. " + STEP_PROMPTS["rib"],
    Reason.IDENTITY_MISMATCH: (
        "Ces informations ne correspondent à aucun dossier. Vérifiez votre numéro de "
        "sécurité sociale, votre nom et votre date de naissance."
    ),
    Reason.ACCOUNT_EXISTS: (
        "Vous avez déjà un compte ameli. Connectez-vous avec votre numéro de sécurité sociale et votre mot de passe."
    ),
    Reason.NO_RIB: (
        "Aucun RIB n'est enregistré sur votre dossier à la CPAM. Vous ne pouvez pas créer "
        "votre compte en ligne pour le moment. Donnez votre RIB à votre CPAM, à l'accueil "
        "ou par courrier. " + _HELP
    ),
    Reason.FILE_TRANSFER: (
        "Votre dossier est en cours de transfert d'un autre organisme ({organism}). Vous ne "
        "pouvez pas créer votre compte en ligne pour le moment. Réessayez quand le transfert "
        "sera terminé. " + _HELP
    ),
    Reason.RIB_OK: "C'est bon. " + STEP_PROMPTS["vitale"],
    Reason.VITALE_OK: "C'est bon. " + STEP_PROMPTS["terms"],
    Reason.TERMS_ACCEPTED: "Merci. " + STEP_PROMPTS["contact"],
    Reason.TERMS_REFUSED: "Vous devez accepter les conditions d'utilisation pour créer votre compte.",
    Reason.CONTACT_SAVED: "C'est noté. " + STEP_PROMPTS["code"],
    Reason.CONTACTS_CHOICE: "C'est noté. " + STEP_PROMPTS["contacts"],
    Reason.EMAIL_TAKEN: (
        "Cette adresse mail est déjà utilisée pour un autre compte ameli. Indiquez une adresse unique et personnelle."
    ),
    Reason.CODE_PERSONNEL_SAVED: "Votre mot de passe est enregistré. " + STEP_PROMPTS["terms"],
    Reason.VALIDATION_MAIL_SENT: (
        "Votre compte est créé. Nous avons envoyé un lien à {masked_email}. Cliquez sur ce "
        f"lien pour activer votre compte. Attention, le lien est valable {_LINK_DAYS} jours. "
        "Sans cette validation, votre compte ne sera pas activé. " + _SPAM
    ),
    Reason.NO_ENROLMENT: (
        "Commencez par la création du compte : saisissez votre numéro de sécurité sociale, "
        "votre nom et votre date de naissance."
    ),
    Reason.WRONG_STEP: "Ce n'est pas l'étape en cours. {expected}",
    Reason.LINK_INVALID: _EXERCISE + "seul le lien du dernier mail reçu est valable. Ce lien ne l'est pas.",
    Reason.LINK_EXPIRED: (
        f"Ce lien a expiré : il était valable {_LINK_DAYS} jours. Pour un vrai compte, "
        "contactez votre caisse d'assurance maladie."
    ),
    Reason.ACCOUNT_ACTIVATED: (
        "Votre compte est activé ! Connectez-vous avec votre numéro de sécurité sociale et votre mot de passe."
    ),
    Reason.ACCOUNT_ALREADY_ACTIVE: "Votre compte est déjà activé. Vous pouvez vous connecter.",
    Reason.LINK_RESENT: (
        _EXERCISE + f"un nouveau lien vous est envoyé à {{masked_email}}. Il est valable {_LINK_DAYS} jours. " + _SPAM
    ),
    # Login
    Reason.NO_ACCOUNT: (
        "Aucun compte ameli n'existe pour ce numéro. Vous pouvez créer votre compte : "
        "cliquez sur « 1ère visite ? », puis « Créer un compte »."
    ),
    Reason.WRONG_CREDENTIALS: (
        "Le numéro de sécurité sociale ou le mot de passe est incorrect. Vérifiez votre saisie."
    ),
    Reason.ACCOUNT_NOT_ACTIVE: (
        "Votre compte n'est pas encore activé. Cliquez sur le lien reçu par mail. "
        f"Il est valable {_LINK_DAYS} jours. Après, contactez votre caisse d'assurance maladie."
    ),
    Reason.KIOSK_CODE_ACCEPTED: (
        f"Votre code à {policy.CODE_KIOSK_LENGTH} chiffres est déjà personnalisé (bornes multi-services) : "
        "c'est votre mot de passe, rien à changer. " + STEP_PROMPTS["terms"]
    ),
    Reason.PERSONALISE_REQUIRED: (
        f"Votre code provisoire est accepté. Il doit être personnalisé en mot de passe de {_PERSO}. "
        "Choisissez-le maintenant."
    ),
    Reason.SECURITY_CODE_REQUIRED: (
        "Désormais, pour accéder à votre compte, un code de sécurité est nécessaire. Il vous "
        "sera envoyé par mail à l'adresse associée à votre compte : {masked_email}. "
        "Si vous n'avez plus accès à cette adresse mail, merci de contacter votre caisse "
        "d'assurance maladie. Cliquez sur « Recevoir un code de sécurité »."
    ),
    Reason.SECURITY_CODE_SENT: (
        "Saisissez le code de sécurité reçu par mail à {masked_email}. Il est valable "
        f"{_CODE_MIN} minutes. Vérifiez votre dossier Spam ou Indésirable."
    ),
    Reason.TOO_MANY_CODES: (
        f"Vous avez demandé trop de codes de sécurité : {policy.MAX_CODES_PER_HOUR} codes "
        "au maximum par heure. Réessayez dans {wait}."
    ),
    Reason.NO_PENDING_LOGIN: ("Saisissez d'abord votre numéro de sécurité sociale et votre mot de passe."),
    Reason.NO_CODE_REQUESTED: "Cliquez d'abord sur « Recevoir un code de sécurité ».",
    Reason.CODE_EXPIRED: (f"Ce code a expiré : il était valable {_CODE_MIN} minutes. Demandez un nouveau code."),
    Reason.CODE_WRONG: "Ce code est incorrect. " + _EXERCISE + "il vous reste {left}.",
    Reason.CODE_BLOCKED: (
        f"Ce code est incorrect. {_EXERCISE}après {policy.MAX_WRONG_ENTRIES_PER_CODE} erreurs, "
        "le code n'est plus valable. Demandez un nouveau code."
    ),
    Reason.CODE_SUPERSEDED: (_EXERCISE + "seul le code du dernier mail est valable. Ce code est plus ancien."),
    Reason.LOGGED_IN: "Vous êtes connecté à votre compte ameli.",
    Reason.LOGGED_IN_TRUSTED_DEVICE: (
        "Cet ordinateur personnel est reconnu : pas besoin de code de sécurité. "
        "Vous êtes connecté à votre compte ameli."
    ),
    Reason.LOGGED_OUT: "Vous êtes déconnecté.",
    Reason.NOT_LOGGED_IN: "Connectez-vous d'abord à votre compte ameli.",
    Reason.SESSION_INFO: "Vous êtes connecté en tant que {name}.",
    Reason.DEVICE_CHANGED: (
        "Vous utilisez maintenant un autre navigateur. Vous êtes déconnecté. À la prochaine "
        "connexion, le code de sécurité vous sera demandé, même si vous aviez coché la case "
        "« ordinateur personnel »."
    ),
    # Mailbox
    Reason.MAILS_LISTED: "Dossier {folder} : {count}.",
    Reason.MAIL_SHOWN: "Voici le mail.",
    Reason.MAIL_MOVED: "Le mail est déplacé dans le dossier {folder}.",
    Reason.MAIL_NOT_FOUND: "Ce mail n'existe pas dans votre boîte.",
    Reason.FOLDER_UNKNOWN: (
        f"Ce dossier n'existe pas. Choisissez {FOLDER_LABELS['inbox']} ou {FOLDER_LABELS['spam']}."
    ),
    Reason.NO_MAILBOX: (
        "Aucune boîte mail n'est liée à cette conversation. Connectez-vous ou créez votre compte d'abord."
    ),
    # Mon agenda
    Reason.APPOINTMENT_REASONS: "Choisissez le motif de votre rendez-vous téléphonique.",
    Reason.SLOTS_LISTED: "Voici les créneaux disponibles.",
    Reason.APPOINTMENT_BOOKED: (
        "Votre rendez-vous téléphonique est pris : {when}. Un conseiller vous appellera au {phone}."
    ),
    Reason.APPOINTMENTS_LISTED: "Vous avez {count} rendez-vous à venir.",
    Reason.APPOINTMENT_CANCELLED: "Votre rendez-vous du {when} est annulé.",
    Reason.APPOINTMENT_NOT_FOUND: "Ce rendez-vous n'existe pas.",
    Reason.SLOT_UNAVAILABLE: "Ce créneau n'est pas disponible. Choisissez un autre créneau.",
    Reason.APPOINTMENT_REASON_UNKNOWN: "Choisissez un motif dans la liste.",
    # Trainer
    Reason.SANDBOX_RESET: (
        "Votre bac à sable est remis à zéro. Les dossiers de démonstration sont rechargés. "
        "Les autres personnes ne sont pas touchées."
    ),
    Reason.CLOCK_MOVED: "L'horloge de votre bac à sable avance de {delta}. Nouvelle date : {now}.",
    Reason.CLOCK_INVALID: "L'horloge ne peut qu'avancer.",
    Reason.DOSSIERS_LISTED: "Voici les dossiers du bac à sable.",
    Reason.DOSSIER_ADDED: "Le dossier est ajouté.",
    Reason.DOSSIER_EXISTS: "Un dossier existe déjà pour ce numéro.",
    Reason.WORLD_READY: "Votre bac à sable est prêt.",
    Reason.WORLDS_PURGED: "{count} supprimé(s) : inutilisé(s) depuis plus de {days}.",
    Reason.EXERCISE_STOPPED: "L'exercice est arrêté.",
    # Workshops
    Reason.WORKSHOP_CREATED: "L'atelier « {name} » est ouvert. Code à donner : {code}.",
    Reason.WORKSHOP_NAME_INVALID: (
        f"Donnez un nom à l'atelier, en {policy.WORKSHOP_NAME_MAX_LENGTH} caractères au plus."
    ),
    Reason.WORKSHOP_UNKNOWN: "Cet atelier n'existe pas ou est terminé. Vérifiez le code donné par l'animateur.",
    Reason.WORKSHOP_JOINED: "Bienvenue {nickname} ! Vous êtes dans l'atelier « {name} ».",
    Reason.WORKSHOP_ROOM: "Voici où en est chaque participant.",
    Reason.NICKNAME_INVALID: (
        f"Indiquez seulement un prénom ou un pseudo, en {policy.NICKNAME_MAX_LENGTH} caractères au plus : "
        "lettres, chiffres, espaces. Pas de nom complet ni de numéro."
    ),
    Reason.LEARNER_UNKNOWN: "Ce participant n'est pas dans l'atelier.",
    Reason.LEARNER_RESET: "Le bac à sable de {nickname} est remis à zéro.",
    Reason.WORKSHOP_CLOCK_MOVED: "L'horloge de {who} avance de {delta}. Nouvelle date : {now}.",
}

# The trainer's view: each exercise and step named as its sheet names it (see `progress`).
EXERCISE_LABELS: Dict[str, str] = {
    "creation": "Créer son compte (fiche 07)",
    "provisional": "Code provisoire (fiche 1.1)",
    "login": "Se connecter (fiche 09)",
    "agenda": "Mon agenda",
}
STEP_LABELS: Dict[str, Dict[str, str]] = {
    "creation": {
        "identity": "4/11 informations personnelles",
        "rib": f"5/11 RIB ({policy.RIB_SUFFIX_LENGTH} derniers caractères)",
        "vitale": f"6/11 carte Vitale ({policy.VITALE_SUFFIX_LENGTH} derniers chiffres)",
        "terms": "7/11 conditions d'utilisation",
        "contact": "8/11 adresse mail et n° de portable",
        "code": "9/11 code personnel",
        "done": "10/11 lien reçu par mail",
        "activated": "11/11 compte activé",
    },
    "provisional": {
        "code": "2/4 connexion : personnaliser le code provisoire",
        "terms": "3/4 personnalisation : conditions générales",
        "contact": "3/4 personnalisation : adresse e-mail et téléphone",
        "contacts": "3/4 personnalisation : accepter ou non les contacts",
        "done": "4/4 validation : lien envoyé par e-mail",
        "activated": "4/4 compte validé",
    },
    "login": {
        "credentials": "3/6 n° de sécurité sociale et mot de passe",
        "code_required": "4/6 Recevoir un code de sécurité",
        "code_sent": "5/6 code de sécurité demandé",
        "logged_in": "6/6 connecté",
    },
    "agenda": {
        "booking": "choix du rendez-vous",
        "booked": "rendez-vous pris",
    },
}
STATUS_LABELS: Dict[str, str] = {"in_progress": "en cours", "done": "terminé", "stopped": "arrêté"}

NOT_STARTED = "pas encore commencé"
# Whose clock a trainer moved: the whole room (no learner) or a learner without a nickname.
WHOLE_ROOM = "toute la salle"
NAMELESS_LEARNER = "ce participant"


def slot_title(moment: datetime) -> str:
    """'jeudi 4 décembre, 10h30' in French local time: the title of a slot button."""
    return format_slot_short(moment.astimezone(LOCAL))


def _who(learner: Optional[str]) -> str:
    return WHOLE_ROOM if learner is None else (learner or NAMELESS_LEARNER)


# How a raw value of a Result is written, by placeholder name ...
_WRITE: Dict[str, Callable[[Any], str]] = {
    "folder": lambda key: FOLDER_LABELS.get(key, key),
    "expected": lambda step: STEP_PROMPTS[step],
    "phone": format_phone,
    "who": _who,
}
# ... and the counts that are written with their noun.
_COUNTED: Dict[Tuple[Reason, str], str] = {
    (Reason.WORLDS_PURGED, "count"): "monde",
    (Reason.CODE_WRONG, "left"): "essai",
    (Reason.MAILS_LISTED, "count"): "mail",
}


def _write(reason: Reason, name: str, value: Any) -> Any:
    if (reason, name) in _COUNTED:
        return plural(value, _COUNTED[reason, name])
    if name in _WRITE:
        return _WRITE[name](value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, datetime):
        return local_datetime(value)
    return value


def text(reason: Reason, **values: Any) -> str:
    """The French text for a reason, its placeholders filled with the values written in French."""
    if not values:
        return MESSAGES[reason]
    return MESSAGES[reason].format(**{name: _write(reason, name, value) for name, value in values.items()})


def say(result: Result) -> str:
    """The French text of a sandbox result."""
    return text(result.reason, **result.values)


def exercise_label(row: LearnerRow) -> str:
    """The trainer's view: the exercise a learner is doing, as its sheet names it."""
    return EXERCISE_LABELS.get(row.exercise or "", NOT_STARTED)


def step_label(row: LearnerRow) -> str:
    return STEP_LABELS.get(row.exercise or "", {}).get(row.step or "", "")


def status_label(row: LearnerRow) -> str:
    return STATUS_LABELS.get(row.status or "", "")
