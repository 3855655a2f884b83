"""Every answer the assistant gives, in French, built from the catalogue and the rules.

This module is the single source of the bot's wording:
- RESPONSES become the `responses:` section of domain.yml (`make domain` runs
  scripts/build_domain.py; a test fails when domain.yml is out of date);
- the custom actions read the other texts below.

Links and menu paths come from actions.catalogue; durations and limits from
actions.sandbox.policy, so the bot and the sandbox can never disagree.

Style: short sentences, plain words, "vous". Many readers struggle with reading.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from actions import catalogue as cat
from actions.sandbox import policy
from common.formats import clock_time

# -- rules, read from the one place they live ---------------------------------
CODE_MINUTES = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
MAX_CODES = policy.MAX_CODES_PER_HOUR
LINK_DAYS = policy.VALIDATION_LINK_VALIDITY.days
# 183 days: said "6 mois" as the sheets do.
TRUST_MONTHS = round(policy.TRUSTED_DEVICE_DURATION.days / 30.44)
PERSO_MIN, PERSO_MAX = policy.CODE_PERSONNEL_MIN_LENGTH, policy.CODE_PERSONNEL_MAX_LENGTH
PROVISOIRE_LENGTHS = " ou ".join(str(n) for n in policy.CODE_PROVISOIRE_LENGTHS)
PROVISOIRE_DIGITS = policy.CODE_PROVISOIRE_DESK_LENGTH  # the code provisoire of the CPAM desk
KIOSK_DIGITS = policy.CODE_KIOSK_LENGTH  # a code already personalised (kiosks)

MAP = cat.france_services_map_url()

# -- buttons --------------------------------------------------------------------


def payload(intent: str, **entities: Any) -> str:
    """The one builder of button payloads: `/intent`, or `/intent{"entity":"value"}` with every
    value a JSON string (escaped: a quote, a brace or a backslash in a town's name or an id cannot
    break the payload or add an entity)."""
    if not entities:
        return f"/{intent}"
    values = {name: str(value) for name, value in entities.items()}
    return f"/{intent}{json.dumps(values, ensure_ascii=False, separators=(',', ':'))}"


def button(title: str, intent: str, **entities: Any) -> Dict[str, str]:
    """A quick reply that sends `intent` (with `entities`, see `payload`) when clicked."""
    return {"title": title, "payload": payload(intent, **entities)}


HELP_BUTTONS = [
    button("France Services près de chez moi", "france_services"),
    button("Rendez-vous téléphonique", "prendre_rdv"),
    button("Délais de traitement", "delais_traitement"),
    button("Forum ameli", "forum"),
    button("Vidéos pas à pas", "tutoriels"),
]

MENU_BUTTONS = [
    button("Créer mon compte", "creer_compte"),
    button("Me connecter", "se_connecter"),
    button("Je n'ai pas reçu mon code", "code_non_recu"),
    button("J'ai oublié mon mot de passe", "code_perdu"),
    button("Parler à un conseiller", "parler_conseiller"),
]

# Short French names of the topics, for the "did you mean" buttons of the fallback.
INTENT_LABELS: Dict[str, str] = {
    "creer_compte": "Créer mon compte ameli",
    "se_connecter": "Me connecter à mon compte",
    "code_non_recu": "Je n'ai pas reçu le code de sécurité",
    "code_expire": "Mon code est refusé ou expiré",
    "code_perdu": "J'ai oublié mon mot de passe",
    "verifier_spams": "Trouver le dossier spam",
    "prendre_rdv": "Prendre un rendez-vous téléphonique",
    "delais_traitement": "Délais de traitement",
    "france_services": "Trouver une France Services",
    "forum": "Le forum ameli",
    "tutoriels": "Les vidéos pas à pas",
    "carte_vitale": "La carte Vitale",
    "code_provisoire": "J'ai un code provisoire",
    "lien_validation": "Le lien de validation",
    "parler_conseiller": "Parler à un conseiller",
    "bot_challenge": "Qui êtes-vous ?",
    "saluer": "Dire bonjour",
    "au_revoir": "Terminer",
    "remercier": "Dire merci",
    "depuis_appli": "Depuis l'appli ameli",
    "depuis_ordinateur": "Depuis un ordinateur",
    "toujours_pas": "Ça ne marche toujours pas",
}

# -- reusable blocks ------------------------------------------------------------

# The map as link text in the widget (markdown link); channels that cannot show link text
# (rasa shell) still show the whole URL inside the parentheses.
MAP_LINK = f"[la carte des France Services]({MAP})"
# the phone line of both « parler à un conseiller » answers (with and without access to the account)
ADVISER_PHONE_LINE = f"- par téléphone : {cat.PHONE_CPAM.value} (service gratuit + prix d'un appel) ;\n"

# One button for every follow-up, instead of five links under each answer.
HELP_BUTTON = button("Besoin d'aide ?", "besoin_aide")
HELP_BLOCK = "Besoin d'aide ? Une France Services, un conseiller, le forum ou des vidéos pas à pas peuvent vous aider :"

CODE_LIMITS = f"Le code est valable {CODE_MINUTES} minutes ; {MAX_CODES} codes max par heure."

GUIDE_QUESTION = "Je vous guide pas à pas ?"

# Buttons of the paths of issue 20. « Guidez-moi » without a guide: the guide of the topic under
# discussion (slot `sujet`), or the choice of guides (actions/guide_actions.py).
FRANCE_SERVICES_BUTTON = button("France Services près de chez moi", "france_services")
ADVISER_BUTTON = button("Parler à un conseiller", "parler_conseiller")
GUIDE_ME_BUTTON = button("Guidez-moi pas à pas", "guide_moi")


def guide_button(guide: str) -> Dict[str, str]:
    """« Oui, guidez-moi »: starts the guide `guide` of actions/guides.py."""
    return button("Oui, guidez-moi", "guide_moi", guide=guide)


def _r(text: str, buttons: List[Dict[str, str]] | None = None) -> List[Dict[str, Any]]:
    """One response variant in Rasa's domain format."""
    variant: Dict[str, Any] = {"text": text}
    if buttons:
        variant["buttons"] = buttons
    return [variant]


