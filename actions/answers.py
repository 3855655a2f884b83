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

from typing import Any, Dict, List

from actions import catalogue as cat
from actions.sandbox import policy

# -- rules, read from the one place they live ---------------------------------
CODE_MINUTES = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
MAX_CODES = policy.MAX_CODES_PER_HOUR
LINK_DAYS = policy.VALIDATION_LINK_VALIDITY.days
# 183 days: said "6 mois" as the sheets do.
TRUST_MONTHS = round(policy.TRUSTED_DEVICE_DURATION.days / 30.44)
PERSO_MIN, PERSO_MAX = policy.CODE_PERSONNEL_MIN_LENGTH, policy.CODE_PERSONNEL_MAX_LENGTH
PROVISOIRE_LENGTHS = " ou ".join(str(n) for n in policy.CODE_PROVISOIRE_LENGTHS)

MAP = cat.france_services_map_url()

# -- buttons --------------------------------------------------------------------


def button(title: str, intent: str) -> Dict[str, str]:
    """A quick reply that sends `intent` when clicked."""
    return {"title": title, "payload": f"/{intent}"}


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

HELP_BLOCK = (
    "Besoin d'aide ? Vous pouvez :\n"
    f"- aller dans la France Services la plus proche : {MAP}\n"
    f"- prendre un rendez-vous téléphonique depuis votre compte ameli : rubrique {cat.MENU_AGENDA.value}\n"
    f"- suivre votre demande : rubrique {cat.MENU_DELAYS.value}\n"
    f"- poser votre question sur le forum ameli : {cat.FORUM.value}\n"
    f"- regarder les vidéos pas à pas : {cat.TUTORIALS.value}"
)

CODE_LIMITS = (
    f"Le code est valable {CODE_MINUTES} minutes. "
    f"Vous pouvez demander {MAX_CODES} codes au maximum par heure."
)


def _r(text: str, buttons: List[Dict[str, str]] | None = None) -> List[Dict[str, Any]]:
    """One response variant in Rasa's domain format."""
    variant: Dict[str, Any] = {"text": text}
    if buttons:
        variant["buttons"] = buttons
    return [variant]


# -- the responses of domain.yml -----------------------------------------------

