"""Answers of the sandbox exercises (account creation, login, mailbox, « Mon agenda »).

Like actions/answers.py, RESPONSES here become responses of domain.yml (`make domain`).
Rules live in actions/sandbox/policy.py, the French of its refusals in actions/sandbox_answers.py;
the other texts of the exercises are below, used by the actions of actions/simulation/.
Style: short sentences, plain words, "vous". Links and menu paths come from the catalogue.
"""

from __future__ import annotations

from typing import Any, Dict, List

from actions import catalogue as cat
from actions.answers import HELP_BLOCK, button
from actions.sandbox import policy
from actions.sandbox.demo import DEMO_PEOPLE, DemoPerson
from actions.sandbox.steps import AccountState
from common.formats import DAYS, format_day, format_time

PERSO = f"{policy.CODE_PERSONNEL_MIN_LENGTH} à {policy.CODE_PERSONNEL_MAX_LENGTH} chiffres"
CODE_MINUTES = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
TRUST_MONTHS = round(policy.TRUSTED_DEVICE_DURATION.days / 30.44)

SIMULATION_WARNING = (
    "C'est une simulation : rien n'est réel. N'écrivez jamais ici votre vrai numéro de "
    "sécurité sociale, ni un vrai mot de passe ou un vrai code."
)
STOP_HINT = "Pour arrêter l'exercice, écrivez « annuler »."


def _r(text: str, buttons: List[Dict[str, str]] | None = None) -> List[Dict[str, Any]]:
    variant: Dict[str, Any] = {"text": text}
    if buttons:
        variant["buttons"] = buttons
    return [variant]


# -- demo dossiers, as the exercises show them -------------------------------------


def _rib_end(person: DemoPerson) -> str:
    compact = (person.iban or "").replace(" ", "")
    return compact[-policy.RIB_SUFFIX_LENGTH :]


def demo_line(person: DemoPerson, number: int, *, secrets: bool = True) -> str:
    """'1. Marie Durand, 2 84 05 38 185 123 29, née le 12/05/1984 : <case>' (+ what to type)."""
    born = person.birth_date.strftime("%d/%m/%Y")
    line = f"{number}. {person.first_name} {person.last_name.upper()}, {person.nir}, date de naissance {born}. {person.case}"
    if not secrets:
        return line
    extra = []
    if person.code_personnel:
        extra.append(f"mot de passe {person.code_personnel}")
    if person.code_provisoire and len(person.code_provisoire) == policy.CODE_KIOSK_LENGTH:
        extra.append(f"code des bornes {person.code_provisoire}")
    elif person.code_provisoire:
        extra.append(f"code provisoire {person.code_provisoire}")
    if (
        not person.account_email
        and not person.code_provisoire
        and person.status == "normal"
        and person.iban
        and person.nir[0] in policy.NIR_DEFINITIVE_FIRST_DIGITS
    ):
        extra.append(f"RIB : {_rib_end(person)}")
        extra.append(f"carte Vitale : {(person.vitale_serial or '')[-policy.VITALE_SUFFIX_LENGTH :]}")
    return line + (f" À taper : {', '.join(extra)}." if extra else "")


def _people(kind: str) -> List[tuple]:
    rows = []
    for number, person in enumerate(DEMO_PEOPLE, start=1):
        login = bool(person.account_email or person.code_provisoire)
        if (kind == "login") == login:
            rows.append((number, person))
    return rows


DOSSIERS_TO_USE = "Utilisez un de ces dossiers fictifs. " + STOP_HINT


def intro_creation() -> List[str]:
    """The introduction of the creation exercise, one short message each: what it is, then one
    message per dossier to use (a single message listing them all was too long to follow)."""
    return [
        "Exercice : créer un compte ameli (simulation, comme sur ameli.fr depuis un ordinateur). " + SIMULATION_WARNING,
        DOSSIERS_TO_USE,
        *[demo_line(p, n) for n, p in _people("creation")],
    ]


def intro_connexion() -> List[str]:
    """The introduction of the login exercise, one short message each (see intro_creation)."""
    return [
        "Exercice : se connecter au compte ameli (simulation). " + SIMULATION_WARNING,
        DOSSIERS_TO_USE,
        *[demo_line(p, n) for n, p in _people("login")],
    ]


