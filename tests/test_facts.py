"""Every number the bot states about ameli has the meaning the sheets give it (issue 15).

actions/facts.py is the table: number → meaning → the sheet's words, file and line. Here:
each quote is at that line of that sheet; every text the bot can send (tests/bot_texts.py)
uses 15, 5, 6, 7, 11, 4, 8 and 13 only with a meaning of the table; and each fact the issue
found wrong or missing is said as the sheet says it, quoted.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from actions import answers, facts, guides, simulation_answers
from actions import sandbox_answers as messages
from actions.sandbox import mailbox, policy
from actions.sandbox.reasons import Reason
from tests.bot_texts import bot_texts, without_urls
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"


def flat(text: str) -> str:
    """One line, typographic apostrophes made plain, for quoting the sheets."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("’", "'")).strip()


def sheet_line(name: str, line: int) -> str:
    assert SEEDS.is_dir(), f"the sheets are needed: {SEEDS} (set SHARED_DIR)"
    return flat((SEEDS / name).read_text(encoding="utf-8").splitlines()[line - 1])


def said(response: str) -> str:
    return flat(" ".join(v["text"] for v in answers.RESPONSES[response]))


# ------------------------------------------------------------------ the table itself


@pytest.mark.parametrize("fact", [f for f in facts.FACTS if f.sheet], ids=lambda f: f"{f.number}-{f.meaning}")
def test_each_fact_quotes_its_sheet_at_its_line(fact):
    assert flat(fact.quote) in sheet_line(fact.sheet, fact.line)
    # the number is in the quote, or in the lines just above it (« un code à 4 ou 8 chiffres » ... « (code
    # provisoire remis à l'accueil de la CPAM ou code déjà personnalisé ...) »)
    around = " ".join(sheet_line(fact.sheet, n) for n in range(max(1, fact.line - 4), fact.line + 1))
    assert re.search(rf"(?<!\d){fact.number}(?!\d)", around)


def test_the_table_covers_every_number_the_issue_lists():
    with_sheet = {f.number for f in facts.FACTS if f.sheet}
    assert set(facts.CHECKED_NUMBERS) <= with_sheet


def test_the_check_catches_a_number_with_another_meaning():
    # the merge the issue found: « code provisoire (4 ou 8 chiffres, remis à l'accueil) »
    assert facts.unexplained_numbers("Un code à 8 chiffres remis à l'accueil de la CPAM.")
    assert facts.unexplained_numbers("Le code est valable 6 minutes.")
    assert facts.unexplained_numbers("Le lien est valable 15 jours.")
    assert not facts.unexplained_numbers("Le code est valable 15 minutes ; 5 codes max par heure.")


# ------------------------------------------------------------------ every text agrees with the table


def test_every_number_the_bot_states_has_the_meaning_of_the_sheets():
    wrong = {}
    for where, text in bot_texts().items():
        found = facts.unexplained_numbers(without_urls(text))
        if found:
            wrong[where] = found
    assert not wrong, wrong


def test_every_mail_the_sandbox_sends_agrees_too():
    for body in (mailbox.security_code_body(), mailbox.validation_body()):
        assert not facts.unexplained_numbers(body)


# ------------------------------------------------------------------ item 1: 4 digits, 8 digits, kiosks


def test_the_4_digit_code_is_the_code_provisoire_of_the_cpam_desk_and_8_digits_the_kiosks():
    # « Vous disposez d'un code à 4 ou 8 chiffres (code provisoire remis à l'accueil de la CPAM ou code
    #   déjà personnalisé pour accéder aux bornes multi-services) » (sheet 1.1, lines 9 and 13)
    assert "code déjà personnalisé pour accéder aux bornes multi-services" in sheet_line(facts.S_11, 13)
    text = said("utter_code_provisoire")
    assert "code provisoire à 4 chiffres est remis à l'accueil de la CPAM" in text
    assert "8 chiffres est un code déjà personnalisé (bornes multi-services)" in text
    assert "4 ou 8" not in text


def test_only_the_4_digit_code_is_personalised_into_an_8_to_13_digit_password():
    # « NB : le code provisoire à 4 chiffres devra être personnalisé en mot de passe de 8 à 13 chiffres. »
    quote = "le code provisoire à 4 chiffres devra être personnalisé en mot de passe de 8 à 13 chiffres"
    assert quote in sheet_line(facts.S_11, 48)
    step = guides.GUIDES["provisoire"].steps[2].text
    assert "code provisoire à 4 chiffres devra être personnalisé en mot de passe de 8 à 13 chiffres" in step
    for text in bot_texts().values():
        assert "4 ou 8 chiffres" not in text and "(4 ou 8" not in text, text


# ------------------------------------------------------------------ item 2: « Accepter ou non les contacts »


def test_accepting_contacts_or_not_is_told():
    assert "Accepter ou non les contacts." in sheet_line(facts.S_11, 58)
    step = guides.GUIDES["provisoire"].steps[2]
    assert "Acceptez ou non les contacts." in step.text
    assert "les deux réponses sont possibles" in step.stuck


