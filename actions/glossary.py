"""The glossary: the words people stumble on, explained in one or two sentences (an answers module).

The terms and the ways people name them live in nlu_components/vocabulary.py; here, the French
text of each one. `action_definir` says them anywhere in the conversation, inside the exercises
too (the form asks its question again after); the no-repeat generator (server_ext/nlg.py) says
one when a repeated topic comes with a word asked about (« c quoi un rib ?? » after the creation
answer). Numbers come from actions/sandbox/policy.py, links and menu names from the catalogue.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from actions import catalogue as cat
from actions.answers import (
    CODE_MINUTES,
    LINK_DAYS,
    PERSO_MAX,
    PERSO_MIN,
    PROVISOIRE_DIGITS,
    button,
)
from actions.answers import (
    RESPONSES as ANSWERS,
)
from actions.sandbox import policy
from actions.simulation_answers import FIELD_HELP

DEFINITIONS: Dict[str, str] = {
    "rib": (
        "Le RIB (relevé d'identité bancaire) est un document de votre banque, avec le numéro de votre compte "
        "(l'IBAN). Il est dans l'appli ou sur le site de votre banque, ou dans votre chéquier. Pour créer "
        f"le compte ameli, on demande les {policy.RIB_SUFFIX_LENGTH} derniers caractères du RIB."
    ),
    "iban": (
        "L'IBAN est le numéro de votre compte bancaire, écrit sur votre RIB. Il commence par FR. "
        f"Pour créer le compte ameli, on demande les {policy.RIB_SUFFIX_LENGTH} derniers caractères du RIB."
    ),
    "nir": ANSWERS["utter_numero_secu"][0]["text"],
    "numero_serie": (
        "Le numéro de série est imprimé au dos de votre carte Vitale. Pour créer le compte ameli, on demande "
        f"les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres du n° de série. Ce n'est pas le numéro de sécurité sociale."
    ),
    "carte_vitale": (
        "La carte Vitale est votre carte d'assuré de l'Assurance Maladie. Elle porte votre numéro de sécurité "
        "sociale. Vous la donnez chez le médecin ou à la pharmacie."
    ),
    "attestation": (
        "L'attestation de droits est un papier de l'Assurance Maladie qui montre vos droits. Votre numéro de "
        "sécurité sociale y est écrit. L'accueil de votre CPAM peut vous la donner."
    ),
    "mot_de_passe": (
        f"Le mot de passe, ou code personnel, est le code secret de votre compte ameli : de {PERSO_MIN} "
        f"à {PERSO_MAX} chiffres, que vous choisissez. Ne le donnez à personne."
    ),
    "code_securite": (
        f"Le code de sécurité est un code à {policy.SECURITY_CODE_LENGTH} chiffres envoyé par mail quand vous vous connectez. Il est "
        f"valable {CODE_MINUTES} minutes. Il est strictement personnel : ne le donnez jamais."
    ),
    "code_provisoire": (
        f"Le code provisoire à {PROVISOIRE_DIGITS} chiffres est remis à l'accueil de la CPAM. Il sert à ouvrir "
        f"votre compte ameli : vous le personnalisez ensuite en mot de passe de {PERSO_MIN} à {PERSO_MAX} chiffres."
    ),
    "spams": ANSWERS["utter_verifier_spams"][0]["text"],
    "navigateur": (
        "Le navigateur est le programme qui ouvre les sites internet : Chrome, Firefox, Edge ou Safari. "
        "Si vous changez de navigateur, le code de sécurité vous est demandé à nouveau."
    ),
    "onglet": (
        "Un onglet est une page de plus dans le navigateur, en haut de l'écran. Le « + » en haut ouvre un "
        "nouvel onglet : vous lisez votre mail sans fermer la page ameli, puis vous revenez à son onglet."
    ),
    "lien": (
        "Un lien est un mot souligné ou un bouton, dans une page ou un mail : on clique (ou on touche) "
        f"dessus pour ouvrir une autre page. Le lien de validation du compte ameli est valable {LINK_DAYS} jours."
    ),
    "email": (
        "L'adresse mail est votre boîte aux lettres sur internet, chez Gmail, Orange, Hotmail… "
        "Le compte ameli y envoie le code de sécurité et le lien de validation. Elle doit être à vous seul."
    ),
    "appli": (
        "L'appli ameli est l'application de l'Assurance Maladie pour téléphone ou tablette. Elle se "
        "télécharge dans le magasin d'applis du téléphone (Play Store ou App Store)."
    ),
    "france_services": (
        "Une France Services est un lieu d'accueil près de chez vous : un conseiller vous aide gratuitement "
        "pour vos démarches en ligne, dont le compte ameli. Voulez-vous l'adresse de la plus proche ?"
    ),
    "cpam": (
        "La CPAM est la caisse primaire d'assurance maladie de votre département. Son accueil peut vous "
        f"remettre un code provisoire. Par téléphone : {cat.PHONE_CPAM.value}."
    ),
    "compte_ameli": (
        "Le compte ameli est votre espace personnel de l'Assurance Maladie, sur ameli.fr ou dans l'appli. "
        f"Vous y suivez vos démarches ({cat.MENU_DELAYS.value}) et prenez rendez-vous ({cat.MENU_AGENDA.value})."
    ),
    "cgu": FIELD_HELP["simu_cgu"],
    "ordinateur_personnel": FIELD_HELP["simu_ordi_perso"],
}

# Buttons under a definition: the next thing the person may want.
DEFINITION_BUTTONS: Dict[str, List[Dict[str, str]]] = {
    "france_services": [button("Oui, la plus proche", "france_services")],
    "code_provisoire": [button("J'ai un code provisoire", "code_provisoire")],
    "spams": [button("Je ne trouve pas le code", "code_non_recu")],
}

ASK_WHICH_WORD = "Quel mot voulez-vous que je vous explique ? Écrivez-le, ou choisissez :"
COMMON_WORDS = ("rib", "numero_serie", "navigateur", "onglet", "spams", "code_securite")
WORD_LABELS: Dict[str, str] = {
    "rib": "RIB",
    "iban": "IBAN",
    "nir": "Numéro de sécurité sociale",
    "numero_serie": "Numéro de série",
    "carte_vitale": "Carte Vitale",
    "attestation": "Attestation de droits",
    "mot_de_passe": "Mot de passe",
    "code_securite": "Code de sécurité",
    "code_provisoire": "Code provisoire",
    "spams": "Spams",
    "navigateur": "Navigateur",
    "onglet": "Onglet",
    "lien": "Lien",
    "email": "Adresse mail",
    "appli": "Appli ameli",
    "france_services": "France Services",
    "cpam": "CPAM",
    "compte_ameli": "Compte ameli",
    "cgu": "Conditions d'utilisation",
    "ordinateur_personnel": "Ordinateur personnel",
}


def word_button(key: str) -> Dict[str, str]:
    """A button asking for the definition of `key` (the term as an entity, JSON in the payload)."""
    return button(WORD_LABELS[key], "definir", terme=key)


# The words a topic is about: « le code de sécurité marche pas » on the code topic is the topic
# again, not a question about the word (server_ext/nlg.py explains only the other words).
TOPIC_WORDS: Dict[str, frozenset] = {
    "code_expire": frozenset({"code_securite"}),
    "code_non_recu": frozenset({"code_securite", "email"}),
    "se_connecter": frozenset({"code_securite", "mot_de_passe", "compte_ameli"}),
    "creer_compte": frozenset({"compte_ameli"}),
    "code_perdu": frozenset({"mot_de_passe"}),
    "verifier_spams": frozenset({"spams", "email"}),
    "carte_vitale": frozenset({"carte_vitale"}),
    "code_provisoire": frozenset({"code_provisoire"}),
    "lien_validation": frozenset({"lien", "email"}),
}


def reply(key: Optional[str]) -> Optional[Dict[str, Any]]:
    """The message explaining a term (text and buttons), or None for an unknown key."""
    if key not in DEFINITIONS:
        return None
    message: Dict[str, Any] = {"text": DEFINITIONS[key]}
    if key in DEFINITION_BUTTONS:
        message["buttons"] = DEFINITION_BUTTONS[key]
    return message


# The response of domain.yml (scripts/build_domain.py) as Rasa sees it: « which word? ». Rasa
# renders it through server_ext/nlg.py, which says the definition of the word of the message
# (its entity `terme` from a button, else the word named in the text) and never repeats itself.
RESPONSE = "utter_definir"
RESPONSES: Dict[str, List[Dict[str, Any]]] = {
    RESPONSE: [{"text": ASK_WHICH_WORD, "buttons": [word_button(key) for key in COMMON_WORDS]}],
}


def definition(key: Optional[str]) -> Optional[str]:
    """The text of a term, or None for an unknown key."""
    return DEFINITIONS.get(key or "")