INTRO_RDV = (
    f"Exercice « Mon agenda » (simulation) : vous prenez un rendez-vous téléphonique fictif, "
    f"comme dans la rubrique {cat.MENU_AGENDA.value} de votre compte. Aucun conseiller ne vous appellera. " + STOP_HINT
)
INTRO_MAILBOX = "Boîte mail simulée (ce n'est pas votre vraie boîte mail)."

# -- form prompts: the `utter_ask_<slot>` responses of domain.yml (`make domain`) -----------------
# The forms ask them without a call to the action server; the questions built from the sandbox's
# data (reasons, free slots, the booking to confirm) stay actions (actions/simulation/agenda.py).

ASK_NIR = (
    f"Saisissez le numéro de sécurité sociale du dossier fictif ({policy.NIR_LENGTH} chiffres, les espaces sont acceptés). "
    "Exemple : 2 84 05 38 185 123 29."
)
PROMPTS: Dict[str, List[Dict[str, Any]]] = {
    "simu_nir": _r("Étape « informations personnelles ». " + ASK_NIR),
    "simu_nom": _r("Saisissez le nom de famille du dossier (exemple : Durand)."),
    "simu_naissance": _r("Saisissez la date de naissance, ainsi : JJ/MM/AAAA (exemple : 12/05/1984)."),
    "simu_rib": _r(
        f"Saisissez les {policy.RIB_SUFFIX_LENGTH} derniers caractères du RIB : c'est la fin de l'IBAN "
        "du compte où sont versés les remboursements. Sans espace."
    ),
    "simu_vitale": _r(
        f"Saisissez les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres du numéro de série de la carte Vitale."
    ),
    "simu_cgu": _r(
        "Acceptez-vous les conditions d'utilisation du compte ameli ?",
        [button("J'accepte", "affirmer"), button("Je refuse", "nier")],
    ),
    "simu_email": _r("Saisissez une adresse mail fictive, unique et personnelle (exemple : marie.durand@example.org)."),
    "simu_mobile": _r("Saisissez un numéro de portable fictif : 10 chiffres, commençant par 06 ou 07."),
    "simu_code_perso": _r(
        f"Choisissez un code personnel : c'est votre mot de passe, de {PERSO}. "
        "Dans cet exercice, inventez-en un : jamais votre vrai mot de passe."
    ),
    "simu_login_nir": _r("Page « J'accède à mon compte ameli ». " + ASK_NIR),
    "simu_login_code": _r(
        "Saisissez le mot de passe du dossier fictif, son code provisoire "
        f"à {policy.CODE_PROVISOIRE_DESK_LENGTH} chiffres remis à l'accueil de la CPAM, ou son code "
        f"à {policy.CODE_KIOSK_LENGTH} chiffres des bornes multi-services. "
        "Envoyer votre message, c'est cliquer sur « Me connecter »."
    ),
    "simu_envoi_code": _r(
        "Cliquez sur le bouton :",
        [button("Recevoir un code de sécurité", "affirmer")],
    ),
    "simu_ordi_perso": _r(
        f"Code noté. Sous le code, il y a une case {cat.TRUSTED_COMPUTER.value}. Si vous la cochez, ce navigateur "
        f"ne vous demandera plus de code de sécurité pendant {TRUST_MONTHS} mois. "
        "À cocher seulement sur votre ordinateur à vous. Vous la cochez ?",
        [button("Oui, je coche", "affirmer"), button("Non", "nier")],
    ),
    "simu_code_securite": _r(
        "Ouvrez votre boîte mail simulée (comme dans un nouvel onglet), lisez le code, puis revenez ici "
        f"et saisissez les {policy.SECURITY_CODE_LENGTH} chiffres. Regardez aussi dans les spams.",
        [button("Ouvrir ma boîte mail (simulation)", "simuler_boite_mail")],
    ),
    # Sheet 08 (the app): no tabs and no box; « en prenant soin de laisser ouverte la fenêtre avec l'appli ».
    "simu_code_securite_appli": _r(
        "Ouvrez votre boîte mail simulée en gardant l'appli ameli ouverte. Lisez le code, puis revenez "
        f"dans l'appli et saisissez les {policy.SECURITY_CODE_LENGTH} chiffres. Regardez aussi dans les spams.",
        [button("Ouvrir ma boîte mail (simulation)", "simuler_boite_mail")],
    ),
    # Sheet 08: « Je clique sur la silhouette », « Je saisis mon n° de sécurité sociale et mon mot de
    # passe », « Je clique sur Se connecter ».
    "simu_login_nir_appli": _r("Dans l'appli, vous avez cliqué sur la silhouette. " + ASK_NIR),
    "simu_login_code_appli": _r(
        "Saisissez le mot de passe du dossier fictif. Envoyer votre message, c'est cliquer sur « Se connecter »."
    ),
    "simu_support": _r(
        "Vous vous connectez sur ordinateur ou dans l'appli ameli ?",
        [button("Sur ordinateur", "depuis_ordinateur"), button("Dans l'appli", "depuis_appli")],
    ),
    # Sheet 1.1, 3/4: « Accepter ou non les contacts »: both answers are fine.
    "simu_contacts": _r(
        "Dernière case : accepter ou non les contacts. Les deux réponses sont possibles. Vous acceptez ?",
        [button("J'accepte", "affirmer"), button("Je n'accepte pas", "nier")],
    ),
}
# Prompts that are variants of another slot's question, not a question of their own.
PROMPT_VARIANTS = {"simu_code_securite_appli", "simu_login_nir_appli", "simu_login_code_appli"}
SUPPORT_COMPUTER, SUPPORT_APP = "ordinateur", "appli"
SUPPORT_WORDS = {
    SUPPORT_COMPUTER: ("ordinateur", "ordi", "pc", "mac", "portable ordinateur", "navigateur", "site"),
    SUPPORT_APP: ("appli", "application", "app", "smartphone", "téléphone", "telephone", "tablette", "mobile"),
}
SUPPORT_FORMAT = "Répondez « ordinateur » ou « appli » (ou cliquez sur un bouton)."


