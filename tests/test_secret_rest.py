"""Secrets typed outside the exercises, end to end over REST (issue 19): a warning in plain words,
never an echo, and nothing in clear in the tracker store (the production's redacting store, on
SQLite: the session's shared bot, tests/conftest.py) nor in what the servers logged meanwhile;
innocent messages get no warning; the exercises, which ask for fictitious numbers, still take them."""

from __future__ import annotations

import re
import sqlite3

import pytest

from actions import answers
from tests.rest_client import new_user, say, texts
from tests.secret_corpus import INNOCENT, SECRETS

WARNING = answers.SECRET_WARNING


def hidden_forms(secret: str) -> list:
    """The secret as typed, and its digits alone when it has enough of them to mean something."""
    digits = re.sub(r"\D", "", secret)
    return [secret] + ([digits] if len(digits) >= 6 else [])


def appears(form: str, text: str) -> bool:
    """`form` in `text`; digits only as a number of their own (not inside a confidence 0.0015748261)."""
    if form.isdigit():
        return re.search(rf"(?<!\d){form}(?!\d)", text) is not None
    return form in text


def test_every_written_secret_gets_the_warning_and_no_echo_and_stays_nowhere(rest_bot):
    url, user, before = rest_bot.url, new_user(), rest_bot.log_sizes()
    for text, _, secret in SECRETS:
        replies = say(url, user, text)
        said = texts(replies)
        assert replies and replies[0].get("text") == WARNING, (text, said)
        assert all(form not in said for form in hidden_forms(secret)), (text, said)
    with sqlite3.connect(rest_bot.tracker_db) as conn:
        events = "\n".join(r[0] for r in conn.execute("SELECT data FROM events WHERE sender_id = ?", (user,)))
    assert "Attention" in events  # control: the scan reads this conversation
    logs = rest_bot.logs_since(before)  # what the servers logged during this conversation
    for text, _, secret in SECRETS:
        for form in hidden_forms(secret):
            if len(form) >= 4:
                assert not appears(form, events), (text, form)
                assert not appears(form, logs), (text, form)


def test_a_question_with_a_code_in_it_gets_the_warning_then_its_answer(bot):
    replies = say(bot, new_user(), "l'agent de l'accueil m'a donné le code 4826, je le mets où ?")
    assert replies[0]["text"] == WARNING
    assert "code provisoire à 4 chiffres est remis à l'accueil de la CPAM" in texts(replies[1:])  # answered too
    assert "4826" not in texts(replies)


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_messages_get_no_warning(bot, text):
    assert WARNING not in texts(say(bot, new_user(), text))


def test_the_exercise_still_takes_its_fictitious_numbers(bot):
    url, user = bot, new_user()
    say(url, user, "simuler une connexion")
    say(url, user, "/depuis_ordinateur")  # « Sur ordinateur »
    answer = texts(say(url, user, "1 75 01 69 123 456 79"))
    assert WARNING not in answer and "mot de passe" in answer.lower(), answer
    answer = texts(say(url, user, "mdp: 24681357"))  # the code personnel, typed with a label
    assert WARNING not in answer and "code de sécurité" in answer, answer
