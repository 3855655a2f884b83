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
        (
            "utter_code_non_recu",
            [
                "spams",
                "Spam ou Indésirable",
                "15 minutes",
                "5 codes max par heure",
                "plus accès à cette adresse mail",
                "Contactez votre caisse",
            ],
        ),
        ("utter_code_non_recu_ordinateur", ["nouvel onglet", "spams", "15 minutes"]),
        ("utter_code_non_recu_appli", ["laissez ouverte l'appli ameli", "spams", "15 minutes"]),
        ("utter_code_expire", ["15 minutes", "5 codes max par heure", "« Recevoir un code de sécurité »"]),
        (
            "utter_creer_compte",
            [
                "ordinateur",
                "numéro de sécurité sociale",
                "7 derniers caractères",
                "11 derniers chiffres",
                "adresse mail personnelle",
                "portable",
            ],
        ),
        (
            "utter_creer_compte_limites",
            ["provisoire", "pas de RIB", "transfert", "MSA", "MGEN", "ENIM", "vous guide pas à pas ?"],
        ),
        ("utter_connexion_ordinateur", ["« Recevoir un code de sécurité »", "nouvel onglet", "vous guide pas à pas ?"]),
        ("utter_connexion_appli", ["silhouette", "laissant ouverte l'appli ameli", "vous guide pas à pas ?"]),
        (
            "utter_code_provisoire",
            [
                "code provisoire à 4 chiffres est remis à l'accueil de la CPAM",
                "8 chiffres est un code déjà personnalisé (bornes multi-services)",
                "accès, connexion, personnalisation, validation",
                "vous guide pas à pas ?",
            ],
        ),
        ("utter_carte_vitale", ["accueil de la CPAM", "pharmacie", "hôpital", "11 derniers chiffres"]),
        ("utter_lien_validation", ["7 jours", "spams", "pas activé"]),
        ("utter_prendre_rdv", ["« Mon agenda / Prendre un rendez-vous »"]),
        ("utter_delais_traitement", ["« Suivre mes démarches / Consulter les délais de traitement de ma demande »"]),
        ("utter_forum", ["https://forum-assures.ameli.fr/", "entraide"]),
        ("utter_tutoriels", ["https://pastel.cpam-isere.fr/"]),
        ("utter_france_services", ["gratuitement", "compte ameli"]),
        (
            "utter_parler_conseiller",
            [
                "36 46",
                "« Mon agenda / Prendre un rendez-vous »",
                "[la carte des France Services](https://anct-carto.github.io/france_services/?",
            ],
        ),
        ("utter_bot_challenge", ["assistant virtuel", "jamais"]),
        ("utter_aide_options", ["France Services", "conseiller", "forum", "vidéos pas à pas"]),
        # « Connexion compte ameli », login page: « Où trouver mon numéro de sécurité sociale ? »
        ("utter_numero_secu", ["carte Vitale", "« Où trouver mon numéro de sécurité sociale ? »"]),
        # « Connexion compte ameli », the security-code mail (step 4)
        (
            "utter_code_non_demande",
            [
                "strictement personnel",
                "Contactez votre caisse d'assurance maladie",
                "consignes à suivre",
                "reste sécurisé",
                "jamais de code par téléphone",
            ],
        ),
    ],
)
def test_answer_states_the_facts_of_the_sheets(response, facts):
    text = said(response)
    for fact in facts:
        assert fact in text, f"{response} should say {fact!r}"


def test_connection_asks_computer_or_app():
    assert set(buttons("utter_connexion_choix")) == {"/depuis_ordinateur", "/depuis_appli"}


def test_help_options_are_offered_as_buttons_not_as_five_links():
    assert {"/france_services", "/prendre_rdv", "/delais_traitement", "/forum", "/tutoriels"} <= set(
        buttons("utter_aide_options")
    )


def test_every_button_sends_an_intent_of_the_domain():
    intents = set(DOMAIN["intents"]) | {"out_of_scope"}
    entities = set(DOMAIN["entities"])
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for b in variant.get("buttons", []):
                intent, _, entity_json = b["payload"].lstrip("/").partition("{")
                assert intent in intents, (name, b)
                if entity_json:
                    import json

                    assert set(json.loads("{" + entity_json)) <= entities, (name, b)


def test_sentences_stay_short():
    # Plain language: no sentence over 40 words in any answer.
    for name in DOMAIN["responses"]:
        for sentence in re.split(r"(?<=[.!?:])\s+|\n", " ".join(v["text"] for v in DOMAIN["responses"][name])):
            assert len(sentence.split()) <= 40, (name, sentence)


def test_domain_is_up_to_date_with_answers():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scripts.build_domain", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