def ask_responses() -> Dict[str, List[Dict[str, Any]]]:
    """`utter_ask_<slot>` for each prompt; a slot with an `_appli` prompt gets it as a variation
    conditioned on `simu_support` = appli (Rasa's conditional response variations, sheet 08)."""
    out: Dict[str, List[Dict[str, Any]]] = {}
    in_the_app = [{"type": "slot", "name": "simu_support", "value": SUPPORT_APP}]
    for slot, prompt in PROMPTS.items():
        if slot in PROMPT_VARIANTS:
            continue
        variants = [dict(v) for v in prompt]
        variants += [{**v, "condition": in_the_app} for v in PROMPTS.get(f"{slot}_appli", [])]
        out[f"utter_ask_{slot}"] = variants
    return out


# Responses of domain.yml: the forms' questions (rules use none of the others here).
RESPONSES: Dict[str, List[Dict[str, Any]]] = ask_responses()

# « annuler » with no exercise and no guide under way (actions/guide_actions.py says it).
NOTHING_TO_STOP = "Aucun exercice n'est en cours. Que voulez-vous faire ?"
NOTHING_TO_STOP_BUTTONS = [
    button("Créer un compte (exercice)", "simuler_creation"),
    button("Me connecter (exercice)", "simuler_connexion"),
    button("Ma boîte mail (simulation)", "simuler_boite_mail"),
]

# -- texts used by the actions ------------------------------------------------------

OK = "C'est bon."
STOPPED = "D'accord, l'exercice est arrêté. Vous pouvez en recommencer un quand vous voulez."
STOPPED_BUTTONS = [
    button("Créer un compte (exercice)", "simuler_creation"),
    button("Me connecter (exercice)", "simuler_connexion"),
]
TOO_MANY_TRIES = "Ce n'est toujours pas ça. Nous arrêtons l'exercice ici : ce n'est pas grave."
EXERCISE_END_HELP = HELP_BLOCK
EXERCISE_BUTTONS = [
    button("Recommencer la création (exercice)", "simuler_creation"),
    button("Me connecter (exercice)", "simuler_connexion"),
]
EMPTY_VALUE = "Je n'ai rien reçu. "
NAME_FORMAT = "Saisissez le nom de famille, en lettres (exemple : Durand)."
YES_NO = "Répondez par oui ou par non."
TERMS_REFUSED_END = "Sans accepter les conditions d'utilisation, le compte ne peut pas être créé."