RESPONSES: Dict[str, List[Dict[str, Any]]] = {
    "utter_saluer": _r(
        "Bonjour ! Je suis l'assistant du compte ameli. "
        "Je vous aide à créer votre compte, à vous connecter, à retrouver un code "
        "ou à trouver de l'aide près de chez vous. Que voulez-vous faire ?",
        MENU_BUTTONS,
    ),
    "utter_au_revoir": _r("Au revoir et bonne journée ! Revenez quand vous voulez."),
    "utter_remercier": _r("Avec plaisir ! Avez-vous une autre question ?"),
    "utter_affirmer": _r("D'accord. Que voulez-vous faire ?", MENU_BUTTONS),
    "utter_nier": _r(
        "Très bien. Si vous avez une autre question, écrivez-la simplement, en quelques mots."
    ),
    "utter_creer_compte": _r(
        "Pour créer votre compte ameli, il faut un ordinateur. Préparez :\n"
        "- votre numéro de sécurité sociale ;\n"
        "- votre RIB : on vous demande les 7 derniers caractères du compte où sont versés vos remboursements ;\n"
        "- votre carte Vitale : on vous demande les 11 derniers chiffres de son numéro de série ;\n"
        "- une adresse e-mail personnelle, qui ne sert pas déjà pour un autre compte ameli ;\n"
        "- votre numéro de portable.\n"
        "Les étapes :\n"
        f"1. Allez sur {cat.AMELI_SITE.value}. Cliquez sur {cat.CREATE_ACCOUNT.value}.\n"
        "2. Saisissez vos informations personnelles, puis le RIB et la carte Vitale.\n"
        "3. Acceptez les conditions d'utilisation.\n"
        "4. Donnez votre e-mail et votre portable. Choisissez un code personnel.\n"
        f"5. Cliquez sur le lien reçu par mail. Il est valable {LINK_DAYS} jours. "
        "Sans ce clic, votre compte n'est pas activé. Pensez à regarder dans vos spams."
    ),
    "utter_creer_compte_limites": _r(
        "Attention, vous ne pouvez pas créer votre compte en ligne si :\n"
        "- votre numéro de sécurité sociale est provisoire ;\n"
        "- la CPAM n'a pas de RIB sur votre dossier ;\n"
        "- votre dossier est en cours de transfert d'un autre organisme (MSA, MGEN, ENIM…).\n"
        "Dans ces cas, allez dans une France Services près de chez vous, "
        f"ou contactez votre caisse au {cat.PHONE_CPAM.value}.",
        [
            button("Le lien n'est pas arrivé", "lien_validation"),
            button("J'ai un code provisoire", "code_provisoire"),
            button("France Services près de chez moi", "france_services"),
            button("Voir une vidéo", "tutoriels"),
        ],
    ),
    "utter_creer_compte_appli": _r(
        "La création du compte avec le RIB et la carte Vitale se fait seulement "
        "depuis un ordinateur. Avec l'appli, vous pouvez ouvrir votre compte si la CPAM "
        f"vous a remis un code provisoire ({PROVISOIRE_LENGTHS} chiffres).",
        [
            button("J'ai un code provisoire", "code_provisoire"),
            button("France Services près de chez moi", "france_services"),
        ],
    ),
    "utter_creer_compte_relance": _r(
        "Si la création ne marche pas, vérifiez ces points :\n"
        "- votre numéro de sécurité sociale ne doit pas être provisoire ;\n"
        "- la CPAM doit avoir votre RIB ; saisissez les 7 derniers caractères du compte où sont versés vos remboursements ;\n"
        "- saisissez les 11 derniers chiffres du numéro de série de la carte Vitale ;\n"
        "- votre adresse e-mail ne doit pas déjà servir pour un autre compte ameli.\n"
        "Si votre dossier est en cours de transfert (MSA, MGEN, ENIM…), attendez la fin du transfert.\n"
        + HELP_BLOCK
    ),
    "utter_connexion_choix": _r(
        "Pour vous connecter, il faut votre numéro de sécurité sociale, votre mot de passe "
        "(code personnel) et un code de sécurité reçu par e-mail. "
        "Vous vous connectez depuis un ordinateur ou depuis l'appli ameli ?",
        [
            button("Depuis un ordinateur", "depuis_ordinateur"),
            button("Depuis l'appli ameli", "depuis_appli"),
        ],
    ),
    "utter_connexion_ordinateur": _r(
        "Depuis un ordinateur :\n"
        f"1. Allez sur {cat.AMELI_SITE.value}. Cliquez sur « Se connecter » puis « Accéder à mon compte ameli ».\n"
        "2. Saisissez votre numéro de sécurité sociale et votre mot de passe. Cliquez sur « Me connecter ».\n"
        f"3. Cliquez sur {cat.RECEIVE_CODE.value}. Le code part sur votre adresse e-mail.\n"
        "4. Ouvrez un nouvel onglet (le « + » en haut) et allez dans votre boîte mail. Regardez aussi dans les spams.\n"
        "5. Revenez à l'onglet du compte ameli. Saisissez le code reçu.\n"
        f"6. Sur votre ordinateur personnel, cochez {cat.TRUSTED_COMPUTER.value} : "
        f"on ne vous demandera plus de code pendant {TRUST_MONTHS} mois.\n"
        "Attention : si vous changez de navigateur, le code vous sera demandé à nouveau, "
        "même si vous avez coché la case.\n" + CODE_LIMITS
    ),
    "utter_connexion_appli": _r(
        "Depuis l'appli ameli :\n"
        "1. Ouvrez l'appli compte ameli. Touchez la silhouette.\n"
        "2. Saisissez votre numéro de sécurité sociale et votre mot de passe. Touchez « Se connecter ».\n"
        f"3. Touchez {cat.RECEIVE_CODE.value}.\n"
        "4. Allez dans votre boîte mail pour lire le code. Laissez l'appli ameli ouverte pendant ce temps. "
        "Regardez aussi dans les spams.\n"
        "5. Revenez dans l'appli et saisissez le code reçu.\n" + CODE_LIMITS
    ),
    "utter_connexion_relance": _r(
        "Si la connexion ne marche pas :\n"
        f"- mot de passe oublié ? Cliquez sur {cat.FORGOTTEN_PASSWORD.value} sur la page de connexion ;\n"
        "- code de sécurité non reçu ? Regardez dans vos spams ;\n"
        f"- code refusé ? Il est valable {CODE_MINUTES} minutes, et {MAX_CODES} codes au maximum par heure.\n"
        + HELP_BLOCK
    ),
    "utter_code_non_recu": _r(
        "Le code de sécurité arrive par e-mail.\n"
        "- Regardez dans le dossier Spam ou Courrier indésirable de votre boîte mail.\n"
        "- Gardez la page ameli (ou l'appli) ouverte. Lisez le mail dans un nouvel onglet.\n"
        f"- Le code est valable {CODE_MINUTES} minutes. Ensuite, il faut en demander un nouveau.\n"
        f"- Vous pouvez demander {MAX_CODES} codes au maximum par heure.\n"
        "Le code part à l'adresse e-mail de votre compte (affichée en partie, par exemple e***@g***.com). "
        "Si vous n'avez plus accès à cette adresse, contactez votre caisse d'assurance maladie.",
        [
            button("Comment voir les spams ?", "verifier_spams"),
            button("Je ne l'ai toujours pas", "toujours_pas"),
        ],
    ),
    "utter_code_non_recu_appli": _r(
        "Depuis l'appli ameli : laissez l'appli ouverte. Ouvrez votre boîte mail à côté, "
        "lisez le code, puis revenez dans l'appli pour le saisir. "
        "Regardez aussi dans les spams (courrier indésirable). " + CODE_LIMITS
    ),
    "utter_code_non_recu_ordinateur": _r(
        "Depuis un ordinateur : gardez la page ameli ouverte. Ouvrez un nouvel onglet "
        "(le « + » en haut de la fenêtre) et allez dans votre boîte mail. Lisez le code, "
        "puis revenez au premier onglet pour le saisir. "
        "Regardez aussi dans les spams (courrier indésirable). " + CODE_LIMITS
    ),
    "utter_code_non_recu_relance": _r(
        "Si le code n'arrive toujours pas :\n"
        "1. Vérifiez que l'adresse affichée en partie (e***@g***.com) est bien la vôtre.\n"
        "2. Attendez quelques minutes. Regardez encore dans les spams.\n"
        f"3. Demandez un nouveau code si besoin. Attention : {MAX_CODES} codes au maximum par heure. Ensuite, il faut attendre.\n"
        "4. Vous n'avez plus accès à cette adresse mail ? Contactez votre caisse d'assurance maladie.\n"
        + HELP_BLOCK
    ),
    "utter_code_expire": _r(
        "Le code de sécurité est refusé dans deux cas :\n"
        f"- vous ne l'avez pas saisi dans les {CODE_MINUTES} minutes ;\n"
        f"- vous avez demandé trop de codes ({MAX_CODES} codes au maximum par heure) sans les utiliser.\n"
        f"Que faire : ouvrez votre boîte mail avant de demander le code. Cliquez sur {cat.RECEIVE_CODE.value}, "
        f"puis saisissez le code du mail le plus récent, en moins de {CODE_MINUTES} minutes. "
        f"Si vous avez déjà demandé {MAX_CODES} codes dans l'heure, attendez avant d'en demander un autre.",
        [button("Je n'ai pas reçu le code", "code_non_recu"), button("Ça ne marche toujours pas", "toujours_pas")],
    ),
    "utter_code_expire_relance": _r(
        "Si le code est toujours refusé : attendez une heure, puis demandez un seul nouveau code. "
        f"Saisissez-le tout de suite, en moins de {CODE_MINUTES} minutes. "
        "Vérifiez aussi votre mot de passe.\n" + HELP_BLOCK
    ),
    "utter_code_perdu": _r(
        "Vous avez oublié votre mot de passe (code personnel) ?\n"
        f"- Sur la page de connexion, cliquez sur {cat.FORGOTTEN_PASSWORD.value} et suivez les étapes.\n"
        "- Si l'accueil de votre CPAM vous a remis un code provisoire, utilisez-le : "
        f"il faudra le personnaliser en un mot de passe de {PERSO_MIN} à {PERSO_MAX} chiffres.\n"
        "- Ne donnez jamais votre mot de passe, même à un conseiller.",
        [button("J'ai un code provisoire", "code_provisoire"), button("Ça ne marche toujours pas", "toujours_pas")],
    ),
    "utter_code_perdu_relance": _r(
        "Si vous ne retrouvez pas votre mot de passe, votre caisse peut vous remettre un code provisoire. "
        f"Prenez rendez-vous au {cat.PHONE_CPAM.value} ou allez dans une France Services.\n" + HELP_BLOCK
    ),
    "utter_verifier_spams": _r(
        "Les spams (ou « courrier indésirable ») sont un dossier de votre boîte mail. "
        "Certains mails y arrivent par erreur.\n"
        "1. Ouvrez votre boîte mail dans un nouvel onglet.\n"
        "2. Dans la liste des dossiers (à gauche, ou dans le menu ☰ sur téléphone), "
        "cherchez « Spam », « Courrier indésirable » ou « Indésirables ».\n"
        "3. Cherchez le mail de l'Assurance Maladie.\n"
        "4. Si vous le trouvez, marquez-le comme « non spam » : les prochains mails arriveront au bon endroit."
    ),
    "utter_prendre_rdv": _r(
        "Vous pouvez prendre un rendez-vous téléphonique depuis votre compte ameli : "
        f"rubrique {cat.MENU_AGENDA.value}. Un conseiller vous appelle au jour et à l'heure choisis.\n"
        "Vous n'arrivez pas à vous connecter ? Allez dans une France Services près de chez vous, "
        f"ou appelez le {cat.PHONE_CPAM.value}.",
        [button("Je n'arrive pas à me connecter", "se_connecter"), button("France Services près de chez moi", "france_services")],
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
        "Carte Vitale :\n"
        "- Mettez-la à jour dans un accueil de la CPAM, en pharmacie ou dans un hôpital. "
        "Cela charge vos nouvelles données.\n"
        "- Pour créer votre compte ameli, on vous demande les 11 derniers chiffres "
        "du numéro de série de votre carte Vitale.\n"
        "- Carte perdue, volée ou abîmée ? Contactez votre caisse : "
        f"rubrique {cat.MENU_AGENDA.value} de votre compte, ou {cat.PHONE_CPAM.value}."
    ),
    "utter_code_provisoire": _r(
        f"Vous avez un code provisoire ({PROVISOIRE_LENGTHS} chiffres, remis à l'accueil de la CPAM) ? "
        "Voici comment ouvrir votre compte :\n"
        "1. Accès : sur ordinateur, allez sur ameli.fr. Acceptez les cookies, saisissez votre code postal, "
        "cliquez sur « COMPTE AMELI ». Sur téléphone ou tablette, téléchargez l'appli gratuite « ameli ».\n"
        "2. Connexion : cliquez sur « Se connecter » ou « Ajouter un utilisateur ». "
        "Saisissez votre numéro de sécurité sociale, puis le code provisoire.\n"
        f"3. Personnalisation : changez le code provisoire en mot de passe de {PERSO_MIN} à {PERSO_MAX} chiffres. "
        "Acceptez les conditions générales. Donnez votre adresse e-mail (obligatoire, unique et personnelle) "
        "et un numéro de téléphone.\n"
        f"4. Validation : cliquez sur le lien reçu par e-mail. Il est valable {LINK_DAYS} jours seulement. "
        "Fermez la page de création. Revenez à l'écran de connexion et connectez-vous avec votre nouveau mot de passe.\n"
        "Pensez aussi à mettre à jour votre carte Vitale (accueil CPAM, pharmacie ou hôpital)."
    ),
    "utter_lien_validation": _r(
        "Après la création du compte, un lien de validation part par e-mail. "
        "Sans clic sur ce lien, votre compte n'est pas activé.\n"
        "- Regardez dans vos spams (courrier indésirable).\n"
        f"- Le lien est valable {LINK_DAYS} jours. Ensuite, il ne marche plus.\n"
        "- Vérifiez que l'adresse e-mail donnée est la bonne.",
        [button("Le lien a expiré", "toujours_pas"), button("Comment voir les spams ?", "verifier_spams")],
    ),
    "utter_lien_validation_relance": _r(
        f"Si le lien a plus de {LINK_DAYS} jours ou n'arrive pas, contactez votre caisse : "
        f"au {cat.PHONE_CPAM.value}, ou faites-vous aider dans une France Services.\n" + HELP_BLOCK
    ),
    "utter_parler_conseiller": _r(
        "Pour parler à un conseiller de l'Assurance Maladie :\n"
        f"- par téléphone : {cat.PHONE_CPAM.value} (service gratuit + prix d'un appel) ;\n"
        f"- en rendez-vous téléphonique depuis votre compte ameli : rubrique {cat.MENU_AGENDA.value} ;\n"
        f"- en face à face, dans une France Services près de chez vous : {MAP}"
    ),
    "utter_bot_challenge": _r(
        "Je suis un assistant virtuel, pas une personne. Je ne suis pas relié à votre vrai compte ameli : "
        "ne me donnez jamais votre vrai mot de passe ni vos codes. "
        f"Pour parler à une personne : {cat.PHONE_CPAM.value}, ou une France Services près de chez vous."
    ),
    "utter_hors_sujet": _r(
        "Je réponds seulement aux questions sur le compte ameli : création, connexion, codes, "
        "carte Vitale, rendez-vous et aide près de chez vous. Que voulez-vous faire ?",
        MENU_BUTTONS,
    ),
    "utter_aide_options": _r(HELP_BLOCK, HELP_BUTTONS),
}

