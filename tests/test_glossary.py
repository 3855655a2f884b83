"""The glossary (issue 20): words explained anywhere, and never the same answer twice in a row."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered  # noqa: F401
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions import answers, glossary
from nlu_components.glossary_guard import GlossaryGuard
from nlu_components.vocabulary import BY_KEY, glossary_question
from server_ext.nlg import MARK, NoRepeatGenerator


@pytest.mark.parametrize(
    "text, term",
    [
        ("c quoi un rib ??", "rib"),
        ("le RIB, c'est quoi exactement ?", "rib"),
        ("rib", "rib"),
        ("Rib ?", "rib"),
        ("mon rib il est où", "rib"),
        ("je trouve pas mon iban", "iban"),
        ("c'est quoi un navigateur ?", "navigateur"),
        ("navigatteur ça veut dire quoi", "navigateur"),
        ("qu'est-ce qu'un onglet", "onglet"),
        ("où trouver le numéro de série", "numero_serie"),
        ("je ne vois pas le numéro de série sur ma carte vitale", "numero_serie"),
        ("c koi france service", "france_services"),
        ("à quoi ça sert le code de sécurité", "code_securite"),
        ("c'est quoi la case ordinateur personnel", "ordinateur_personnel"),
    ],
)
def test_a_question_about_a_word_names_the_word(text, term):
    assert glossary_question(text) == term


@pytest.mark.parametrize(
    "text",
    [
        "changer de navigateur",  # the trainer's command, not a question
        "je trouve pas le code",  # a code not received: a topic
        "carte vitale",  # a topic of its own
        "l'appli",  # the answer to « ordinateur ou appli ? »
        "c'est quoi la démarche pour créer un compte ameli",
        "expliquez moi comment creer mon compte",
        "c'est quoi les spams",  # verifier_spams answers it
        "c'est quoi mon mot de passe",  # personal: a lost password
        "jai pas de rib",
        "je dois attendre combien de temps ?",
    ],
)
def test_other_messages_are_not_glossary_questions(text):
    assert glossary_question(text) is None


def test_every_term_has_its_definition_and_label_and_each_fits_a_phone_screen():
    assert set(glossary.DEFINITIONS) == set(BY_KEY) == set(glossary.WORD_LABELS)
    for key, text in glossary.DEFINITIONS.items():
        assert 0 < len(text.split()) <= 60, key


def _guarded(text: str, intent: str) -> str:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    GlossaryGuard().process([message])
    return message.get(INTENT)["name"]


def test_the_guard_turns_a_question_about_a_word_into_definir():
    assert _guarded("c quoi un rib ??", "creer_compte") == "definir"
    assert _guarded("c'est quoi un navigateur ?", "changer_navigateur") == "definir"
    assert _guarded("comment on change de navigateur ?", "changer_navigateur") == "definir"


def test_the_guard_leaves_commands_topics_and_buttons_alone():
    assert _guarded("changer de navigateur", "changer_navigateur") == "changer_navigateur"
    # a polite request is a command, its « ? » notwithstanding
    polite = "Pouvez-vous simuler un changement de navigateur, s'il vous plaît ?"
    assert _guarded(polite, "changer_navigateur") == "changer_navigateur"
    assert _guarded("tu peux changer de navigateur ?", "changer_navigateur") == "changer_navigateur"
    assert _guarded("vous pouvez me dire c'est quoi un navigateur ?", "changer_navigateur") == "definir"
    assert _guarded("je n'ai pas reçu mon code", "code_non_recu") == "code_non_recu"
    assert _guarded("/creer_compte", "creer_compte") == "creer_compte"


DOMAIN = Domain.from_dict(
    {
        "intents": ["creer_compte", "definir"],
        "entities": ["terme"],
        "slots": {"sujet": {"type": "text", "mappings": [{"type": "custom"}]}},
        "responses": {
            "utter_creer_compte": [{"text": "Pour créer votre compte ameli, il faut un ordinateur."}],
            "utter_creer_compte_limites": [{"text": "Impossible en ligne si…"}],
            **glossary.RESPONSES,
        },
    }
)


def _asked(text, entities=None):
    events = [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "definir", "confidence": 1.0}, entities or []),
    ]
    tracker = DialogueStateTracker.from_events("test", events, slots=DOMAIN.slots)
    return asyncio.run(NoRepeatGenerator(domain=DOMAIN).generate("utter_definir", tracker, "rest"))


def test_the_definition_is_the_word_of_the_message():
    assert _asked("c quoi un rib ??")["text"] == glossary.DEFINITIONS["rib"]


def test_a_glossary_button_gives_its_word():
    reply = _asked("/definir", [{"entity": "terme", "value": "numero_serie"}])
    assert "au dos de votre carte Vitale" in reply["text"]


def test_no_word_named_asks_which_word():
    reply = _asked("ça veut dire quoi")
    assert reply["text"] == glossary.ASK_WHICH_WORD
    assert any("rib" in b["payload"] for b in reply["buttons"])


def test_france_services_explained_offers_the_nearest_one():
    assert [b["payload"] for b in _asked("c'est quoi france services")["buttons"]] == ["/france_services"]


# -- never the same answer twice in a row ------------------------------------------------------


def _tracker(turns):
    """turns: [(user text, [bot texts or (text, metadata)])]."""
    events = [ActionExecuted("action_listen"), SlotSet("sujet", "creer_compte")]
    for user, bots in turns:
        events.append(UserUttered(user, {"name": "creer_compte", "confidence": 1.0}))
        for bot in bots:
            text, meta = bot if isinstance(bot, tuple) else (bot, {})
            events.append(BotUttered(text, metadata=meta))
        if bots:
            events.append(ActionExecuted("action_listen"))
    return DialogueStateTracker.from_events("test", events, slots=DOMAIN.slots)


def _say(tracker, name):
    return asyncio.run(NoRepeatGenerator(domain=DOMAIN).generate(name, tracker, "rest"))


FIRST = "Pour créer votre compte ameli, il faut un ordinateur."


def test_a_first_answer_is_the_response_itself():
    assert _say(_tracker([("mais jai pas de compte", [])]), "utter_creer_compte")["text"] == FIRST


def test_the_same_topic_in_other_words_gets_what_is_missing_with_the_guide_instead_of_the_same_bubbles():
    tracker = _tracker([("mais jai pas de compte", [FIRST, "Impossible en ligne si…"]), ("je comprends rien", [])])
    reply = _say(tracker, "utter_creer_compte")
    assert reply["text"] == answers.REPEAT_QUESTION
    assert answers.guide_button("creation") in reply["buttons"]


def test_a_word_in_the_repeated_topic_gets_that_word_explained():
    tracker = _tracker([("mais jai pas de compte", [FIRST]), ("jai pas de rib", [])])
    assert _say(tracker, "utter_creer_compte")["text"] == glossary.DEFINITIONS["rib"]


def test_the_other_bubbles_of_a_replaced_answer_are_dropped():
    tracker = _tracker(
        [
            ("mais jai pas de compte", [FIRST, "Impossible en ligne si…"]),
            ("je comprends rien", [(answers.REPEAT_QUESTION, {MARK: "question"})]),
        ]
    )
    assert _say(tracker, "utter_creer_compte_limites") == {}


def test_a_third_time_gets_a_person_not_a_third_answer():
    tracker = _tracker(
        [
            ("mais jai pas de compte", [FIRST]),
            ("je comprends rien", [(answers.REPEAT_QUESTION, {MARK: "question"})]),
            ("ben oui mais j'ai pas de compte", []),
        ]
    )
    reply = _say(tracker, "utter_creer_compte")
    assert reply["text"] == answers.REPEAT_GIVE_UP and "36 46" in reply["text"]


def test_the_same_message_twice_gets_the_same_answer():
    tracker = _tracker([("créer mon compte", [FIRST]), ("créer mon compte", [])])
    assert _say(tracker, "utter_creer_compte")["text"] == FIRST


def test_going_back_to_a_question_after_something_new_is_not_a_repeat():
    tracker = _tracker([("mais jai pas de compte", [FIRST]), ("c quoi un rib", [])])
    tracker.update(BotUttered(glossary.DEFINITIONS["rib"]))
    assert _say(tracker, "utter_creer_compte")["text"] == FIRST


def test_the_topics_own_word_is_not_explained_instead():
    events = [ActionExecuted("action_listen"), SlotSet("sujet", "code_expire")]
    for user, bots in [
        ("mon code est expiré", ["Le code de sécurité ne marche plus…"]),
        ("le code de securite marche pas", []),
    ]:
        events.append(UserUttered(user, {"name": "code_expire", "confidence": 1.0}))
        events += [BotUttered(b) for b in bots]
    domain = Domain.from_dict(
        {
            "intents": ["code_expire"],
            "slots": {"sujet": {"type": "text", "mappings": [{"type": "custom"}]}},
            "responses": {"utter_code_expire": [{"text": "Le code de sécurité ne marche plus…"}]},
        }
    )
    tracker = DialogueStateTracker.from_events("test", events, slots=domain.slots)
    reply = asyncio.run(NoRepeatGenerator(domain=domain).generate("utter_code_expire", tracker, "rest"))
    assert reply["text"] == answers.REPEAT_QUESTION


def test_a_form_asks_its_question_again_after_a_wrong_value():
    """A form's question is the same on purpose: never replaced by « Qu'est-ce qui vous bloque ? »."""
    from actions.simulation_answers import RESPONSES

    asked = {"utter_ask_simu_nom": RESPONSES["utter_ask_simu_nom"]}
    domain = Domain.from_dict({"intents": ["creer_compte"], "responses": asked})
    question, wrong = asked["utter_ask_simu_nom"][0]["text"], "Ce nom ne correspond pas au dossier."
    tracker = _tracker([("Dupont", [wrong, question]), ("Martin", [wrong])])
    assert (
        asyncio.run(NoRepeatGenerator(domain=domain).generate("utter_ask_simu_nom", tracker, "rest"))["text"]
        == question
    )