CREATION_DONE = (
    "Dernière étape : ouvrez le mail « Activez votre compte ameli » dans votre boîte mail simulée "
    "et cliquez sur le lien. Sans ce clic, le compte n'est pas activé."
)
CREATION_REFUSED = "L'exercice s'arrête là : ce cas bloque aussi la création sur le vrai site."
MAILBOX_BUTTON = button("Ouvrir ma boîte mail (simulation)", "simuler_boite_mail")
LOGIN_BUTTON = button("Me connecter (exercice)", "simuler_connexion")
CREATION_BUTTON = button("Créer un compte (exercice)", "simuler_creation")

LOGGED_IN_MENU = "Vous êtes connecté (simulation). Que voulez-vous essayer ?"
LOGGED_IN_BUTTONS = [
    button("Prendre un rendez-vous (exercice)", "simuler_rdv"),
    button("Mes rendez-vous", "simuler_mes_rdv"),
    button("Changer de navigateur", "changer_navigateur"),
    button("Me déconnecter", "simuler_deconnexion"),
]
TRUSTED_SAVED = (
    f"Case cochée : sur ce navigateur, plus de code de sécurité pendant {TRUST_MONTHS} mois. "
    "Sur un autre navigateur, le code sera demandé."
)
LOGIN_NO_ACCOUNT_END = "Vous pouvez essayer l'exercice de création de compte."
LOGIN_INACTIVE_END = "Ouvrez votre boîte mail simulée et cliquez sur le lien d'activation."
LOGIN_TOO_MANY_CODES_END = (
    f"L'exercice s'arrête là : {policy.MAX_CODES_PER_HOUR} codes max par heure. "
    "Pour continuer, un formateur peut avancer l'horloge d'une heure."
)
NEW_CODE_NEEDED = "Il faut un nouveau code."

NO_MAIL = "Aucun mail."
MAIL_UNREAD = "(non lu) "  # before the subject of a mail not read yet, in the mailbox listing
MAIL_OPEN = "Lire : {subject} ({when})"
MAIL_HEADER = "De : {sender}\nObjet : {subject}\nReçu le {when} (dossier {folder})\n\n{body}"
MAIL_FROM_SPAM = "Ce mail était dans les spams. Dans votre vraie boîte, pensez à regarder ce dossier."
MAIL_CODE_HINT = "Revenez à la page du compte ameli et saisissez ce code."
CLICK_LINK = "Cliquer sur le lien"
NO_LINK_MAIL = "Je ne trouve pas de mail d'activation dans votre boîte mail simulée."

NOT_LOGGED_IN_RDV = "Dans la simulation, il faut d'abord vous connecter au compte ameli."
RDV_ASK_REASON = "Choisissez le motif du rendez-vous téléphonique."
RDV_NO_SLOT = "Aucun créneau n'est libre pour le moment."
RDV_CONFIRM = "Récapitulatif : {reason}, {when}. Le conseiller appellera le portable du compte. Vous confirmez ?"
RDV_NOT_CONFIRMED = "D'accord, aucun rendez-vous n'est pris."
RDV_CONFIRM_BUTTONS = [button("Oui, je confirme", "affirmer"), button("Non", "nier")]
RDV_NONE = "Vous n'avez aucun rendez-vous à venir."
RDV_LINE = "- {when} : {reason} (appel au {phone})"
RDV_CANCEL = "Annuler le {when}"
RDV_BUTTONS = [button("Prendre un rendez-vous (exercice)", "simuler_rdv")]

LOGGED_OUT_BUTTONS = [LOGIN_BUTTON]
CLOCK_UNREADABLE = (
    "Je n'ai pas compris la durée. Exemples : « avancer l'horloge de 16 minutes », "
    "« avancer de 2 heures », « avancer de 10 jours »."
)
TRAINER_COMMANDS_OFF = (
    "Cette commande est réservée aux formateurs. Elle agit sur toutes les conversations, "
    "alors elle est désactivée sur ce service partagé."
)
DOSSIERS_TITLE = "Dossiers fictifs du bac à sable (simulation) :"
ACCOUNT_STATE = {
    None: "pas de compte",
    AccountState.INACTIVE: "compte pas encore activé",
    AccountState.ACTIVE: "compte actif",
}

