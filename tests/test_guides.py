"""The guided mode: each guide follows its sheet step by step; one action drives them all.

Pure checks of actions/guides.py (steps numbered and worded as the sheets), then the action
(actions/guide_actions.py) run as the action server runs it: every guided path walked to its end
with « Je bloque » at each step, « Répéter », leaving in the middle, « oui » to the offer.
"""

from __future__ import annotations

import re

import pytest

from actions import guides
from actions.guide_actions import SLOT, ActionGuide
from tests.conftest import make_tracker, run_action
from tests.test_facts import SEEDS, flat

SHEET_FILES = {
    "creation": "002_32de2fcb98a37a46.txt",
    "ordinateur": "001_8375dc5a232b16a1.txt",
    "appli": "000_65b1921467ee2062.txt",
    "provisoire": "004_3a21d8423102286a.txt",
    "code_mail": "003_a259eca033f20e35.txt",
}
# For each step: words of the sheet, and the words of the step that say them.
SHEET_WORDS = {
    "creation": [
        ("J'accède au site www.ameli.fr depuis mon ordinateur", "www.ameli.fr depuis votre ordinateur"),
        ("Se connecter puis Accéder à mon compte ameli", "« Se connecter » puis « Accéder à mon compte ameli »"),
        ("1ère visite ? en bas de l'écran", "« 1ère visite ? » en bas de l'écran"),
        ("Je saisis mes informations personnelles", "informations personnelles"),
        ("Je complète les 7 derniers caractères du RIB", "7 derniers caractères du RIB"),
        (
            "Je saisis les 11 derniers chiffres du n° de série de ma carte Vitale",
            "11 derniers chiffres du numéro de série",
        ),
        ("J'accepte les conditions d'utilisation", "conditions d'utilisation"),
        ("adresse email unique et personnelle et mon n° de portable", "unique et personnelle"),
        ("Je choisis un code personnel", "code personnel"),
        ("Je clique sur le lien reçu par mail", "Cliquez sur le lien reçu par mail"),
        ("Mon compte est activé !", "Votre compte est activé !"),
    ],
    "ordinateur": [
        ("J'accède au site www.ameli.fr depuis mon ordinateur", "www.ameli.fr depuis votre ordinateur"),
        ("Se connecter puis Accéder à mon compte ameli", "« Se connecter » puis « Accéder à mon compte ameli »"),
        (
            "Je saisis mon n° de sécurité sociale et mon mot de passe Je clique sur Me connecter",
            "numéro de sécurité sociale et votre mot de passe. Cliquez sur « Me connecter »",
        ),
        ("Recevoir un code de sécurité", "« Recevoir un code de sécurité »"),
        ("récupérer le code en ouvrant un nouvel onglet", "récupérer le code, en ouvrant un nouvel onglet"),
        (
            "Je reviens à l'onglet du compte ameli je saisis le code reçu dans le mail",
            "Saisissez le code reçu dans le mail",
        ),
    ],
    "appli": [
        ("J'ouvre l'appli compte ameli", "Ouvrez l'appli compte ameli"),
        ("Je clique sur la silhouette", "silhouette"),
        (
            "Je saisis mon n° de sécurité sociale et mon mot de passe",
            "numéro de sécurité sociale et votre mot de passe",
        ),
        ("Recevoir un code de sécurité", "« Recevoir un code de sécurité »"),
        ("laisser ouverte la fenêtre avec l'appli ameli", "Laissez ouverte l'appli ameli"),
        ("Je reviens à l'appli ameli", "Revenez à l'appli ameli"),
        ("Je saisis le code reçu dans le mail", "Saisissez le code reçu dans le mail"),
    ],
    "provisoire": [
        ("1/4 Acces", "Accès."),
        ("2/4 CONNEXION", "Connexion."),
        ("3/4 PERSONNALISATION", "Personnalisation."),
        ("4/4 VALIDATION", "Validation."),
    ],
    "code_mail": [
        (
            "L'assuré renseigne son numéro de sécurité sociale et son mot de passe",
            "numéro de sécurité sociale et votre mot de passe",
        ),
        ("RECEVOIR UN CODE DE SÉCURITÉ", "« Recevoir un code de sécurité »"),
        ("Saisissez le code de sécurité reçu par mail.", "« Saisissez le code de sécurité reçu par mail. »"),
        ("l'assuré clique sur l'icône « + »", "cliquez sur l'icône « + »"),
        ("l'assuré se rend sur sa boîte mail", "allez dans votre boîte mail"),
        ("L'assuré retourne sur le premier onglet", "Retournez sur le premier onglet"),
    ],
}


