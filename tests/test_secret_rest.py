"""Secrets typed outside the exercises, end to end over REST (issue 19): a warning in plain words,
never an echo, and nothing in clear in the tracker store (the production's redacting store, on
SQLite here) nor in the servers' logs; innocent messages get no warning; the exercises, which ask
for fictitious numbers, still take them."""

from __future__ import annotations

import re
import sqlite3

import pytest

from actions import answers
from tests.secret_corpus import INNOCENT, SECRETS
from tests.servers import running_bot
from tests.test_rest import new_user, say, texts

WARNING = answers.SECRET_WARNING


@pytest.fixture(scope="module")
def redacting_bot(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("secret-bot")
    store = (
        "tracker_store:\n  type: server_ext.tracker_store.RedactingSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {tmp / 'tracker.db'}\n"
    )
    env = {
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp / 'sandbox.sqlite3'}",
        "TRACKER_SECRET_KEY": "secret-rest-test-key-0123456789",
        "CHAT_RATE_BURST": "1000",
    }
    with running_bot(tmp, env=env, endpoints_extra=store) as url:
        yield url, tmp


def hidden_forms(secret: str) -> list:
    """The secret as typed, and its digits alone when it has enough of them to mean something."""
    digits = re.sub(r"\D", "", secret)
    return [secret] + ([digits] if len(digits) >= 6 else [])


def appears(form: str, text: str) -> bool:
    """`form` in `text`; digits only as a number of their own (not inside a confidence 0.0015748261)."""
    if form.isdigit():
        return re.search(rf"(?<!\d){form}(?!\d)", text) is not None
    return form in text


def test_every_written_secret_gets_the_warning_and_no_echo_and_stays_nowhere(redacting_bot):
    url, tmp = redacting_bot
    user = new_user()
    for text, _, secret in SECRETS:
        replies = say(url, user, text)
        said = texts(replies)
        assert replies and replies[0].get("text") == WARNING, (text, said)
        assert all(form not in said for form in hidden_forms(secret)), (text, said)
    with sqlite3.connect(tmp / "tracker.db") as conn:
        events = "\n".join(r[0] for r in conn.execute("SELECT data FROM events WHERE sender_id = ?", (user,)))
    assert "Attention" in events  # control: the scan reads this conversation
    logs = "\n".join(p.read_text(errors="replace") for p in tmp.glob("*.log"))
    for text, _, secret in SECRETS:
        for form in hidden_forms(secret):
            if len(form) >= 4:
                assert not appears(form, events), (text, form)
                assert not appears(form, logs), (text, form)


def test_a_question_with_a_code_in_it_gets_the_warning_then_its_answer(redacting_bot):
    url, _ = redacting_bot
    replies = say(url, new_user(), "l'agent de l'accueil m'a donné le code 4826, je le mets où ?")
    assert replies[0]["text"] == WARNING
    assert "code provisoire à 4 chiffres est remis à l'accueil de la CPAM" in texts(replies[1:])  # answered too
    assert "4826" not in texts(replies)


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_messages_get_no_warning(redacting_bot, text):
    url, _ = redacting_bot
    assert WARNING not in texts(say(url, new_user(), text))


def test_the_exercise_still_takes_its_fictitious_numbers(redacting_bot):
    url, _ = redacting_bot
    user = new_user()
    say(url, user, "simuler une connexion")
    say(url, user, "/depuis_ordinateur")  # « Sur ordinateur »
    answer = texts(say(url, user, "1 75 01 69 123 456 79"))
    assert WARNING not in answer and "mot de passe" in answer.lower(), answer
    answer = texts(say(url, user, "mdp: 24681357"))  # the code personnel, typed with a label
    assert WARNING not in answer and "code de sécurité" in answer, answer