# Help on the field being asked, when the user asks a question in the middle of an exercise.
FIELD_HELP: Dict[str, str] = {
    "simu_nir": (
        f"Le numéro de sécurité sociale a {policy.NIR_LENGTH} chiffres : 13 chiffres, puis une clé de 2 chiffres. "
        "Il est sur la carte Vitale et sur l'attestation de droits. Ici, prenez celui d'un dossier fictif."
    ),
    "simu_rib": (
        "Le RIB (relevé d'identité bancaire) est le document de votre banque. On demande les "
        f"{policy.RIB_SUFFIX_LENGTH} derniers caractères de l'IBAN du compte où sont versés vos remboursements. "
        "Vous le trouvez dans l'appli ou sur le site de votre banque, ou sur votre chéquier."
    ),
    "simu_vitale": (
        "Le numéro de série est imprimé au dos de la carte Vitale. On demande ses "
        f"{policy.VITALE_SUFFIX_LENGTH} derniers chiffres. Ce n'est pas le numéro de sécurité sociale. "
        "Ici, prenez celui du dossier fictif."
    ),
    "simu_code_perso": (
        f"Le code personnel est votre mot de passe du compte ameli : {PERSO}, que vous choisissez. "
        "Ne le donnez à personne."
    ),
    "simu_login_code": (
        f"Le mot de passe est le code que vous avez choisi ({PERSO}). L'accueil de la CPAM vous a remis "
        f"un code provisoire à {policy.CODE_PROVISOIRE_DESK_LENGTH} chiffres ? Saisissez-le : vous le "
        f"personnaliserez ensuite en mot de passe de {PERSO}. Un code à {policy.CODE_KIOSK_LENGTH} chiffres "
        "déjà personnalisé (bornes multi-services) se saisit comme un mot de passe."
    ),
    "simu_code_securite": (
        f"Le code de sécurité a {policy.SECURITY_CODE_LENGTH} chiffres. Il arrive par mail et il est "
        f"valable {CODE_MINUTES} minutes. Le mail peut être dans les spams : ouvrez la boîte mail simulée."
    ),
    "simu_email": "Une adresse mail personnelle, qui ne sert pas déjà pour un autre compte ameli.",
    "simu_mobile": "Votre numéro de portable : 10 chiffres, commençant par 06 ou 07.",
    "simu_cgu": "Les conditions d'utilisation expliquent les règles du compte ameli. Il faut les accepter.",
}
FIELD_HELP["simu_support"] = (
    "Sur ordinateur, on va sur ameli.fr (fiche 09). Sur téléphone ou tablette, on utilise l'appli "
    "ameli (fiche 08). Choisissez celui que vous utilisez."
)
FIELD_HELP["simu_contacts"] = (
    "La page demande si vous acceptez ou non les contacts. C'est votre choix : "
    "oui ou non, le compte est créé de la même façon."
)
FIELD_HELP["simu_login_nir"] = FIELD_HELP["simu_nir"]
FIELD_HELP["simu_ordi_perso"] = (
    f"La case {cat.TRUSTED_COMPUTER.value} : cochez-la seulement sur votre ordinateur à vous. Ce navigateur "
    f"ne demandera plus de code de sécurité pendant {TRUST_MONTHS} mois. Sur un ordinateur partagé "
    "(France Services, médiathèque), ne la cochez pas."
)
FIELD_HELP["simu_envoi_code"] = FIELD_HELP["simu_code_securite"]

# A topic named in the middle of an exercise, answered without leaving it (actions/simulation/flow.py).
IN_EXERCISE: Dict[str, str] = {
    "france_services": (
        "Une France Services est un lieu d'accueil près de chez vous : un conseiller vous aide gratuitement "
        "pour vos démarches en ligne. Finissons l'exercice ; ensuite, écrivez « France Services » "
        "et je vous donne la plus proche."
    ),
}