# -- the responses of domain.yml -----------------------------------------------
# At most 60 words each (tests/test_message_length.py). Long procedures: what to have ready,
# a two-line summary, then « Je vous guide pas à pas ? » (actions/guides.py, one step a message).

RESPONSES: Dict[str, List[Dict[str, Any]]] = {
    "utter_saluer": _r(
        "Bonjour ! Je suis l'assistant du compte ameli. "
        "Je vous aide à créer votre compte, à vous connecter, à retrouver un code "
        "ou à trouver de l'aide près de chez vous. Que voulez-vous faire ?",
        MENU_BUTTONS,
    ),
    "utter_au_revoir": _r("Au revoir et bonne journée ! Revenez quand vous voulez."),
    "utter_affirmer": _r("D'accord. Que voulez-vous faire ?", MENU_BUTTONS),
    "utter_nier": _r("Très bien. Si vous avez une autre question, écrivez-la simplement, en quelques mots."),
    "utter_creer_compte": _r(
        "Pour créer votre compte ameli, il faut un ordinateur. Ayez sous la main : "
        "votre numéro de sécurité sociale, votre RIB (on demande ses "
        f"{policy.RIB_SUFFIX_LENGTH} derniers caractères), votre carte Vitale (les "
        f"{policy.VITALE_SUFFIX_LENGTH} derniers chiffres du numéro de série), "
        "une adresse mail personnelle et votre portable."
    ),
    "utter_creer_compte_limites": _r(
        "Impossible en ligne si votre numéro de sécurité sociale est provisoire, si la CPAM n'a pas de RIB "
        "sur votre dossier, ou si votre dossier est en transfert d'un autre organisme (MSA, MGEN, ENIM…). "
        "Sinon, je vous guide pas à pas ?",
        [
            guide_button("creation"),
            button("Je suis dans un de ces cas", "toujours_pas"),
            button("J'ai un code provisoire", "code_provisoire"),
        ],
    ),
    # No computer (issue 20): the creation of sheet 07 needs one; who can help, and the code
    # provisoire of the CPAM desk that opens the account in the app (sheet 1.1, « Accès »).
    "utter_creer_compte_appli": _r(
        "En ligne, le compte ameli se crée sur un ordinateur. Sans ordinateur, faites-vous aider :\n"
        "- dans une France Services : un conseiller vous aide à le créer, gratuitement ;\n"
        "- par un proche, sur son ordinateur ;\n"
        f"- à l'accueil de votre CPAM : demandez un code provisoire à {PROVISOIRE_DIGITS} chiffres, "
        "puis ouvrez votre compte dans l'appli ameli.",
        [
            button("France Services près de chez moi", "france_services"),
            button("J'ai un code provisoire", "code_provisoire"),
            button("J'ai déjà un compte", "se_connecter"),
        ],
    ),
    "utter_creer_compte_relance": _r(
        "Dans ces cas, la création en ligne est impossible pour le moment. "
        "Numéro de sécurité sociale provisoire : attendez le numéro définitif. "
        "Pas de RIB à la CPAM : donnez-lui votre RIB. Dossier en transfert (MSA, MGEN, ENIM…) : "
        "attendez la fin du transfert. Une France Services peut vous aider.",
        [HELP_BUTTON, button("Voir une vidéo", "tutoriels")],
    ),
    "utter_connexion_choix": _r(
        "Pour vous connecter, il faut votre numéro de sécurité sociale, votre mot de passe "
        "et un code de sécurité reçu par mail. "
        "Vous vous connectez depuis un ordinateur ou depuis l'appli ameli ?",
        [
            button("Depuis un ordinateur", "depuis_ordinateur"),
            button("Depuis l'appli ameli", "depuis_appli"),
        ],
    ),
    "utter_connexion_ordinateur": _r(
        "Depuis un ordinateur : sur www.ameli.fr, « Se connecter », puis votre numéro de sécurité "
        f"sociale et votre mot de passe. Cliquez sur {cat.RECEIVE_CODE.value}, lisez le mail dans "
        "un nouvel onglet et revenez saisir le code. Ayez votre boîte mail sous la main. " + GUIDE_QUESTION,
        [guide_button("ordinateur"), button("Je n'ai pas reçu le code", "code_non_recu"), HELP_BUTTON],
    ),
    "utter_connexion_appli": _r(
        "Dans l'appli ameli : touchez la silhouette, saisissez votre numéro de sécurité sociale et "
        f"votre mot de passe, puis {cat.RECEIVE_CODE.value}. Lisez le mail en laissant ouverte "
        "l'appli ameli, puis revenez saisir le code. " + GUIDE_QUESTION,
        [guide_button("appli"), button("Je n'ai pas reçu le code", "code_non_recu"), HELP_BUTTON],
    ),
    "utter_connexion_relance": _r(
        f"Mot de passe oublié ? Cliquez sur {cat.FORGOTTEN_PASSWORD.value}. "
        "Pas de code de sécurité ? Regardez dans vos spams. "
        f"Code refusé ? Il est valable {CODE_MINUTES} minutes ; {MAX_CODES} codes max par heure.",
        [HELP_BUTTON],
    ),
    "utter_code_non_recu": _r(
        "Le code de sécurité arrive par mail, à l'adresse de votre compte. Regardez dans vos spams "
        f"(dossier Spam ou Indésirable). {CODE_LIMITS} Vous n'avez plus accès à cette adresse mail ? "
        "Contactez votre caisse d'assurance maladie. " + GUIDE_QUESTION,
        [
            guide_button("code_mail"),
            button("Comment voir les spams ?", "verifier_spams"),
            button("Je ne l'ai toujours pas", "toujours_pas"),
        ],
    ),
    "utter_code_non_recu_appli": _r(
        "Dans l'appli : laissez ouverte l'appli ameli, lisez le code dans votre boîte mail, puis revenez "
        "le saisir dans l'appli. Regardez aussi dans vos spams. " + CODE_LIMITS
    ),
    "utter_code_non_recu_ordinateur": _r(
        "Depuis un ordinateur : gardez la page ameli ouverte. Ouvrez un nouvel onglet (le « + » en haut) "
        "et allez dans votre boîte mail. Lisez le code, puis revenez au premier onglet pour le saisir. "
        "Regardez aussi dans vos spams. " + CODE_LIMITS
    ),
    "utter_code_non_recu_relance": _r(
        "Toujours pas de code ? Vérifiez que l'adresse affichée en partie (e***@g***.com) est bien "
        "la vôtre, et regardez encore dans vos spams. Vous n'avez plus accès à cette adresse mail ? "
        "Contactez votre caisse d'assurance maladie.",
        [HELP_BUTTON],
    ),
    "utter_code_expire": _r(
        f"Le code de sécurité ne marche plus si vous ne l'avez pas saisi dans les {CODE_MINUTES} minutes, "
        f"ou si vous avez demandé trop de codes ({MAX_CODES} codes max par heure) sans les utiliser. "
        f"Ouvrez votre boîte mail, cliquez sur {cat.RECEIVE_CODE.value}, puis saisissez vite le code reçu.",
        [button("Je n'ai pas reçu le code", "code_non_recu"), button("Ça ne marche toujours pas", "toujours_pas")],
    ),
    "utter_code_expire_relance": _r(
        f"Vous avez demandé {MAX_CODES} codes en une heure sans les utiliser ? Vous ne pouvez pas "
        "utiliser le service pour le moment : réessayez plus tard. Vérifiez aussi votre mot de passe.",
        [HELP_BUTTON],
    ),
    "utter_code_perdu": _r(
        f"Mot de passe oublié ? Sur la page de connexion, cliquez sur {cat.FORGOTTEN_PASSWORD.value} "
        f"et suivez les étapes. Vous avez un code provisoire à {PROVISOIRE_DIGITS} chiffres remis à "
        f"l'accueil de la CPAM ? Personnalisez-le en mot de passe de {PERSO_MIN} à {PERSO_MAX} chiffres. "
        "Ne donnez jamais votre mot de passe.",
        [button("J'ai un code provisoire", "code_provisoire"), button("Ça ne marche toujours pas", "toujours_pas")],
    ),
    "utter_code_perdu_relance": _r(
        "Vous ne retrouvez pas votre mot de passe ? L'accueil de votre CPAM peut vous remettre un code "
        f"provisoire. Un conseiller peut aussi vous aider : au {cat.PHONE_CPAM.value}, "
        "ou dans une France Services.",
        [HELP_BUTTON],
    ),
    "utter_verifier_spams": _r(
        "Les spams sont un dossier de votre boîte mail (« Spam » ou « Indésirables »), où des mails "
        "arrivent par erreur. Ouvrez-le dans la liste des dossiers (menu ☰ sur téléphone) et cherchez "
        "le mail de l'Assurance Maladie."
    ),
    "utter_prendre_rdv": _r(
        "Prenez un rendez-vous téléphonique dans votre compte ameli, "
        f"rubrique {cat.MENU_AGENDA.value}. Un conseiller vous appelle à l'heure choisie. "
        f"Pas de connexion possible ? Appelez le {cat.PHONE_CPAM.value}.",
        [
            button("Je n'arrive pas à me connecter", "se_connecter"),
            button("France Services près de chez moi", "france_services"),
        ],
    ),
    "utter_delais_traitement": _r(
        "Pour savoir où en est votre demande, connectez-vous à votre compte ameli : "
        f"rubrique {cat.MENU_DELAYS.value}. Vous y voyez les délais de votre caisse.",
        [button("Prendre un rendez-vous", "prendre_rdv"), button("Me connecter", "se_connecter")],
    ),
    "utter_france_services": _r(
        "Dans une France Services, un conseiller vous aide gratuitement pour vos démarches "
        "en ligne, dont le compte ameli. Je cherche les plus proches de chez vous."
    ),
    "utter_forum": _r(
        "Le forum ameli est un espace de discussion et d'entraide entre assurés. "
        f"On y accède depuis la page d'accueil d'ameli.fr, ou ici : {cat.FORUM.value}"
    ),
    "utter_tutoriels": _r(
        "Des vidéos pas à pas vous montrent les démarches en ligne "
        f"(créer son compte, se connecter…). Elles sont sur le site pastel de la CPAM : {cat.TUTORIALS.value}"
    ),
    "utter_carte_vitale": _r(
        "Mettez à jour votre carte Vitale dans un accueil de la CPAM, en pharmacie ou dans un hôpital. "
        f"Pour créer votre compte, on demande les {policy.VITALE_SUFFIX_LENGTH} derniers chiffres de son "
        "numéro de série. Carte perdue, volée ou abîmée ? Contactez votre caisse : "
        f"{cat.PHONE_CPAM.value}, ou rubrique {cat.MENU_AGENDA.value}."
    ),
    "utter_code_provisoire": _r(
        f"Le code provisoire à {PROVISOIRE_DIGITS} chiffres est remis à l'accueil de la CPAM. "
        f"Un code à {KIOSK_DIGITS} chiffres est un code déjà personnalisé (bornes multi-services). "
        "Ayez sous la main votre numéro de sécurité sociale, ce code et votre adresse mail. "
        "Les étapes : accès, connexion, personnalisation, validation. " + GUIDE_QUESTION,
        [guide_button("provisoire"), button("J'ai oublié mon mot de passe", "code_perdu")],
    ),
    "utter_lien_validation": _r(
        "Sans clic sur le lien de validation reçu par mail, votre compte n'est pas activé. "
        f"Le lien est valable {LINK_DAYS} jours. Regardez dans vos spams, et vérifiez l'adresse mail donnée.",
        [button("Le lien a expiré", "toujours_pas"), button("Comment voir les spams ?", "verifier_spams")],
    ),
    "utter_lien_validation_relance": _r(
        f"Le lien a plus de {LINK_DAYS} jours ou n'arrive pas ? Contactez votre caisse "
        f"au {cat.PHONE_CPAM.value}, ou faites-vous aider dans une France Services.",
        [HELP_BUTTON],
    ),
    "utter_parler_conseiller": _r(
        "Pour parler à un conseiller de l'Assurance Maladie :\n"
        + ADVISER_PHONE_LINE
        + f"- en rendez-vous téléphonique depuis votre compte ameli : rubrique {cat.MENU_AGENDA.value} ;\n"
        f"- en face à face, dans une France Services : {MAP_LINK}."
    ),
    "utter_bot_challenge": _r(
        "Je suis un assistant virtuel, pas une personne, et je ne suis pas relié à votre compte ameli. "
        "Ne me donnez jamais votre vrai mot de passe ni vos codes. "
        f"Pour parler à une personne : {cat.PHONE_CPAM.value}, ou une France Services."
    ),
    "utter_hors_sujet": _r(
        "Je réponds seulement aux questions sur le compte ameli : création, connexion, codes, "
        "carte Vitale, rendez-vous et aide près de chez vous. Que voulez-vous faire ?",
        MENU_BUTTONS,
    ),
    "utter_aide_options": _r(HELP_BLOCK, HELP_BUTTONS),
    # « Connexion compte ameli », login page: the link « Où trouver mon numéro de sécurité sociale ? ».
    "utter_numero_secu": _r(
        f"Votre numéro de sécurité sociale ({policy.NIR_LENGTH} chiffres) est sur votre carte Vitale et "
        "votre attestation de droits. Sur la page de connexion, cliquez sur « Où trouver mon numéro "
        "de sécurité sociale ? »."
    ),
    # « Connexion compte ameli », step 4: the security-code mail.
    "utter_code_non_demande": _r(
        "Vous avez reçu un code de sécurité sans l'avoir demandé ? Ce code est strictement personnel : "
        "ne le donnez jamais. Contactez votre caisse d'assurance maladie, qui vous donnera les consignes "
        "à suivre. Votre compte ameli reste sécurisé. L'Assurance Maladie ne demande jamais de code "
        "par téléphone.",
        [button("Parler à un conseiller", "parler_conseiller")],
    ),
    # -- paths the sheets imply and tone (issue 20, items 4 and 5; data/path_rules.yml) --------
    # Locked out after too many codes (sheet 09: « 5 codes max par heure » « sans les utiliser pour me
    # connecter », « 15 minutes »). The sheets give no exact wait: « plus tard », counted by the hour
    # (the sandbox's own wait is its convention, issue 15).
    "utter_codes_bloques": _r(
        f"La limite est de {MAX_CODES} codes max par heure, sans les utiliser pour vous connecter. "
        "Au-delà, le service est bloqué pour le moment. La limite se compte par heure : ne redemandez "
        "pas de code tout de suite, réessayez plus tard. Le code reçu sera valable "
        f"{CODE_MINUTES} minutes. Toujours bloqué ? Appelez le {cat.PHONE_CPAM.value} ou allez dans une France Services.",
        [FRANCE_SERVICES_BUTTON, ADVISER_BUTTON],
    ),
    # Asked again (« je dois attendre combien de temps ? »): not the same answer twice.
    "utter_codes_bloques_relance": _r(
        "Je ne peux pas lever le blocage moi-même, et la durée exacte n'est pas indiquée : la limite se "
        "compte par heure. Ne redemandez pas de code d'ici là. Vous êtes pressé ? Un conseiller peut vous "
        f"aider : au {cat.PHONE_CPAM.value}, ou dans une France Services.",
        [HELP_BUTTON],
    ),
    # A phone appointment asked by someone who cannot log in: not « depuis votre compte ».
    "utter_prendre_rdv_sans_acces": _r(
        "Le rendez-vous téléphonique se prend dans le compte ameli. Vous ne pouvez pas vous connecter ? "
        f"Appelez plutôt le {cat.PHONE_CPAM.value} (service gratuit + prix d'un appel) : un conseiller "
        "vous répond. Ou allez dans une France Services : on vous aide sur place, gratuitement.",
        [FRANCE_SERVICES_BUTTON],
    ),
    # « un conseiller ? » from someone who cannot log in: no « depuis votre compte » line.
    "utter_parler_conseiller_sans_acces": _r(
        "Pour parler à un conseiller de l'Assurance Maladie sans vous connecter :\n"
        + ADVISER_PHONE_LINE
        + "- en face à face, dans une France Services : on vous aide sur place, gratuitement."
    ),
    # « voir mes remboursements »: what the account gives (sheet 1.1, first lines; « Connexion
    # compte ameli », the mail: « accéder à vos remboursements … l'appli ameli »), and how to get one.
    "utter_voir_remboursements": _r(
        "Vos remboursements se consultent dans votre compte ameli, sur ordinateur ou dans l'appli ameli. "
        "Le compte sert aussi à obtenir des documents, échanger avec votre CPAM et suivre vos demandes. "
        "Pas encore de compte ? Je vous explique comment le créer.",
        [
            button("Créer mon compte", "creer_compte"),
            button("Me connecter", "se_connecter"),
            button("Je n'ai pas d'ordinateur", "sans_ordinateur"),
        ],
    ),
    # A complaint or an insult: an apology and a way forward.
    "utter_plainte": _r(
        "Je suis désolé de ne pas vous avoir aidé. Essayons autrement : écrivez votre question en "
        "quelques mots, ou je vous guide pas à pas. Vous préférez parler à une personne ? Appelez le "
        f"{cat.PHONE_CPAM.value}, ou allez dans une France Services.",
        [GUIDE_ME_BUTTON, ADVISER_BUTTON, FRANCE_SERVICES_BUTTON],
    ),
    # A message in another language.
    "utter_autre_langue": _r(
        "Je ne parle que français. Écrivez votre question en français, en quelques mots. "
        f"Une personne peut aussi vous aider : au {cat.PHONE_CPAM.value}, ou dans une France Services.",
        [FRANCE_SERVICES_BUTTON, ADVISER_BUTTON, button("Vidéos pas à pas", "tutoriels")],
    ),
}

