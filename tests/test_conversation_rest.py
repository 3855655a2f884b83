"""A conversation, not a list of answers (issue 20), through the real servers over REST.

- Every conversation test (tests/conversations/*.yml) is replayed as a person would type it,
  and no answer may be made only of bubbles of the answer just before it.
- The glossary: words explained anywhere, then back to where the person was.
- Context first: a topic word in the middle of an exercise is a question about the step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

from actions import answers, glossary
from tests.rest_client import new_user, payloads, say, texts

CONVERSATIONS = Path(__file__).parent / "conversations"
# `bot`: the session's shared bot (tests/conftest.py)


# -- every conversation test, replayed: no verbatim repeat ---------------------------------------

_ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def _messages(steps: List[dict]) -> List[str]:
    """The person's messages of a story: the text as typed (entity marks removed), else the intent."""
    out = []
    for step in steps:
        if "user" in step:
            out.append(_ENTITY.sub(lambda m: m.group(1) or m.group(2) or "", step["user"]).strip())
        elif "intent" in step:
            out.append(f"/{step['intent']}")
    return out


def conversations() -> Iterator[Tuple[str, List[str]]]:
    for path in sorted(CONVERSATIONS.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")).get("stories", []):
            yield f"{path.stem}: {story['story']}", _messages(story["steps"])


CASES = list(conversations())


def test_the_conversation_tests_are_all_replayed():
    assert len(CASES) >= 50 and all(messages for _, messages in CASES)


@pytest.mark.parametrize("name, messages", CASES, ids=[name for name, _ in CASES])
def test_no_answer_repeats_the_one_just_before(bot, name, messages):
    user = new_user()
    before: List[str] = []
    previous_message = None
    for message in messages:
        bubbles = [r["text"] for r in say(bot, user, message) if r.get("text")]
        if bubbles and before and message != previous_message:
            # a repeat: nothing in the answer that the answer just before did not say already
            # (« C'est bon. » then the next question is new; the same two bubbles again are not)
            assert not set(bubbles) <= set(before), (name, message, bubbles)
        before, previous_message = bubbles, message


# -- the glossary and the repeats, as the issue tells them -------------------------------------


def test_no_account_then_what_is_a_rib_then_rib_then_stuck(bot):
    user = new_user()
    creation = texts(say(bot, user, "mais jai pas de compte"))
    assert "il faut un ordinateur" in creation
    assert texts(say(bot, user, "c quoi un rib ??")) == glossary.DEFINITIONS["rib"]
    again = say(bot, user, "rib")
    assert texts(again) != glossary.DEFINITIONS["rib"] and "il faut un ordinateur" not in texts(again)
    third = say(bot, user, "jai toujours pas compris pour le compte")
    assert texts(third) != creation


def test_the_same_topic_three_times_ends_with_a_person(bot):
    user = new_user()
    first = texts(say(bot, user, "mon code est expiré"))
    second = say(bot, user, "ça bloque ou quoi ? le code est expiré")
    assert texts(second) != first and answers.REPEAT_QUESTION in texts(second)
    assert "/toujours_pas" in payloads(second)
    third = say(bot, user, "le code de securite marche pas, il est perimé")
    assert "36 46" in texts(third) and first not in texts(third)


def test_a_word_asked_never_starts_a_trainer_command(bot):
    answer = texts(say(bot, new_user(), "c'est quoi un navigateur ?"))
    assert answer == glossary.DEFINITIONS["navigateur"] and "déconnecté" not in answer


def test_what_is_france_services_is_explained_and_the_search_is_offered_not_started(bot):
    replies = say(bot, new_user(), "c koi france services ?")
    assert texts(replies) == glossary.DEFINITIONS["france_services"]
    assert payloads(replies) == ["/france_services"] and "Dans quelle ville" not in texts(replies)


def test_a_glossary_button_explains_its_word(bot):
    answer = texts(say(bot, new_user(), '/definir{"terme":"numero_serie"}'))
    assert "au dos de votre carte Vitale" in answer


def test_a_word_in_the_creation_exercise_then_the_exercise_goes_on(bot):
    user = new_user()
    say(bot, user, "je veux m'entraîner à créer mon compte")
    replies = say(bot, user, "c'est quoi une attestation de droits")
    assert glossary.DEFINITIONS["attestation"] in texts(replies)
    assert "numéro de sécurité sociale" in texts(replies).replace(glossary.DEFINITIONS["attestation"], "")


def test_at_the_france_services_in_the_login_exercise_the_box_is_not_ticked_and_no_search_starts(bot):
    user = new_user()
    replies = say(bot, user, "simuler une connexion")
    say(bot, user, "/depuis_ordinateur")
    say(bot, user, "1 75 01 69 123 456 79")
    replies = say(bot, user, "24681357")
    replies = say(bot, user, "/affirmer")  # « Recevoir un code de sécurité »
    replies = say(bot, user, "/simuler_boite_mail")
    mail = texts(say(bot, user, next(p for p in payloads(replies) if p.startswith("/simuler_lire_mail"))))
    code = re.search(r"\b(\d{6})\b", mail)
    assert code, mail
    replies = say(bot, user, code.group(1))
    assert "ordinateur personnel" in texts(replies)
    replies = say(bot, user, "on est sur un ordi de la France Services, je coche ?")
    answer = texts(replies)
    assert "ne la cochez pas" in answer and "Je cherche les plus proches" not in answer
    assert "Vous êtes connecté" not in answer  # the box is not ticked for her: the question comes back