# -- « Mon agenda »: reasons and slots in free words (actions/simulation/agenda.py) ----------------

_HOURS = f"{format_time(policy.BUSINESS_DAY_START)} à {format_time(policy.BUSINESS_DAY_END)}"
RDV_WISH_HINT = "Vous pouvez aussi me dire un jour ou un moment : « jeudi », « le matin », « après 14h »."
RDV_ASK_SLOT = (
    "Voici des créneaux sur les prochains jours. Le conseiller vous appelle à l'heure choisie. " + RDV_WISH_HINT
)
RDV_SLOTS_FOR = "Voici les créneaux libres {wish}. Choisissez-en un, ou dites-moi un autre moment."
RDV_ONE_SLOT_FOR = "Un seul créneau libre {wish}. Il vous convient ? Sinon, dites-moi un autre moment."
RDV_NO_SLOT_FOR = (
    "Pas de créneau libre {wish}. Les conseillers appellent du lundi au vendredi, de "
    + _HOURS
    + f", sur les {policy.APPOINTMENT_WORKING_DAYS} prochains jours de semaine. Voici les créneaux les plus proches."
)
RDV_SLOT_UNKNOWN = (
    "Je n'ai pas reconnu ce créneau. Cliquez sur un bouton, ou dites-moi un jour ou un moment "
    "(« jeudi », « le matin », « après 14h »)."
)
RDV_REASON_UNKNOWN = (
    "Je n'ai pas reconnu le motif. Les motifs possibles : {reasons}. Si aucun ne convient, choisissez « {other} »."
)
RDV_CHANGE_SLOT = (
    "Pas de souci, reprenons le choix du créneau. Un conseiller vous appellera sur le portable "
    "du compte, au jour et à l'heure choisis."
)
RDV_PREFERENCE_OUTSIDE = (
    "Le jour et l'heure se choisissent pendant la prise de rendez-vous, dans « Mon agenda » "
    "de votre compte ameli. Pour vous entraîner, utilisez le bouton."
)
RDV_PREFERENCE_OUTSIDE_AGAIN = (
    "Pour choisir ce moment, il faut d'abord commencer la prise de rendez-vous : cliquez sur le bouton, "
    "puis dites-moi le jour ou l'heure."
)
FIELD_HELP["simu_motif"] = (
    "Le motif, c'est la raison de l'appel : le conseiller saura de quoi vous parler. "
    "Choisissez un bouton, ou écrivez-le avec vos mots (par exemple « un remboursement »)."
)
FIELD_HELP["simu_creneau"] = (
    "Un créneau, c'est le jour et l'heure où le conseiller vous appelle. Cliquez sur un bouton. " + RDV_WISH_HINT
)
FIELD_HELP["simu_confirmation"] = RDV_CHANGE_SLOT

_PARTS = {"morning": "le matin", "afternoon": "l'après-midi", "late": "en fin de journée"}
_WEEKDAY_NAMES = DAYS


def describe_wish(wish: Any, day: Any = None) -> str:
    """A slot preference in words, as it follows « créneau libre »: « jeudi 16 janvier après 14h »,
    « le matin », « la semaine prochaine ». `day`: the date the weekday was read as, if known."""
    words: List[str] = []
    if day is not None:
        words.append(format_day(day))
    elif wish.days:
        words.append(" ou ".join(format_day(d) for d in sorted(wish.days)))
    elif wish.weekdays:
        words.append(" ou ".join(_WEEKDAY_NAMES[n] for n in sorted(wish.weekdays)))
    if wish.not_weekdays:
        words.append("en dehors du " + " et du ".join(_WEEKDAY_NAMES[n] for n in sorted(wish.not_weekdays)))
    if wish.week == 0:
        words.append("cette semaine")
    elif wish.week == 1:
        words.append("la semaine prochaine")
    if wish.later:
        words.append("plus tard")
    if wish.part:
        words.append(_PARTS[wish.part])
    for prefix, moment in (("après", wish.after), ("avant", wish.before), ("à", wish.at), ("vers", wish.around)):
        if moment is not None:
            words.append(f"{prefix} {format_time(moment)}")
    return " ".join(words) or "à ce moment-là"