# -- texts used by custom actions ----------------------------------------------

# « merci » (actions/path_actions.py): after a help that worked; after a fallback, a complaint or
# a dead end, or « merci quand même », not « Avec plaisir » (texts, not responses: only that action
# sends them, and `rasa data validate` wants every response in a rule or story).
THANKS = "Avec plaisir ! Avez-vous une autre question ?"
# The 👍/👎 of the web widget (actions/feedback_actions.py).
FEEDBACK_THANKS = "Merci pour votre avis."
THANKS_AFTER_FAILURE = (
    "Je suis désolé de ne pas avoir pu mieux vous aider. Une personne peut le faire : appelez le "
    f"{cat.PHONE_CPAM.value}, ou allez dans une France Services, gratuitement. Vous pouvez aussi "
    "me reposer votre question autrement."
)
THANKS_AFTER_FAILURE_BUTTONS = [FRANCE_SERVICES_BUTTON, ADVISER_BUTTON]

DEFAULT_FALLBACK = (
    "Désolé, je n'ai pas compris. Écrivez votre question en quelques mots. "
    "Besoin d'aide ? Une France Services ou un conseiller peut vous aider :"
)
ASK_REPHRASE = (
    "Je n'ai pas bien compris. Pouvez-vous le dire autrement, en quelques mots ? "
    "Par exemple : « je n'ai pas reçu mon code »."
)
FALLBACK_QUESTION = "Je ne suis pas sûr d'avoir compris. Vous voulez parler de :"
FALLBACK_NONE_OF_THESE = button("Autre chose", "out_of_scope")