# ------------------------------------------------------------------ item 4: no « nouvel onglet » for the app


def test_app_users_are_never_told_to_open_a_new_tab():
    # sheet 08: « en prenant soin de laisser ouverte la fenêtre avec l'appli ameli » (no tabs)
    assert "la fenêtre avec l'appli ameli" in flat(
        " ".join((SEEDS / facts.S08).read_text(encoding="utf-8").splitlines()[31:33])
    )
    app_texts = [said("utter_connexion_appli"), said("utter_code_non_recu_appli"), said("utter_code_non_recu")]
    app_texts += [s.text + s.stuck for s in guides.GUIDES["appli"].steps]
    for text in app_texts:
        assert "onglet" not in text, text
    assert "laissez ouverte l'appli ameli" in said("utter_code_non_recu_appli")


# ------------------------------------------------------------------ item 5: unasked code, NIR, lost address


def test_a_code_one_did_not_ask_for():
    quote = (
        "Si vous n'êtes pas à l'origine de cette demande, contactez votre caisse d'assurance maladie "
        "qui vous donnera les consignes à suivre. Sachez néanmoins que votre compte ameli reste sécurisé."
    )
    assert quote in sheet_line(facts.S_CNX, 144)
    text = said("utter_code_non_demande")
    for words in (
        "Contactez votre caisse d'assurance maladie, qui vous donnera les consignes à suivre",
        "Votre compte ameli reste sécurisé",
        "jamais de code par téléphone",
    ):
        assert words in text


def test_where_to_find_the_social_security_number():
    assert "Où trouver mon numéro de sécurité sociale ?" in sheet_line(facts.S_CNX, 38)
    assert "« Où trouver mon numéro de sécurité sociale ? »" in said("utter_numero_secu")


def test_the_code_required_message_keeps_the_lost_address_sentence():
    quote = "Si vous n'avez plus accès à cette adresse mail, merci de contacter votre caisse d'assurance maladie."
    assert quote in sheet_line(facts.S_CNX, 48)
    assert quote in messages.text(Reason.SECURITY_CODE_REQUIRED, masked_email="e***@g***.com")


# ------------------------------------------------------------------ item 6: the sandbox's conventions


def test_conventions_of_the_sandbox_are_not_told_as_real_rules():
    real = [flat(v["text"]) for variants in answers.RESPONSES.values() for v in variants]
    for text in real:
        assert "mail le plus récent" not in text
        assert "attendez une heure" not in text.lower()
        assert "un seul nouveau code" not in text
    # the sandbox says where it is its own rule
    for reason in (Reason.CODE_SUPERSEDED, Reason.CODE_BLOCKED, Reason.LINK_RESENT, Reason.LINK_INVALID):
        assert "Dans cet exercice" in messages.MESSAGES[reason] or "dans cet exercice" in messages.MESSAGES[reason]
    # after 7 days: the bot and the sandbox both send to the caisse for a real account
    assert "contactez votre caisse" in messages.MESSAGES[Reason.LINK_EXPIRED]
    assert "Contactez votre caisse" in said("utter_lien_validation_relance")


# ------------------------------------------------------------------ item 7: who gives the code provisoire


def test_the_cpam_desk_gives_the_code_provisoire_and_36_46_is_an_adviser():
    assert "code provisoire remis à l'accueil de la CPAM" in sheet_line(facts.S_11, 13)
    text = said("utter_code_perdu_relance")
    assert "L'accueil de votre CPAM peut vous remettre un code provisoire" in text
    assert "Un conseiller peut aussi vous aider : au 36 46" in text
    assert "rendez-vous au 36 46" not in text


# ------------------------------------------------------------------ item 8: wording


def test_the_exercise_speaks_to_the_user_not_as_the_user():
    assert "Vous confirmez ?" in simulation_answers.RDV_CONFIRM
    assert "Je récapitule" not in simulation_answers.RDV_CONFIRM
    assert "c'est comme cliquer" not in simulation_answers.PROMPTS["simu_login_code"][0]["text"]


def test_one_word_per_notion_the_sheets_own():
    # « mail » (sheets 07, 08, 09: « le lien reçu par mail », « ma boîte mail »), « Spam ou Indésirable »
    # (« Vérifiez votre dossier Spam ou Indésirable. », Connexion compte ameli), « mot de passe »
    # (sheets 08, 09, 1.1); « code personnel » (sheet 07) only said as the password it is.
    assert "Vérifiez votre dossier Spam ou Indésirable." in sheet_line(facts.S_CNX, 78)
    for where, text in bot_texts().items():
        plain = without_urls(text)
        assert not re.search(r"e-mail|\bemail\b|courrier indésirable", plain, re.IGNORECASE), (where, text)
        if "code personnel" in plain:
            assert "mot de passe" in plain, (where, text)


def test_policy_keeps_the_two_codes_apart():
    assert policy.CODE_PROVISOIRE_DESK_LENGTH == 4 and policy.CODE_KIOSK_LENGTH == 8
