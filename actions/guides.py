"""The guided mode: each long procedure of the sheets, one step per message.

Pure Python, no Rasa import. Each guide follows one sheet of ../shared/seeds, numbered as the
sheet numbers it, in the sheet's own words (addressed with « vous »). Each step has the problem
« Je bloque » answers at that step. `actions/guide_actions.py` drives any guide with one slot
(`guide_etape`, "creation:3") and one action; adding a guide is adding an entry here.

Sheets (file in ../shared/seeds): 07 création = 002, 09 ordinateur = 001, 08 appli = 000,
« Connexion compte ameli » = 003, « Gérer le compte ameli 1.1 » = 004.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from actions import catalogue as cat
from actions.sandbox import policy

CODE_MINUTES = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
MAX_CODES = policy.MAX_CODES_PER_HOUR
LINK_DAYS = policy.VALIDATION_LINK_VALIDITY.days
TRUST_MONTHS = round(policy.TRUSTED_DEVICE_DURATION.days / 30.44)
PERSO = f"{policy.CODE_PERSONNEL_MIN_LENGTH} à {policy.CODE_PERSONNEL_MAX_LENGTH} chiffres"
PROVISOIRE = policy.CODE_PROVISOIRE_DESK_LENGTH
BORNE = policy.CODE_KIOSK_LENGTH

# What « Je bloque » says at the code steps (sheets 08, 09: « Je pense à vérifier si le mail n'est
# pas arrivé dans mes spams », « 15 minutes », « 5 codes max par heure »).
_CODE_STUCK = (
    "Pas de mail ? Regardez dans vos spams (dossier Spam ou Indésirable). "
    f"Le code est valable {CODE_MINUTES} minutes. Ne demandez pas trop de codes : "
    f"{MAX_CODES} codes max par heure."
)
_NIR_STUCK = (
    "Votre numéro de sécurité sociale est sur votre carte Vitale et sur votre attestation de droits. "
    f"Mot de passe oublié ? Cliquez sur {cat.FORGOTTEN_PASSWORD.value} sous le champ."
)
_SITE_STUCK = (
    "Tapez www.ameli.fr dans la barre d'adresse, tout en haut de votre navigateur "
    "(Chrome, Firefox, Edge, Safari…), puis appuyez sur la touche Entrée."
)
_CONNECT_STUCK = (
    "« Se connecter » est en haut de la page d'accueil d'ameli.fr. Cliquez dessus, "
    "puis sur « Accéder à mon compte ameli »."
)


@dataclass(frozen=True)
class Step:
    """One step: what to do (`text`), the help of « Je bloque » (`stuck`), the sheet lines."""

    text: str
    stuck: str
    lines: str


@dataclass(frozen=True)
class Guide:
    name: str
    title: str
    sheet: str
    ready: str  # what to have ready, said before step one
    steps: Tuple[Step, ...]
    done: str
    first: int = 1  # « Connexion compte ameli » numbers its steps from 0

    def number(self, index: int) -> int:
        return self.first + index

    def label(self, index: int) -> str:
        return f"Étape {self.number(index)} sur {self.number(len(self.steps) - 1)}"


GUIDES: Dict[str, Guide] = {}


def _add(guide: Guide) -> None:
    GUIDES[guide.name] = guide


_add(
    Guide(
        name="creation",
        title="Créer mon compte (ordinateur)",
        sheet="Fiche pratique 07 (002_32de2fcb98a37a46.txt)",
        ready=(
            "Ayez sous la main votre numéro de sécurité sociale, votre RIB, votre carte Vitale, "
            "votre adresse mail et votre portable."
        ),
        steps=(
            Step("Allez sur le site www.ameli.fr depuis votre ordinateur.", _SITE_STUCK, "2-3"),
            Step("Cliquez sur « Se connecter » puis « Accéder à mon compte ameli ».", _CONNECT_STUCK, "5-8"),
            Step(
                "Cliquez sur « 1ère visite ? » en bas de l'écran, puis « Créer un compte ».",
                "Descendez tout en bas de la page de connexion : le lien « 1ère visite ? » est sous le "
                "bouton « Me connecter ».",
                "10-13",
            ),
            Step(
                "Saisissez vos informations personnelles.",
                "Votre numéro de sécurité sociale est sur votre carte Vitale. S'il est provisoire, "
                "vous ne pouvez pas créer le compte en ligne : une France Services peut vous aider.",
                "15-17, 67",
            ),
            Step(
                f"Complétez les {policy.RIB_SUFFIX_LENGTH} derniers caractères du RIB : "
                "le compte bancaire où sont versés les remboursements.",
                "Le RIB est dans l'appli ou sur le site de votre banque, ou dans votre chéquier. "
                f"Prenez les {policy.RIB_SUFFIX_LENGTH} derniers caractères de l'IBAN. "
                "Pas de RIB enregistré à la CPAM ? La création en ligne est impossible : "
                "donnez votre RIB à votre CPAM.",
                "19-23, 68",
            ),
            Step(
                f"Saisissez les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres du numéro de série "
                "de votre carte Vitale.",
                "Le numéro de série est imprimé au dos de la carte Vitale. Ce n'est pas le numéro de sécurité sociale.",
                "25-28",
            ),
            Step(
                "Acceptez les conditions d'utilisation.",
                "Lisez-les, puis cochez la case pour les accepter. Sans cela, le compte ne peut pas être créé.",
                "39-42",
            ),
            Step(
                "Donnez votre adresse mail, unique et personnelle, et votre numéro de portable.",
                "L'adresse mail doit être à vous : elle ne peut pas servir pour un autre compte ameli. "
                "Pas d'adresse mail ? Une France Services peut vous aider à en créer une.",
                "44-47",
            ),
            Step(
                "Choisissez un code personnel : c'est votre mot de passe.",
                f"Le mot de passe compte {PERSO}. Notez-le dans un endroit sûr. Ne le donnez à personne.",
                "53-54 (et fiche 1.1, ligne 48)",
            ),
            Step(
                "Cliquez sur le lien reçu par mail. Sans cette validation, votre compte ne sera pas activé.",
                f"Regardez dans vos spams. Attention, le lien est valable {LINK_DAYS} jours. "
                "Après, contactez votre caisse d'assurance maladie.",
                "36-37, 56-59",
            ),
            Step(
                "Votre compte est activé ! Vérifiez-le : connectez-vous avec votre numéro de sécurité "
                "sociale et votre mot de passe.",
                "Le compte n'est pas activé ? Cliquez sur le lien du mail : il est valable "
                f"{LINK_DAYS} jours. Après ce délai, contactez votre caisse d'assurance maladie.",
                "61-62",
            ),
        ),
        done="Bravo, votre compte ameli est créé et activé. Voulez-vous apprendre à vous connecter ?",
    )
)

_add(
    Guide(
        name="ordinateur",
        title="Me connecter (ordinateur)",
        sheet="Fiche pratique 09 (001_8375dc5a232b16a1.txt)",
        ready=("Ayez sous la main votre numéro de sécurité sociale, votre mot de passe et l'accès à votre boîte mail."),
        steps=(
            Step("Allez sur le site www.ameli.fr depuis votre ordinateur.", _SITE_STUCK, "36-37"),
            Step("Cliquez sur « Se connecter » puis « Accéder à mon compte ameli ».", _CONNECT_STUCK, "39-42"),
            Step(
                "Saisissez votre numéro de sécurité sociale et votre mot de passe. Cliquez sur « Me connecter ».",
                _NIR_STUCK,
                "2-4",
            ),
            Step(
                f"Cliquez sur {cat.RECEIVE_CODE.value}.",
                _CODE_STUCK,
                "6-9, 49-52",
            ),
            Step(
                "Allez dans votre boîte mail pour récupérer le code, en ouvrant un nouvel onglet "
                "(le « + » en haut de la fenêtre).",
                _CODE_STUCK,
                "17, 25-28",
            ),
            Step(
                "Revenez à l'onglet du compte ameli. Saisissez le code reçu dans le mail. "
                f"Puis, si c'est votre ordinateur, cochez la case {cat.TRUSTED_COMPUTER.value} : "
                f"plus de code pendant {TRUST_MONTHS} mois.",
                f"Code refusé ? Il est valable {CODE_MINUTES} minutes : au-delà, demandez un nouveau code. "
                "Si vous changez de navigateur, le code vous sera demandé, même avec la case cochée.",
                "18-20, 30-34",
            ),
        ),
        done="Vous êtes connecté à votre compte ameli. Bravo !",
    )
)

_add(
    Guide(
        name="appli",
        title="Me connecter (appli ameli)",
        sheet="Fiche pratique 08 (000_65b1921467ee2062.txt)",
        ready=(
            "Ayez sous la main votre numéro de sécurité sociale, votre mot de passe "
            "et l'accès à votre boîte mail sur le téléphone."
        ),
        steps=(
            Step(
                "Ouvrez l'appli compte ameli.",
                "L'appli s'appelle « ameli ». Pas encore installée ? Téléchargez-la gratuitement "
                "depuis l'App Store ou Google Play.",
                "47-48",
            ),
            Step(
                "Touchez la silhouette.",
                "La silhouette est le petit personnage, en haut de l'écran de l'appli.",
                "2-3",
            ),
            Step(
                "Saisissez votre numéro de sécurité sociale et votre mot de passe. Touchez « Se connecter ».",
                _NIR_STUCK,
                "5-8",
            ),
            Step(f"Touchez {cat.RECEIVE_CODE.value}.", _CODE_STUCK, "10-13, 53-56"),
            Step(
                "Allez dans votre boîte mail pour récupérer le code. Laissez ouverte l'appli ameli.",
                _CODE_STUCK,
                "21, 29-33",
            ),
            Step(
                "Revenez à l'appli ameli.",
                "Sur le téléphone, ouvrez la liste des applis ouvertes (bouton carré ou glissé du bas), "
                "puis touchez l'appli ameli.",
                "37-38",
            ),
            Step(
                "Saisissez le code reçu dans le mail.",
                f"Code refusé ? Il est valable {CODE_MINUTES} minutes : au-delà, demandez un nouveau code.",
                "42-43, 53",
            ),
        ),
        done="Vous êtes connecté à votre compte ameli. Bravo !",
    )
)

_add(
    Guide(
        name="provisoire",
        title="Ouvrir mon compte avec un code provisoire",
        sheet="Gérer le compte ameli 1.1 (004_3a21d8423102286a.txt)",
        ready=(
            f"Ayez sous la main votre numéro de sécurité sociale, le code provisoire à {PROVISOIRE} chiffres "
            "remis à l'accueil de la CPAM et votre adresse mail."
        ),
        steps=(
            Step(
                "Accès. Depuis un ordinateur, allez sur ameli.fr. Acceptez les cookies. Saisissez le code "
                "postal et confirmez. Cliquez sur l'icône « COMPTE AMELI ». Sur smartphone ou tablette, "
                "téléchargez gratuitement l'appli « ameli ».",
                "Les cookies : un bandeau s'affiche sur la page, cliquez sur le bouton pour accepter. "
                "Le code postal est celui de votre domicile.",
                "23-34",
            ),
            Step(
                "Connexion. Cliquez sur « Se connecter » ou « Ajouter un utilisateur ». Saisissez le numéro "
                "de sécurité sociale, puis le mot de passe / code provisoire.",
                f"Le code à {PROVISOIRE} chiffres est le code provisoire remis à l'accueil de la CPAM. "
                f"Un code à {BORNE} chiffres est déjà personnalisé, pour les bornes multi-services : "
                "c'est déjà votre mot de passe.",
                "9-13, 40-46",
            ),
            Step(
                f"Personnalisation. Le code provisoire à {PROVISOIRE} chiffres devra être personnalisé en mot de "
                f"passe de {PERSO}. Acceptez les conditions générales. Donnez une adresse mail "
                "(obligatoire) et un numéro de téléphone. Acceptez ou non les contacts.",
                "L'adresse mail doit être unique et personnelle : pas celle d'un autre compte ameli. "
                "« Accepter ou non les contacts » : vous choisissez, les deux réponses sont possibles.",
                "48, 54-58",
            ),
            Step(
                "Validation. Cliquez sur le lien de validation envoyé par mail. Fermez la page Internet "
                "de création. Revenez à l'écran de connexion. Connectez-vous avec le nouveau mot de passe.",
                f"Regardez dans vos spams. Attention, le lien est valable {LINK_DAYS} jours uniquement. "
                "Après, contactez votre caisse d'assurance maladie.",
                "66-75",
            ),
        ),
        done=(
            "Votre compte est prêt. Pensez à mettre à jour votre carte Vitale dans un accueil de la CPAM, "
            "en pharmacie ou dans un hôpital."
        ),
    )
)

_add(
    Guide(
        name="code_mail",
        title="Recevoir et saisir le code de sécurité",
        sheet="Connexion compte ameli (003_a259eca033f20e35.txt)",
        ready=("Ayez sous la main votre numéro de sécurité sociale, votre mot de passe et l'accès à votre boîte mail."),
        first=0,
        steps=(
            Step(
                "Sur la page de connexion du compte ameli, saisissez votre numéro de sécurité sociale "
                "et votre mot de passe. Puis cliquez sur « Me connecter ».",
                "Sous le champ du numéro, le lien « Où trouver mon numéro de sécurité sociale ? » vous aide. "
                f"Mot de passe oublié ? Cliquez sur {cat.FORGOTTEN_PASSWORD.value}.",
                "6-15",
            ),
            Step(
                f"Cliquez sur {cat.RECEIVE_CODE.value}. Le code part par mail à l'adresse de votre compte, "
                "affichée en partie (par exemple e***@g***.com).",
                "Si vous n'avez plus accès à cette adresse mail, contactez votre caisse d'assurance maladie. "
                + _CODE_STUCK,
                "44-54",
            ),
            Step(
                "La page affiche : « Saisissez le code de sécurité reçu par mail. » Gardez cette page ouverte.",
                "Ne fermez pas la page : vous allez lire le mail sur une autre page internet, puis revenir.",
                "60-85",
            ),
            Step(
                "Ouvrez un nouvel onglet internet : cliquez sur l'icône « + », en haut de la fenêtre.",
                "Le « + » est à droite de l'onglet du compte ameli. Vous pouvez aussi appuyer sur Ctrl et T.",
                "91, 119",
            ),
            Step(
                "Dans le nouvel onglet, allez dans votre boîte mail. Récupérez le code de sécurité.",
                _CODE_STUCK + " Ce code est strictement personnel et ne doit jamais être communiqué.",
                "125-144",
            ),
            Step(
                "Retournez sur le premier onglet, en haut à gauche. Saisissez le code reçu. Puis, sur votre "
                f"ordinateur personnel, cochez la case : plus de code de sécurité pendant {TRUST_MONTHS} mois.",
                f"Code refusé ? Il est valable {CODE_MINUTES} minutes : au-delà, demandez un nouveau code.",
                "148-168",
            ),
        ),
        done="Vous êtes connecté à votre compte ameli. Bravo !",
    )
)

# The responses that end with the offer « Je vous guide pas à pas ? », and the guide each offers.
GUIDE_OFFERS: Dict[str, str] = {
    "utter_creer_compte_limites": "creation",
    "utter_connexion_ordinateur": "ordinateur",
    "utter_connexion_appli": "appli",
    "utter_code_provisoire": "provisoire",
    "utter_code_non_recu": "code_mail",
}
# The topic under discussion (slot `sujet`) → the guide, when « guidez-moi » is typed.
TOPIC_GUIDES: Dict[str, str] = {
    "creer_compte": "creation",
    "se_connecter": "ordinateur",
    "code_non_recu": "code_mail",
    "code_expire": "code_mail",
    "verifier_spams": "code_mail",
    "code_provisoire": "provisoire",
    "lien_validation": "creation",
}

# -- what the assistant says around the steps ---------------------------------
START = "Je vous guide pas à pas. {ready}"
STEP = "{label} : {text}"
STUCK_BACK = "On reprend l'étape {number}."
STOPPED = "D'accord, j'arrête le guide. Posez votre question, ou choisissez :"
NO_GUIDE = "Je peux vous guider pas à pas. Pour quoi faire ?"
STILL_THERE = "Nous en étions à l'étape {number} du guide « {title} »."
FAIT = "C'est fait"
BLOQUE = "Je bloque"
REPETER = "Répéter"
ARRETER = "Arrêter le guide"


def parse_state(value: Optional[str]) -> Optional[Tuple[Guide, int]]:
    """'creation:3' → (the guide, step index 3); None when absent or unknown."""
    if not value or ":" not in value:
        return None
    name, _, index = value.partition(":")
    guide = GUIDES.get(name)
    if guide is None or not index.isdigit() or int(index) >= len(guide.steps):
        return None
    return guide, int(index)


def state(guide: Guide, index: int) -> str:
    return f"{guide.name}:{index}"


def step_text(guide: Guide, index: int) -> str:
    return STEP.format(label=guide.label(index), text=guide.steps[index].text)


def all_texts() -> Dict[str, str]:
    """Every text of the guided mode (for the length and facts tests)."""
    out: Dict[str, str] = {}
    for guide in GUIDES.values():
        out[f"{guide.name}.start"] = START.format(ready=guide.ready)
        out[f"{guide.name}.done"] = guide.done
        for i, step in enumerate(guide.steps):
            out[f"{guide.name}.step{guide.number(i)}"] = step_text(guide, i)
            out[f"{guide.name}.stuck{guide.number(i)}"] = step.stuck
    return out