def sheet(name: str) -> str:
    assert SEEDS.is_dir(), f"the sheets are needed: {SEEDS} (set SHARED_DIR)"
    return flat((SEEDS / SHEET_FILES[name]).read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the guides follow the sheets


def test_there_is_a_guide_for_each_long_procedure_of_the_issue():
    assert set(guides.GUIDES) == set(SHEET_FILES)


@pytest.mark.parametrize("name", sorted(SHEET_FILES))
def test_each_step_says_what_its_sheet_says_in_its_order(name):
    guide, text = guides.GUIDES[name], sheet(name)
    assert len(guide.steps) == len(SHEET_WORDS[name])
    for step, (sheet_words, step_words) in zip(guide.steps, SHEET_WORDS[name]):
        assert flat(sheet_words) in text, (name, sheet_words)
        assert step_words in step.text, (name, step.text)


def test_steps_are_numbered_as_the_sheets_number_them():
    assert guides.GUIDES["creation"].label(10) == "Étape 11 sur 11"
    assert guides.GUIDES["ordinateur"].label(0) == "Étape 1 sur 6"
    assert guides.GUIDES["code_mail"].label(0) == "Étape 0 sur 5"  # « ETAPE (0) » … « ETAPE (5) »
    assert guides.GUIDES["provisoire"].label(3) == "Étape 4 sur 4"  # « 1/4 » … « 4/4 »


def test_the_code_is_typed_then_the_box_ticked():
    # sheet 09 and « Connexion compte ameli », step 5: « Puis l'assuré coche la case »
    for name in ("ordinateur", "code_mail"):
        last = guides.GUIDES[name].steps[-1].text
        assert last.index("Saisissez le code") < last.index("cochez la case")


def test_je_bloque_answers_the_problem_of_the_step():
    code_step = guides.GUIDES["ordinateur"].steps[3].stuck  # « Recevoir un code de sécurité »
    for words in ("spams", "15 minutes", "5 codes max par heure"):
        assert words in code_step
    rib_step = guides.GUIDES["creation"].steps[4].stuck
    assert "banque" in rib_step and "IBAN" in rib_step  # where the RIB is
    no_address = guides.GUIDES["code_mail"].steps[1].stuck
    assert "plus accès à cette adresse mail" in no_address and "caisse" in no_address
    for guide in guides.GUIDES.values():
        for step in guide.steps:
            assert step.stuck and step.stuck != step.text


def test_state_round_trip_and_bad_values():
    guide = guides.GUIDES["appli"]
    assert guides.parse_state(guides.state(guide, 3)) == (guide, 3)
    for bad in (None, "", "appli", "appli:x", "appli:99", "inconnu:1"):
        assert guides.parse_state(bad) is None


# ------------------------------------------------------------------ the action


def turn(intent, state=None, entities=None, events=None, sujet=None):
    tracker = make_tracker("", intent, entities=entities, slots={SLOT: state, "sujet": sujet})
    if events is not None:
        tracker.events = events
    messages, events_out = run_action(ActionGuide(), tracker)
    new_state = state
    for event in events_out:
        if event.get("event") == "slot" and event.get("name") == SLOT:
            new_state = event.get("value")
    return messages, new_state


def payloads(message):
    return [b["payload"] for b in message.get("buttons") or []]


@pytest.mark.parametrize("name", sorted(SHEET_FILES))
def test_walk_each_guide_with_je_bloque_at_every_step(name):
    guide = guides.GUIDES[name]
    messages, state = turn("guide_moi", entities=[{"entity": "guide", "value": name}])
    assert guide.ready in messages[0]["text"]
    assert messages[1]["text"] == guides.step_text(guide, 0)
    for index, step in enumerate(guide.steps):
        assert state == f"{name}:{index}"
        # « Je bloque »: that step's problem, then the same step again, with the buttons
        stuck, state = turn("je_bloque", state)
        assert stuck[0]["text"] == step.stuck
        assert stuck[1]["text"] == guides.step_text(guide, index)
        assert payloads(stuck[1]) == ["/etape_faite", "/je_bloque", "/repeter", "/arreter"]
        assert state == f"{name}:{index}"
        # « Répéter »: the same step
        again, state = turn("repeter", state)
        assert again[0]["text"] == guides.step_text(guide, index) and state == f"{name}:{index}"
        # « C'est fait »: the next step, or the end
        done, state = turn("etape_faite", state)
        if index + 1 < len(guide.steps):
            assert done[0]["text"] == guides.step_text(guide, index + 1)
            assert re.match(rf"Étape {guide.number(index + 1)} sur", done[0]["text"])
    assert done[0]["text"] == guide.done and state is None


def test_leaving_in_the_middle():
    _, state = turn("guide_moi", entities=[{"entity": "guide", "value": "creation"}])
    _, state = turn("etape_faite", state)
    stopped, state = turn("arreter", state)
    assert stopped[0]["text"] == guides.STOPPED and state is None
    # nothing under way any more: « C'est fait » offers the guides
    nothing, _ = turn("etape_faite", None)
    assert nothing[0]["text"] == guides.NO_GUIDE and len(nothing[0]["buttons"]) == len(guides.GUIDES)


def test_annuler_with_nothing_under_way_says_so():
    from actions.simulation_answers import NOTHING_TO_STOP

    messages, state = turn("arreter", None)
    assert messages[0]["text"] == NOTHING_TO_STOP and state is None


def test_another_question_in_the_middle_keeps_the_step():
    # the question is answered by its own rule (tests/conversations); the slot keeps the step,
    # and « Répéter » comes back to it
    again, state = turn("repeter", "ordinateur:4")
    assert again[0]["text"] == guides.step_text(guides.GUIDES["ordinateur"], 4) and state == "ordinateur:4"


def test_oui_to_the_offer_starts_the_guide_offered():
    events = [
        {"event": "user", "text": "je n'ai pas reçu le code"},
        {"event": "action", "name": "utter_code_non_recu"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "oui"},
    ]
    messages, state = turn("affirmer", events=events)
    assert state == "code_mail:0" and messages[1]["text"].startswith("Étape 0 sur 5")


def test_guidez_moi_typed_follows_the_topic_or_offers_the_guides():
    _, state = turn("guide_moi", sujet="code_provisoire")
    assert state == "provisoire:0"
    messages, state = turn("guide_moi")
    assert state is None and messages[0]["text"] == guides.NO_GUIDE
    assert {b["payload"] for b in messages[0]["buttons"]} == {
        f'/guide_moi{{"guide":"{name}"}}' for name in guides.GUIDES
    }


def test_every_step_message_is_short():
    from tests.bot_texts import words

    for guide in guides.GUIDES.values():
        for index, step in enumerate(guide.steps):
            assert words(guides.step_text(guide, index)) <= 60
            assert words(step.stuck) <= 60


@pytest.mark.parametrize("sujet", ["code_expire", "code_non_recu"])
def test_ca_bloque_after_a_code_problem_gives_the_codes_limit_not_the_guides(sujet):
    # « code expiré » then « ça bloque ou quoi ? »: the limit and the wait, with nothing under way
    said, state = turn("je_bloque", None, sujet=sujet)
    assert [m.get("response") for m in said] == ["utter_codes_bloques"] and state is None
    # inside the code guide, the same « je bloque » still answers the step's problem
    _, state = turn("guide_moi", sujet=sujet)
    stuck, _ = turn("je_bloque", state, sujet=sujet)
    assert stuck[0].get("response") is None and stuck[0]["text"] != guides.NO_GUIDE
    assert payloads(stuck[1]) == ["/etape_faite", "/je_bloque", "/repeter", "/arreter"]
    # with another topic, « je bloque » and nothing under way: which guide?
    other, _ = turn("je_bloque", None, sujet="creer_compte")
    assert other[0]["text"] == guides.NO_GUIDE