# -- texts used by custom actions ----------------------------------------------

DEFAULT_FALLBACK = "Désolé, je n'ai pas compris.\n" + HELP_BLOCK
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
    "Merci. Pour trouver la France Services la plus proche de {place}, ouvrez la carte "
    "et cherchez votre ville : {map}"
)

# -- France Services near the user (actions/locator_actions.py) -----------------

LOCATOR_ASK = (
    "Dans quelle ville habitez-vous ? Écrivez le nom de la ville ou le code postal, "
    "par exemple : « Voiron » ou « 38500 »."
)
LOCATOR_WHICH_ONE = "Plusieurs communes portent ce nom. Laquelle est la vôtre ?"
LOCATOR_NOT_FOUND = (
    "Je ne trouve pas « {place} ». Vérifiez l'orthographe, ou écrivez le code postal (5 chiffres)."
)
LOCATOR_RESULTS = (
    "Les France Services les plus proches de {place} :\n{offices}\n"
    "Voir sur la carte : {map}\n{credit}"
)
LOCATOR_OTHER_COMMUNES = "Ce n'est pas votre commune ? Choisissez-la :"
LOCATOR_MOBILE = "France Services itinérante, basée à :"
LOCATOR_NO_LIST = (
    "Je n'ai pas la liste des France Services en ce moment. "
    "Ouvrez la carte, centrée sur {place} : {map}"
)
LOCATOR_UNAVAILABLE = (
    "Je ne peux pas chercher les adresses en ce moment. "
    "Ouvrez la carte des France Services et cherchez votre ville : {map}"
)
LOCATOR_GAVE_UP = (
    "Je n'ai pas trouvé votre ville. Ouvrez la carte des France Services "
    "et cherchez-la vous-même : {map}"
)
LOCATOR_NEARBY = "Près de chez vous ({place}) :\n{office}"
# Under the offices: how old the list is ({date}: « 1er août 2024 »), and the credits the licences ask for.
LOCATOR_CREDIT = (
    "Source : liste officielle du {date} (ANCT, Licence Ouverte 2.0) ; "
    "codes postaux GeoNames (CC BY 4.0)."
)
LOCATOR_CREDIT_UNDATED = (
    "Source : liste officielle des France Services (ANCT, Licence Ouverte 2.0) ; "
    "codes postaux GeoNames (CC BY 4.0)."
)

# -- production mode: the action server cannot be reached (scripts/prod/stack.py) --------
# nginx, in front of the action servers, answers the Rasa server with this text when none of
# them answers (502/503/504, or a crash: 500), instead of Rasa's silence.

SERVICE_UNAVAILABLE = (
    "Le service est momentanément indisponible. Réessayez dans quelques minutes.\n" + HELP_BLOCK
)


def service_unavailable_action_response() -> Dict[str, Any]:
    """A valid action-server answer: the message, its help buttons, then listen (no loop)."""
    return {
        "events": [{"event": "followup", "name": "action_listen"}],
        "responses": [{"text": SERVICE_UNAVAILABLE, "buttons": HELP_BUTTONS}],
    }