INVALID_INPUT = {
    "empty": "Votre message est vide. Écrivez votre question en quelques mots, par exemple : « je n'ai pas reçu mon code ».",
    "too_long": "Votre message est très long. Écrivez votre question en une ou deux phrases, s'il vous plaît.",
    "no_words": "Je ne lis que du texte. Écrivez votre question avec des mots, par exemple : « créer mon compte ».",
    "markup": "Je ne lis pas le code informatique. Écrivez votre question avec des mots simples.",
}

SECRET_WARNING = (
    "Attention : ne donnez jamais vos vrais numéros, mots de passe ou codes dans une discussion. "
    "Je n'en ai pas besoin pour vous répondre. L'Assurance Maladie ne demande jamais de code par téléphone."
)

PLACE_RECEIVED = (
    "Merci. Pour trouver la France Services la plus proche de {place}, ouvrez "
    "[la carte des France Services]({map}) et cherchez votre ville."
)

# -- France Services near the user (actions/locator_actions.py) -----------------

LOCATOR_ASK = (
    "Dans quelle ville habitez-vous ? Écrivez le nom de la ville ou le code postal, "
    "par exemple : « Voiron » ou « 38500 »."
)
LOCATOR_WHICH_ONE = "Plusieurs communes portent ce nom. Laquelle est la vôtre ?"
LOCATOR_NOT_FOUND = "Je ne trouve pas « {place} ». Vérifiez l'orthographe, ou écrivez le code postal (5 chiffres)."
LOCATOR_RESULTS = (
    "Les France Services les plus proches de {place} :\n{offices}\n[Voir la carte des France Services]({map})\n{credit}"
)
LOCATOR_OTHER_COMMUNES = "Ce n'est pas votre commune ? Choisissez-la :"
LOCATOR_MOBILE = "France Services itinérante, basée à :"
LOCATOR_NO_LIST = (
    "Je n'ai pas la liste des France Services en ce moment. "
    "Ouvrez [la carte des France Services, centrée sur {place}]({map})."
)
LOCATOR_UNAVAILABLE = (
    "Je ne peux pas chercher les adresses en ce moment. "
    "Ouvrez [la carte des France Services]({map}) et cherchez votre ville."
)
LOCATOR_GAVE_UP = (
    "Je n'ai pas trouvé votre ville. Ouvrez [la carte des France Services]({map}) et cherchez-la vous-même."
)
LOCATOR_NEARBY = "Près de chez vous ({place}) :\n{office}"
# One office, a few short lines (actions/locator_actions.py format_office).
LOCATOR_OFFICE_HEAD = "{rank}. {name} — à {distance} km"
LOCATOR_OFFICE_TODAY = "Aujourd'hui : {hours}"
LOCATOR_OFFICE_PHONE = "Téléphone : {phone}"
LOCATOR_OFFICE_BY_APPOINTMENT = "Sur rendez-vous : {answer}"
LOCATOR_YES_NO_LABELS = {True: "oui", False: "non", None: "non précisé"}
# Today's hours of an office (actions/locator/hours.py reads them from the file).
LOCATOR_CLOSED_TODAY = "fermé aujourd'hui"
LOCATOR_HOURS_UNKNOWN = "horaires non communiqués"
_LOCATOR_RANGE = "de {start} à {end}"
# The file's format_fs, as the bot says it.
LOCATOR_FORMAT_LABELS = {
    "Fixe": "fixe",
    "Fixe_antenne(s)": "fixe, avec antennes",
    "Multisites": "multisites",
    "Bus_équivalent": "itinérante (bus)",
    "Itinérante": "itinérante",
}
# Under the offices: how old the list is ({date}: « 1er août 2024 »), and the credits the licences ask for.
LOCATOR_CREDIT = "Source : liste officielle du {date} (ANCT, Licence Ouverte 2.0) ; codes postaux GeoNames (CC BY 4.0)."
LOCATOR_CREDIT_UNDATED = (
    "Source : liste officielle des France Services (ANCT, Licence Ouverte 2.0) ; codes postaux GeoNames (CC BY 4.0)."
)


