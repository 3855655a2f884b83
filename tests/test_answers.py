"""What the bot says is faithful to the sheets (../shared/seeds) and to the sandbox rules."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml


ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def said(response: str) -> str:
    """Every text of a response, on one line."""
    variants = DOMAIN["responses"][response]
    return re.sub(r"\s+", " ", " ".join(v["text"] for v in variants))


def buttons(response: str) -> list[str]:
    return [b["payload"] for v in DOMAIN["responses"][response] for b in v.get("buttons", [])]


@pytest.mark.parametrize(
    "response, facts",
    [
        ("utter_code_non_recu", ["Spam", "15 minutes", "5 codes au maximum par heure", "nouvel onglet", "contactez votre caisse"]),
        ("utter_code_expire", ["15 minutes", "5 codes au maximum par heure", "« Recevoir un code de sécurité »"]),
        (
            "utter_creer_compte",
            ["numéro de sécurité sociale", "7 derniers caractères", "11 derniers chiffres", "e-mail personnelle",
             "portable", "code personnel", "valable 7 jours", "1ère visite ?", "spams"],
        ),
        ("utter_creer_compte_limites", ["provisoire", "pas de RIB", "transfert", "MSA", "MGEN", "ENIM", "France Services"]),
        ("utter_connexion_ordinateur", ["« Recevoir un code de sécurité »", "nouvel onglet", "6 mois", "changez de navigateur", "15 minutes", "5 codes"]),
        ("utter_connexion_appli", ["silhouette", "Laissez l'appli ameli ouverte", "spams", "15 minutes"]),
        ("utter_code_provisoire", ["4 ou 8 chiffres", "8 à 13 chiffres", "conditions générales", "unique et personnelle", "7 jours", "carte Vitale"]),
        ("utter_carte_vitale", ["accueil de la CPAM", "pharmacie", "hôpital", "11 derniers chiffres"]),
        ("utter_lien_validation", ["7 jours", "spams", "pas activé"]),
        ("utter_prendre_rdv", ["« Mon agenda / Prendre un rendez-vous »"]),
        ("utter_delais_traitement", ["« Suivre mes démarches / Consulter les délais de traitement de ma demande »"]),
        ("utter_forum", ["https://forum-assures.ameli.fr/", "entraide"]),
        ("utter_tutoriels", ["https://pastel.cpam-isere.fr/"]),
        ("utter_france_services", ["gratuitement", "compte ameli"]),
        ("utter_parler_conseiller", ["36 46", "« Mon agenda / Prendre un rendez-vous »", "France Services"]),
        ("utter_bot_challenge", ["assistant virtuel", "jamais"]),
        (
            "utter_aide_options",
            ["France Services", "« Mon agenda / Prendre un rendez-vous »", "« Suivre mes démarches",
             "https://forum-assures.ameli.fr/", "https://pastel.cpam-isere.fr/"],
        ),
    ],
)
def test_answer_states_the_facts_of_the_sheets(response, facts):
    text = said(response)
    for fact in facts:
        assert fact in text, f"{response} should say {fact!r}"


def test_connection_asks_computer_or_app():
    assert set(buttons("utter_connexion_choix")) == {"/depuis_ordinateur", "/depuis_appli"}


def test_help_options_are_offered_as_buttons():
    assert {"/france_services", "/prendre_rdv", "/delais_traitement", "/forum", "/tutoriels"} <= set(
        buttons("utter_aide_options")
    )


def test_every_button_sends_an_intent_of_the_domain():
    intents = set(DOMAIN["intents"]) | {"out_of_scope"}
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for b in variant.get("buttons", []):
                assert b["payload"].lstrip("/") in intents, (name, b)


def test_sentences_stay_short():
    # Plain language: no sentence over 40 words in any answer.
    for name in DOMAIN["responses"]:
        for sentence in re.split(r"(?<=[.!?:])\s+|\n", " ".join(v["text"] for v in DOMAIN["responses"][name])):
            assert len(sentence.split()) <= 40, (name, sentence)


def test_domain_is_up_to_date_with_answers():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_domain.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