def office_hours(ranges: Optional[Sequence[Tuple[int, int]]]) -> str:
    """Today's ranges (minutes since midnight) as a short French phrase: "de 9h à 12h et de 13h30
    à 17h", LOCATOR_CLOSED_TODAY when () and LOCATOR_HOURS_UNKNOWN when None."""
    if ranges is None:
        return LOCATOR_HOURS_UNKNOWN
    if not ranges:
        return LOCATOR_CLOSED_TODAY
    parts = [
        _LOCATOR_RANGE.format(start=clock_time(*divmod(start, 60)), end=clock_time(*divmod(end, 60)))
        for start, end in ranges
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def office_format(code: str) -> str:
    """The file's format_fs ("Bus_équivalent") as the bot says it ("itinérante (bus)")."""
    return LOCATOR_FORMAT_LABELS.get(code, code.replace("_", " ").lower() or "fixe")


# -- production mode: the action server cannot be reached (scripts/prod/stack.py) --------
# nginx, in front of the action servers, answers the Rasa server with this text when none of
# them answers (502/503/504, or a crash: 500), instead of Rasa's silence.

SERVICE_UNAVAILABLE = "Le service est momentanément indisponible. Réessayez dans quelques minutes. " + HELP_BLOCK


def service_unavailable_action_response() -> Dict[str, Any]:
    """A valid action-server answer: the message, its help buttons, then listen (no loop)."""
    return {
        "events": [{"event": "followup", "name": "action_listen"}],
        "responses": [{"text": SERVICE_UNAVAILABLE, "buttons": HELP_BUTTONS}],
    }


# -- never the same answer twice in a row (server_ext/nlg.py, issue 20) ---------------------------
# The same topic asked again in other words: not the same bubbles again, but what is missing.
REPEAT_QUESTION = (
    "C'est la réponse que je viens de vous donner, juste au-dessus. Qu'est-ce qui vous bloque ? "
    "Dites-le en quelques mots, ou choisissez :"
)
# The same topic a third time: a person will do better than a third answer.
REPEAT_GIVE_UP = (
    "Je vois que mes réponses ne vous aident pas, je suis désolé. Une personne peut vous aider : "
    f"un conseiller au {cat.PHONE_CPAM.value}, ou une France Services près de chez vous."
)
REPEAT_GIVE_UP_BUTTONS = [
    button("France Services près de chez moi", "france_services"),
    button("Parler à un conseiller", "parler_conseiller"),
]
# The sub-questions people have on each topic, offered when a topic comes back (slot `sujet`).
REPEAT_BUTTONS: Dict[str, List[Dict[str, str]]] = {
    "creer_compte": [
        button("C'est quoi un RIB ?", "definir", terme="rib"),
        button("Le numéro de série de la carte Vitale", "definir", terme="numero_serie"),
        button("Je suis dans un des cas impossibles", "toujours_pas"),
    ],
    "code_expire": [
        button("J'ai demandé trop de codes", "toujours_pas"),
        button("Je n'ai pas reçu le code", "code_non_recu"),
    ],
    "code_non_recu": [
        button("Comment voir les spams ?", "verifier_spams"),
        button("Je ne l'ai toujours pas", "toujours_pas"),
    ],
    "se_connecter": [
        button("Depuis un ordinateur", "depuis_ordinateur"),
        button("Depuis l'appli ameli", "depuis_appli"),
        button("J'ai oublié mon mot de passe", "code_perdu"),
    ],
    "code_perdu": [
        button("J'ai un code provisoire", "code_provisoire"),
        button("Ça ne marche toujours pas", "toujours_pas"),
    ],
}
